//! The tracking document fills itself: after each commit, rewrite, merge and on `sync`, the
//! milestone branch's tracking document is brought up to date with the branch's history.
//!
//! - [`mod@record`]: the pure rebuild of what a document records of a history;
//! - [`history`]: that history, read from the object database;
//! - [`driver`]: the merge driver that keeps tracking documents out of conflicts, and
//!   [`setup`], which installs it;
//! - this module: which milestone HEAD's branch is, and how an update reaches the work tree,
//!   the index and history (`tracking.update`: stage, commit or manual).

pub mod driver;
pub mod history;
pub mod loose;
mod objects;
mod quick;
pub mod record;
pub mod setup;

use std::collections::HashMap;
use std::fs;
use std::io::ErrorKind;
use std::path::Path;
use std::time::{Duration, Instant};

use git2::{Oid, RepositoryState};

use crate::config::{Config, TrackingUpdate};
use crate::document::Document;
use crate::error::Error;
use crate::repo::{self, Repo};
use record::{History, record};

/// A milestone branch and its tracking document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracked {
    /// The branch, without `refs/heads/`.
    pub branch: String,
    /// The document's path from the work tree's root, `/`-separated.
    pub path: String,
}

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// HEAD is not on a milestone branch (or is detached): nothing to do.
    NotAMilestone,
    /// A rebase, merge or cherry-pick is in progress: the hooks at its end do the work.
    Busy,
    /// `tracking.update` is `manual`.
    Manual,
    /// The document already said it all.
    Unchanged(Tracked),
    /// The work tree's document changed (and was staged when `staged`).
    Written { tracked: Tracked, staged: bool },
    /// A bookkeeping commit was made.
    Committed { tracked: Tracked, commit: Oid },
    /// The pending autostash's copy of the document was brought up to date instead (a
    /// rebase applies it after its post-rewrite hook).
    Autostash(Tracked),
}

fn git_err(doing: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let doing = doing.into();
    move |source| Error::Repo(repo::Error::Git { doing, source })
}

/// Returns the milestone whose branch HEAD is on, if any: the tracking document (in the
/// tracking folder) whose name the branch pattern gives for the branch, else the one whose
/// `Branch` field names the branch.
pub fn find(repo: &Repo, config: &Config) -> Option<Tracked> {
    let branch = repo.current_branch()?;
    let root = repo.workdir().ok()?;
    find_for_branch(root, config, &branch)
}

/// Returns the tracking document of `branch` in the work tree at `root`.
pub fn find_for_branch(root: &Path, config: &Config, branch: &str) -> Option<Tracked> {
    let folder = config.tracking_folder.trim_matches('/');
    let dir = root.join(folder);
    let entries = fs::read_dir(&dir).ok()?;
    let names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    let name = match_branch(config, &names, branch, |name| fs::read_to_string(dir.join(name)).ok())?;
    Some(Tracked { branch: branch.to_string(), path: format!("{folder}/{name}") })
}

/// Returns which of the tracking folder's documents `names` belongs to `branch`: the one
/// whose `{id}` the branch pattern puts in the branch's name, else the one whose `Branch`
/// field names the branch (`read` gives a document's text; only documents that mention the
/// branch are parsed).
/// Returns the milestone id that a tracking document's file name gives under the config's
/// `tracking.file` pattern (`M7-tracking.md` gives `M7` by default), or None when the name
/// does not fit the pattern or leaves an empty id.
pub fn id_of_file<'a>(config: &Config, name: &'a str) -> Option<&'a str> {
    let (before, after) = config.tracking_file.split_once("{id}").unwrap_or((&config.tracking_file, ""));
    name.strip_prefix(before).and_then(|n| n.strip_suffix(after)).filter(|id| !id.is_empty())
}

pub fn match_branch(
    config: &Config,
    names: &[String],
    branch: &str,
    read: impl Fn(&str) -> Option<String>,
) -> Option<String> {
    let mut names: Vec<&String> = names.iter().collect();
    names.sort();
    for name in &names {
        let Some(id) = id_of_file(config, name) else { continue };
        let patterns = [&config.branch_pattern, &config.branch_pattern_without_surface];
        if patterns.iter().any(|p| pattern_matches(p, id, branch)) {
            return Some((*name).clone());
        }
    }
    for name in &names {
        let Some(text) = read(name) else { continue };
        if !text.contains(branch) {
            continue;
        }
        let Ok(doc) = Document::parse(&text) else { continue };
        let field = doc.field("Branch").map(|f| f.value.trim().trim_matches('`').trim().to_string());
        if field.as_deref() == Some(branch) {
            return Some((*name).clone());
        }
    }
    None
}

/// Returns whether `branch` is what `pattern` gives with `{id}` = `id` and any non-empty
/// text without a `/` for `{surface}` and `{slug}`.
fn pattern_matches(pattern: &str, id: &str, branch: &str) -> bool {
    let pattern = pattern.replace("{id}", id);
    // Split into literal pieces around the wildcards.
    let mut pieces: Vec<Option<&str>> = Vec::new();
    let mut rest = pattern.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else { break };
        let name = &rest[open + 1..open + close];
        if !matches!(name, "surface" | "slug") {
            break;
        }
        pieces.push(Some(&rest[..open]));
        pieces.push(None);
        rest = &rest[open + close + 1..];
    }
    pieces.push(Some(rest));
    matches_from(&pieces, branch)
}

fn matches_from(pieces: &[Option<&str>], s: &str) -> bool {
    match pieces.split_first() {
        None => s.is_empty(),
        Some((Some(lit), rest)) => s.strip_prefix(lit).is_some_and(|s| matches_from(rest, s)),
        Some((None, rest)) => (1..=s.len())
            .filter(|i| s.is_char_boundary(*i))
            .take_while(|i| !s[..*i].contains('/'))
            .any(|i| matches_from(rest, &s[i..])),
    }
}

/// Returns whether a rebase, merge, cherry-pick or revert is in progress.
pub fn busy(repo: &Repo) -> bool {
    repo.git.state() != RepositoryState::Clean
}

/// The branch's history for `tracked`: its commits since the merge base with the base
/// branch, and what became of other recorded hashes.
pub struct BranchHistory {
    pub head: Oid,
    pub commits: Vec<record::BranchCommit>,
    pub rewrites: HashMap<String, String>,
    /// Where the branch's commits end: the merge base, the commit before the document.
    pub stops: Vec<Oid>,
    /// The branch's merges and bookkeeping commits, which it does not record.
    pub left_out: std::collections::HashSet<Oid>,
    /// Every commit's id and message (merges and bookkeeping commits too), oldest first.
    pub messages: Vec<(String, String)>,
    /// The base branch's tip, when it was found, and that tip again when the branch contains
    /// it (then it is the merge base).
    pub base_tip: Option<Oid>,
    pub merge_base: Option<Oid>,
}

impl BranchHistory {
    /// Reads the history of HEAD for the document at `path`: the commits since the merge
    /// base with the base branch, and never from before the commit that created the document
    /// (so a repository whose base branch cannot be told still gets only the milestone's).
    ///
    /// # Errors
    ///
    /// Fails when HEAD or the history cannot be read.
    pub fn read(
        repo: &Repo,
        config: &Config,
        path: &str,
        rewrites: HashMap<String, String>,
    ) -> Result<BranchHistory, Error> {
        let head = repo.head_commit()?.id();
        BranchHistory::read_at(repo, config, path, head, rewrites)
    }

    /// Reads the history of the branch whose tip is `head` (see [`BranchHistory::read`]).
    ///
    /// # Errors
    ///
    /// Fails when the history cannot be read.
    pub fn read_at(
        repo: &Repo,
        config: &Config,
        path: &str,
        head: Oid,
        rewrites: HashMap<String, String>,
    ) -> Result<BranchHistory, Error> {
        let base_tip = base_tip(repo, config);
        // The walk hides the base's tip (what HEAD has and the base has not is merge
        // base..HEAD, without finding the merge base first). Without a base, the history
        // before the document was made is not the milestone's; with one, the walk drops
        // what came before the document's creation.
        let base = base_tip.filter(|b| *b != head);
        let before_document = match base {
            Some(_) => None,
            None => history::before_creation(&repo.git, head, path)
                .map_err(git_err("could not read the branch's history"))?,
        };
        let stops: Vec<Oid> = base.into_iter().chain(before_document).collect();
        let doc_name = Path::new(path).file_name().and_then(|n| n.to_str());
        let walked = history::branch_commits(
            &repo.git,
            head,
            &stops,
            &config.tracking_folder,
            &config.plans_folder,
            doc_name,
            config.hash_length,
        )
        .map_err(git_err("could not read the branch's history"))?;
        // The base's tip is in the branch when it is HEAD, or a parent of a walked commit.
        let merge_base = base_tip.filter(|b| *b == head || walked.stop_parents.contains(b));
        Ok(BranchHistory {
            head,
            commits: walked.commits,
            rewrites,
            stops,
            left_out: walked.left_out,
            messages: walked.messages,
            base_tip,
            merge_base,
        })
    }

    /// Returns `text` recording this history (see [`record::record`]).
    ///
    /// # Errors
    ///
    /// Fails when the text cannot be parsed.
    pub fn record_in(
        &self,
        repo: &Repo,
        text: &str,
        remove_gone: bool,
    ) -> Result<String, crate::document::ParseError> {
        let elsewhere = history::elsewhere(&repo.git, self.head, &self.stops, &self.left_out, &self.rewrites);
        record(text, &History::new(&self.commits, &elsewhere, remove_gone))
    }
}

/// Returns the base branch's tip, when the base branch can be told and found.
fn base_tip(repo: &Repo, config: &Config) -> Option<Oid> {
    let base = match &config.base {
        Some(base) => Some(base.clone()),
        None => repo.default_base().ok(),
    };
    base.and_then(|b| repo.resolve(&b).ok())
}

/// Brings the tracking document of HEAD's milestone branch up to date, the way
/// `tracking.update` says; `rewrites` maps rewritten commits (old full id to new).
///
/// `force` writes even when `tracking.update` is `manual` (`sync`), to the work tree only.
///
/// # Errors
///
/// Fails when the repository, the document or the history cannot be read or written; the
/// caller (a hook) turns that into a one-line warning.
pub fn update(
    repo: &Repo,
    config: &Config,
    rewrites: HashMap<String, String>,
    force: bool,
) -> Result<Outcome, Error> {
    let Some(tracked) = find(repo, config) else {
        return Ok(Outcome::NotAMilestone);
    };
    // Objects are read as git reads them, without hashing each again to check it (`git fsck`
    // does that): the document's blob is read on every commit.
    git2::opts::strict_hash_verification(false);
    let mode = config.tracking_update;
    if mode == TrackingUpdate::Manual && !force {
        return Ok(Outcome::Manual);
    }
    let _lock = Lock::take(repo.git.path())?;
    let root = repo.workdir()?.to_path_buf();
    let file = root.join(&tracked.path);
    // The hooks keep a snapshot of the document they wrote, for the quick way of the next
    // commit; `sync` neither uses nor leaves one.
    let quick_way = mode == TrackingUpdate::Stage && !force;
    if quick_way && rewrites.is_empty() {
        // When the quick way fails, the slow way says what is wrong, if anything is.
        if let Ok(Some(outcome)) = quick_update(repo, config, &tracked, &file) {
            return Ok(outcome);
        }
    }
    forget_snapshot(repo);
    let history = BranchHistory::read(repo, config, &tracked.path, rewrites)?;
    let shown = tracked.path.clone();
    if mode == TrackingUpdate::Stage
        && let Some(outcome) = update_autostash(repo, &history, &tracked)?
    {
        return Ok(outcome);
    }
    let parse_err = |problem| Error::Parse { path: shown.clone(), problem };
    match mode {
        TrackingUpdate::Commit => commit_mode(repo, &history, tracked, &file),
        _ => {
            let work = crate::fsio::read_document(&file, &shown)?;
            let new = history.record_in(repo, &work, true).map_err(parse_err)?;
            let (outcome, staged_blob) = if new == work {
                (Outcome::Unchanged(tracked.clone()), None)
            } else {
                // `manual` leaves the index to the user.
                let staged = mode == TrackingUpdate::Stage && stage_allowed(repo, &tracked.path, &work)?;
                let blob = write_document(repo, &file, &tracked.path, &new, staged, |_| {})?;
                (Outcome::Written { tracked: tracked.clone(), staged }, blob)
            };
            if quick_way {
                keep_snapshot(repo, config, &history, &tracked, &new, staged_blob);
            }
            Ok(outcome)
        }
    }
}

/// The hash of the settings a snapshot was made in.
fn settings_hash(config: &Config) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0).hash_one(format!("{config:?}"))
}

/// Keeps the snapshot of `text`, which the work tree's document now holds and which records
/// `history`, for the next commit's quick way (see [`quick`]); `staged` is the blob just staged
/// for it, if any (else the index is looked at). Best effort: without it, the next commit
/// takes the slow way.
fn keep_snapshot(
    repo: &Repo,
    config: &Config,
    history: &BranchHistory,
    tracked: &Tracked,
    text: &str,
    staged: Option<Oid>,
) {
    let Ok(doc) = Document::parse(text) else { return };
    let elsewhere =
        history::elsewhere(&repo.git, history.head, &history.stops, &history.left_out, &history.rewrites);
    let recorded = History::new(&history.commits, &elsewhere, true);
    let blob = staged.or_else(|| {
        let index = repo.git.index().ok()?;
        let entry = index.get_path(Path::new(&tracked.path), 0)?;
        let blob = repo.git.find_blob(entry.id).ok()?;
        (blob.content() == text.as_bytes()).then_some(entry.id)
    });
    let key = quick::Key {
        path: tracked.path.clone(),
        head: history.head.to_string(),
        base: history.base_tip.map(|b| b.to_string()),
        settings: settings_hash(config),
        blob: blob.map(|b| b.to_string()),
    };
    if let Some(snapshot) = quick::Snapshot::of(&doc, &recorded, key) {
        keep(repo, &snapshot);
    }
}

/// What the quick way reads of the repository: HEAD, its only parent, the base branch's tip,
/// and what the walk from HEAD to that parent found.
struct NewCommit<'r> {
    head: git2::Commit<'r>,
    parent: Oid,
    base: Option<String>,
    walked: history::Walked,
}

/// The quick way of a post-commit (see [`quick`]): None when it does not apply.
fn quick_update(
    repo: &Repo,
    config: &Config,
    tracked: &Tracked,
    file: &Path,
) -> Result<Option<Outcome>, Error> {
    let store = repo.git.path().join(quick::FILE);
    let shown = tracked.path.clone();
    // The snapshot and the document come from files, HEAD, its parent, the base and the new
    // commit from the repository: on two threads where there are two cores (git2's
    // repository stays on this one). Reading the 0.54 MB document is mostly page faults.
    let from_files = || -> Option<(quick::Snapshot, String)> {
        let snapshot = fs::read(&store).ok().and_then(|json| quick::Snapshot::from_json(&json))?;
        if snapshot.key.path != tracked.path || snapshot.key.settings != settings_hash(config) {
            return None;
        }
        let work = crate::fsio::read_document(file, &shown).ok()?;
        Some((snapshot, work))
    };
    let from_git = || -> Result<Option<NewCommit<'_>>, Error> {
        let head = repo.head_commit()?;
        let [parent] = head.parent_ids().collect::<Vec<_>>()[..] else { return Ok(None) };
        let base = base_tip(repo, config).map(|b| b.to_string());
        let doc_name = Path::new(&tracked.path).file_name().and_then(|n| n.to_str());
        let walked = history::branch_commits(
            &repo.git,
            head.id(),
            &[parent],
            &config.tracking_folder,
            &config.plans_folder,
            doc_name,
            config.hash_length,
        )
        .map_err(git_err("could not read the new commit"))?;
        Ok((!walked.document_created).then_some(NewCommit { head, parent, base, walked }))
    };
    let (git, files) = crate::parallel::join(crate::parallel::threads() > 1, from_git, from_files);
    let Some((snapshot, work)) = files else { return Ok(None) };
    let Some(NewCommit { head, parent, base, walked }) = git? else { return Ok(None) };
    let key = &snapshot.key;
    if parent.to_string() != key.head || base != key.base || base.as_deref() == Some(key.head.as_str()) {
        return Ok(None);
    }
    let mut next_key = quick::Key { head: head.id().to_string(), ..key.clone() };
    let (outcome, next) = match walked.commits.as_slice() {
        // A bookkeeping commit: the document records nothing more.
        [] if walked.left_out.contains(&head.id()) => {
            if !snapshot.describes(&work) {
                return Ok(None);
            }
            let mut next = snapshot.clone();
            next.key = next_key;
            (Outcome::Unchanged(tracked.clone()), next)
        }
        [commit] => {
            let index_holds_work = key.blob.as_ref().is_some_and(|b| {
                repo.git
                    .index()
                    .ok()
                    .and_then(|i| i.get_path(Path::new(&tracked.path), 0))
                    .is_some_and(|e| e.id.to_string() == *b)
            });
            let staged = index_holds_work || stage_allowed(repo, &tracked.path, &work)?;
            let Some((new, mut next)) = snapshot.add(work, commit) else { return Ok(None) };
            // The snapshot is kept while the document is written: should the write fail, the
            // snapshot does not describe the file, and the next commit takes the slow way.
            write_document(repo, file, &tracked.path, &new, staged, |blob| {
                next_key.blob = blob.map(|b| b.to_string());
                next.key = next_key;
                keep(repo, &next);
            })?;
            return Ok(Some(Outcome::Written { tracked: tracked.clone(), staged }));
        }
        _ => return Ok(None),
    };
    keep(repo, &next);
    Ok(Some(outcome))
}

/// Removes the post-commit hook's snapshot of the document from the work tree's git dir, if
/// there is one: the next commit takes the full way (see docs/tracking.md).
pub fn forget_snapshot(repo: &Repo) {
    let _ = fs::remove_file(repo.git.path().join(quick::FILE));
}

/// Stores `snapshot` for the next commit. The old file is removed and a new one written,
/// not renamed over it: ext4 writes a file renamed over another out at once (about a
/// millisecond here), and a snapshot need not survive a crash (a torn one does not parse, and
/// the next commit takes the full way).
fn keep(repo: &Repo, snapshot: &quick::Snapshot) {
    let store = repo.git.path().join(quick::FILE);
    let _ = fs::remove_file(&store);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&store)
        .and_then(|mut f| std::io::Write::write_all(&mut f, snapshot.to_json().as_bytes()));
    if written.is_err() {
        let _ = fs::remove_file(&store);
    }
}

/// Whether the index may take the new document: the work tree's copy differs from the
/// index's only in what comes from git (no unstaged hand edits to keep out of it).
fn stage_allowed(repo: &Repo, path: &str, work: &str) -> Result<bool, Error> {
    let index = repo.git.index().map_err(git_err("could not read the index"))?;
    let Some(entry) = index.get_path(Path::new(path), 0) else {
        // Not tracked yet: the user adds it when they mean to.
        return Ok(false);
    };
    let blob = repo.git.find_blob(entry.id).map_err(git_err("could not read the index's copy"))?;
    if blob.content() == work.as_bytes() {
        return Ok(true);
    }
    let Ok(staged) = std::str::from_utf8(blob.content()) else { return Ok(false) };
    Ok(!driver::differ_by_hand(staged, work))
}

/// Writes `text` into the work tree's document `file` (at `path` in the repository) and,
/// when `staged`, stages it, returning the staged blob. The blob is made from the text while
/// the file is written, and the index entry takes the written file's stat data as `git add`
/// would; where a filter (end-of-line conversion, `ident`, a filter driver) could make the
/// staged copy differ from the file's bytes, git2 stages the file instead.
///
/// The file's atomic write is the longest step (ext4 starts writing a file renamed over
/// another out at the rename), so it starts first, on a thread of its own (where there is more
/// than one core: [`crate::parallel::threads`]), and everything else is done meanwhile: the
/// checks, the blob, and `meanwhile`, which gets the staged blob (None when nothing is staged,
/// or when git2 stages the file after it is written).
fn write_document(
    repo: &Repo,
    file: &Path,
    path: &str,
    text: &str,
    staged: bool,
    meanwhile: impl FnOnce(Option<Oid>),
) -> Result<Option<Oid>, Error> {
    let stage_file = |repo: &Repo| -> Result<Option<Oid>, Error> {
        stage(repo, path)?;
        let index = repo.git.index().map_err(git_err("could not read the index"))?;
        Ok(index.get_path(Path::new(path), 0).map(|e| e.id))
    };
    // A symbolic link (or anything but a regular file) is staged as git2 reads it.
    let regular = || {
        let index = repo.git.index().ok()?;
        index.get_path(Path::new(path), 0).map(|e| e.mode & 0o170_000 == 0o100_000)
    };
    let mut meanwhile = Some(meanwhile);
    let mut tell = |blob: Option<Oid>| {
        if let Some(meanwhile) = meanwhile.take() {
            meanwhile(blob);
        }
    };
    let (blob, written) = crate::parallel::join(
        crate::parallel::threads() > 1,
        || {
            let blob =
                (staged && cfg!(unix) && regular() == Some(true) && !filtered(repo, path)).then(|| {
                    loose::write_blob(&repo.git, text.as_bytes())
                        .map_err(git_err("could not store the tracking document"))
                });
            match &blob {
                Some(Ok(id)) => tell(Some(*id)),
                None if !staged => tell(None),
                _ => {}
            }
            blob
        },
        || {
            if staged {
                crate::fsio::write_atomic_for_index(file, text, path)
            } else {
                crate::fsio::write_atomic(file, text, path)
            }
        },
    );
    written?;
    let blob = match blob {
        Some(blob) => blob?,
        None if staged => {
            let blob = stage_file(repo)?;
            tell(blob);
            return Ok(blob);
        }
        None => return Ok(None),
    };
    let mut index = repo.git.index().map_err(git_err("could not read the index"))?;
    let mode = index.get_path(Path::new(path), 0).map(|e| e.mode);
    let Ok(entry) = index_entry(file, path, blob, mode) else { return stage_file(repo) };
    index.add(&entry).map_err(git_err("could not stage the tracking document"))?;
    index.write().map_err(git_err("could not write the index"))?;
    Ok(Some(blob))
}

/// Whether git would filter the document at `path` when staging it.
fn filtered(repo: &Repo, path: &str) -> bool {
    let autocrlf = repo.git.config().ok().and_then(|c| c.get_string("core.autocrlf").ok());
    if autocrlf.is_some_and(|v| !["false", "no", "off", "0"].iter().any(|f| v.eq_ignore_ascii_case(f))) {
        return true;
    }
    ["text", "eol", "crlf", "ident", "filter", "working-tree-encoding"].iter().any(|attribute| {
        !matches!(
            repo.git.get_attr(Path::new(path), attribute, git2::AttrCheckFlags::FILE_THEN_INDEX),
            Ok(None)
        )
    })
}

/// The index entry of the file just written at `file` (`path` in the repository) with blob
/// `id`: its stat data as git keeps it (truncated to 32 bits), so that git sees it unchanged.
#[cfg(unix)]
fn index_entry(file: &Path, path: &str, id: Oid, mode: Option<u32>) -> std::io::Result<git2::IndexEntry> {
    use std::os::unix::fs::MetadataExt;
    let meta = fs::symlink_metadata(file)?;
    let time = |seconds: i64, nanoseconds: i64| git2::IndexTime::new(seconds as i32, nanoseconds as u32);
    Ok(git2::IndexEntry {
        ctime: time(meta.ctime(), meta.ctime_nsec()),
        mtime: time(meta.mtime(), meta.mtime_nsec()),
        dev: meta.dev() as u32,
        ino: meta.ino() as u32,
        mode: mode.unwrap_or(0o100_644),
        uid: meta.uid(),
        gid: meta.gid(),
        file_size: meta.len() as u32,
        id,
        flags: path.len().min(0xfff) as u16,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    })
}

#[cfg(not(unix))]
fn index_entry(_: &Path, _: &str, _: Oid, _: Option<u32>) -> std::io::Result<git2::IndexEntry> {
    Err(std::io::Error::other("stat data is read on unix only"))
}

/// Stages the work tree's copy of `path`.
fn stage(repo: &Repo, path: &str) -> Result<(), Error> {
    let mut index = repo.git.index().map_err(git_err("could not read the index"))?;
    index.add_path(Path::new(path)).map_err(git_err("could not stage the tracking document"))?;
    index.write().map_err(git_err("could not write the index"))
}

/// `tracking.update = commit`: a bookkeeping commit on top of HEAD that changes only the
/// document; the work tree and the index follow where they held HEAD's copy.
fn commit_mode(
    repo: &Repo,
    history: &BranchHistory,
    tracked: Tracked,
    file: &Path,
) -> Result<Outcome, Error> {
    let shown = tracked.path.clone();
    let parse_err = |problem| Error::Parse { path: shown.clone(), problem };
    let head = repo.git.find_commit(history.head).map_err(git_err("could not read HEAD"))?;
    let Some(committed) = repo.file_at(history.head, &tracked.path) else {
        // Not in HEAD yet: nothing to commit onto; the work tree is updated instead.
        let work = crate::fsio::read_document(file, &shown)?;
        let new = history.record_in(repo, &work, true).map_err(parse_err)?;
        if new == work {
            return Ok(Outcome::Unchanged(tracked));
        }
        crate::fsio::write_atomic(file, &new, &shown)?;
        return Ok(Outcome::Written { tracked, staged: false });
    };
    let committed = String::from_utf8(committed).map_err(|_| Error::NotUtf8 {
        path: shown.clone(),
        line: 0,
        column: 0,
    })?;
    let new = history.record_in(repo, &committed, true).map_err(parse_err)?;
    let work = crate::fsio::read_document(file, &shown).ok();
    if new == committed {
        // History has it; a work tree with hand edits may still lack it.
        if let Some(work) = work.filter(|w| *w != committed) {
            let updated = history.record_in(repo, &work, true).map_err(parse_err)?;
            if updated != work {
                crate::fsio::write_atomic(file, &updated, &shown)?;
                return Ok(Outcome::Written { tracked, staged: false });
            }
        }
        return Ok(Outcome::Unchanged(tracked));
    }
    let blob = loose::write_blob(&repo.git, new.as_bytes())
        .map_err(git_err("could not store the tracking document"))?;
    let old_tree = head.tree().map_err(git_err("could not read HEAD's tree"))?;
    let mut builder = git2::build::TreeUpdateBuilder::new();
    builder.upsert(tracked.path.as_str(), blob, git2::FileMode::Blob);
    let tree_id =
        builder.create_updated(&repo.git, &old_tree).map_err(git_err("could not build the commit's tree"))?;
    let tree = repo.git.find_tree(tree_id).map_err(git_err("could not read the new tree"))?;
    let (author, committer) = repo.signatures()?;
    let subject = history.commits.last().map_or_else(String::new, |c| format!(" {}", c.short));
    let message = format!("chore: record{subject} in {}\n", tracked.path);
    let commit = repo
        .git
        .commit(Some("HEAD"), &author, &committer, &message, &tree, &[&head])
        .map_err(git_err("could not make the bookkeeping commit"))?;
    // The index and the work tree follow HEAD where they held its copy; hand edits in the
    // work tree are kept, with the update made on top of them.
    let index_had_head = {
        let index = repo.git.index().map_err(git_err("could not read the index"))?;
        index
            .get_path(Path::new(&tracked.path), 0)
            .is_some_and(|e| old_tree.get_path(Path::new(&tracked.path)).is_ok_and(|t| t.id() == e.id))
    };
    match work {
        Some(work) if work == committed => {
            if index_had_head {
                crate::fsio::write_atomic_for_index(file, &new, &shown)?;
                stage(repo, &tracked.path)?;
            } else {
                crate::fsio::write_atomic(file, &new, &shown)?;
            }
        }
        Some(work) => {
            let updated = history.record_in(repo, &work, true).map_err(parse_err)?;
            if updated != work {
                crate::fsio::write_atomic(file, &updated, &shown)?;
            }
            if index_had_head {
                set_index_blob(repo, &tracked.path, blob)?;
            }
        }
        None => {}
    }
    Ok(Outcome::Committed { tracked, commit })
}

/// Points the index entry of `path` at `blob`, keeping its mode.
fn set_index_blob(repo: &Repo, path: &str, blob: Oid) -> Result<(), Error> {
    let mut index = repo.git.index().map_err(git_err("could not read the index"))?;
    let Some(mut entry) = index.get_path(Path::new(path), 0) else { return Ok(()) };
    let content = repo.git.find_blob(blob).map_err(git_err("could not read the new copy"))?;
    entry.id = blob;
    entry.file_size = u32::try_from(content.content().len()).unwrap_or(u32::MAX);
    // Zeroed times make git look at the file again instead of trusting the cached stat.
    entry.mtime = git2::IndexTime::new(0, 0);
    entry.ctime = git2::IndexTime::new(0, 0);
    index.add(&entry).map_err(git_err("could not update the index"))?;
    index.write().map_err(git_err("could not write the index"))
}

/// During a rebase's post-rewrite hook with `rebase.autoStash`, the stash that holds the
/// staged document is applied after the hook: bring the stash's copy up to date instead of
/// the work tree's, which the stash would then conflict with.
fn update_autostash(
    repo: &Repo,
    history: &BranchHistory,
    tracked: &Tracked,
) -> Result<Option<Outcome>, Error> {
    let marker = ["rebase-merge/autostash", "rebase-apply/autostash"]
        .iter()
        .map(|p| repo.git.path().join(p))
        .find(|p| p.is_file());
    let Some(marker) = marker else { return Ok(None) };
    let Ok(id) = fs::read_to_string(&marker) else { return Ok(None) };
    let Ok(stash_id) = Oid::from_str(id.trim()) else { return Ok(None) };
    let stash = repo.git.find_commit(stash_id).map_err(git_err("could not read the autostash"))?;
    let path = Path::new(&tracked.path);
    let at = |c: &git2::Commit| c.tree().ok().and_then(|t| t.get_path(path).ok()).map(|e| e.id());
    let base = stash.parent(0).ok();
    let base_blob = base.as_ref().and_then(at);
    let index_commit = stash.parent(1).ok();
    let touched = at(&stash) != base_blob || index_commit.as_ref().and_then(at) != base_blob;
    if !touched {
        return Ok(None);
    }
    // New work-tree and index commits of the stash, with the document recording the
    // rewritten history; the marker then names the new stash.
    let shown = tracked.path.clone();
    let redo = |commit: &git2::Commit, parents: &[&git2::Commit]| -> Result<Oid, Error> {
        let tree = commit.tree().map_err(git_err("could not read the autostash"))?;
        let Ok(entry) = tree.get_path(path) else { return Ok(commit.id()) };
        let blob = repo.git.find_blob(entry.id()).map_err(git_err("could not read the autostash"))?;
        let Ok(text) = std::str::from_utf8(blob.content()) else { return Ok(commit.id()) };
        let new = history
            .record_in(repo, text, true)
            .map_err(|problem| Error::Parse { path: shown.clone(), problem })?;
        let new_blob = repo.git.blob(new.as_bytes()).map_err(git_err("could not store the document"))?;
        let mut builder = git2::build::TreeUpdateBuilder::new();
        builder.upsert(
            tracked.path.as_str(),
            new_blob,
            if entry.filemode() == i32::from(git2::FileMode::BlobExecutable) {
                git2::FileMode::BlobExecutable
            } else {
                git2::FileMode::Blob
            },
        );
        let new_tree = builder.create_updated(&repo.git, &tree).map_err(git_err("could not build a tree"))?;
        let new_tree = repo.git.find_tree(new_tree).map_err(git_err("could not read a tree"))?;
        repo.git
            .commit(
                None,
                &commit.author(),
                &commit.committer(),
                commit.message().unwrap_or(""),
                &new_tree,
                parents,
            )
            .map_err(git_err("could not rewrite the autostash"))
    };
    let Some(base) = base else { return Ok(None) };
    let mut parents: Vec<git2::Commit> = vec![base];
    if let Some(index_commit) = &index_commit {
        let new_index =
            redo(index_commit, &index_commit.parents().collect::<Vec<_>>().iter().collect::<Vec<_>>())?;
        parents.push(repo.git.find_commit(new_index).map_err(git_err("could not read a commit"))?);
    }
    for extra in stash.parents().skip(2) {
        parents.push(extra);
    }
    let new_stash = redo(&stash, &parents.iter().collect::<Vec<_>>())?;
    crate::fsio::write_atomic(&marker, &format!("{new_stash}\n"), "autostash")?;
    Ok(Some(Outcome::Autostash(tracked.clone())))
}

/// An exclusive lock on tracking updates in one work tree: an advisory lock (`flock`) on the
/// file `git-milestone.lock` in its git dir. The system releases it when the process ends,
/// however it ends, so a hook killed half-way leaves nothing that blocks the next one. Another
/// process waits for it, up to [`Lock::WAIT`]. The (empty) file stays: removing it would let a
/// process waiting on the old file and one creating a new file both hold "the" lock.
struct Lock {
    _file: fs::File,
}

impl Lock {
    /// How long a process waits for another's lock before it gives up.
    const WAIT: Duration = Duration::from_secs(5);

    fn take(git_dir: &Path) -> Result<Lock, Error> {
        Lock::take_within(git_dir, Lock::WAIT)
    }

    fn take_within(git_dir: &Path, wait: Duration) -> Result<Lock, Error> {
        let path = git_dir.join("git-milestone.lock");
        let err = |source| Error::Write { path: path.display().to_string(), source };
        let file =
            fs::OpenOptions::new().write(true).create(true).truncate(false).open(&path).map_err(err)?;
        let start = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Lock { _file: file }),
                Err(fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(fs::TryLockError::WouldBlock) => {
                    return Err(err(std::io::Error::new(
                        ErrorKind::WouldBlock,
                        "another git-milestone is updating this work tree's tracking document",
                    )));
                }
                Err(fs::TryLockError::Error(e)) => return Err(err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_waits_for_its_holder_and_is_free_once_the_holder_is_gone() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let held = Lock::take(dir.path()).expect("takes the lock");
        let refused = Lock::take_within(dir.path(), Duration::from_millis(50));
        assert!(
            matches!(&refused, Err(Error::Write { source, .. }) if source.kind() == ErrorKind::WouldBlock),
            "a second taker gives up while the first holds it"
        );
        // A taker that comes while the lock is held gets it as soon as the holder lets go.
        let waiter = std::thread::spawn({
            let dir = dir.path().to_path_buf();
            move || Lock::take(&dir).map(|_| Instant::now())
        });
        std::thread::sleep(Duration::from_millis(100));
        let released = Instant::now();
        drop(held);
        let taken = waiter.join().expect("the waiter ends").expect("takes the lock once it is free");
        assert!(taken >= released, "not before the holder let go");
        // The file stays (as a killed process leaves it) and blocks no one: the system
        // released the lock with the handle that held it.
        assert!(dir.path().join("git-milestone.lock").exists());
        let _lock = Lock::take_within(dir.path(), Duration::ZERO).expect("takes it again at once");
    }

    #[test]
    fn branch_patterns_match_with_their_id() {
        let p = "feature/{surface}-{id}/{slug}";
        assert!(pattern_matches(p, "M7", "feature/api-M7/rate-limits"));
        assert!(pattern_matches(p, "M7", "feature/public-api-M7/rate-limits"));
        assert!(!pattern_matches(p, "M7", "feature/api-M8/rate-limits"));
        assert!(!pattern_matches(p, "M7", "feature/-M7/x"), "a wildcard is never empty");
        assert!(!pattern_matches(p, "M7", "feature/a/b-M7/x"), "a wildcard holds no slash");
        assert!(pattern_matches("feature/{id}/{slug}", "M7", "feature/M7/x"));
        assert!(!pattern_matches("feature/{id}/{slug}", "M7", "feature/M7"));
    }
}
