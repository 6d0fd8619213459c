//! The commits of a milestone branch that its tracking document records, read from the
//! object database: from the merge base with the base branch to HEAD, oldest first, without
//! merges and without bookkeeping commits (those that change only tracking documents).

use std::collections::{HashMap, HashSet};

use chrono::{FixedOffset, TimeZone};
use git2::{Commit, Oid, Repository};

use super::objects::{RawTree, ReadCommit, Uncached, hex, read_commit};
use super::record::{BranchCommit, Elsewhere};

/// Returns the branch's commits from `head` back to (not including) any of `stops`, oldest
/// first, leaving out merges and bookkeeping commits (those that change only the tracking
/// folder or only the plans folder — the milestone's documents — or create a tracking
/// document), and the ids of those it left out.
///
/// # Errors
///
/// Fails when the history cannot be read.
pub fn branch_commits(
    repo: &Repository,
    head: Oid,
    stops: &[Oid],
    tracking_folder: &str,
    plans_folder: &str,
    doc_name: Option<&str>,
    hash_length: usize,
) -> Result<Walked, git2::Error> {
    let split = |f: &'_ str| -> Vec<String> {
        f.split('/').filter(|p| !p.is_empty() && *p != ".").map(str::to_string).collect()
    };
    let owned = [split(tracking_folder), split(plans_folder)];
    let folders: Vec<Vec<&str>> = owned.iter().map(|f| f.iter().map(String::as_str).collect()).collect();
    let folders: &[Vec<&str>] = &folders;
    let mut stop_parents = HashSet::new();
    // Parents come before their children: in a linear history a commit's parent is the
    // commit read just before, whose tree id is known (and whose tree is the one compared
    // just before, which `Classifier` keeps), so a commit costs one tree read rather than
    // its parent's commit and two trees.
    let mut previous: Option<(Oid, Oid)> = None;
    // Commits are read from the object database and their headers parsed here, unless
    // grafts (a shallow clone's among them) change what libgit2 says their parents are.
    let grafted = repo.is_shallow()
        || [repo.path(), repo.commondir()].iter().any(|d| d.join("info").join("grafts").exists());
    let odb = if grafted { None } else { repo.odb().ok() };
    let (chain, compared) = match (&odb, stops) {
        (Some(odb), [] | [_]) if !stops.contains(&head) => {
            let _uncached = Uncached::new();
            read_and_compare(repo, odb, head, stops.first().copied(), folders, doc_name)
        }
        _ => (Chain::Unsure(HashMap::new()), None),
    };
    // Verdicts by place in the chain mean nothing for the revision walk's commits.
    let compared = compared.filter(|_| matches!(chain, Chain::Linear(_)));
    // Sized once for a linear branch: grown, the list of ten thousand commits would be
    // copied to new memory each time it doubles.
    let known = match &chain {
        Chain::Linear(commits) => commits.len(),
        Chain::Unsure(_) => 0,
    };
    let mut entries: Vec<Entry> = Vec::with_capacity(known);
    // The commits whose trees must be compared (each one's root tree and its parent's), in
    // order: compared once the walk is done (see `classify_all`).
    let mut queued: Vec<(Oid, Option<Oid>)> = Vec::with_capacity(known);
    let mut visit = |oid: Oid, commit: ReadCommit| -> Result<(), git2::Error> {
        for parent in commit.parents.iter().filter(|p| stops.contains(p)) {
            stop_parents.insert(*parent);
        }
        let tree = commit.tree;
        let before = previous.replace((oid, tree));
        let merge = commit.parents.len() > 1;
        let first_parent = commit.parents.first().copied();
        let mut entry =
            Entry { id: oid, message: commit.message, recorded: None, verdict: Some((false, false)) };
        if !merge {
            entry.recorded = Some(branch_commit_with(oid, commit.when, &entry.message, hash_length));
            let parent = match first_parent {
                Some(p) => Some(match before {
                    Some((id, t)) if id == p => t,
                    _ => repo.find_commit(p)?.tree_id(),
                }),
                None => None,
            };
            // An empty commit changes nothing: it is the user's, not bookkeeping.
            if parent != Some(tree) {
                entry.verdict = None;
                queued.push((tree, parent));
            }
        }
        entries.push(entry);
        Ok(())
    };
    match chain {
        Chain::Linear(commits) => {
            for (oid, commit) in commits.into_iter().rev() {
                visit(oid, commit)?;
            }
        }
        Chain::Unsure(mut read) => {
            let mut walk = repo.revwalk()?;
            walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
            walk.push(head)?;
            for stop in stops {
                walk.hide(*stop)?;
            }
            for oid in walk {
                let oid = oid?;
                let commit = match read.remove(&oid) {
                    Some(commit) => commit,
                    None => read_commit(repo, odb.as_ref(), oid)?,
                };
                visit(oid, commit)?;
            }
        }
    }
    // The trees compared while the chain was read, from its tip, are the queued ones (the
    // commits that change their parent's tree), oldest first; else they are compared now.
    let compared = compared.and_then(|by_place| {
        let mut at = vec![None; entries.len()];
        for (place, verdict) in by_place {
            *entries.len().checked_sub(place + 1).and_then(|i| at.get_mut(i))? = Some(verdict);
        }
        let queued_at = entries.iter().zip(at).filter(|(e, _)| e.verdict.is_none());
        queued_at.map(|(_, verdict)| verdict).collect::<Option<Vec<_>>>()
    });
    let verdicts = match compared {
        Some(verdicts) if verdicts.len() == queued.len() => verdicts,
        _ => classify_all(repo, &queued, folders, doc_name)?,
    };
    let mut verdicts = verdicts.into_iter();
    for entry in &mut entries {
        if entry.verdict.is_none() {
            entry.verdict = verdicts.next();
        }
    }
    // The milestone starts where its document does: what came before is not its.
    let created = entries.iter().rposition(|e| e.verdict.is_some_and(|(_, created)| created));
    let from = created.unwrap_or(0);
    let mut walked = Walked {
        stop_parents,
        commits: Vec::with_capacity(entries.len() - from),
        messages: Vec::with_capacity(entries.len() - from),
        document_created: created.is_some(),
        ..Walked::default()
    };
    for entry in entries.drain(from..) {
        let (is_bookkeeping, _) = entry.verdict.unwrap_or((false, false));
        let id = match entry.recorded {
            Some(recorded) if !is_bookkeeping => {
                let id = recorded.id.clone();
                walked.commits.push(recorded);
                id
            }
            _ => {
                walked.left_out.insert(entry.id);
                hex(entry.id)
            }
        };
        walked.messages.push((id, entry.message));
    }
    unique_shorts(&mut walked.commits);
    Ok(walked)
}

/// What [`first_parents`] found.
enum Chain {
    /// The commits from the tip down, each the first and only parent of the one before:
    /// exactly the commits of the revision walk, in the reverse of its order.
    Linear(Vec<(Oid, ReadCommit)>),
    /// The history is not that simple (or not simply so): the revision walk decides, with
    /// the commits read so far.
    Unsure(HashMap<Oid, ReadCommit>),
}

/// Reads the commits from `head` down their parents to `stop` (not included), or to the root
/// commit when there is no stop: [`Chain::Linear`] when each has one parent (the root commit
/// none), which makes them the commits a revision walk from `head` that hides `stop` gives,
/// each read once (the walk reads each commit, then this reads it again for its message).
///
/// Anything else is [`Chain::Unsure`]: a merge, a root commit above `stop`, a commit that
/// cannot be read, and a commit older than `stop` (on a branch that does not contain `stop`,
/// this would read on into the base branch's history). The walk then reads them again,
/// reading the commits it finds here from libgit2's object cache.
///
/// As it goes, `changed` is told each commit that changes its parent's tree: its place in
/// the chain (0 for `head`), its root tree and its parent's (None for a root commit).
fn first_parents(
    repo: &Repository,
    odb: &git2::Odb,
    head: Oid,
    stop: Option<Oid>,
    changed: &mut dyn FnMut(usize, Oid, Option<Oid>),
) -> Chain {
    let mut chain: Vec<(Oid, ReadCommit)> = Vec::new();
    let unsure = |chain: Vec<(Oid, ReadCommit)>| Chain::Unsure(chain.into_iter().collect());
    let (since, stop_tree) = match stop {
        Some(stop) => match repo.find_commit(stop) {
            Ok(commit) => (Some(commit.time().seconds()), Some(commit.tree_id())),
            Err(_) => return unsure(chain),
        },
        None => (None, None),
    };
    let mut tell = |chain: &[(Oid, ReadCommit)], parent_tree: Option<Oid>| {
        if let Some((_, commit)) = chain.last()
            && parent_tree != Some(commit.tree)
        {
            changed(chain.len() - 1, commit.tree, parent_tree);
        }
    };
    let mut id = head;
    loop {
        let Ok(commit) = read_commit(repo, Some(odb), id) else { return unsure(chain) };
        tell(&chain, Some(commit.tree));
        let older = since.is_some_and(|since| commit.committed.is_none_or(|at| at < since));
        let parent = match commit.parents[..] {
            [] if stop.is_none() => None,
            [parent] => Some(parent),
            _ => {
                chain.push((id, commit));
                return unsure(chain);
            }
        };
        chain.push((id, commit));
        match parent {
            None => {
                tell(&chain, None);
                return Chain::Linear(chain);
            }
            Some(parent) if Some(parent) == stop => {
                tell(&chain, stop_tree);
                return Chain::Linear(chain);
            }
            Some(_) if older => return unsure(chain),
            Some(parent) => id = parent,
        }
    }
}

/// Whether commits are bookkeeping and whether they create the document (see
/// [`Classifier::classify`]), by their place in a chain from its tip.
type ByPlace = Vec<(usize, (bool, bool))>;

/// From this many commits of a linear branch, their trees are compared on another thread
/// while the chain is read (the thread and its handle on the repository cost about as much
/// as comparing a few hundred trees).
const COMPARE_ALONGSIDE_FROM: usize = 512;

/// How many commits the thread that compares trees is handed at a time: handed one by one,
/// each woke it (thousands of context switches for a long branch).
const COMPARE_BATCH: usize = 256;

/// [`first_parents`], with the trees of the commits that change their parent's compared
/// ([`Classifier::classify`]) on another thread meanwhile, for a long chain: the verdicts by
/// place in the chain, when every comparison succeeded (else the caller compares them again,
/// and says what failed).
fn read_and_compare(
    repo: &Repository,
    odb: &git2::Odb,
    head: Oid,
    stop: Option<Oid>,
    folders: &[Vec<&str>],
    doc_name: Option<&str>,
) -> (Chain, Option<ByPlace>) {
    if crate::parallel::threads() < 2 {
        return (first_parents(repo, odb, head, stop, &mut |_, _, _| {}), None);
    }
    let git_dir = repo.path();
    std::thread::scope(|scope| {
        let mut pending: Vec<(usize, Oid, Option<Oid>)> = Vec::new();
        let mut comparing = None;
        let mut changed = |place: usize, tree: Oid, parent: Option<Oid>| {
            pending.push((place, tree, parent));
            let batch = if comparing.is_some() { COMPARE_BATCH } else { COMPARE_ALONGSIDE_FROM };
            if pending.len() < batch {
                return;
            }
            let (send, _) = comparing.get_or_insert_with(|| {
                let (send, receive) = std::sync::mpsc::channel::<Vec<(usize, Oid, Option<Oid>)>>();
                let thread = scope.spawn(move || -> Option<ByPlace> {
                    let own = crate::repo::reopen(git_dir)?;
                    let mut classifier = Classifier::new(&own, folders, doc_name).ok()?;
                    receive
                        .iter()
                        .flatten()
                        .map(|(place, tree, parent)| {
                            classifier.classify(tree, parent).ok().map(|v| (place, v))
                        })
                        .collect()
                });
                (send, thread)
            });
            // A thread that gave up has let go of its end: the caller compares them all.
            let _ = send.send(std::mem::take(&mut pending));
        };
        let chain = first_parents(repo, odb, head, stop, &mut changed);
        let compared = comparing.and_then(|(send, thread)| {
            if !pending.is_empty() {
                let _ = send.send(pending);
            }
            drop(send);
            thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (chain, compared)
    })
}

/// Lengthens the abbreviations that two commits share until each names one commit.
fn unique_shorts(commits: &mut [BranchCommit]) {
    let mut order: Vec<usize> = (0..commits.len()).collect();
    order.sort_unstable_by(|a, b| commits[*a].short.cmp(&commits[*b].short));
    let groups: Vec<Vec<usize>> = order
        .chunk_by(|a, b| commits[*a].short == commits[*b].short)
        .filter(|g| g.len() > 1)
        .map(<[usize]>::to_vec)
        .collect();
    for group in groups {
        let mut len = commits[group[0]].short.len();
        loop {
            len += 1;
            let mut seen = HashSet::new();
            if group.iter().all(|i| seen.insert(&commits[*i].id[..len.min(commits[*i].id.len())])) {
                break;
            }
        }
        for i in group {
            let id = &commits[i].id;
            commits[i].short = id[..len.min(id.len())].to_string();
        }
    }
}

/// What [`branch_commits`] read.
#[derive(Debug, Default)]
pub struct Walked {
    /// The commits the document records, oldest first.
    pub commits: Vec<BranchCommit>,
    /// The merges and bookkeeping commits it left out.
    pub left_out: HashSet<Oid>,
    /// Every commit's id and message, oldest first.
    pub messages: Vec<(String, String)>,
    /// The stops that are a parent of a walked commit.
    pub stop_parents: HashSet<Oid>,
    /// Whether a walked commit creates the document (the milestone starts there).
    pub document_created: bool,
}

/// Returns the parent of the commit that created `path`, following first parents from
/// `head`: the last commit before the document existed. None when the document is in the
/// root commit, or not in HEAD at all.
pub fn before_creation(repo: &Repository, head: Oid, path: &str) -> Result<Option<Oid>, git2::Error> {
    let path = std::path::Path::new(path);
    let has = |c: &Commit| c.tree().is_ok_and(|t| t.get_path(path).is_ok());
    let mut commit = repo.find_commit(head)?;
    if !has(&commit) {
        return Ok(None);
    }
    while let Ok(parent) = commit.parent(0) {
        if !has(&parent) {
            return Ok(Some(parent.id()));
        }
        commit = parent;
    }
    Ok(None)
}

/// Returns what the tracking document records of `commit`.
pub fn branch_commit(commit: &Commit, hash_length: usize) -> BranchCommit {
    let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
    let when = commit.author().when();
    branch_commit_with(commit.id(), (when.seconds(), when.offset_minutes()), &message, hash_length)
}

/// Returns what the tracking document records of commit `id`, authored `when` (seconds since
/// the epoch, and the offset from UTC in minutes), whose message is `message`.
fn branch_commit_with(id: Oid, when: (i64, i32), message: &str, hash_length: usize) -> BranchCommit {
    let id = hex(id);
    let short = id[..hash_length.clamp(4, id.len())].to_string();
    let (seconds, offset_minutes) = when;
    let offset = FixedOffset::east_opt(offset_minutes * 60).unwrap_or(FixedOffset::east_opt(0).expect("UTC"));
    let date =
        offset.timestamp_opt(seconds, 0).single().map_or_else(chrono::NaiveDate::default, |t| t.date_naive());
    BranchCommit {
        id,
        short,
        subject: message.lines().next().unwrap_or_default().trim().to_string(),
        date,
        task: task_trailer(message),
    }
}

/// Returns the task a `Task: 1.2` trailer in the message's last paragraph names.
pub fn task_trailer(message: &str) -> Option<String> {
    let body = message.trim_end();
    let last = body.rsplit("\n\n").next().filter(|p| p.len() < body.len())?;
    last.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        (key.trim().eq_ignore_ascii_case("task") && !value.trim().is_empty())
            .then(|| value.trim().to_string())
    })
}

/// From this many commits to compare, two threads compare them.
const PARALLEL_FROM: usize = 1024;

/// A commit the walk read: its message, what the document would record of it (None for a
/// merge), and whether it is bookkeeping and whether it creates the document (None until its
/// trees are compared).
struct Entry {
    id: Oid,
    message: String,
    recorded: Option<BranchCommit>,
    verdict: Option<(bool, bool)>,
}

/// Returns the [`Classifier::classify`] of each commit of `queued` (its root tree and its
/// first parent's), in order: on two threads for a long branch, the second with its own
/// handle on the repository (the first does what the second could not).
///
/// The trees are read once each and not kept in libgit2's object cache meanwhile: kept,
/// they are ten thousand objects for a long branch, whose memory costs more to get from the
/// system than the objects cost to read.
fn classify_all(
    repo: &Repository,
    queued: &[(Oid, Option<Oid>)],
    folders: &[Vec<&str>],
    doc_name: Option<&str>,
) -> Result<Vec<(bool, bool)>, git2::Error> {
    let _uncached = Uncached::new();
    let parallel = queued.len() >= PARALLEL_FROM && crate::parallel::threads() > 1;
    let (front, back) = queued.split_at(if parallel { queued.len() / 2 } else { queued.len() });
    let git_dir = repo.path();
    std::thread::scope(|scope| {
        let other = (!back.is_empty()).then(|| {
            scope.spawn(move || -> Option<Vec<(bool, bool)>> {
                let own = crate::repo::reopen(git_dir)?;
                let mut classifier = Classifier::new(&own, folders, doc_name).ok()?;
                back.iter().map(|(tree, parent)| classifier.classify(*tree, *parent).ok()).collect()
            })
        });
        let mut here = Classifier::new(repo, folders, doc_name)?;
        let mut verdicts = front
            .iter()
            .map(|(tree, parent)| here.classify(*tree, *parent))
            .collect::<Result<Vec<_>, _>>()?;
        let done = other.and_then(|o| o.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        match done {
            Some(done) => verdicts.extend(done),
            None => {
                for (tree, parent) in back {
                    verdicts.push(here.classify(*tree, *parent)?);
                }
            }
        }
        Ok(verdicts)
    })
}

/// Tells bookkeeping commits from work, keeping the root tree it read last.
struct Classifier<'r, 'f> {
    repo: &'r Repository,
    odb: git2::Odb<'r>,
    /// The root trees of the commit compared last and of its parent: in a linear history,
    /// the next commit's parent's (compared oldest first) or its own (newest first).
    kept: [Option<RawTree>; 2],
    folders: &'f [Vec<&'f str>],
    doc_name: Option<&'f str>,
}

impl<'r, 'f> Classifier<'r, 'f> {
    fn new(
        repo: &'r Repository,
        folders: &'f [Vec<&'f str>],
        doc_name: Option<&'f str>,
    ) -> Result<Self, git2::Error> {
        Ok(Classifier { repo, odb: repo.odb()?, kept: [None, None], folders, doc_name })
    }

    /// Returns whether a commit whose root tree is `tree`, and whose first parent's is
    /// `parent` (None for a root commit; not `tree`), is a bookkeeping commit: one that
    /// changes only what lies in one of the folders (the tracking folder first, then the
    /// plans folder: the milestone's own documents), or one that creates a tracking document
    /// (the branch's first commit, which `start` makes, with the plan it starts from).
    /// Also returns whether the commit creates the tracking document named `doc_name`.
    fn classify(&mut self, tree: Oid, parent: Option<Oid>) -> Result<(bool, bool), git2::Error> {
        let mut kept = std::mem::take(&mut self.kept);
        let mut root = |id: Oid| match kept.iter_mut().find(|t| t.as_ref().is_some_and(|t| t.id == id)) {
            Some(slot) => Ok(slot.take().expect("the slot holds the tree just found")),
            None => RawTree::read_or_ask(self.repo, &self.odb, id),
        };
        let parent = parent.map(&mut root).transpose()?;
        let tree = root(tree)?;
        let verdict = classify(self.repo, &self.odb, parent.as_ref(), &tree, self.folders, self.doc_name);
        self.kept = [Some(tree), parent];
        Ok(verdict)
    }
}

/// [`Classifier::classify`] for a commit whose root tree is `tree` and whose first parent's is
/// `parent`, two different trees.
fn classify(
    repo: &Repository,
    odb: &git2::Odb,
    parent: Option<&RawTree>,
    tree: &RawTree,
    folders: &[Vec<&str>],
    doc_name: Option<&str>,
) -> (bool, bool) {
    let mut only_documents = false;
    let mut tracking_change = None;
    for (i, folder) in folders.iter().enumerate().filter(|(_, f)| !f.is_empty()) {
        let (only_inside, inside) = descend(repo, odb, parent, tree, folder);
        only_documents |= only_inside;
        if i == 0 {
            tracking_change = inside;
        }
        if only_documents && tracking_change.is_none() {
            break;
        }
    }
    // A commit that creates a tracking document is bookkeeping whatever else it changes.
    let Some((before, after)) = tracking_change else { return (only_documents, false) };
    let names = |t: &Option<RawTree>| -> Vec<Vec<u8>> {
        t.as_ref().map(|t| t.entries().map(|(name, _)| name.to_vec()).collect()).unwrap_or_default()
    };
    let before = names(&before);
    let new: Vec<Vec<u8>> =
        names(&after).into_iter().filter(|n| n.ends_with(b".md") && !before.contains(n)).collect();
    let created = doc_name.is_some_and(|d| new.iter().any(|n| n == d.as_bytes()));
    (only_documents || !new.is_empty(), created)
}

/// The folder's trees before and after a commit, when the commit changed something in it.
type Inside = Option<(Option<RawTree>, Option<RawTree>)>;

/// Goes down `folder`'s path in the trees before (`a`) and after (`b`) a commit, level by
/// level, and returns whether the commit changed only what lies inside the folder, and the
/// folder's trees when it changed something in it.
fn descend(
    repo: &Repository,
    odb: &git2::Odb,
    a: Option<&RawTree>,
    b: &RawTree,
    folder: &[&str],
) -> (bool, Inside) {
    // Most commits leave the folder as it was: that is told from the root trees' entries
    // alone, before anything is copied.
    if let Some(first) = folder.first()
        && a.and_then(|t| t.get(first)) == b.get(first)
    {
        return (false, None);
    }
    let (mut a, mut b) = (a.cloned(), Some(b.clone()));
    let mut only_inside = true;
    for part in folder {
        let entry = |t: &Option<RawTree>| t.as_ref().and_then(|t| t.get(part));
        let (ea, eb) = (entry(&a), entry(&b));
        if ea == eb {
            // The folder is as it was: the change lies elsewhere.
            return (false, None);
        }
        only_inside &= same_except(a.as_ref(), b.as_ref(), part);
        let tree_of = |id: Option<Oid>| id.and_then(|id| RawTree::read_or_ask(repo, odb, id).ok());
        let (ta, tb) = (tree_of(ea), tree_of(eb));
        if (ea.is_some() && ta.is_none()) || (eb.is_some() && tb.is_none()) {
            // A file where a folder of the path should be.
            return (false, None);
        }
        a = ta;
        b = tb;
    }
    (only_inside, Some((a, b)))
}

/// Returns whether trees `a` and `b` (None for none) have the same entries apart from `skip`.
fn same_except(a: Option<&RawTree>, b: Option<&RawTree>, skip: &str) -> bool {
    let keep = |e: &(&[u8], Oid)| e.0 != skip.as_bytes();
    let mut x = a.into_iter().flat_map(RawTree::entries).filter(keep);
    let mut y = b.into_iter().flat_map(RawTree::entries).filter(keep);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q => {}
            _ => return false,
        }
    }
}

/// Returns what became of a recorded hash that is none of the branch's commits: rewritten
/// (by `rewrites`, old full id to new), still in HEAD's history (kept), or gone.
///
/// The branch's merges and bookkeeping commits (`left_out`) are kept. History before the
/// branch is reachable from one of `stops` (where the branch's commits end); a commit newer
/// than all of them is not in it, which spares a walk of the whole history for each
/// rewritten or dropped commit.
pub fn elsewhere<'r>(
    repo: &'r Repository,
    head: Oid,
    stops: &'r [Oid],
    left_out: &'r HashSet<Oid>,
    rewrites: &'r HashMap<String, String>,
) -> impl Fn(&str) -> Elsewhere + 'r {
    let newest_stop =
        stops.iter().filter_map(|s| repo.find_commit(*s).ok()).map(|c| c.time().seconds()).max();
    move |hash: &str| {
        let hash = hash.to_ascii_lowercase();
        let mut current: Option<String> = None;
        // Follow a chain of rewrites (an amend, then a rebase) to its end.
        for _ in 0..16 {
            let key = current.as_deref().unwrap_or(&hash);
            match rewrites.iter().find(|(old, _)| old.starts_with(key)) {
                Some((_, new)) if current.as_deref() != Some(new) => current = Some(new.clone()),
                _ => break,
            }
        }
        if let Some(new) = current {
            return Elsewhere::Now(new);
        }
        let Ok(commit) = repo.revparse_single(&format!("{hash}^{{commit}}")) else {
            return Elsewhere::Gone;
        };
        let id = commit.id();
        if left_out.contains(&id) {
            return Elsewhere::Keep;
        }
        let time = commit.as_commit().map(|c| c.time().seconds());
        if newest_stop.zip(time).is_none_or(|(stop, time)| time > stop) && id != head {
            return Elsewhere::Gone;
        }
        if id == head || repo.graph_descendant_of(head, id).unwrap_or(false) {
            Elsewhere::Keep
        } else {
            Elsewhere::Gone
        }
    }
}

/// Reads `old new` lines (git's post-rewrite input, or a rebase's `rewritten-list`) into a
/// map from old to new full ids.
pub fn rewrites_from(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let (old, new) = (words.next()?, words.next()?);
            (old.len() >= 40 && new.len() >= 40 && old != new).then(|| (old.to_string(), new.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_trailers_are_read_from_the_last_paragraph() {
        assert_eq!(task_trailer("feat: x\n\nbody\n\nTask: 1.2\nRefs: #3\n"), Some("1.2".into()));
        assert_eq!(task_trailer("feat: x\n\ntask:  2.10 \n"), Some("2.10".into()));
        assert_eq!(task_trailer("Task: 1.2\n"), None, "the subject is not a trailer");
        assert_eq!(task_trailer("feat: x\n\nTask: 1.2\n\nmore text\n"), None);
    }

    #[test]
    fn abbreviations_two_commits_share_are_lengthened_until_each_is_unique() {
        let commit = |id: &str| BranchCommit {
            id: id.to_string(),
            short: id[..7].to_string(),
            subject: String::new(),
            date: chrono::NaiveDate::default(),
            task: None,
        };
        let mut commits =
            [commit("9bbeeba1aaaa"), commit("9bbeeba1bbbb"), commit("1234567ffff"), commit("9bbeeba2cccc")];
        unique_shorts(&mut commits);
        let shorts: Vec<&str> = commits.iter().map(|c| c.short.as_str()).collect();
        assert_eq!(shorts, ["9bbeeba1a", "9bbeeba1b", "1234567", "9bbeeba2c"]);
    }

    #[test]
    fn a_chain_of_single_parents_to_the_stop_is_what_the_revision_walk_gives() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = Repository::init_bare(dir.path()).expect("a repository");
        let tree = repo.treebuilder(None).and_then(|t| t.write()).expect("a tree");
        let tree = repo.find_tree(tree).expect("the tree");
        let commit = |at: i64, parents: &[Oid]| -> Oid {
            let who = git2::Signature::new("A", "a@x", &git2::Time::new(at, 0)).expect("a signature");
            let parents: Vec<Commit> =
                parents.iter().map(|p| repo.find_commit(*p).expect("a parent")).collect();
            let parents: Vec<&Commit> = parents.iter().collect();
            repo.commit(None, &who, &who, &format!("c {at}"), &tree, &parents).expect("a commit")
        };
        let root = commit(1, &[]);
        let a = commit(2, &[root]);
        let main = commit(10, &[a]);
        let b = commit(3, &[a]);
        let c = commit(4, &[b]);
        let side = commit(5, &[c]);
        let merge = commit(6, &[c, side]);
        let after_main = commit(11, &[main]);
        let odb = repo.odb().expect("odb");
        let walk = |head: Oid, stops: &[Oid]| -> Vec<Oid> {
            let mut walk = repo.revwalk().expect("a walk");
            walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE).expect("sorting");
            walk.push(head).expect("push");
            for stop in stops {
                walk.hide(*stop).expect("hide");
            }
            walk.map(|id| id.expect("an id")).collect()
        };
        let linear =
            |head: Oid, stop: Option<Oid>| match first_parents(&repo, &odb, head, stop, &mut |_, _, _| {}) {
                Chain::Linear(chain) => Some(chain.into_iter().rev().map(|(id, _)| id).collect::<Vec<_>>()),
                Chain::Unsure(_) => None,
            };
        // Linear to the stop, or to the root commit without one: the walk's commits.
        assert_eq!(linear(c, Some(a)), Some(walk(c, &[a])));
        assert_eq!(linear(c, None), Some(walk(c, &[])));
        assert_eq!(linear(after_main, Some(main)), Some(walk(after_main, &[main])));
        // A merge, a stop the branch does not contain (older or newer than the branch's
        // commits): the walk decides.
        assert_eq!(linear(merge, Some(a)), None);
        assert_eq!(linear(c, Some(main)), None);
        assert_eq!(linear(main, Some(c)), None);
    }

    #[test]
    fn a_long_linear_branch_has_its_trees_compared_alongside_as_they_would_be_after() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let repo = Repository::init_bare(dir.path()).expect("a repository");
        let blob = |text: &str| repo.blob(text.as_bytes()).expect("a blob");
        let folder = |name: &str, entries: &[(&str, Oid, i32)]| -> (String, Oid) {
            let mut builder = repo.treebuilder(None).expect("a builder");
            for (n, id, mode) in entries {
                builder.insert(n, *id, *mode).expect("insert");
            }
            (name.to_string(), builder.write().expect("a tree"))
        };
        // The root tree: work.txt, and docs/milestones/tracking/M1-tracking.md when `doc` is.
        let root = |work: usize, doc: Option<usize>| -> Oid {
            let mut entries = vec![("work.txt".to_string(), blob(&work.to_string()), 0o100644)];
            if let Some(doc) = doc {
                let (_, tracking) =
                    folder("tracking", &[("M1-tracking.md", blob(&format!("doc {doc}")), 0o100644)]);
                let (_, milestones) = folder("milestones", &[("tracking", tracking, 0o040000)]);
                let (_, docs) = folder("docs", &[("milestones", milestones, 0o040000)]);
                entries.push(("docs".to_string(), docs, 0o040000));
            }
            let entries: Vec<(&str, Oid, i32)> =
                entries.iter().map(|(n, id, m)| (n.as_str(), *id, *m)).collect();
            folder("", &entries).1
        };
        let who = git2::Signature::new("A", "a@x", &git2::Time::new(1_700_000_000, 0)).expect("a signature");
        let commit = |tree: Oid, parent: Option<Oid>, message: &str| -> Oid {
            let tree = repo.find_tree(tree).expect("the tree");
            let parent = parent.map(|p| repo.find_commit(p).expect("the parent"));
            let parents: Vec<&Commit> = parent.iter().collect();
            repo.commit(None, &who, &who, message, &tree, &parents).expect("a commit")
        };
        let base = commit(root(0, None), None, "feat: base");
        // The document is made, then 1,200 commits: every seventh changes the document only
        // (bookkeeping), every thirteenth changes nothing (work), the others work.txt.
        let mut tip = commit(root(0, Some(0)), Some(base), "docs(M1): start");
        let (mut work, mut doc) = (0, 0);
        let mut bookkeeping = HashSet::new();
        let mut recorded = Vec::new();
        for i in 1..=1200 {
            if i % 7 == 0 {
                doc += 1;
            } else if i % 13 != 0 {
                work += 1;
            }
            tip = commit(root(work, Some(doc)), Some(tip), &format!("feat: step {i}"));
            if i % 7 == 0 {
                bookkeeping.insert(tip);
            } else {
                recorded.push(hex(tip));
            }
        }
        let walked = branch_commits(
            &repo,
            tip,
            &[base],
            "docs/milestones/tracking",
            "docs/milestones/plans",
            Some("M1-tracking.md"),
            7,
        )
        .expect("the walk");
        let ids: Vec<String> = walked.commits.iter().map(|c| c.id.clone()).collect();
        assert_eq!(ids, recorded);
        assert_eq!(walked.left_out.len(), bookkeeping.len() + 1, "and the commit that made the document");
        assert!(bookkeeping.is_subset(&walked.left_out));
        assert_eq!(walked.messages.len(), 1201);
    }

    #[test]
    fn rewrites_pair_old_and_new_ids() {
        let old = "a".repeat(40);
        let new = "b".repeat(40);
        let map = rewrites_from(&format!("{old} {new}\n{new} {new}\nshort x\n"));
        assert_eq!(map.len(), 1);
        assert_eq!(map.get(&old), Some(&new));
    }
}
