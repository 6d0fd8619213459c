//! What a tracking document records of its branch's history, rebuilt from that history: the
//! commits under their tasks, the commits of each day in the progress log, the ticked
//! `Commit:` items, the phase counts, the overall progress and the metrics' commit count.
//!
//! [`record`] is a pure function of the document's text and the history, so that every hook,
//! the merge driver and `sync` agree on one result, and running it twice changes nothing. It
//! only ever adds, fixes or removes `hash - message` items of commits and the numbers that
//! come from git; every other byte stays as it is.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use chrono::NaiveDate;

use crate::document::header::label_lines;
use crate::document::structure::commits_in;
use crate::document::{Document, ParseError, Status};
use crate::markdown::Edit;

/// A commit of the branch that the document should record: not a merge, not a bookkeeping
/// commit (one that changes only tracking documents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchCommit {
    /// The full hexadecimal id.
    pub id: String,
    /// The id as newly recorded items show it.
    pub short: String,
    /// The message's first line.
    pub subject: String,
    /// The author date, in the author's time zone (it survives rebases and amends).
    pub date: NaiveDate,
    /// The task a `Task: 1.2` trailer names.
    pub task: Option<String>,
}

/// What became of a recorded commit that is not one of the branch's commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Elsewhere {
    /// It is history the branch has (before the branch's start, say): left as it is.
    Keep,
    /// It was rewritten into this commit (full id).
    Now(String),
    /// It is gone from the branch (dropped by a rebase, amended away, or unknown).
    Gone,
}

/// The branch's history as [`record`] needs it.
pub struct History<'h> {
    /// Oldest first.
    pub commits: &'h [BranchCommit],
    /// Says what became of a recorded hash that no branch commit starts with.
    pub elsewhere: &'h dyn Fn(&str) -> Elsewhere,
    /// Whether items of commits that are gone are removed. The merge driver, in the middle
    /// of a rebase, keeps them: their commits may not have been replayed yet.
    pub remove_gone: bool,
    /// The commits by the first digits of their ids, made when first needed.
    by_prefix: std::sync::OnceLock<HashMap<&'h str, Vec<usize>>>,
}

/// How many digits of an id [`History`] indexes commits by: the shortest hash an item has.
const PREFIX: usize = 7;

impl<'h> History<'h> {
    /// Returns the history of `commits` (oldest first).
    pub fn new(
        commits: &'h [BranchCommit],
        elsewhere: &'h dyn Fn(&str) -> Elsewhere,
        remove_gone: bool,
    ) -> Self {
        History { commits, elsewhere, remove_gone, by_prefix: std::sync::OnceLock::new() }
    }

    /// Returns the index of the commit whose id starts with `hash` (7 to 40 digits).
    pub fn by_hash(&self, hash: &str) -> Option<usize> {
        let hash = hash.to_ascii_lowercase();
        let index = self.by_prefix.get_or_init(|| {
            let mut map: HashMap<&str, Vec<usize>> = HashMap::with_capacity(self.commits.len());
            for (i, c) in self.commits.iter().enumerate() {
                map.entry(&c.id[..PREFIX.min(c.id.len())]).or_default().push(i);
            }
            map
        });
        let candidates = index.get(hash.get(..PREFIX)?)?;
        // An abbreviation two commits share names neither.
        let mut matching = candidates.iter().copied().filter(|i| self.commits[*i].id.starts_with(&hash));
        let first = matching.next()?;
        matching.next().is_none().then_some(first)
    }
}

/// The title of a progress-log entry the tool starts for a day.
pub const NEW_ENTRY_TITLE: &str = "Commits";
/// The heading of the section for commits that belong to no task.
pub const UNPLANNED: &str = "Unplanned Commits";

/// Returns `text` recording `history`: see the module's documentation.
///
/// # Errors
///
/// Fails when the text cannot be parsed (invalid frontmatter).
pub fn record(text: &str, history: &History) -> Result<String, ParseError> {
    // Three stages, each computing its edits from one parse: fix what is recorded, add what
    // is missing (again until nothing is: one new log entry a round), then the ticks and the
    // numbers. The text is parsed again only after a stage changed it, so a document that
    // already says it all is parsed once.
    let mut text = text.to_string();
    let mut stage = 0;
    // Adding what is missing takes a round a day; a round that changes nothing it was not
    // already given ends the work (no edit can undo another forever).
    let days: HashSet<NaiveDate> = history.commits.iter().map(|c| c.date).collect();
    let mut seen: HashSet<u64> = HashSet::new();
    for _ in 0..days.len() + 8 {
        let fingerprint = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (stage, &text).hash(&mut h);
            h.finish()
        };
        if !seen.insert(fingerprint) {
            break;
        }
        let changed = {
            let doc = Document::parse(&text)?;
            let mut changed = None;
            while stage < 3 {
                let edits = match stage {
                    0 => fix_recorded(&doc, history),
                    1 => add_missing(&doc, history),
                    _ => ticks_and_numbers(&doc, history),
                };
                if edits.is_empty() {
                    stage += 1;
                    continue;
                }
                if stage != 1 {
                    stage += 1;
                }
                changed = Some(doc.apply(&edits));
                break;
            }
            changed
        };
        match changed {
            // After the last stage there is nothing to look at again.
            Some(new) if stage >= 3 => return Ok(new),
            Some(new) => text = new,
            None => break,
        }
    }
    Ok(text)
}

/// A recorded commit item: a list item `hash - message` in a task, the unplanned section or
/// a log entry.
#[derive(Debug)]
pub(crate) struct Recorded {
    /// The item's line (1-based).
    pub line: usize,
    /// The hash as written, and its bytes.
    pub hash: String,
    pub hash_range: Range<usize>,
    /// The message as written (markup and all), and its bytes.
    pub raw_message: String,
    pub message_range: Range<usize>,
}

/// Which list a recorded item belongs to: the commits of the tasks (and the unplanned
/// section), or those of the progress log. Each branch commit is recorded once in each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Domain {
    Tasks,
    Log,
}

/// Returns the recorded items of `doc` in each domain, in document order.
pub(crate) fn recorded(doc: &Document) -> Vec<(Domain, Recorded)> {
    let mut out = Vec::new();
    let mut ranges: Vec<(Domain, Range<usize>)> = Vec::new();
    for task in doc.phases.iter().flat_map(|p| &p.tasks) {
        if let Some(si) = task.section {
            ranges.push((Domain::Tasks, own_range(doc, si)));
        }
    }
    if let Some(section) = doc.sections.iter().find(|s| doc.section_text(s).eq_ignore_ascii_case(UNPLANNED)) {
        ranges.push((Domain::Tasks, section.range.clone()));
    }
    for entry in &doc.progress_log {
        ranges.push((Domain::Log, own_range(doc, entry.section)));
    }
    for (domain, range) in ranges {
        for commit in commits_in(doc, range) {
            if let Some(r) = locate(doc, commit.line, &commit.hash) {
                out.push((domain, r));
            }
        }
    }
    out.sort_by_key(|(_, r)| r.line);
    out
}

/// Returns a section's range up to its first subsection: a task's own lines, not those of a
/// heading under it.
pub(super) fn own_range(doc: &Document, si: usize) -> Range<usize> {
    let section = &doc.sections[si];
    let end = doc
        .sections
        .get(si + 1)
        .filter(|next| next.range.start < section.range.end)
        .map_or(section.range.end, |next| next.range.start);
    section.range.start..end
}

/// Finds the hash and the raw message of the commit item on `line`.
fn locate(doc: &Document, line: usize, hash: &str) -> Option<Recorded> {
    let content = doc.lines.content_range(doc.text, line)?;
    let s = &doc.text[content.clone()];
    let at = s.find(hash)?;
    let hash_range = content.start + at..content.start + at + hash.len();
    let mut i = at + hash.len();
    if s[i..].starts_with('`') {
        i += 1;
    }
    i += s[i..].len() - s[i..].trim_start().len();
    let sep = s[i..].chars().next().filter(|c| matches!(c, '-' | '–' | '—' | ':'))?;
    i += sep.len_utf8();
    i += s[i..].len() - s[i..].trim_start().len();
    let message = s[i..].trim_end();
    let start = content.start + i;
    Some(Recorded {
        line,
        hash: hash.to_string(),
        hash_range,
        raw_message: message.to_string(),
        message_range: start..start + message.len(),
    })
}

/// Returns the index of the branch commit whose id starts with `hash`.
fn by_hash(history: &History, hash: &str) -> Option<usize> {
    history.by_hash(hash)
}

/// Pass 1: every recorded item names a branch commit once, by a hash that is right and with
/// the commit's subject: rewritten commits get their new hash, gone ones go, duplicates (a
/// squash) go.
pub(super) fn fix_recorded(doc: &Document, history: &History) -> Vec<Edit> {
    let items = recorded(doc);
    // Exact hashes first, so that a rewritten item matched by its subject cannot take a
    // commit that another item names by its hash.
    let mut resolved: Vec<Option<usize>> = items.iter().map(|(_, r)| by_hash(history, &r.hash)).collect();
    let mut claimed: HashSet<(Domain, usize)> = HashSet::new();
    let mut edits = Vec::new();
    let remove = |line: usize, edits: &mut Vec<Edit>| {
        if let Some(full) = doc.lines.full_range(line) {
            edits.push(Edit::replace(full, ""));
        }
    };
    let mut keep_elsewhere: HashSet<usize> = HashSet::new();
    for (i, (domain, item)) in items.iter().enumerate() {
        if resolved[i].is_some() {
            continue;
        }
        resolved[i] = match (history.elsewhere)(&item.hash) {
            Elsewhere::Keep => {
                keep_elsewhere.insert(i);
                None
            }
            Elsewhere::Now(id) => history.commits.iter().position(|c| c.id == id),
            Elsewhere::Gone => None,
        };
        let _ = domain;
    }
    // Exact matches claim their commits before any subject match.
    for (i, (domain, _)) in items.iter().enumerate() {
        if let Some(c) = resolved[i]
            && by_hash(history, &items[i].1.hash) == Some(c)
        {
            claimed.insert((*domain, c));
        }
    }
    let mut seen: HashSet<(Domain, usize)> = HashSet::new();
    for (i, (domain, item)) in items.iter().enumerate() {
        if keep_elsewhere.contains(&i) {
            continue;
        }
        let exact = resolved[i].is_some() && by_hash(history, &item.hash) == resolved[i];
        let commit = match resolved[i] {
            Some(c) if exact || !claimed.contains(&(*domain, c)) => Some(c),
            Some(_) => None,
            None => {
                // A commit rewritten where no hook saw it (a rebase elsewhere, then a pull):
                // the same subject among the commits no item names yet.
                let found = history
                    .commits
                    .iter()
                    .enumerate()
                    .find(|(c, bc)| !claimed.contains(&(*domain, *c)) && bc.subject == item.raw_message)
                    .map(|(c, _)| c);
                if let Some(c) = found {
                    claimed.insert((*domain, c));
                }
                found
            }
        };
        let Some(c) = commit else {
            if history.remove_gone {
                remove(item.line, &mut edits);
            }
            continue;
        };
        if !seen.insert((*domain, c)) {
            // A second item for one commit: squashed commits, or a fixup.
            remove(item.line, &mut edits);
            continue;
        }
        let commit = &history.commits[c];
        if history.by_hash(&item.hash) != Some(c) {
            edits.push(Edit::replace(item.hash_range.clone(), commit.short.clone()));
        }
        if item.raw_message != commit.subject && !item.message_range.is_empty() {
            edits.push(Edit::replace(item.message_range.clone(), commit.subject.clone()));
        } else if item.raw_message != commit.subject {
            edits.push(Edit::insert(item.message_range.start, commit.subject.clone()));
        }
    }
    edits
}

/// The branch commits that `doc` records in `domain` (by hash), by index.
fn recorded_set(doc: &Document, history: &History, domain: Domain) -> HashSet<usize> {
    recorded(doc)
        .into_iter()
        .filter(|(d, _)| *d == domain)
        .filter_map(|(_, r)| by_hash(history, &r.hash))
        .collect()
}

/// The text of a new commit item.
pub(super) fn item_text(commit: &BranchCommit, boxed: bool) -> String {
    let tick = if boxed { "[x] " } else { "" };
    format!("{tick}`{}` - {}", commit.short, commit.subject)
}

/// Returns the message a `fixup!`, `squash!` or `amend!` subject fixes.
pub(super) fn fixed_subject(subject: &str) -> Option<&str> {
    let mut s = subject;
    let mut found = false;
    while let Some(rest) = ["fixup! ", "squash! ", "amend! "].iter().find_map(|p| s.strip_prefix(p)) {
        s = rest;
        found = true;
    }
    found.then_some(s)
}

/// Returns the planned commit message of a checklist item text `Commit: type(scope): text`.
pub(super) fn planned_message(item: &str) -> Option<&str> {
    let rest = item.trim().strip_prefix("Commit:").or_else(|| item.trim().strip_prefix("commit:"))?;
    Some(rest.trim().trim_matches('`').trim())
}

/// What attribution looks tasks up by, made once for all the commits to place.
struct Tasks<'t> {
    /// Task ids (lowercase) to indexes.
    by_id: HashMap<String, usize>,
    /// Planned commit messages (`Commit:` checklist items) to the first task planning each.
    planned: HashMap<&'t str, usize>,
    /// The first task in progress.
    in_progress: Option<usize>,
}

impl<'t> Tasks<'t> {
    fn new(doc: &'t Document, tasks: &[Task]) -> Self {
        let mut by_id = HashMap::new();
        let mut planned = HashMap::new();
        for (t, task) in tasks.iter().enumerate() {
            by_id.entry(task.id.to_ascii_lowercase()).or_insert(t);
            for item in doc.outline.items[task.items.clone()].iter().filter(|i| i.task.is_some()) {
                if let Some(m) = planned_message(&item.text) {
                    planned.entry(m).or_insert(t);
                }
            }
        }
        let in_progress = tasks.iter().position(|t| t.status == Some(Status::InProgress));
        Tasks { by_id, planned, in_progress }
    }

    /// Where a commit goes among the tasks: a heading task's index, or None for the
    /// unplanned section.
    fn attribute(&self, commit: &BranchCommit, placed: &HashMap<String, usize>) -> Option<usize> {
        if let Some(t) = commit.task.as_ref().and_then(|id| self.by_id.get(&id.trim().to_ascii_lowercase())) {
            return Some(*t);
        }
        if let Some(t) = self.planned.get(commit.subject.as_str()) {
            return Some(*t);
        }
        if let Some(fixed) = fixed_subject(&commit.subject)
            && let Some(t) = placed.get(fixed).or_else(|| self.planned.get(fixed))
        {
            return Some(*t);
        }
        self.in_progress
    }
}

/// Returns the index of the task whose own lines hold `offset`.
pub(super) fn task_at(tasks: &[Task], offset: usize) -> Option<usize> {
    let i = tasks.partition_point(|t| t.range.start <= offset).checked_sub(1)?;
    tasks[i].range.contains(&offset).then_some(i)
}

/// A heading task, as attribution sees it.
pub(super) struct Task {
    pub id: String,
    pub status: Option<Status>,
    /// Its own lines (up to the next heading).
    pub range: Range<usize>,
    /// Indexes into the outline's items of the items in its own lines.
    pub items: Range<usize>,
}

pub(super) fn heading_tasks(doc: &Document) -> Vec<Task> {
    doc.phases
        .iter()
        .flat_map(|p| &p.tasks)
        .filter_map(|t| {
            let range = own_range(doc, t.section?);
            let items = &doc.outline.items;
            let from = items.partition_point(|i| i.range.start < range.start);
            let to = items.partition_point(|i| i.range.start < range.end);
            Some(Task { id: t.id.to_string(), status: t.status, range, items: from..to })
        })
        .collect()
}

/// Pass 2: every branch commit no task records goes under its task, or into the unplanned
/// section.
/// Pass 2: what is missing, from one parse: the commits no task records, and those of the
/// first day the log lacks.
pub(super) fn add_missing(doc: &Document, history: &History) -> Vec<Edit> {
    let mut edits = add_missing_to_tasks(doc, history);
    edits.extend(add_missing_to_log(doc, history));
    edits
}

fn add_missing_to_tasks(doc: &Document, history: &History) -> Vec<Edit> {
    let have = recorded_set(doc, history, Domain::Tasks);
    let tasks = heading_tasks(doc);
    // Subjects of commits already under a task, for fixups of them.
    let mut placed: HashMap<String, usize> = HashMap::new();
    for (_, r) in recorded(doc).iter().filter(|(d, _)| *d == Domain::Tasks) {
        if let Some(t) = task_at(&tasks, r.hash_range.start) {
            placed.insert(r.raw_message.clone(), t);
        }
    }
    let lookup = Tasks::new(doc, &tasks);
    let mut by_task: Vec<(Option<usize>, Vec<&BranchCommit>)> = Vec::new();
    for (c, commit) in history.commits.iter().enumerate() {
        if have.contains(&c) {
            continue;
        }
        let target = lookup.attribute(commit, &placed);
        if let Some(t) = target {
            placed.insert(commit.subject.clone(), t);
        }
        match by_task.iter_mut().find(|(t, _)| *t == target) {
            Some((_, list)) => list.push(commit),
            None => by_task.push((target, vec![commit])),
        }
    }
    let mut edits = Vec::new();
    for (target, commits) in &by_task {
        match target {
            Some(t) => {
                let boxed = last_item_boxed(doc, tasks[*t].range.clone(), "Commits");
                let texts: Vec<String> = commits.iter().map(|c| item_text(c, boxed)).collect();
                edits.push(into_task(doc, &tasks[*t], &texts));
            }
            None => {
                let texts: Vec<String> = commits.iter().map(|c| item_text(c, false)).collect();
                edits.push(into_unplanned(doc, &texts));
            }
        }
    }
    edits
}

/// The edit that adds items with `texts` to a task's `**Commits:**` list (or starts that
/// list, before the task's `**Status:**` line or at the end of its lines).
pub(super) fn into_task(doc: &Document, task: &Task, texts: &[String]) -> Edit {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    if let Ok(edit) = doc.add_list_items(task.range.clone(), Some("Commits"), &texts) {
        return edit;
    }
    let at = label_lines(doc, task.range.clone())
        .iter()
        .find(|l| l.label.eq_ignore_ascii_case("status"))
        .and_then(|l| doc.lines.start_of(l.line))
        .unwrap_or_else(|| doc.content_end(task.range.clone()));
    labeled_list(doc, at, "Commits", &texts)
}

/// Whether the items of the list under `label` in `range` have task boxes.
pub(super) fn last_item_boxed(doc: &Document, range: Range<usize>, label: &str) -> bool {
    let Some(l) = label_lines(doc, range.clone()).iter().find(|l| l.label.eq_ignore_ascii_case(label)) else {
        return false;
    };
    let from = doc.lines.full_range(l.line).map_or(range.end, |r| r.end);
    let items = &doc.outline.items;
    let first = items.partition_point(|i| i.range.start < from);
    items.get(first).filter(|i| i.range.start < range.end).is_some_and(|i| i.task.is_some())
}

/// An edit inserting `**label:**` and a list of `texts` as a block of its own at line start
/// `at`.
pub(super) fn labeled_list(doc: &Document, at: usize, label: &str, texts: &[&str]) -> Edit {
    let heading = format!("**{label}:**");
    let items: Vec<String> = texts.iter().map(|t| format!("- {t}")).collect();
    let mut lines: Vec<&str> = Vec::new();
    let before = &doc.text[..at];
    let previous_blank = before.is_empty() || before.ends_with("\n\n") || before.ends_with("\n\r\n");
    if !previous_blank {
        lines.push("");
    }
    lines.push(&heading);
    lines.extend(items.iter().map(String::as_str));
    doc.insert_block(at, &lines)
}

/// The edit that adds items with `texts` to the unplanned section, starting it after the
/// last phase when there is none.
pub(super) fn into_unplanned(doc: &Document, texts: &[String]) -> Edit {
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    if let Some(section) = doc.sections.iter().find(|s| doc.section_text(s).eq_ignore_ascii_case(UNPLANNED))
        && let Ok(edit) = doc.add_list_items(section.range.clone(), None, &texts)
    {
        return edit;
    }
    // After the last phase: before the next section of a phase's level, or at the end.
    let at = match doc.phases.last() {
        Some(phase) => {
            let s = &doc.sections[phase.section];
            let level = s.level;
            doc.sections
                .iter()
                .find(|n| n.range.start >= s.range.end && n.level <= level)
                .map_or(doc.text.len(), |n| doc.lines.start_of(n.line).unwrap_or(n.range.start))
        }
        None => doc.text.len(),
    };
    let level = doc.phases.last().map_or(2, |p| doc.sections[p.section].level);
    let heading = format!("{} {UNPLANNED}", "#".repeat(usize::from(level)));
    let items: Vec<String> = texts.iter().map(|t| format!("- {t}")).collect();
    let mut lines: Vec<&str> = vec![&heading, ""];
    lines.extend(items.iter().map(String::as_str));
    lines.push("");
    let before = &doc.text[..at];
    if !(before.is_empty() || before.ends_with("\n\n") || before.ends_with("\n\r\n")) {
        lines.insert(0, "");
    }
    if at == doc.text.len() {
        lines.pop();
    }
    doc.insert_lines(at, &lines)
}

/// One day at a time: the commits of a day that the log does not record go into that day's
/// entry (the last one of that date), or into a new entry for the day. None when nothing is
/// missing, or when the document has no progress log.
fn add_missing_to_log(doc: &Document, history: &History) -> Option<Edit> {
    let have = recorded_set(doc, history, Domain::Log);
    let missing: Vec<&BranchCommit> =
        history.commits.iter().enumerate().filter(|(c, _)| !have.contains(c)).map(|(_, c)| c).collect();
    let day = missing.iter().map(|c| c.date).min()?;
    let of_day: Vec<&BranchCommit> = missing.iter().copied().filter(|c| c.date == day).collect();
    let key = day.format("%Y-%m-%d").to_string();
    let entry = doc.progress_log.iter().rev().find(|e| e.date.as_deref() == Some(key.as_str()));
    let edit = match entry {
        Some(entry) => {
            let boxed = last_item_boxed(doc, own_range(doc, entry.section), "Commits");
            let texts: Vec<String> = of_day.iter().map(|c| item_text(c, boxed)).collect();
            into_log_entry(doc, entry.section, &texts)
        }
        None => {
            let items: Vec<String> = of_day.iter().map(|c| format!("- {}", item_text(c, false))).collect();
            let mut body: Vec<&str> = vec!["**Commits:**"];
            body.extend(items.iter().map(String::as_str));
            doc.append_log_entry(day, NEW_ENTRY_TITLE, &body).ok()?
        }
    };
    Some(edit)
}

/// The edit that adds items with `texts` to the `**Commits:**` list of the log entry whose
/// heading starts section `si` (or starts that list, before its `**Next Steps:**`).
pub(super) fn into_log_entry(doc: &Document, si: usize, texts: &[String]) -> Edit {
    let range = own_range(doc, si);
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    match doc.add_list_items(range.clone(), Some("Commits"), &texts) {
        Ok(edit) => edit,
        Err(_) => {
            let at = label_lines(doc, range.clone())
                .iter()
                .find(|l| l.label.eq_ignore_ascii_case("next steps"))
                .and_then(|l| doc.lines.start_of(l.line))
                .unwrap_or_else(|| doc.content_end(range.clone()));
            labeled_list(doc, at, "Commits", &texts)
        }
    }
}

/// Pass 3: a task's planned `Commit:` item is ticked once a commit with that message is
/// recorded under the task; then the numbers, counting those ticks.
pub(super) fn ticks_and_numbers(doc: &Document, history: &History) -> Vec<Edit> {
    let mut edits = tick_planned(doc, history);
    edits.extend(refresh_numbers(doc, history, edits.len()));
    edits
}

fn tick_planned(doc: &Document, history: &History) -> Vec<Edit> {
    let tasks = heading_tasks(doc);
    let mut edits = Vec::new();
    for (_, r) in recorded(doc).iter().filter(|(d, _)| *d == Domain::Tasks) {
        let Some(c) = by_hash(history, &r.hash) else { continue };
        let subject = &history.commits[c].subject;
        let Some(task) = task_at(&tasks, r.hash_range.start).map(|t| &tasks[t]) else { continue };
        for item in &doc.outline.items[task.items.clone()] {
            if let Some(b) = &item.task
                && !b.checked
                && planned_message(&item.text).is_some_and(|m| m == subject)
                && let Ok(Some(edit)) = doc.tick(doc.line_of(item.range.start), true)
            {
                edits.push(edit);
            }
        }
    }
    edits.sort_by_key(|e| e.range.start);
    edits.dedup();
    edits
}

/// The numbers that come from git: `(n/m tasks)` of each phase, the overall progress
/// percentage (with `ticked` more task boxes ticked than `doc` shows) and the metrics'
/// commit count.
fn refresh_numbers(doc: &Document, history: &History, ticked: usize) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (i, count) in doc.task_counts.iter().enumerate() {
        let Some(phase) = doc.phases.iter().find(|p| {
            let label = count.label.trim().trim_end_matches(':');
            label.eq_ignore_ascii_case(&format!("Phase {}: {}", p.id, p.name))
                || label.eq_ignore_ascii_case(&format!("Phase {}", p.id))
        }) else {
            continue;
        };
        let total = phase.tasks.len() as u64;
        let done = phase.tasks.iter().filter(|t| t.status.is_some_and(Status::is_done)).count() as u64;
        if (count.done, count.total) != (Some(done), Some(total))
            && let Ok(edit) = doc.set_task_count(i, done, total)
        {
            edits.push(edit);
        }
    }
    if let Some(p) = overall_progress(doc) {
        let counts = doc.progress_counts();
        let value = crate::document::Counts { checked: counts.checked + ticked, ..counts }.percent();
        if p.value != Some(value) {
            edits.push(Edit::replace(p.range.clone(), value.to_string()));
        }
    }
    if let Some(range) = metrics_count(doc) {
        let value = history.commits.len().to_string();
        if doc.text[range.clone()] != value {
            edits.push(Edit::replace(range, value));
        }
    }
    edits
}

/// The `**Overall Progress:** N%` that [`record`] keeps up to date.
pub(super) fn overall_progress<'d>(doc: &'d Document) -> Option<&'d crate::document::Percentage> {
    doc.percentages.iter().find(|p| p.label.eq_ignore_ascii_case("overall progress"))
}

/// The value of the `**Commits:**` line of the Metrics section, which counts the branch's
/// commits.
pub(super) fn metrics_count(doc: &Document) -> Option<Range<usize>> {
    let metrics = doc.sections.iter().find(|s| doc.section_text(s).eq_ignore_ascii_case("metrics"))?;
    label_lines(doc, own_range_of(doc, metrics))
        .iter()
        .find(|l| l.label.eq_ignore_ascii_case("commits"))
        .map(|l| l.value_range.clone())
}

fn own_range_of(doc: &Document, section: &crate::document::Section) -> Range<usize> {
    let si = doc.sections.iter().position(|s| std::ptr::eq(s, section)).unwrap_or_default();
    own_range(doc, si)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A tracking document of two tasks, the first in progress (quick.rs's tests start from it
    /// too).
    pub(in crate::tracking) const DOC: &str = "# M1 Implementation Tracking

**Status:** 🔄 In Progress

### Overall Progress
- [ ] Phase 1: Core (0/2 tasks)

**Overall Progress:** 0%

## Progress Log

### 2026-01-01 - Work begins

**Changes:**
- Branch created

---

## Phase 1: Core

### Task 1.1: Parser

**Checklist:**
- [ ] Parse it
- [ ] Commit: `feat: parse it`

**Commits:**

**Status:** 🔄 In Progress

---

### Task 1.2: Writer

**Checklist:**
- [ ] Write it

**Commits:**

**Status:** ⏳ Not Started

---

## Final Checklist

- [ ] Done

## Metrics

**Commits:** 0
";

    fn commit(n: u8, subject: &str, day: u32) -> BranchCommit {
        let id = format!("{n:x}").repeat(40);
        BranchCommit {
            short: id[..7].to_string(),
            id,
            subject: subject.to_string(),
            date: NaiveDate::from_ymd_opt(2026, 1, day).expect("a date"),
            task: None,
        }
    }

    fn run(text: &str, commits: &[BranchCommit], elsewhere: &dyn Fn(&str) -> Elsewhere) -> String {
        let history = History::new(commits, elsewhere, true);
        let out = record(text, &history).expect("records");
        let again = record(&out, &history).expect("records");
        assert_eq!(again, out, "a second run changes nothing");
        out
    }

    fn gone(_: &str) -> Elsewhere {
        Elsewhere::Gone
    }

    #[test]
    fn a_commit_goes_under_its_task_into_the_day_and_the_numbers() {
        let commits = [commit(1, "feat: parse it", 1), commit(2, "test: more", 2)];
        let out = run(DOC, &commits, &gone);
        assert!(
            out.contains(
                "**Commits:**\n- `1111111` - feat: parse it\n- `2222222` - test: more\n\n**Status:** 🔄"
            ),
            "{out}"
        );
        assert!(out.contains("- [x] Commit: `feat: parse it`"), "the planned commit is ticked: {out}");
        assert!(out.contains("- Branch created\n\n**Commits:**\n- `1111111` - feat: parse it\n"), "{out}");
        assert!(
            out.contains("### 2026-01-02 - Commits\n\n**Commits:**\n- `2222222` - test: more\n"),
            "{out}"
        );
        assert!(out.contains("## Metrics\n\n**Commits:** 2\n"), "{out}");
        assert!(out.contains("**Overall Progress:** 33%"), "1 of 3 task boxes: {out}");
        assert!(out.contains("- [ ] Phase 1: Core (0/2 tasks)"), "{out}");
    }

    #[test]
    fn trailers_and_fixups_choose_the_task_and_nothing_in_progress_is_unplanned() {
        let mut c1 = commit(1, "feat: write", 1);
        c1.task = Some("1.2".into());
        let c2 = commit(2, "fixup! feat: write", 1);
        let text = DOC.replace(
            "**Status:** 🔄 In Progress\n\n---\n\n### Task 1.2",
            "**Status:** ✅ Complete\n\n---\n\n### Task 1.2",
        );
        let c3 = commit(3, "chore: tidy", 1);
        let out = run(&text, &[c1, c2, c3], &gone);
        assert!(
            out.contains("- `1111111` - feat: write\n- `2222222` - fixup! feat: write\n\n**Status:** ⏳"),
            "{out}"
        );
        assert!(
            out.contains("## Unplanned Commits\n\n- `3333333` - chore: tidy\n\n## Final Checklist"),
            "{out}"
        );
    }

    #[test]
    fn rewritten_commits_get_their_new_hash_and_gone_ones_go() {
        let old = [commit(1, "feat: parse it", 1), commit(2, "test: more", 1)];
        let before = run(DOC, &old, &gone);
        // 1 was reworded into 3 and 2 dropped.
        let new = [commit(3, "feat: parse it well", 1)];
        let out = run(&before, &new, &|h: &str| {
            if "1111111111111111111111111111111111111111".starts_with(h) {
                Elsewhere::Now("3".repeat(40))
            } else {
                Elsewhere::Gone
            }
        });
        assert!(!out.contains("1111111") && !out.contains("2222222"), "{out}");
        assert_eq!(out.matches("- `3333333` - feat: parse it well").count(), 2, "task and log: {out}");
        assert!(out.contains("**Commits:** 1\n"), "{out}");
    }

    #[test]
    fn squashed_commits_leave_one_item_and_history_elsewhere_stays() {
        let old = [commit(1, "feat: a", 1), commit(2, "feat: b", 1)];
        let before = run(DOC, &old, &gone);
        let before = before.replace(
            "**Commits:**\n\n**Status:** ⏳",
            "**Commits:**\n- `abcdef0` - from main\n\n**Status:** ⏳",
        );
        let new = [commit(3, "feat: a", 1)];
        let out = run(&before, &new, &|h: &str| match h {
            "abcdef0" => Elsewhere::Keep,
            _ => Elsewhere::Now("3".repeat(40)),
        });
        assert_eq!(out.matches("`3333333`").count(), 2, "one item a list: {out}");
        assert!(out.contains("- `abcdef0` - from main"), "{out}");
    }

    #[test]
    fn commits_that_share_an_abbreviation_each_get_their_own() {
        let mut a = commit(1, "feat: a", 1);
        let mut b = commit(2, "feat: b", 1);
        a.id = format!("9bbeeba1{}", "1".repeat(32));
        b.id = format!("9bbeeba2{}", "2".repeat(32));
        a.short = a.id[..8].to_string();
        b.short = b.id[..8].to_string();
        // A document that recorded both under the same seven digits, before they collided.
        let text = DOC.replace(
            "**Commits:**\n\n**Status:** 🔄",
            "**Commits:**\n- `9bbeeba` - feat: a\n- `9bbeeba` - feat: b\n\n**Status:** 🔄",
        );
        let out = run(&text, &[a, b], &gone);
        assert!(out.contains("- `9bbeeba1` - feat: a\n- `9bbeeba2` - feat: b\n"), "{out}");
    }

    #[test]
    fn subjects_with_markup_round_trip() {
        let commits = [commit(1, "fix: handle `*` and _x_ <b>", 1)];
        let out = run(DOC, &commits, &gone);
        assert!(out.contains("- `1111111` - fix: handle `*` and _x_ <b>\n"), "{out}");
    }
}
