//! The tracking document fills itself (issue #5), through the real `git` binary and the
//! installed hooks: `commit` in its forms, `--amend`, `rebase -i` (reword, squash, fixup,
//! drop, reorder), `cherry-pick`, `merge`, `stash`/`stash pop`, commits the hooks did not
//! see, two worktrees, a teammate's pushed commits pulled, a hand edit between commits, the
//! attribution of a commit to its task, and a hook that fails. Each runs in the three
//! `tracking.update` modes where it makes sense, asserts what the document records, then
//! that `git milestone sync` finds nothing left to do.
//!
//! The harness fixes the author and committer date (2026-01-01), so every commit lands in
//! one progress-log entry; each commit writes its own file so that hashes differ.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::support::TestRepo;

mod objects;

/// The tracking document of milestone M1.
const DOC: &str = "docs/milestones/tracking/M1-tracking.md";
/// Milestone M1's branch, as `start M1 --title "Rate limits"` names it.
const BRANCH: &str = "feature/M1/rate-limits";
/// The tracking document of milestone M2 (the second worktree's).
const DOC2: &str = "docs/milestones/tracking/M2-tracking.md";
/// The heading of the one task `start --title` writes (its status In Progress).
const TASK_1_1: &str = "### Task 1.1: Rate limits";
/// The heading of the section for commits that belong to no task.
const UNPLANNED: &str = "## Unplanned Commits";

/// How a tracking update reaches history (`milestone.tracking.update`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Stage,
    Commit,
    Manual,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Stage => "stage",
            Mode::Commit => "commit",
            Mode::Manual => "manual",
        }
    }
}

/// Runs `$scenario(Mode::…)` as one test per mode: `NAME::stage`, `NAME::commit`,
/// `NAME::manual`.
macro_rules! in_each_mode {
    ($($name:ident => $scenario:path;)*) => {
        $(
            mod $name {
                #[test]
                fn stage() {
                    $scenario(super::Mode::Stage);
                }
                #[test]
                fn commit() {
                    $scenario(super::Mode::Commit);
                }
                #[test]
                fn manual() {
                    $scenario(super::Mode::Manual);
                }
            }
        )*
    };
}

// ---- setting up like a user ----

/// Returns a repository set up as a user would: `init`, its `.milestone.yml` committed on
/// `main`, `tracking.update` set to `mode`, then `start M1 --title "Rate limits"`, HEAD on
/// [`BRANCH`] whose one commit creates [`DOC`].
fn started(mode: Mode) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.git(["config", "milestone.tracking.update", mode.name()]);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "HEAD after start");
    assert_eq!(repo.status(), "", "git status after start");
    assert!(item_lines(&doc(&repo)).is_empty(), "a new document records no commit");
    repo
}

/// Returns the name of the file the commit with `subject` writes: its own, so that every
/// commit has its own tree and hash.
fn file_for(subject: &str) -> String {
    let slug: String = subject
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("src/{slug}.txt")
}

/// Writes the file of `subject` in `dir` and commits it alone with `git commit -m`, hooks
/// and all, panicking unless git succeeds.
#[track_caller]
fn commit_in(repo: &TestRepo, dir: &Path, subject: &str) {
    let file = file_for(subject);
    let path = dir.join(&file);
    fs::create_dir_all(path.parent().expect("file has a folder")).expect("create folder");
    fs::write(&path, format!("{subject}\n")).expect("write file");
    repo.git_in(dir, ["add", file.as_str()]);
    repo.git_run_in(dir, ["commit", "--quiet", "-m", subject]).success();
}

/// [`commit_in`] the work directory.
#[track_caller]
fn commit(repo: &TestRepo, subject: &str) {
    commit_in(repo, repo.root(), subject);
}

/// Commits `subject` and checks what its hook did in `mode` (see [`settled`]).
#[track_caller]
fn commit_settled(repo: &TestRepo, mode: Mode, subject: &str) {
    let before = repo.read(DOC);
    commit(repo, subject);
    settled(repo, mode, &before, subject);
}

/// Checks what the hooks did after a commit with `subject`, given the document's bytes
/// before it: `stage`, the document staged (and nothing else); `commit`, a bookkeeping
/// commit recording it on top and a clean tree; `manual`, the document as it was, until
/// `sync` writes it (to the work tree only).
#[track_caller]
fn settled(repo: &TestRepo, mode: Mode, before: &[u8], subject: &str) {
    match mode {
        Mode::Stage => {
            assert_eq!(staged(repo), [DOC], "stage mode: the document is staged after `{subject}`");
        }
        Mode::Commit => {
            let short = short_of(repo, repo.root(), subject);
            assert_eq!(
                repo.subjects("-2"),
                [format!("chore: record {short} in {DOC}"), subject.to_string()],
                "commit mode: a bookkeeping commit follows `{subject}`"
            );
            assert_eq!(repo.name_status("HEAD"), [format!("M\t{DOC}")], "the bookkeeping commit");
            assert_eq!(repo.status(), "", "commit mode: the tree is clean after `{subject}`");
        }
        Mode::Manual => {
            assert_eq!(
                text(&repo.read(DOC)),
                text(before),
                "manual mode: the commit `{subject}` leaves the document alone"
            );
            let run = repo.milestone(["sync"]).success();
            assert_eq!(run.stdout(), format!("updated {DOC}\n"), "manual mode: sync writes\n{run}");
            assert_eq!(staged(repo), Vec::<String>::new(), "manual mode: sync leaves the index alone");
        }
    }
}

/// In manual mode, runs `sync` and expects it to write the document; in the other modes,
/// nothing.
#[track_caller]
fn sync_if_manual(repo: &TestRepo, mode: Mode) {
    if mode == Mode::Manual {
        let run = repo.milestone(["sync"]).success();
        assert_eq!(run.stdout(), format!("updated {DOC}\n"), "manual mode: sync catches up\n{run}");
    }
}

// ---- reading what the document records ----

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("the tracking document is UTF-8")
}

/// Returns the text of [`DOC`] in the work tree.
fn doc(repo: &TestRepo) -> String {
    text(&repo.read(DOC))
}

/// Returns the text of `doc` in the work tree at `dir`.
fn doc_in(dir: &Path, doc: &str) -> String {
    text(&fs::read(dir.join(doc)).unwrap_or_else(|e| panic!("cannot read {doc}: {e}")))
}

/// Returns the paths `git diff --cached` names.
fn staged(repo: &TestRepo) -> Vec<String> {
    repo.git(["diff", "--cached", "--name-only"]).lines().map(str::to_string).collect()
}

/// Returns the full hash of the one commit of `main..HEAD` (in the work tree at `dir`) whose
/// subject is `subject`.
#[track_caller]
fn hash_of(repo: &TestRepo, dir: &Path, subject: &str) -> String {
    let log = repo.git_in(dir, ["log", "--format=%H %s", "main..HEAD"]);
    let found: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, s)| *s == subject)
        .map(|(h, _)| h)
        .collect();
    assert_eq!(found.len(), 1, "one commit `{subject}` in main..HEAD\n{log}");
    found[0].to_string()
}

/// Returns the first 7 hex digits of the commit `subject` (see [`hash_of`]).
#[track_caller]
fn short_of(repo: &TestRepo, dir: &Path, subject: &str) -> String {
    hash_of(repo, dir, subject)[..7].to_string()
}

/// Returns the recorded commit items of `text`: every line `` - `HASH` - … `` with a hash of
/// 7 or more hex digits, trimmed.
fn item_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| {
            let Some(rest) = l.strip_prefix("- `") else { return false };
            let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
            hex >= 7 && rest[hex..].starts_with("` - ")
        })
        .map(str::to_string)
        .collect()
}

/// Returns the lines of the section of `text` headed by the line starting with `heading`, up
/// to the next heading of its level or above.
#[track_caller]
fn section<'t>(text: &'t str, heading: &str) -> Vec<&'t str> {
    let level = heading.bytes().take_while(|b| *b == b'#').count();
    let mut lines = text.lines().skip_while(|l| !l.starts_with(heading));
    let first = lines.next().unwrap_or_else(|| panic!("the document has no `{heading}`\n{text}"));
    let mut out = vec![first];
    for line in lines {
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        if hashes > 0 && hashes <= level && line.as_bytes().get(hashes) == Some(&b' ') {
            break;
        }
        out.push(line);
    }
    out
}

/// Returns the value of the `**Commits:**` line of the Metrics section.
#[track_caller]
fn metrics_commits(text: &str) -> String {
    section(text, "## Metrics")
        .iter()
        .find_map(|l| l.strip_prefix("**Commits:** "))
        .unwrap_or_else(|| panic!("no `**Commits:** N` in Metrics\n{text}"))
        .trim()
        .to_string()
}

/// Asserts that [`DOC`] in the work tree records exactly the commits of `main..HEAD` with
/// `subjects`, each under Task 1.1 (the task In Progress) and in the progress log.
#[track_caller]
fn assert_records(repo: &TestRepo, subjects: &[&str]) {
    let placed: Vec<(&str, &str)> = subjects.iter().map(|s| (*s, TASK_1_1)).collect();
    assert_records_in(repo, repo.root(), DOC, &placed);
}

/// Asserts that `doc` in the work tree at `dir` records exactly the commits of `main..HEAD`
/// with the given subjects: for each, `` - `HASH7` - SUBJECT `` once in the section headed
/// `heading` and once in the progress log, twice in all; no other commit item (no stale
/// hash); and the Metrics' `**Commits:** N`.
#[track_caller]
fn assert_records_in(repo: &TestRepo, dir: &Path, doc: &str, expected: &[(&str, &str)]) {
    let text = doc_in(dir, doc);
    let mut want: BTreeMap<String, usize> = BTreeMap::new();
    for (subject, heading) in expected {
        let item = format!("- `{}` - {subject}", short_of(repo, dir, subject));
        let count = |lines: &[&str]| lines.iter().filter(|l| l.trim() == item).count();
        assert_eq!(count(&section(&text, heading)), 1, "`{item}` once under `{heading}`\n{text}");
        assert_eq!(count(&section(&text, "## Progress Log")), 1, "`{item}` once in the progress log\n{text}");
        *want.entry(item).or_default() += 2;
    }
    let mut have: BTreeMap<String, usize> = BTreeMap::new();
    for item in item_lines(&text) {
        *have.entry(item).or_default() += 1;
    }
    assert_eq!(have, want, "the commit items of {doc} (each exactly twice, nothing else)\n{text}");
    assert_eq!(metrics_commits(&text), expected.len().to_string(), "Metrics: commits\n{text}");
}

/// Runs `git milestone sync` and asserts it says `up to date` and changes nothing: not the
/// document, not `git status`, not HEAD (commit mode would make a bookkeeping commit).
#[track_caller]
fn assert_sync_changes_nothing(repo: &TestRepo) {
    assert_sync_changes_nothing_in(repo, repo.root(), DOC);
}

/// [`assert_sync_changes_nothing`] in the work tree at `dir`, whose document is `doc`.
#[track_caller]
fn assert_sync_changes_nothing_in(repo: &TestRepo, dir: &Path, doc: &str) {
    let before = (doc_in(dir, doc), repo.git_in(dir, ["status", "--porcelain"]), head_in(repo, dir));
    let run = repo.milestone_in(dir, ["sync"]).success();
    assert_eq!(run.stdout(), format!("{doc}: up to date\n"), "sync after the hooks\n{run}");
    let after = (doc_in(dir, doc), repo.git_in(dir, ["status", "--porcelain"]), head_in(repo, dir));
    assert_eq!(after.0, before.0, "sync changed the document\n{run}");
    assert_eq!(after.1, before.1, "sync changed `git status`\n{run}");
    assert_eq!(after.2, before.2, "sync moved HEAD\n{run}");
}

fn head_in(repo: &TestRepo, dir: &Path) -> String {
    repo.git_in(dir, ["rev-parse", "HEAD"]).trim().to_string()
}

/// Asserts no rebase, merge or cherry-pick is under way and the document has no conflict.
#[track_caller]
fn assert_no_operation(repo: &TestRepo) {
    let git_dir = PathBuf::from(repo.git(["rev-parse", "--absolute-git-dir"]).trim());
    for marker in ["rebase-merge", "rebase-apply", "MERGE_HEAD", "CHERRY_PICK_HEAD", "sequencer"] {
        assert!(!git_dir.join(marker).exists(), "`{marker}` is left in the git dir");
    }
    let text = doc(repo);
    assert!(!text.contains("<<<<<<<") && !text.contains(">>>>>>>"), "conflict markers\n{text}");
    let unmerged = repo.git(["diff", "--name-only", "--diff-filter=U"]);
    assert_eq!(unmerged, "", "unmerged paths");
}

/// Appends `line` to the document's `## Notes` section, in the work tree (a hand edit).
#[track_caller]
fn add_note(repo: &TestRepo, line: &str) {
    let text = doc(repo);
    let at = text.find("\n## Notes\n").expect("the document has a Notes section") + "\n## Notes\n".len();
    repo.write(DOC, format!("{}\n{line}\n{}", &text[..at], &text[at..]));
}

// ---- 1. commit, commit -a, commit -- path ----

fn commit_of_a_new_file(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    assert_records(&repo, &["feat: add the limiter"]);
    // The log entry of the commit's author date, which the harness fixes.
    let text = doc(&repo);
    let item =
        format!("- `{}` - feat: add the limiter", short_of(&repo, repo.root(), "feat: add the limiter"));
    assert!(section(&text, "### 2026-01-01").contains(&item.as_str()), "in the entry of 2026-01-01\n{text}");
    if mode == Mode::Stage {
        // The change rides in the next commit: HEAD itself does not record itself yet.
        assert!(item_lines(&repo.show_file("HEAD", DOC)).is_empty(), "HEAD's copy records nothing yet");
    }
    assert_sync_changes_nothing(&repo);
}

fn commit_all_of_a_changed_file(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let before = repo.read(DOC);
    repo.write("README.md", "# Project\n\nRate limits.\n");
    repo.git(["commit", "--quiet", "-a", "-m", "docs: describe rate limits"]);
    settled(&repo, mode, &before, "docs: describe rate limits");
    assert_records(&repo, &["feat: add the limiter", "docs: describe rate limits"]);
    if mode == Mode::Stage {
        // The staged record of the first commit rode in the second.
        let committed = repo.show_file("HEAD", DOC);
        let first =
            format!("- `{}` - feat: add the limiter", short_of(&repo, repo.root(), "feat: add the limiter"));
        assert_eq!(item_lines(&committed), [first.clone(), first], "HEAD's copy\n{committed}");
    }
    assert_sync_changes_nothing(&repo);
}

fn commit_of_only_a_path(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let before = repo.read(DOC);
    repo.write("README.md", "# Project\n\nRate limits.\n");
    repo.write("notes.txt", "staged, not committed\n");
    repo.git(["add", "notes.txt"]);
    repo.git(["commit", "--quiet", "-m", "docs: describe rate limits", "--", "README.md"]);
    let user_commit = hash_of(&repo, repo.root(), "docs: describe rate limits");
    assert_eq!(repo.name_status(&user_commit), ["M\tREADME.md"], "`commit -- README.md` took only that path");
    match mode {
        Mode::Stage => {
            assert_eq!(staged(&repo), [DOC, "notes.txt"], "the document is staged beside notes.txt");
        }
        Mode::Commit => {
            let short = &user_commit[..7];
            assert_eq!(repo.subjects("-1"), [format!("chore: record {short} in {DOC}")]);
            assert_eq!(repo.status(), "A  notes.txt\n", "only notes.txt is left staged");
        }
        Mode::Manual => {
            assert_eq!(text(&repo.read(DOC)), text(&before), "manual: the document is left alone");
            sync_if_manual(&repo, mode);
            assert_eq!(staged(&repo), ["notes.txt"], "sync leaves the index alone");
        }
    }
    assert_records(&repo, &["feat: add the limiter", "docs: describe rate limits"]);
    assert_sync_changes_nothing(&repo);
}

in_each_mode! {
    commit_of_a_new_file => super::commit_of_a_new_file;
    commit_all_of_a_changed_file => super::commit_all_of_a_changed_file;
    commit_of_only_a_path => super::commit_of_only_a_path;
}

// ---- 2. a commit of the document alone is bookkeeping ----

fn a_commit_of_the_document_alone_is_bookkeeping(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    if mode == Mode::Commit {
        // The tree is clean: what the user commits is a hand edit of the document.
        add_note(&repo, "- Limits are per API key.");
    }
    // stage: the staged record; manual: what sync wrote; commit: the note.
    repo.git(["add", DOC]);
    let count = repo.commit_count();
    repo.git(["commit", "--quiet", "-m", "docs: update the tracking document"]);
    assert_eq!(repo.commit_count(), count + 1, "no bookkeeping commit follows");
    assert_eq!(repo.subjects("-1"), ["docs: update the tracking document"]);
    assert_eq!(repo.name_status("HEAD"), [format!("M\t{DOC}")], "the commit changes the document only");
    assert_eq!(repo.status(), "", "the tree is clean after a bookkeeping commit");
    assert_records(&repo, &["feat: add the limiter"]);
    assert_eq!(repo.show_file("HEAD", DOC), doc(&repo), "HEAD holds the document as the work tree does");
    assert_sync_changes_nothing(&repo);
}

// ---- 3. commit --amend ----

fn amend_with_a_new_message(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    commit_settled(&repo, mode, "feat: count requests");
    let old = short_of(&repo, repo.root(), "feat: count requests");
    assert!(doc(&repo).contains(&old), "recorded before the amend");
    if mode == Mode::Commit {
        // HEAD is the bookkeeping commit: set it aside (its record stays staged) so the amend
        // reaches the user's commit.
        repo.git(["reset", "--quiet", "--soft", "HEAD~1"]);
    }
    let before = repo.read(DOC);
    repo.git(["commit", "--quiet", "--amend", "-m", "feat: count requests per key"]);
    settled(&repo, mode, &before, "feat: count requests per key");
    let text = doc(&repo);
    assert!(!text.contains(&old), "the amended commit's old hash {old} is gone\n{text}");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests per key"]);
    assert_sync_changes_nothing(&repo);
}

in_each_mode! {
    a_commit_of_the_document_alone_is_bookkeeping => super::a_commit_of_the_document_alone_is_bookkeeping;
    amend_with_a_new_message => super::amend_with_a_new_message;
}

// ---- 4. rebase -i ----

/// What a `rebase -i` does to the four commits `feat: one` … `feat: four`.
#[derive(Clone, Copy, Debug)]
enum Todo {
    /// `feat: two` reworded to `feat: two reworded`.
    Reword,
    /// `feat: three` squashed into `feat: two` (the message kept: `feat: two`).
    Squash,
    /// `feat: three` fixed up into `feat: two`.
    Fixup,
    /// `feat: two` dropped.
    Drop,
    /// `feat: two` and `feat: three` swapped.
    Reorder,
}

const FOUR: [&str; 4] = ["feat: one", "feat: two", "feat: three", "feat: four"];

/// Makes [`FOUR`] commits, then runs `git rebase -i` over them with `todo` scripted through
/// GIT_SEQUENCE_EDITOR; checks it finished (no conflict, no rebase left) with the history
/// meant, and that the document records exactly that history.
fn rebase(mode: Mode, todo: Todo) {
    let repo = started(mode);
    let onto = repo.rev("HEAD");
    for subject in FOUR {
        commit_settled(&repo, mode, subject);
    }
    assert_records(&repo, &FOUR);
    let old: Vec<String> = FOUR.iter().map(|s| short_of(&repo, repo.root(), s)).collect();

    let mut script: Vec<String> = Vec::new();
    if mode == Mode::Commit && matches!(todo, Todo::Squash | Todo::Fixup) {
        // The bookkeeping commit between `feat: two` and `feat: three` would take the squash.
        script.push(format!("/ chore: record {} in /d", old[1]));
    }
    let (edits, expected): (&[&str], &[&str]) = match todo {
        Todo::Reword => (
            &[r"s/^pick \([0-9a-f]* feat: two\)$/reword \1/"],
            &["feat: one", "feat: two reworded", "feat: three", "feat: four"],
        ),
        Todo::Squash => {
            (&[r"s/^pick \([0-9a-f]* feat: three\)$/squash \1/"], &["feat: one", "feat: two", "feat: four"])
        }
        Todo::Fixup => {
            (&[r"s/^pick \([0-9a-f]* feat: three\)$/fixup \1/"], &["feat: one", "feat: two", "feat: four"])
        }
        Todo::Drop => (&["/ feat: two$/d"], &["feat: one", "feat: three", "feat: four"]),
        Todo::Reorder => (
            &["/ feat: two$/{h;d}", "/ feat: three$/G"],
            &["feat: one", "feat: three", "feat: two", "feat: four"],
        ),
    };
    script.extend(edits.iter().map(|e| (*e).to_string()));
    let sequence_editor =
        format!("sed -i {}", script.iter().map(|e| format!("-e '{e}'")).collect::<Vec<_>>().join(" "));
    let run = repo.git_with(["rebase", "-i", onto.as_str()], |c| {
        c.env("GIT_SEQUENCE_EDITOR", &sequence_editor);
        if matches!(todo, Todo::Reword) {
            c.env("GIT_EDITOR", r"sed -i 1s/.*/feat:\ two\ reworded/");
        }
    });
    let run = run.success();
    assert!(!run.stderr().contains("CONFLICT"), "the rebase met a conflict\n{run}");
    assert_no_operation(&repo);

    // The history is the one meant (bookkeeping commits aside).
    let mut history = repo.subjects(&format!("{onto}..HEAD"));
    history.retain(|s| !s.starts_with("chore: record "));
    history.reverse();
    assert_eq!(history, expected, "the history after the rebase\n{run}");
    match mode {
        Mode::Stage => {
            let status = repo.status();
            assert!(
                status.lines().all(|l| l.ends_with(DOC)),
                "only the document may be left changed (the autostash)\n{status}\n{run}"
            );
        }
        Mode::Commit => assert_eq!(repo.status(), "", "commit mode: the tree is clean\n{run}"),
        Mode::Manual => sync_if_manual(&repo, mode),
    }
    assert_records(&repo, expected);
    // The rewritten and the dropped commits' old hashes are gone.
    let text = doc(&repo);
    let now: Vec<String> = expected.iter().map(|s| short_of(&repo, repo.root(), s)).collect();
    for hash in old.iter().filter(|h| !now.contains(h)) {
        assert!(!text.contains(hash.as_str()), "old hash {hash} is still in the document\n{text}");
    }
    assert_sync_changes_nothing(&repo);
}

fn rebase_reword(mode: Mode) {
    rebase(mode, Todo::Reword);
}

fn rebase_squash(mode: Mode) {
    rebase(mode, Todo::Squash);
}

fn rebase_fixup(mode: Mode) {
    rebase(mode, Todo::Fixup);
}

fn rebase_drop(mode: Mode) {
    rebase(mode, Todo::Drop);
}

fn rebase_reorder(mode: Mode) {
    rebase(mode, Todo::Reorder);
}

in_each_mode! {
    rebase_reword => super::rebase_reword;
    rebase_squash => super::rebase_squash;
    rebase_fixup => super::rebase_fixup;
    rebase_drop => super::rebase_drop;
    rebase_reorder => super::rebase_reorder;
}

// ---- 5. cherry-pick ----

fn cherry_pick_from_another_branch(mode: Mode) {
    let repo = started(mode);
    repo.git(["switch", "--quiet", "-c", "hotfix", "main"]);
    commit(&repo, "fix: reject empty keys");
    assert_eq!(repo.status(), "", "on a branch no document names, the hooks do nothing");
    let picked = repo.rev("HEAD");
    repo.git(["switch", "--quiet", BRANCH]);
    commit_settled(&repo, mode, "feat: add the limiter");
    if mode == Mode::Stage {
        // git refuses to cherry-pick over any staged change; see
        // `stage_mode_cherry_pick_with_the_document_staged` for the pick without this commit.
        repo.git(["commit", "--quiet", "-m", "docs: update the tracking document"]);
    }
    let before = repo.read(DOC);
    repo.git(["cherry-pick", picked.as_str()]);
    assert_no_operation(&repo);
    settled(&repo, mode, &before, "fix: reject empty keys");
    let text = doc(&repo);
    assert!(!text.contains(&picked[..7]), "the hotfix branch's own hash is not recorded\n{text}");
    assert_records(&repo, &["feat: add the limiter", "fix: reject empty keys"]);
    assert_sync_changes_nothing(&repo);
}

// ---- 6. merge --no-ff ----

fn merge_of_a_side_branch(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    repo.git(["switch", "--quiet", "-c", "side"]);
    // In stage mode the first side commit takes the staged record with it.
    commit(&repo, "feat: side one");
    commit(&repo, "feat: side two");
    repo.git(["switch", "--quiet", BRANCH]);
    commit_settled(&repo, mode, "feat: count requests");
    if mode == Mode::Stage {
        // git refuses to merge over a staged change to a file the merge changes; see
        // `stage_mode_merge_with_the_document_staged` for the merge without this commit.
        repo.git(["commit", "--quiet", "-m", "docs: update the tracking document"]);
    }
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", "side"]).success();
    assert!(!run.stderr().contains("CONFLICT") && !run.stdout().contains("CONFLICT"), "{run}");
    assert_no_operation(&repo);
    let merge = if mode == Mode::Commit { "HEAD~1" } else { "HEAD" };
    assert_eq!(
        repo.git(["rev-list", "--parents", "-1", merge]).split_whitespace().count(),
        3,
        "{merge} is the merge commit"
    );
    match mode {
        Mode::Stage => assert_eq!(staged(&repo), [DOC], "the record of the merge is staged\n{run}"),
        Mode::Commit => {
            assert!(repo.subjects("-1")[0].starts_with("chore: record "), "a bookkeeping commit follows");
            assert_eq!(repo.status(), "", "{run}");
        }
        Mode::Manual => sync_if_manual(&repo, mode),
    }
    assert_records(
        &repo,
        &["feat: add the limiter", "feat: count requests", "feat: side one", "feat: side two"],
    );
    assert_sync_changes_nothing(&repo);
}

// ---- 7. stash and stash pop ----

fn stash_then_commit_then_pop(mode: Mode) {
    const NOTE: &str = "- Stashed while committing.";
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    if mode != Mode::Stage {
        // stage: the staged record is what the stash holds; the others: a hand edit.
        add_note(&repo, NOTE);
    }
    repo.git(["stash", "--quiet"]);
    assert_eq!(repo.status(), "", "the stash took the document's change");
    if mode == Mode::Manual {
        // No sync between the stash and its pop: the work tree's copy must be HEAD's.
        commit(&repo, "feat: count requests");
        assert_eq!(repo.status(), "", "manual: the commit leaves the document alone");
    } else {
        commit_settled(&repo, mode, "feat: count requests");
    }
    let run = repo.git_run_in(repo.root(), ["stash", "pop"]).success();
    assert!(!run.stdout().contains("CONFLICT") && !run.stderr().contains("CONFLICT"), "{run}");
    assert_no_operation(&repo);
    assert_eq!(repo.git(["stash", "list"]), "", "the stash is popped\n{run}");
    if mode == Mode::Manual {
        // The stash brought back what sync wrote before; sync adds the second commit.
        let run = repo.milestone(["sync"]).success();
        assert_eq!(run.stdout(), format!("updated {DOC}\n"), "{run}");
    }
    assert_records(&repo, &["feat: add the limiter", "feat: count requests"]);
    if mode != Mode::Stage {
        assert!(doc(&repo).contains(NOTE), "the stashed hand edit is back\n{}", doc(&repo));
    }
    assert_sync_changes_nothing(&repo);
}

in_each_mode! {
    cherry_pick_from_another_branch => super::cherry_pick_from_another_branch;
    merge_of_a_side_branch => super::merge_of_a_side_branch;
    stash_then_commit_then_pop => super::stash_then_commit_then_pop;
}

// ---- 8. --no-verify, and commits the hooks did not see ----

/// `--no-verify` skips pre-commit and commit-msg, not post-commit: the commit is recorded
/// as any other.
fn commit_no_verify(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let before = repo.read(DOC);
    repo.write("src/counter.txt", "count\n");
    repo.git(["add", "src/counter.txt"]);
    repo.git(["commit", "--quiet", "--no-verify", "-m", "feat: count requests"]);
    settled(&repo, mode, &before, "feat: count requests");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests"]);
    assert_sync_changes_nothing(&repo);
}

/// Commits made with no hook at all (`core.hooksPath` on an empty folder): the document
/// lags until `sync`, which catches up; a second `sync` changes nothing.
fn commits_no_hook_saw_are_caught_up_by_sync(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let before = doc(&repo);
    let head_before = repo.rev("HEAD");
    let no_hooks = repo.sibling("no-hooks");
    fs::create_dir_all(&no_hooks).expect("create empty hooks folder");
    let hooks_path = format!("core.hooksPath={}", no_hooks.display());
    for subject in ["feat: count requests", "feat: reject over the limit"] {
        let file = file_for(subject);
        repo.write(&file, format!("{subject}\n"));
        repo.git(["add", file.as_str()]);
        repo.git(["-c", hooks_path.as_str(), "commit", "--quiet", "-m", subject]);
    }
    assert_eq!(doc(&repo), before, "no hook ran: the document lags");
    assert_eq!(repo.rev("HEAD~2"), head_before, "no bookkeeping commit");
    let run = repo.milestone(["sync"]).success();
    let expected = match mode {
        Mode::Stage => format!("updated and staged {DOC}\n"),
        Mode::Commit => {
            let short = repo.git(["rev-parse", "--short=7", "HEAD"]);
            format!("recorded in {DOC} by bookkeeping commit {}\n", short.trim())
        }
        Mode::Manual => format!("updated {DOC}\n"),
    };
    assert_eq!(run.stdout(), expected, "{run}");
    match mode {
        Mode::Stage => assert_eq!(staged(&repo), [DOC]),
        Mode::Commit => {
            assert_eq!(repo.rev("HEAD~3"), head_before, "one bookkeeping commit");
            assert_eq!(repo.status(), "");
        }
        Mode::Manual => assert_eq!(staged(&repo), Vec::<String>::new()),
    }
    assert_records(&repo, &["feat: add the limiter", "feat: count requests", "feat: reject over the limit"]);
    assert_sync_changes_nothing(&repo);
}

/// `sync --json` says what it did, as git shows it: in each mode the document, its branch,
/// whether it changed and how (staged, written, or the bookkeeping commit HEAD now is); a
/// second run says unchanged.
fn sync_json_says_what_it_did(mode: Mode) {
    let repo = started(mode);
    let no_hooks = repo.sibling("no-hooks");
    fs::create_dir_all(&no_hooks).expect("create empty hooks folder");
    let hooks_path = format!("core.hooksPath={}", no_hooks.display());
    let subject = "feat: count requests";
    let file = file_for(subject);
    repo.write(&file, format!("{subject}\n"));
    repo.git(["add", file.as_str()]);
    repo.git(["-c", hooks_path.as_str(), "commit", "--quiet", "-m", subject]);
    let run = repo.milestone(["sync", "--json"]).success();
    assert_eq!(run.stdout().lines().count(), 1, "one JSON object on one line\n{run}");
    let (outcome, staged_doc, commit) = match mode {
        Mode::Stage => ("staged", true, serde_json::Value::Null),
        Mode::Commit => {
            let short = repo.git(["rev-parse", "--short=7", "HEAD"]).trim().to_string();
            assert_eq!(
                repo.subjects("-1"),
                [format!("chore: record {} in {DOC}", short_of(&repo, repo.root(), subject))]
            );
            ("committed", false, serde_json::Value::from(short))
        }
        Mode::Manual => ("written", false, serde_json::Value::Null),
    };
    assert_eq!(
        run.json(),
        serde_json::json!({
            "path": DOC,
            "branch": BRANCH,
            "changed": true,
            "outcome": outcome,
            "staged": staged_doc,
            "commit": commit,
        }),
        "{run}"
    );
    let expected_staged: Vec<String> = if staged_doc { vec![DOC.to_string()] } else { Vec::new() };
    assert_eq!(staged(&repo), expected_staged, "the index agrees with `staged`");
    assert_records(&repo, &[subject]);

    let run = repo.milestone(["sync", "--json"]).success();
    assert_eq!(
        run.json(),
        serde_json::json!({
            "path": DOC,
            "branch": BRANCH,
            "changed": false,
            "outcome": "unchanged",
            "staged": false,
            "commit": null,
        }),
        "a second sync\n{run}"
    );
}

in_each_mode! {
    sync_json_says_what_it_did => super::sync_json_says_what_it_did;
}

// ---- 9. two worktrees ----

fn two_worktrees_each_record_their_own_branch(mode: Mode) {
    let repo = started(mode);
    let wt2 = repo.sibling("wt2");
    let wt2_arg = wt2.display().to_string();
    repo.git(["worktree", "add", "--quiet", wt2_arg.as_str(), "main"]);
    repo.milestone_in(&wt2, ["start", "M2", "--title", "Two"]).success();
    assert_eq!(repo.head_branch_in(&wt2), "feature/M2/two");
    let root = repo.root().to_path_buf();
    commit_in(&repo, &root, "feat: one in M1");
    commit_in(&repo, &wt2, "feat: one in M2");
    commit_in(&repo, &root, "feat: two in M1");
    commit_in(&repo, &wt2, "feat: two in M2");
    if mode == Mode::Manual {
        repo.milestone_in(&root, ["sync"]).success();
        repo.milestone_in(&wt2, ["sync"]).success();
    }
    assert_records_in(&repo, &root, DOC, &[("feat: one in M1", TASK_1_1), ("feat: two in M1", TASK_1_1)]);
    let task2 = "### Task 1.1: Two";
    assert_records_in(&repo, &wt2, DOC2, &[("feat: one in M2", task2), ("feat: two in M2", task2)]);
    assert!(!wt2.join(DOC).exists(), "M1's document is not on M2's branch");
    assert!(!root.join(DOC2).exists(), "M2's document is not on M1's branch");
    if mode == Mode::Commit {
        assert_eq!(repo.git_in(&wt2, ["status", "--porcelain"]), "");
        assert_eq!(repo.status(), "");
    }
    assert_sync_changes_nothing_in(&repo, &root, DOC);
    assert_sync_changes_nothing_in(&repo, &wt2, DOC2);
}

// ---- 10. git pull of a teammate's commits ----

/// Returns a bare remote beside the work directory with `main` and [`BRANCH`] pushed (the
/// branch as upstream), and a teammate's clone of the branch.
fn remote_and_teammate(repo: &TestRepo) -> PathBuf {
    let remote = repo.sibling("remote.git").display().to_string();
    repo.git(["init", "--quiet", "--bare", remote.as_str()]);
    repo.git(["remote", "add", "origin", remote.as_str()]);
    repo.git(["push", "--quiet", "-u", "origin", "main", BRANCH]);
    let mate = repo.sibling("teammate");
    let mate_arg = mate.display().to_string();
    repo.git(["clone", "--quiet", "--branch", BRANCH, remote.as_str(), mate_arg.as_str()]);
    mate
}

fn pull_of_a_teammates_commits(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let mate = remote_and_teammate(&repo);
    // The teammate has no hooks; --no-verify all the same.
    for subject in ["feat: count requests", "feat: reject over the limit"] {
        let file = file_for(subject);
        fs::create_dir_all(mate.join("src")).expect("create folder");
        fs::write(mate.join(&file), format!("{subject}\n")).expect("write file");
        repo.git_in(&mate, ["add", file.as_str()]);
        repo.git_in(&mate, ["commit", "--quiet", "--no-verify", "-m", subject]);
    }
    repo.git_in(&mate, ["push", "--quiet"]);
    let theirs = repo.git_in(&mate, ["rev-parse", "HEAD"]).trim().to_string();

    let run = repo.git_run_in(repo.root(), ["pull", "--no-rebase"]).success();
    assert_no_operation(&repo);
    match mode {
        Mode::Stage => {
            assert_eq!(repo.rev("HEAD"), theirs, "a fast-forward\n{run}");
            assert_eq!(staged(&repo), [DOC], "the record of the pull is staged\n{run}");
        }
        Mode::Commit => {
            assert_eq!(repo.rev("HEAD~1"), theirs, "a fast-forward, then a bookkeeping commit\n{run}");
            assert!(repo.subjects("-1")[0].starts_with("chore: record "), "{run}");
            assert_eq!(repo.status(), "", "{run}");
        }
        Mode::Manual => {
            assert_eq!(repo.rev("HEAD"), theirs, "a fast-forward\n{run}");
            sync_if_manual(&repo, mode);
        }
    }
    assert_records(&repo, &["feat: add the limiter", "feat: count requests", "feat: reject over the limit"]);
    assert_sync_changes_nothing(&repo);
}

// ---- 11. a hand edit between two commits ----

fn a_hand_edit_between_two_commits_survives(mode: Mode) {
    const NOTE: &str = "- Limits are per API key, not per user.";
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let index_before = repo.git(["show", &format!(":{DOC}")]);
    add_note(&repo, NOTE);
    let with_note = repo.read(DOC);
    commit(&repo, "feat: count requests");
    match mode {
        Mode::Stage => {
            let index = repo.git(["show", &format!(":{DOC}")]);
            assert_eq!(index, index_before, "stage mode: the index is left alone over a hand edit");
            // The staged record of the first commit rode in the second; the second's record
            // and the hand edit are in the work tree only.
            assert_eq!(repo.show_file("HEAD", DOC), index_before, "HEAD took the staged record");
            assert_eq!(repo.status(), format!(" M {DOC}\n"), "the hand edit and the new record are unstaged");
        }
        Mode::Commit => {
            let short = short_of(&repo, repo.root(), "feat: count requests");
            assert_eq!(repo.subjects("-1"), [format!("chore: record {short} in {DOC}")]);
            let committed = repo.show_file("HEAD", DOC);
            assert!(
                !committed.contains(NOTE),
                "the bookkeeping commit leaves the hand edit out\n{committed}"
            );
            assert_eq!(item_lines(&committed).len(), 4, "HEAD's copy records both commits\n{committed}");
            assert_eq!(repo.git(["show", &format!(":{DOC}")]), committed, "the index holds HEAD's copy");
            assert_eq!(repo.status(), format!(" M {DOC}\n"), "the hand edit is left unstaged");
        }
        Mode::Manual => {
            assert_eq!(repo.read(DOC), with_note, "manual: the document is left alone");
            sync_if_manual(&repo, mode);
            assert_eq!(repo.git(["show", &format!(":{DOC}")]), index_before, "sync leaves the index alone");
        }
    }
    let text = doc(&repo);
    assert!(text.contains(&format!("## Notes\n\n{NOTE}\n")), "the hand edit is kept where it was\n{text}");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests"]);
    assert_sync_changes_nothing(&repo);
}

in_each_mode! {
    commit_no_verify => super::commit_no_verify;
    commits_no_hook_saw_are_caught_up_by_sync => super::commits_no_hook_saw_are_caught_up_by_sync;
    two_worktrees_each_record_their_own_branch => super::two_worktrees_each_record_their_own_branch;
    pull_of_a_teammates_commits => super::pull_of_a_teammates_commits;
    a_hand_edit_between_two_commits_survives => super::a_hand_edit_between_two_commits_survives;
}

// ---- stage mode: merge and pull over the staged document ----

/// In stage mode the document is staged after every commit; a merge of a branch whose
/// commits also changed it must still finish (git refuses to merge over a staged change to
/// a file the merge changes, unless the change is stashed around the merge).
#[test]
fn stage_mode_merge_with_the_document_staged() {
    let repo = started(Mode::Stage);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    repo.git(["switch", "--quiet", "-c", "side"]);
    commit(&repo, "feat: side one");
    repo.git(["switch", "--quiet", BRANCH]);
    commit_settled(&repo, Mode::Stage, "feat: count requests");
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", "side"]).success();
    assert_no_operation(&repo);
    assert_eq!(repo.git(["rev-list", "--parents", "-1", "HEAD"]).split_whitespace().count(), 3, "{run}");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests", "feat: side one"]);
    assert_sync_changes_nothing(&repo);
}

/// In stage mode the document is staged after every commit, and git cherry-picks only onto
/// a clean index.
#[test]
fn stage_mode_cherry_pick_waits_for_the_staged_document_to_be_committed() {
    // git cherry-picks only onto an index that matches HEAD (there is no autostash for it):
    // with the document staged it refuses and changes nothing; the user commits the staged
    // document (a bookkeeping commit, as by hand), and the pick then finishes and is recorded.
    let repo = started(Mode::Stage);
    repo.git(["switch", "--quiet", "-c", "hotfix", "main"]);
    commit(&repo, "fix: reject empty keys");
    let picked = repo.rev("HEAD");
    repo.git(["switch", "--quiet", BRANCH]);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    let (doc, status, head) = (repo.read(DOC), repo.status(), repo.rev("HEAD"));
    let refused = repo.git_run_in(repo.root(), ["cherry-pick", picked.as_str()]);
    assert_ne!(refused.code(), Some(0), "{refused}");
    assert!(refused.stderr().contains("cherry-pick"), "{refused}");
    assert_eq!((repo.read(DOC), repo.status(), repo.rev("HEAD")), (doc, status, head), "nothing changed");
    assert_no_operation(&repo);

    repo.git(["commit", "--quiet", "-m", "docs(M1): record the limiter"]);
    assert_eq!(repo.status(), "", "a commit of the document alone is bookkeeping: the tree is clean");
    let before = repo.read(DOC);
    repo.git_run_in(repo.root(), ["cherry-pick", picked.as_str()]).success();
    assert_no_operation(&repo);
    settled(&repo, Mode::Stage, &before, "fix: reject empty keys");
    assert_records(&repo, &["feat: add the limiter", "fix: reject empty keys"]);
    assert_sync_changes_nothing(&repo);
}

/// A teammate with the hooks installed (stage mode): their commits carry the document's
/// records. The local user committed, pushed, and has the document staged since; the pull
/// is a fast-forward that changes the document, and must still finish and record
/// everything.
#[test]
fn stage_mode_fast_forward_pull_of_a_teammate_with_hooks() {
    let repo = started(Mode::Stage);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    let mate = remote_and_teammate(&repo);
    repo.milestone_in(&mate, ["hooks", "install"]).success();
    for subject in ["feat: count requests", "feat: reject over the limit"] {
        commit_in(&repo, &mate, subject);
    }
    assert!(
        repo.git_in(&mate, ["diff", "--name-only", "origin/feature/M1/rate-limits", "HEAD"]).contains(DOC),
        "the teammate's commits change the document"
    );
    repo.git_in(&mate, ["push", "--quiet"]);
    let theirs = repo.git_in(&mate, ["rev-parse", "HEAD"]).trim().to_string();
    let run = repo.git_run_in(repo.root(), ["pull", "--no-rebase"]).success();
    assert_no_operation(&repo);
    assert_eq!(repo.rev("HEAD"), theirs, "a fast-forward\n{run}");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests", "feat: reject over the limit"]);
    assert_sync_changes_nothing(&repo);
}

// ---- 12. which task a commit goes to ----

/// Writes Task 1.2 (planning `feat: add rate-limit headers`) after Task 1.1, by hand, and
/// commits it.
fn plan_task_1_2(repo: &TestRepo) {
    let text = doc(repo);
    let task = text.find(TASK_1_1).expect("Task 1.1");
    let rule = task + text[task..].find("\n---\n").expect("a rule after Task 1.1") + 1;
    let task_1_2 = "### Task 1.2: Response headers\n\n\
                    **Checklist:**\n\
                    - [ ] Commit: `feat: add rate-limit headers`\n\n\
                    **Status:** ⏳ Not Started\n\n";
    repo.write(DOC, format!("{}{task_1_2}{}", &text[..rule], &text[rule..]));
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs: plan task 1.2"]);
}

#[test]
fn a_task_trailer_and_a_planned_subject_choose_the_task() {
    let repo = started(Mode::Stage);
    plan_task_1_2(&repo);
    let task_1_2 = "### Task 1.2: Response headers";
    repo.write("src/count.txt", "count\n");
    repo.git(["add", "src/count.txt"]);
    repo.git(["commit", "--quiet", "-m", "feat: count requests", "-m", "Task: 1.2"]);
    commit(&repo, "feat: add rate-limit headers");
    commit(&repo, "feat: add the limiter");
    assert_records_in(
        &repo,
        repo.root(),
        DOC,
        &[
            ("feat: count requests", task_1_2),
            ("feat: add rate-limit headers", task_1_2),
            ("feat: add the limiter", TASK_1_1),
        ],
    );
    let text = doc(&repo);
    let task = section(&text, task_1_2);
    assert!(
        task.contains(&"- [x] Commit: `feat: add rate-limit headers`"),
        "the planned item is ticked\n{text}"
    );
    assert!(!text.contains("- [ ] Commit: `feat: add rate-limit headers`"), "{text}");
    assert!(text.contains("- [ ] Phase 1: Implementation (0/2 tasks)"), "two tasks, none complete\n{text}");
    assert_sync_changes_nothing(&repo);
}

#[test]
fn with_no_task_in_progress_a_commit_is_unplanned() {
    let repo = started(Mode::Stage);
    let text = doc(&repo);
    let task = text.find(TASK_1_1).expect("Task 1.1");
    let status = task + text[task..].find("**Status:** 🔄 In Progress").expect("Task 1.1's status");
    let done = format!(
        "{}**Status:** ✅ Complete{}",
        &text[..status],
        &text[status + "**Status:** 🔄 In Progress".len()..]
    );
    repo.write(DOC, done);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs: complete task 1.1"]);
    commit(&repo, "feat: tidy the configuration");
    assert_records_in(&repo, repo.root(), DOC, &[("feat: tidy the configuration", UNPLANNED)]);
    let text = doc(&repo);
    assert!(section(&text, TASK_1_1).iter().all(|l| !l.contains("feat: tidy")), "not under Task 1.1\n{text}");
    assert!(text.contains("- [ ] Phase 1: Implementation (1/1 tasks)"), "the phase count\n{text}");
    assert_sync_changes_nothing(&repo);
}

// ---- a failing hook never stops a commit ----

#[test]
fn a_document_that_is_not_utf8_warns_once_and_the_commit_stands() {
    let repo = started(Mode::Stage);
    let broken: &[u8] = b"# M1 Implementation Tracking\n\n\xff\xfe not UTF-8\n";
    repo.write(DOC, broken);
    let count = repo.commit_count();
    repo.write("src/limiter.txt", "limiter\n");
    repo.git(["add", "src/limiter.txt"]);
    let run = repo.git_run_in(repo.root(), ["commit", "--quiet", "-m", "feat: add the limiter"]).success();
    assert_eq!(repo.commit_count(), count + 1, "the commit stands\n{run}");
    assert_eq!(repo.subjects("-1"), ["feat: add the limiter"]);
    let warnings: Vec<String> =
        run.stderr().lines().filter(|l| l.starts_with("git-milestone:")).map(str::to_string).collect();
    assert_eq!(warnings.len(), 1, "one warning line\n{run}");
    assert_eq!(run.stderr().lines().count(), 1, "nothing else on stderr\n{run}");
    assert!(warnings[0].contains(DOC), "the warning names the document\n{run}");
    assert_eq!(repo.read(DOC), broken, "the document is left as it was");
    assert_eq!(staged(&repo), Vec::<String>::new(), "nothing staged\n{run}");
}

// ---- more: a cherry-picked range, fixup! and autosquash, two hand edits, a pull that merges ----

/// `git cherry-pick main..hotfix`, two commits from a clean tree: both picked and recorded.
fn cherry_pick_of_two_commits(mode: Mode) {
    let repo = started(mode);
    repo.git(["switch", "--quiet", "-c", "hotfix", "main"]);
    commit(&repo, "fix: reject empty keys");
    commit(&repo, "fix: trim keys");
    repo.git(["switch", "--quiet", BRANCH]);
    let run = repo.git_run_in(repo.root(), ["cherry-pick", "main..hotfix"]).success();
    assert_no_operation(&repo);
    match mode {
        Mode::Stage => assert_eq!(staged(&repo), [DOC], "{run}"),
        Mode::Commit => {
            assert!(repo.subjects("-1")[0].starts_with("chore: record "), "a bookkeeping commit\n{run}");
            assert_eq!(repo.status(), "", "{run}");
        }
        Mode::Manual => sync_if_manual(&repo, mode),
    }
    assert_records(&repo, &["fix: reject empty keys", "fix: trim keys"]);
    assert_sync_changes_nothing(&repo);
}

mod cherry_pick_of_two_commits {
    #[test]
    fn stage() {
        super::cherry_pick_of_two_commits(super::Mode::Stage);
    }
    #[test]
    fn commit() {
        super::cherry_pick_of_two_commits(super::Mode::Commit);
    }
    #[test]
    fn manual() {
        super::cherry_pick_of_two_commits(super::Mode::Manual);
    }
}

/// A `fixup!` commit goes under the task of the commit it fixes (here Task 1.2, not the task
/// In Progress); `rebase -i --autosquash` then leaves one item, with the new hash, there.
fn fixup_goes_to_its_commits_task_and_autosquash_folds_it(mode: Mode) {
    let repo = started(mode);
    plan_task_1_2(&repo);
    let task_1_2 = "### Task 1.2: Response headers";
    let onto = repo.rev("HEAD");
    commit(&repo, "feat: add rate-limit headers");
    let headers = hash_of(&repo, repo.root(), "feat: add rate-limit headers");
    commit(&repo, "feat: add the limiter");
    repo.write(&file_for("feat: add rate-limit headers"), "headers, fixed\n");
    repo.git(["add", "--all", "src"]);
    repo.git(["commit", "--quiet", "--fixup", headers.as_str()]);
    sync_if_manual(&repo, mode);
    assert_records_in(
        &repo,
        repo.root(),
        DOC,
        &[
            ("feat: add rate-limit headers", task_1_2),
            ("feat: add the limiter", TASK_1_1),
            ("fixup! feat: add rate-limit headers", task_1_2),
        ],
    );
    let run = repo
        .git_with(["rebase", "--quiet", "-i", "--autosquash", onto.as_str()], |c| {
            c.env("GIT_SEQUENCE_EDITOR", ":");
        })
        .success();
    assert_no_operation(&repo);
    let mut history = repo.subjects(&format!("{onto}..HEAD"));
    history.retain(|s| !s.starts_with("chore: record "));
    assert_eq!(history, ["feat: add the limiter", "feat: add rate-limit headers"], "{run}");
    sync_if_manual(&repo, mode);
    assert_records_in(
        &repo,
        repo.root(),
        DOC,
        &[("feat: add rate-limit headers", task_1_2), ("feat: add the limiter", TASK_1_1)],
    );
    let text = doc(&repo);
    assert!(!text.contains(&headers[..7]), "the fixed-up commit's old hash is gone\n{text}");
    assert!(text.contains("- [x] Commit: `feat: add rate-limit headers`"), "still ticked\n{text}");
    assert_sync_changes_nothing(&repo);
}

/// A hand edit stashed, another hand edit committed at the same place, a commit, then
/// `stash pop`: no conflict, both edits kept, the records right.
fn stash_pop_over_another_hand_edit_keeps_both(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    add_note(&repo, "- Note A, stashed.");
    repo.git(["stash", "--quiet"]);
    add_note(&repo, "- Note B, committed.");
    repo.git(["commit", "--quiet", "-a", "-m", "docs: note b"]);
    // Bookkeeping: nothing follows it. (In stage mode the stash took the staged record, which
    // the hook then stages again.)
    assert_eq!(repo.subjects("-1"), ["docs: note b"], "no bookkeeping commit follows");
    if mode == Mode::Manual {
        commit(&repo, "feat: count requests");
    } else {
        commit_settled(&repo, mode, "feat: count requests");
    }
    let run = repo.git_run_in(repo.root(), ["stash", "pop"]).success();
    assert!(!run.stdout().contains("CONFLICT") && !run.stderr().contains("CONFLICT"), "{run}");
    assert_no_operation(&repo);
    if mode == Mode::Manual {
        // The merge driver records HEAD's history while it merges, in every mode; sync
        // finds it done or does it.
        repo.milestone(["sync"]).success();
    }
    let text = doc(&repo);
    for note in ["- Note A, stashed.", "- Note B, committed."] {
        assert_eq!(text.lines().filter(|l| *l == note).count(), 1, "`{note}` kept once\n{text}");
    }
    assert_records(&repo, &["feat: add the limiter", "feat: count requests"]);
    assert_sync_changes_nothing(&repo);
}

/// `git pull --no-rebase` when both sides have commits: a merge commit, post-merge records
/// the teammate's commits beside ours.
fn pull_that_merges(mode: Mode) {
    let repo = started(mode);
    commit_settled(&repo, mode, "feat: add the limiter");
    let mate = remote_and_teammate(&repo);
    for subject in ["feat: reject over the limit", "feat: log rejections"] {
        let file = file_for(subject);
        fs::create_dir_all(mate.join("src")).expect("create folder");
        fs::write(mate.join(&file), format!("{subject}\n")).expect("write file");
        repo.git_in(&mate, ["add", file.as_str()]);
        repo.git_in(&mate, ["commit", "--quiet", "--no-verify", "-m", subject]);
    }
    repo.git_in(&mate, ["push", "--quiet"]);
    commit_settled(&repo, mode, "feat: count requests");
    let run = repo.git_run_in(repo.root(), ["pull", "--no-rebase", "--no-edit"]).success();
    assert_no_operation(&repo);
    let merge = if mode == Mode::Commit { "HEAD~1" } else { "HEAD" };
    let parents = repo.git(["rev-list", "--parents", "-1", merge]);
    assert_eq!(parents.split_whitespace().count(), 3, "{merge} is the merge\n{run}");
    match mode {
        Mode::Stage => assert_eq!(staged(&repo), [DOC], "{run}"),
        Mode::Commit => {
            assert!(repo.subjects("-1")[0].starts_with("chore: record "), "{run}");
            assert_eq!(repo.status(), "", "{run}");
        }
        Mode::Manual => sync_if_manual(&repo, mode),
    }
    assert_records(
        &repo,
        &[
            "feat: add the limiter",
            "feat: count requests",
            "feat: reject over the limit",
            "feat: log rejections",
        ],
    );
    assert_sync_changes_nothing(&repo);
}

in_each_mode! {
    fixup_goes_to_its_commits_task_and_autosquash_folds_it => super::fixup_goes_to_its_commits_task_and_autosquash_folds_it;
    stash_pop_over_another_hand_edit_keeps_both => super::stash_pop_over_another_hand_edit_keeps_both;
}

mod pull_that_merges {
    #[test]
    fn stage() {
        super::pull_that_merges(super::Mode::Stage);
    }
    #[test]
    fn commit() {
        super::pull_that_merges(super::Mode::Commit);
    }
    #[test]
    fn manual() {
        super::pull_that_merges(super::Mode::Manual);
    }
}

// ---- the post-commit hook's snapshot (its quick way) ----

/// Reads the snapshot the stage-mode hooks keep in the git dir: the commit it records up to,
/// the length of the document it describes, and how it was made (`full` or `quick`).
#[track_caller]
fn snapshot(repo: &TestRepo) -> Option<(String, u64, String)> {
    let git_dir = PathBuf::from(repo.git(["rev-parse", "--absolute-git-dir"]).trim());
    let json = fs::read(git_dir.join("git-milestone-snapshot.json")).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&json).expect("the snapshot is JSON");
    let head = value["key"]["head"].as_str().expect("a head").to_string();
    let way = value["way"].as_str().expect("a way").to_string();
    Some((head, value["len"].as_u64().expect("a length"), way))
}

/// In stage mode each commit leaves a snapshot of the document it wrote, naming that
/// commit, which the next commit records from; a hand edit that keeps the document's length
/// sends the next commit the full way and survives; a removed snapshot only costs a parse.
/// A hook killed half-way (Ctrl-C in a long rebase, a closed terminal) leaves the lock file
/// in the git dir, but not the lock: the next commit is recorded at once.
#[test]
fn a_lock_file_left_by_a_killed_hook_does_not_stop_the_next_commit() {
    let repo = started(Mode::Stage);
    commit_settled(&repo, Mode::Stage, "feat: add the limiter");
    let lock = repo.root().join(".git/git-milestone.lock");
    std::fs::write(&lock, "").expect("writes the lock file");
    commit_settled(&repo, Mode::Stage, "feat: count requests");
    assert_records(&repo, &["feat: add the limiter", "feat: count requests"]);
    assert_sync_changes_nothing(&repo);
}

#[test]
fn stage_mode_commits_record_from_the_snapshot_and_hand_edits_survive() {
    let repo = started(Mode::Stage);
    let mut subjects = Vec::new();
    for (subject, way) in [
        ("feat: add the limiter", "full"),
        ("feat: count requests", "quick"),
        ("feat: reject over the limit", "quick"),
    ] {
        commit_settled(&repo, Mode::Stage, subject);
        subjects.push(subject);
        assert_records(&repo, &subjects);
        let head = head_in(&repo, repo.root());
        assert_eq!(
            snapshot(&repo),
            Some((head, doc(&repo).len() as u64, way.to_string())),
            "after `{subject}`"
        );
    }
    // A hand edit of the same length: only the hash tells it from the text the hook wrote.
    let text = doc(&repo);
    assert!(text.contains("Rate limits"), "{text}");
    repo.write(DOC, text.replacen("Rate limits", "Rate LIMITS", 1));
    commit(&repo, "feat: log rejections");
    subjects.push("feat: log rejections");
    assert_eq!(
        snapshot(&repo).map(|(_, _, way)| way),
        Some("full".to_string()),
        "a hand edit goes the full way"
    );
    let text = doc(&repo);
    assert!(text.contains("Rate LIMITS"), "the hand edit is kept\n{text}");
    assert_records(&repo, &subjects);
    assert_eq!(repo.status(), format!(" M {DOC}\n"), "the hand edit and the record stay unstaged");
    assert_sync_changes_nothing(&repo);
    // `sync` leaves no snapshot; the next commit takes the full way and leaves one again.
    assert_eq!(snapshot(&repo), None, "sync removes the snapshot");
    commit(&repo, "feat: expire old counters");
    subjects.push("feat: expire old counters");
    assert_records(&repo, &subjects);
    let head = head_in(&repo, repo.root());
    assert_eq!(snapshot(&repo).map(|(h, _, way)| (h, way)), Some((head, "full".to_string())));
    commit(&repo, "feat: report the limit");
    subjects.push("feat: report the limit");
    assert_records(&repo, &subjects);
    let head = head_in(&repo, repo.root());
    assert_eq!(snapshot(&repo).map(|(h, _, way)| (h, way)), Some((head, "quick".to_string())));
    repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(snapshot(&repo), None, "`hooks uninstall` removes the snapshot");
    assert_sync_changes_nothing(&repo);
}

/// With a filter that could change what git stages (here `core.autocrlf`), the document is
/// staged as git2 reads it from the work tree, and the record is the same.
#[test]
fn stage_mode_with_autocrlf_stages_the_document_through_git() {
    let repo = started(Mode::Stage);
    repo.git(["config", "core.autocrlf", "true"]);
    let mut subjects = Vec::new();
    for subject in ["feat: add the limiter", "feat: count requests"] {
        commit_settled(&repo, Mode::Stage, subject);
        subjects.push(subject);
        assert_records(&repo, &subjects);
    }
    assert_eq!(repo.git(["show", &format!(":{DOC}")]), doc(&repo), "the index holds the work tree's copy");
    assert_eq!(repo.status(), format!("M  {DOC}\n"), "staged, nothing left unstaged");
    assert_sync_changes_nothing(&repo);
}
