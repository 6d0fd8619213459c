//! The post-commit hook's quick way: a commit made on top of the commit the tracking document
//! last recorded adds one item under a task, one in the day's log entry, and changes a few
//! numbers; where those go is known from the last time the document was parsed.
//!
//! When the hook has recorded the history the slow way (a parse and [`record::record`]), it
//! keeps a [`Snapshot`] of the document it wrote, in the git dir: the text's length and hash,
//! and, worked out from one parse with the functions `record` itself uses, where a new
//! commit's item goes in each task that can take one, in the unplanned section and in each
//! day's log entry, which planned `Commit:` items a subject ticks, and where the numbers
//! stand. The next commit takes the quick way only when that snapshot still describes
//! everything: the document is byte for byte the one written, the commit's only parent is the
//! commit recorded last, the base branch and the settings are the same, and the commit goes
//! where a slot is ready (a task it is planned for, or the task in progress, and a day the log
//! has an entry for). Everything else (a hand edit, a new day, a task's first commit, an amend,
//! a merge, a fixup) takes the slow way, which is always right; tests hold both ways equal.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::record::{self, BranchCommit, Domain, History};
use crate::document::{Counts, Document, Status};
use crate::markdown::Edit;

/// The snapshot's file in the git dir (each work tree has its own).
pub(super) const FILE: &str = "git-milestone-snapshot.json";

/// Bumped whenever what a snapshot means changes: an older one is then not used.
const VERSION: u32 = 1;

/// What the slow way last wrote, as the quick way needs it. Offsets are byte offsets into
/// the document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Snapshot {
    version: u32,
    /// How it was made: `full` from a parse, `quick` from the snapshot before (for people
    /// and tests looking into why a commit was slow).
    way: Way,
    /// What the text records and where it lives: the caller's to fill and to check.
    pub key: Key,
    len: usize,
    hash: u64,
    /// How many commits the text records (the metrics' count).
    commits: usize,
    /// Every recorded hash as written: a new commit that one of them could name goes the
    /// slow way, which sorts the names out.
    hashes: Vec<String>,
    /// The tasks that can take a commit the quick way: the one in progress and those that
    /// record commits already.
    tasks: Vec<TaskSlot>,
    /// The task in progress: None when there is none, Some(None) when it has no slot.
    in_progress: Option<Option<usize>>,
    /// Short hashes ([`short_hash`], 8 hex digits each) of the task ids (lowercase) and the
    /// planned `Commit:` messages whose first task has no slot: a commit that names one goes
    /// the slow way (a false match only costs that).
    other_ids: String,
    other_planned: String,
    unplanned: Option<Slot>,
    /// The last log entry of each day (`YYYY-MM-DD`).
    log: Vec<(String, Slot)>,
    /// The overall progress percentage's digits and value.
    percent: Option<(Range<usize>, Option<u8>)>,
    /// The task boxes that percentage counts: checked and total.
    counts: (usize, usize),
    /// The metrics' commit count.
    metrics: Option<Range<usize>>,
}

/// How a snapshot was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Way {
    Full,
    Quick,
}

/// What a snapshot's text records, and where it lives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Key {
    /// The document's path in the work tree.
    pub path: String,
    /// The commit it records the branch up to, and the base branch's tip then.
    pub head: String,
    pub base: Option<String>,
    /// A hash of the settings in force.
    pub settings: u64,
    /// The index's blob for the document, when the index holds this very text.
    pub blob: Option<String>,
}

/// Where a list takes one more item: inserted at `at` as `before`, the item's text and
/// `after` (one whole line, before a blank line, so that the next item goes right after it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Slot {
    at: usize,
    before: String,
    after: String,
    /// Whether the list's items are task boxes (`- [x] `hash` - ...`).
    boxed: bool,
    /// How many times the overall progress counts a box there.
    weight: usize,
}

/// A task that can take a commit the quick way: its id (lowercase) when it is the first task
/// of that id, the planned `Commit:` messages it is the first to plan, its slot, and the
/// planned items it has not ticked (message, the edit that ticks it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct TaskSlot {
    id: Option<String>,
    planned: Vec<String>,
    slot: Slot,
    ticks: Vec<(String, Range<usize>, String)>,
}

/// Where a commit goes.
enum Target {
    /// Into `tasks[i]`.
    Task(usize),
    Unplanned,
    /// Somewhere the snapshot has no slot for.
    Unknown,
}

/// Returns the hash a snapshot keeps of a text.
fn hash_of(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6d69_6c65_7374_6f6e).hash_one(text.as_bytes())
}

/// Returns a short hash of a task id or a planned message: 8 hex digits.
fn short_hash(text: &str) -> String {
    format!("{:08x}", hash_of(text) as u32)
}

/// Whether `hashes` (of [`short_hash`]) holds the short hash of `text`.
fn holds(hashes: &str, text: &str) -> bool {
    let needle = short_hash(text);
    hashes.as_bytes().chunks(8).any(|h| h == needle.as_bytes())
}

impl Snapshot {
    /// Returns the snapshot of `doc`, which records `history`, or None when recording it
    /// again would change it (nothing safe to start from).
    pub(super) fn of(doc: &Document, history: &History, key: Key) -> Option<Snapshot> {
        let settled = record::fix_recorded(doc, history).is_empty()
            && record::add_missing(doc, history).is_empty()
            && record::ticks_and_numbers(doc, history).is_empty();
        if !settled {
            return None;
        }
        let tasks = record::heading_tasks(doc);
        let recorded = record::recorded(doc);
        let in_progress = tasks.iter().position(|t| t.status == Some(Status::InProgress));
        let mut active: Vec<usize> = recorded
            .iter()
            .filter(|(d, _)| *d == Domain::Tasks)
            .filter_map(|(_, r)| record::task_at(&tasks, r.hash_range.start))
            .chain(in_progress)
            .collect();
        active.sort_unstable();
        active.dedup();
        let mut slots: Vec<(usize, TaskSlot)> = active
            .into_iter()
            .filter_map(|t| {
                let task = &tasks[t];
                let boxed = record::last_item_boxed(doc, task.range.clone(), "Commits");
                let slot = slot(doc, boxed, |texts| record::into_task(doc, task, texts))?;
                let ticks = doc.outline.items[task.items.clone()]
                    .iter()
                    .filter(|i| i.task.as_ref().is_some_and(|b| !b.checked))
                    .filter_map(|i| {
                        let m = record::planned_message(&i.text)?;
                        let edit = doc.tick(doc.line_of(i.range.start), true).ok()??;
                        Some((m.to_string(), edit.range, edit.text))
                    })
                    .collect();
                Some((t, TaskSlot { id: None, planned: Vec::new(), slot, ticks }))
            })
            .collect();
        // Each id and each planned message to its first task, as attribution looks them up.
        let (mut other_ids, mut other_planned) = (String::new(), String::new());
        let mut seen: std::collections::HashSet<(bool, String)> = std::collections::HashSet::new();
        for (t, task) in tasks.iter().enumerate() {
            let slotted = slots.iter().position(|(i, _)| *i == t);
            let id = task.id.to_ascii_lowercase();
            if seen.insert((true, id.clone())) {
                match slotted {
                    Some(i) => slots[i].1.id = Some(id),
                    None => other_ids.push_str(&short_hash(&id)),
                }
            }
            for item in doc.outline.items[task.items.clone()].iter().filter(|i| i.task.is_some()) {
                let Some(m) = record::planned_message(&item.text) else { continue };
                if seen.insert((false, m.to_string())) {
                    match slotted {
                        Some(i) => slots[i].1.planned.push(m.to_string()),
                        None => other_planned.push_str(&short_hash(m)),
                    }
                }
            }
        }
        let in_progress = in_progress.map(|t| slots.iter().position(|(i, _)| *i == t));
        let mut log: Vec<(String, Slot)> = Vec::new();
        for entry in &doc.progress_log {
            let Some(date) = &entry.date else { continue };
            let boxed = record::last_item_boxed(doc, record::own_range(doc, entry.section), "Commits");
            let made = slot(doc, boxed, |texts| record::into_log_entry(doc, entry.section, texts));
            log.retain(|(d, _)| d != date);
            if let Some(made) = made {
                log.push((date.clone(), made));
            }
        }
        let counts = doc.progress_counts();
        Some(Snapshot {
            version: VERSION,
            way: Way::Full,
            key,
            len: doc.text.len(),
            hash: hash_of(doc.text),
            commits: history.commits.len(),
            hashes: recorded.into_iter().map(|(_, r)| r.hash).collect(),
            tasks: slots.into_iter().map(|(_, slot)| slot).collect(),
            in_progress,
            other_ids,
            other_planned,
            unplanned: slot(doc, false, |texts| record::into_unplanned(doc, texts)),
            log,
            percent: record::overall_progress(doc).map(|p| (p.range.clone(), p.value)),
            counts: (counts.checked, counts.total),
            metrics: record::metrics_count(doc),
        })
    }

    /// Whether `text` is the text this snapshot was made of.
    pub(super) fn describes(&self, text: &str) -> bool {
        text.len() == self.len && hash_of(text) == self.hash
    }

    /// Returns the snapshot stored in `json`, if it is one of this version.
    pub(super) fn from_json(json: &[u8]) -> Option<Snapshot> {
        serde_json::from_slice::<Snapshot>(json).ok().filter(|s| s.version == VERSION)
    }

    /// Returns the snapshot as stored.
    pub(super) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Returns `text` recording `commit` as well (edited where it stands), and the snapshot of
    /// that new text, or None when the quick way does not apply (then the slow way must run,
    /// and reads the document again). `text` must be this snapshot's text, recording the
    /// history up to `commit`'s only parent, and `commit` neither a merge nor a bookkeeping
    /// commit.
    pub(super) fn add(&self, text: String, commit: &BranchCommit) -> Option<(String, Snapshot)> {
        if !self.describes(&text) || record::fixed_subject(&commit.subject).is_some() {
            return None;
        }
        // A recorded name that could be the new commit's, or that it would share: the slow
        // way lengthens names.
        let shared = commit.short.len().min(7);
        if self
            .hashes
            .iter()
            .any(|h| h.get(..shared).is_none_or(|h| commit.id.starts_with(&h.to_ascii_lowercase())))
        {
            return None;
        }
        let mut next = Snapshot { way: Way::Quick, ..self.clone() };
        let (task_slot, ticks) = match self.target(commit) {
            Target::Task(t) => {
                let task = &mut next.tasks[t];
                let ticks: Vec<Edit> = task
                    .ticks
                    .iter()
                    .filter(|(m, _, _)| *m == commit.subject)
                    .map(|(_, range, text)| Edit::replace(range.clone(), text.clone()))
                    .collect();
                task.ticks.retain(|(m, _, _)| *m != commit.subject);
                (&mut task.slot, ticks)
            }
            Target::Unplanned => (next.unplanned.as_mut()?, Vec::new()),
            Target::Unknown => return None,
        };
        let day = commit.date.format("%Y-%m-%d").to_string();
        let task_item = task_slot.insertion(commit);
        let boxes = usize::from(task_slot.boxed) * task_slot.weight;
        let (_, log_slot) = next.log.iter_mut().find(|(d, _)| *d == day)?;
        let log_item = log_slot.insertion(commit);
        let boxes = boxes + usize::from(log_slot.boxed) * log_slot.weight;
        if task_item.range == log_item.range {
            return None;
        }
        let mut edits = vec![task_item.clone(), log_item.clone()];
        edits.extend(ticks.iter().cloned());
        let (checked, total) = (self.counts.0 + boxes + ticks.len(), self.counts.1 + boxes);
        next.counts = (checked, total);
        if let Some((range, value)) = &mut next.percent {
            let new = Counts { checked, total }.percent();
            if *value != Some(new) {
                edits.push(Edit::replace(range.clone(), new.to_string()));
                *value = Some(new);
            }
        }
        next.commits += 1;
        if let Some(range) = &next.metrics {
            let value = next.commits.to_string();
            if text.get(range.clone()) != Some(value.as_str()) {
                edits.push(Edit::replace(range.clone(), value));
            }
        }
        edits.sort_by_key(|e| e.range.start);
        if edits.windows(2).any(|w| w[0].range.end > w[1].range.start) {
            return None;
        }
        // The text is edited where it stands: a second 0.54 MB copy would cost the hook some
        // 130 page faults (0.25 ms here).
        let mut new = text;
        crate::markdown::apply_in_place(&mut new, &edits);
        next.shift(&edits, &[task_item.range.start, log_item.range.start]);
        next.hashes.push(commit.short.clone());
        next.len = new.len();
        next.hash = hash_of(&new);
        Some((new, next))
    }

    /// Where `commit` goes, as [`record`] attributes it: the task a `Task:` trailer names, else
    /// the task that plans its message, else the task in progress, else the unplanned section.
    fn target(&self, commit: &BranchCommit) -> Target {
        if let Some(id) = &commit.task {
            let id = id.trim().to_ascii_lowercase();
            if holds(&self.other_ids, &id) {
                return Target::Unknown;
            }
            if let Some(t) = self.tasks.iter().position(|t| t.id.as_ref() == Some(&id)) {
                return Target::Task(t);
            }
        }
        if holds(&self.other_planned, &commit.subject) {
            return Target::Unknown;
        }
        if let Some(t) = self.tasks.iter().position(|t| t.planned.contains(&commit.subject)) {
            return Target::Task(t);
        }
        match self.in_progress {
            Some(Some(t)) => Target::Task(t),
            Some(None) => Target::Unknown,
            None => Target::Unplanned,
        }
    }

    /// Moves every offset past `edits`; the slots at `filled` (where items were inserted)
    /// move past their new item.
    fn shift(&mut self, edits: &[Edit], filled: &[usize]) {
        let moved = |at: usize, after_insert: bool| -> usize {
            let mut delta: isize = 0;
            for e in edits {
                let passed = e.range.end < at || (e.range.end == at && (!e.range.is_empty() || after_insert));
                if passed {
                    delta += e.text.len() as isize - e.range.len() as isize;
                }
            }
            at.saturating_add_signed(delta)
        };
        let range = |r: &Range<usize>| -> Range<usize> {
            // An edited range now spans its new text.
            match edits.iter().find(|e| e.range == *r && !r.is_empty()) {
                Some(e) => {
                    let start = moved(r.start, false);
                    start..start + e.text.len()
                }
                None => moved(r.start, false)..moved(r.end, false),
            }
        };
        let slot = |s: &mut Slot| s.at = moved(s.at, filled.contains(&s.at));
        for task in &mut self.tasks {
            slot(&mut task.slot);
            for (_, r, _) in &mut task.ticks {
                *r = range(r);
            }
        }
        if let Some(s) = &mut self.unplanned {
            slot(s);
        }
        for (_, s) in &mut self.log {
            slot(s);
        }
        if let Some((r, _)) = &mut self.percent {
            *r = range(r);
        }
        if let Some(r) = &mut self.metrics {
            *r = range(r);
        }
    }
}

impl Slot {
    fn insertion(&self, commit: &BranchCommit) -> Edit {
        let item = record::item_text(commit, self.boxed);
        Edit::replace(self.at..self.at, format!("{}{item}{}", self.before, self.after))
    }
}

/// Returns the slot of a list that `make` adds items to, when adding one item and then
/// another is the same as adding both at once: an insertion of one line at a line start,
/// before a blank line (an item followed by text would take it in as its own).
fn slot(doc: &Document, boxed: bool, make: impl Fn(&[String]) -> Edit) -> Option<Slot> {
    const ONE: &str = "\u{1}";
    const TWO: &str = "\u{2}";
    let one = make(&[ONE.to_string()]);
    let two = make(&[ONE.to_string(), TWO.to_string()]);
    let at = one.range.start;
    if !one.range.is_empty() || two.range != one.range {
        return None;
    }
    let (before, after) = one.text.split_once(ONE)?;
    let line_start = at == 0 || doc.text.as_bytes().get(at - 1) == Some(&b'\n');
    let one_line = !before.contains('\n') && (after == "\n" || after == "\r\n");
    let rest = &doc.text[at..];
    let blank_next = rest.lines().next().is_some_and(|l| l.trim().is_empty()) && !rest.is_empty();
    let doubled = two.text == format!("{before}{ONE}{after}{before}{TWO}{after}");
    (line_start && one_line && blank_next && doubled).then(|| Slot {
        at,
        before: before.to_string(),
        after: after.to_string(),
        boxed,
        weight: weight(doc, at),
    })
}

/// How many times the overall progress counts a task box inserted at `at` (see
/// [`Document::progress_counts`]): once for each heading task (or, in a document without
/// tasks, each phase) whose section holds it, or once when the document has no phases.
fn weight(doc: &Document, at: usize) -> usize {
    if doc.phases.is_empty() {
        return 1;
    }
    let holds = |si: usize| {
        let r = &doc.sections[si].range;
        r.start < at && at <= r.end
    };
    let has_tasks = doc.phases.iter().any(|p| !p.tasks.is_empty());
    doc.phases
        .iter()
        .map(|p| match has_tasks {
            true => p.tasks.iter().filter_map(|t| t.section).filter(|si| holds(*si)).count(),
            false => usize::from(holds(p.section)),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::tracking::record::{Elsewhere, record};

    /// A commit with an id of its own (no two share their first digits).
    fn commit(n: u64, subject: &str, day: &str, task: Option<&str>) -> BranchCommit {
        let id = format!("{:016x}{:024x}", n.wrapping_mul(0x9e37_79b9_7f4a_7c15), n);
        BranchCommit {
            short: id[..7].to_string(),
            id,
            subject: subject.to_string(),
            date: NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("a date"),
            task: task.map(str::to_string),
        }
    }

    /// Records `steps` (subject, day, trailer) one commit at a time, the slow way and, where
    /// it applies, the quick way from the snapshot the step before left, and asserts they
    /// agree; returns how many steps took the quick way.
    fn agree(doc: &str, steps: &[(&str, &str, Option<&str>)]) -> usize {
        let keep = |_: &str| Elsewhere::Keep;
        let mut commits: Vec<BranchCommit> = Vec::new();
        let mut text = record(doc, &History::new(&commits, &keep, true)).expect("records");
        let mut snapshot: Option<Snapshot> = None;
        let mut quick = 0;
        for (n, (subject, day, task)) in steps.iter().enumerate() {
            let c = commit(n as u64 + 1, subject, day, *task);
            commits.push(c.clone());
            let history = History::new(&commits, &keep, true);
            let slow = record(&text, &history).expect("records");
            match snapshot.as_ref().and_then(|s| s.add(text.clone(), &c)) {
                Some((fast, next)) => {
                    assert_eq!(fast, slow, "step {n} ({subject}, {day}, {task:?}): the quick way differs");
                    quick += 1;
                    snapshot = Some(next);
                }
                None => {
                    let parsed = Document::parse(&slow).expect("parses");
                    snapshot = Snapshot::of(&parsed, &history, Key::default());
                }
            }
            text = slow;
        }
        quick
    }

    /// record.rs's test document, with more planned commits and a commit recorded from
    /// elsewhere under the second task.
    fn doc() -> String {
        record::tests::DOC
            .replace(
                "- [ ] Commit: `feat: parse it`\n",
                "- [ ] Commit: `feat: parse it`\n- [ ] Commit: `feat: parse more`\n",
            )
            .replace(
                "- [ ] Write it\n",
                "- [ ] Write it\n- [ ] Commit: `feat: write it`\n- [ ] Commit: `feat: write more`\n",
            )
            .replace(
                "**Commits:**\n\n**Status:** ⏳",
                "**Commits:**\n- [x] `abcdef0` - an old one\n\n**Status:** ⏳",
            )
    }

    #[test]
    fn the_quick_way_records_as_the_slow_way_does() {
        let steps = [
            ("feat: first", "2026-01-01", None),
            ("feat: second", "2026-01-01", None),
            ("feat: parse it", "2026-01-01", None),
            ("feat: write it", "2026-01-01", None),
            ("feat: write more", "2026-01-01", None),
            ("feat: by trailer", "2026-01-01", Some("1.2")),
            ("feat: by unknown trailer", "2026-01-01", Some("9.9")),
            ("fixup! feat: write it", "2026-01-01", None),
            ("feat: next day", "2026-01-02", None),
            ("feat: next day again", "2026-01-02", None),
            ("feat: parse more", "2026-01-02", None),
            ("feat: back to the first day", "2026-01-01", None),
        ];
        let quick = agree(&doc(), &steps);
        assert!(quick >= 6, "most steps take the quick way: {quick}");
    }

    #[test]
    fn boxed_lists_and_crlf_documents_agree() {
        let boxed = doc().replace(
            "**Commits:**\n\n**Status:** 🔄",
            "**Commits:**\n- [x] `1234567` - kept\n\n**Status:** 🔄",
        );
        let steps: Vec<(&str, &str, Option<&str>)> =
            (0..6).map(|i| (["feat: a", "feat: b", "feat: parse it"][i % 3], "2026-01-01", None)).collect();
        assert!(agree(&boxed, &steps) >= 3);
        assert!(agree(&doc().replace('\n', "\r\n"), &steps) >= 3);
    }

    #[test]
    fn the_forms_agree() {
        let steps: Vec<(&str, &str, Option<&str>)> = (0..8)
            .map(|i| {
                let subject = ["feat: one", "feat(drafts): add SQLite draft table", "fix: two"][i % 3];
                (subject, ["2026-09-18", "2026-09-19"][i / 4], None)
            })
            .collect();
        for doc in [
            include_str!("../../tests/fixtures/forms/tracking.filled.md"),
            include_str!("../../tests/fixtures/forms/tracking.filled.crlf.md"),
            include_str!("../../tests/fixtures/forms/tracking.template.md"),
            include_str!("../../tests/fixtures/forms/feature-tracking.filled.md"),
            include_str!("../../tests/fixtures/forms/feature-tracking.template.md"),
        ] {
            agree(doc, &steps);
        }
        let filled = include_str!("../../tests/fixtures/forms/tracking.filled.md");
        assert!(agree(filled, &steps) >= 4, "the filled form takes the quick way");
    }

    #[test]
    fn a_snapshot_is_only_for_its_own_text() {
        let keep = |_: &str| Elsewhere::Keep;
        let commits = [commit(1, "feat: first", "2026-01-01", None)];
        let history = History::new(&commits, &keep, true);
        let text = record(&doc(), &history).expect("records");
        let snapshot = Snapshot::of(&Document::parse(&text).expect("parses"), &history, Key::default())
            .expect("a settled text has a snapshot");
        let next = commit(2, "feat: second", "2026-01-01", None);
        assert!(snapshot.add(text.clone(), &next).is_some());
        let edited = text.replace("- Branch created", "- Branch created by hand");
        assert!(snapshot.add(edited, &next).is_none(), "a hand edit takes the slow way");
        let json = snapshot.to_json();
        assert_eq!(Snapshot::from_json(json.as_bytes()), Some(snapshot.clone()));
        assert_eq!(Snapshot::from_json(json.replace("\"version\":1", "\"version\":0").as_bytes()), None);
        // Unsettled text (a commit missing) has none.
        let two = [commits[0].clone(), next];
        assert!(
            Snapshot::of(
                &Document::parse(&text).expect("parses"),
                &History::new(&two, &keep, true),
                Key::default()
            )
            .is_none()
        );
    }
}
