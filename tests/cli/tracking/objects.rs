//! The staged document's blob, which the post-commit hook writes into the object database
//! itself in `stage` mode (src/tracking/loose.rs): git reads it back byte for byte, `git fsck
//! --strict` finds nothing wrong, and the repository's compression setting is honoured.

use std::fs;
use std::path::PathBuf;

use super::{DOC, Mode, commit_settled, doc, started};
use crate::support::TestRepo;

/// The file of the loose object that holds the index's copy of [`DOC`].
fn staged_object(repo: &TestRepo) -> PathBuf {
    let id = repo.git(["rev-parse", &format!(":{DOC}")]);
    let objects = repo.git(["rev-parse", "--path-format=absolute", "--git-path", "objects"]);
    let (id, objects) = (id.trim(), PathBuf::from(objects.trim()));
    objects.join(&id[..2]).join(&id[2..])
}

/// Asserts that `git fsck --strict` is clean and that the index holds the work tree's document.
#[track_caller]
fn assert_sound(repo: &TestRepo, after: &str) {
    assert_eq!(repo.git(["fsck", "--strict", "--no-dangling", "--no-progress"]), "", "fsck after `{after}`");
    assert_eq!(repo.git(["show", &format!(":{DOC}")]), doc(repo), "the staged copy after `{after}`");
    assert_eq!(repo.status(), format!("M  {DOC}\n"), "the document staged, as written, after `{after}`");
}

#[test]
fn stage_mode_blobs_pass_fsck_and_hold_the_work_trees_document() {
    let repo = started(Mode::Stage);
    for subject in ["feat: add the limiter", "feat: count requests", "feat: reject over the limit"] {
        commit_settled(&repo, Mode::Stage, subject);
        assert_sound(&repo, subject);
        let object = staged_object(&repo);
        let meta = fs::metadata(&object).expect("the staged blob is a loose object");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(meta.permissions().mode() & 0o777, 0o444, "read-only, as git writes objects");
        }
        assert!(meta.len() < doc(&repo).len() as u64, "deflated at git's default level");
    }
    repo.git(["commit", "--quiet", "-m", "docs(M1): record"]);
    assert_eq!(repo.git(["fsck", "--strict", "--no-dangling", "--no-progress"]), "");
}

/// `core.looseCompression = 0` stores the object uncompressed, as git would.
#[test]
fn stage_mode_honours_core_loose_compression() {
    let repo = started(Mode::Stage);
    repo.git(["config", "core.compression", "9"]);
    repo.git(["config", "core.looseCompression", "0"]);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    assert_sound(&repo, "feat: add the limiter");
    let size = fs::metadata(staged_object(&repo)).expect("a loose object").len();
    let header = format!("blob {}\0", doc(&repo).len());
    assert!(
        size > (header.len() + doc(&repo).len()) as u64,
        "level 0 stores the blob ({size} bytes for a document of {})",
        doc(&repo).len()
    );
}

/// A setting given on git's command line reaches the hook in the environment, where libgit2
/// does not read it: libgit2 then stores the blob as it always has (here compressed, whereas
/// the repository's own setting, level 0, would have stored it whole).
#[test]
fn stage_mode_leaves_the_blob_to_libgit2_under_git_dash_c() {
    let repo = started(Mode::Stage);
    repo.git(["config", "core.looseCompression", "0"]);
    repo.write("src/limiter.txt", "limit\n");
    repo.git(["add", "src/limiter.txt"]);
    repo.git(["-c", "core.looseCompression=1", "commit", "--quiet", "-m", "feat: add the limiter"]);
    assert_sound(&repo, "feat: add the limiter");
    let size = fs::metadata(staged_object(&repo)).expect("a loose object").len();
    assert!(size < doc(&repo).len() as u64, "compressed by libgit2: {size} bytes");
}

/// With `GIT_MILESTONE_THREADS=1` the hook writes the document and stores its blob on one
/// thread, one after the other, instead of side by side: the same document, the same staged
/// blob, and a sound repository, commit after commit.
#[test]
fn stage_mode_on_one_thread_stages_what_two_threads_stage() {
    let (two, one) = (started(Mode::Stage), started(Mode::Stage));
    for subject in ["feat: add the limiter", "feat: count requests", "feat: reject over the limit"] {
        commit_settled(&two, Mode::Stage, subject);
        let file = super::file_for(subject);
        one.write(&file, format!("{subject}\n"));
        one.git(["add", file.as_str()]);
        one.git_with(["commit", "--quiet", "-m", subject], |c| {
            c.env("GIT_MILESTONE_THREADS", "1");
        })
        .success();
        assert_sound(&one, subject);
        assert_eq!(doc(&one), doc(&two), "the document after `{subject}`");
        let staged = |repo: &TestRepo| repo.git(["rev-parse", &format!(":{DOC}")]);
        assert_eq!(staged(&one), staged(&two), "the staged blob after `{subject}`");
    }
}

/// Asserts that the index entry of [`DOC`] records a modification time (in seconds) before the
/// index file's own, so that git trusts its stat data instead of hashing the file again.
#[track_caller]
fn assert_recorded_before_the_index(repo: &TestRepo) {
    let debug = repo.git(["ls-files", "--debug", "--", DOC]);
    let recorded: i64 = debug
        .lines()
        .find_map(|l| l.trim().strip_prefix("mtime: "))
        .and_then(|t| t.split(':').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no mtime in `git ls-files --debug`: {debug}"));
    let index = repo.git(["rev-parse", "--path-format=absolute", "--git-path", "index"]);
    let index = fs::metadata(index.trim()).expect("the index").modified().expect("a modification time");
    let index = index.duration_since(std::time::UNIX_EPOCH).expect("after 1970").as_secs() as i64;
    assert!(recorded < index, "the entry's mtime {recorded} must be before the index's {index}");
}

/// Rewrites [`DOC`] by hand right away, one character changed, the size kept.
fn quick_hand_edit(repo: &TestRepo) -> String {
    let text = doc(repo);
    let edited = text.replacen("Rate", "Fate", 1);
    assert_eq!(edited.len(), text.len(), "the edit keeps the size");
    assert_ne!(edited, text, "the edit changes the document");
    repo.write(DOC, &edited);
    text
}

/// The staged document's recorded modification time is a second before the index's, so git
/// trusts the entry's stat data instead of hashing the document again in every command
/// ("racy git"); a hand edit made right after, in the same second and of the same size, still
/// shows as an unstaged change.
#[test]
fn stage_mode_records_the_document_before_the_index_and_a_quick_edit_still_shows() {
    let repo = started(Mode::Stage);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    assert_sound(&repo, "feat: add the limiter");
    assert_recorded_before_the_index(&repo);
    let text = quick_hand_edit(&repo);
    assert_eq!(repo.status(), format!("MM {DOC}\n"), "the quick hand edit shows as unstaged");
    assert_eq!(repo.git(["show", &format!(":{DOC}")]), text, "the index keeps the hook's copy");
}

/// The same in `commit` mode, where the index takes the bookkeeping commit's copy.
#[test]
fn commit_mode_records_the_document_before_the_index_and_a_quick_edit_still_shows() {
    let repo = started(Mode::Commit);
    commit_settled(&repo, Mode::Commit, "feat: add the limiter");
    assert_eq!(repo.status(), "", "the bookkeeping commit leaves the tree clean");
    assert_recorded_before_the_index(&repo);
    let text = quick_hand_edit(&repo);
    assert_eq!(repo.status(), format!(" M {DOC}\n"), "the quick hand edit shows as unstaged");
    assert_eq!(repo.git(["show", &format!("HEAD:{DOC}")]), text, "HEAD keeps the hook's copy");
}
