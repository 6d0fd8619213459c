//! The implementation-plan workflow of form 002: which task comes next, and the steps that
//! start, log, block, defer and complete a task, each refused until the plan's own rules
//! hold.
//!
//! A [`Plan`] reads a parsed [`Document`]: its phase-tracker rows and fenced YAML task blocks
//! are merged by task id (a task may have both), grouped by the phase whose section holds
//! them, and ordered. [`Plan::step`] returns the edits a step makes: YAML scalars
//! (`implementation.status`, `started`, checklist items), phase-tracker cells and one
//! session-log row; no other byte changes. A task with its own task file (`TASKS-NN.md`)
//! is edited there first and the plan's copy of its tracking block follows the file
//! (the protocol's step 7); [`Plan::disagreements`] lists where the two differ.

mod rules;
mod step;
mod verify;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::document::structure::numbered_heading;
use crate::document::yaml::Seg;
use crate::document::{Document, PlanTask, Status};

pub use step::{Outcome, PlanError, Step, TaskFile};
pub use verify::Disagreement;

/// The timestamp format the form uses, when the document shows no other.
pub const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S";

/// A phase: the section that holds some of the plan's tasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase {
    /// The phase number of a `Phase N` heading.
    pub id: Option<String>,
    /// The heading's text.
    pub title: String,
    pub line: usize,
}

/// One task of the plan: its tracker rows and its YAML block, merged by id.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: String,
    pub name: Option<String>,
    pub priority: Option<String>,
    /// The status as written: the YAML block's, else the tracker row's.
    pub status_text: Option<String>,
    pub status: Option<Status>,
    /// Index into [`Plan::phases`].
    pub phase: usize,
    /// The line where the task first appears.
    pub line: usize,
    /// The ids of the tasks it waits for.
    pub depends_on: Vec<String>,
    /// Index into the document's `plan_tasks` of its YAML block.
    pub yaml: Option<usize>,
    /// Indices into the document's `plan_tasks` of its tracker rows.
    pub rows: Vec<usize>,
}

/// Why a task is not the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub id: String,
    /// `completed`, `blocked`, `deferred` or `waiting`.
    pub reason: &'static str,
    /// For `waiting`: the dependencies that are not completed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waiting_on: Vec<String>,
}

/// An implementation plan read from its document.
#[derive(Debug)]
pub struct Plan<'d, 'a> {
    pub doc: &'d Document<'a>,
    /// How the plan's file is named in messages.
    pub shown: &'d str,
    pub phases: Vec<Phase>,
    pub tasks: Vec<Task>,
}

impl<'d, 'a> Plan<'d, 'a> {
    /// Reads the plan's tasks from `doc`, the file named `shown` in messages.
    pub fn new(doc: &'d Document<'a>, shown: &'d str) -> Self {
        let mut phases: Vec<Phase> = Vec::new();
        let mut phase_of_section: HashMap<Option<usize>, usize> = HashMap::new();
        let mut tasks: Vec<Task> = Vec::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, pt) in doc.plan_tasks.iter().enumerate() {
            let section = phase_section(doc, pt.line);
            let phase = *phase_of_section.entry(section).or_insert_with(|| {
                phases.push(match section {
                    Some(s) => {
                        let title = doc.section_text(&doc.sections[s]).trim().to_string();
                        let id = numbered_heading(&title, "phase").map(|(id, _)| id.to_string());
                        Phase { id, title, line: doc.sections[s].line }
                    }
                    None => Phase { id: None, title: String::new(), line: 1 },
                });
                phases.len() - 1
            });
            let index = *by_id.entry(pt.id.clone()).or_insert_with(|| {
                tasks.push(Task {
                    id: pt.id.clone(),
                    name: None,
                    priority: None,
                    status_text: None,
                    status: None,
                    phase,
                    line: pt.line,
                    depends_on: Vec::new(),
                    yaml: None,
                    rows: Vec::new(),
                });
                tasks.len() - 1
            });
            let task = &mut tasks[index];
            task.name = task.name.take().or_else(|| pt.name.clone());
            task.priority = task.priority.take().or_else(|| pt.priority.clone());
            match pt.block {
                Some(_) if task.yaml.is_none() => {
                    task.yaml = Some(i);
                    // The YAML block's status is the task's; a tracker row's only stands in.
                    if pt.status_text.is_some() {
                        task.status_text = pt.status_text.clone();
                        task.status = pt.status;
                    }
                }
                Some(_) => {}
                None => {
                    task.rows.push(i);
                    if task.status_text.is_none() {
                        task.status_text = pt.status_text.clone();
                        task.status = pt.status;
                    }
                }
            }
            for dep in dependencies(doc, pt) {
                if dep != task.id && !task.depends_on.contains(&dep) {
                    task.depends_on.push(dep);
                }
            }
        }
        // A task named among another's dependents waits for that other task.
        let ids: Vec<String> = tasks.iter().map(|t| t.id.clone()).collect();
        for pt in &doc.plan_tasks {
            let Some(text) = dependents(doc, pt) else { continue };
            let Some(&owner) = by_id.get(&pt.id) else { continue };
            for id in ids.iter().filter(|id| **id != pt.id && names(&text, id)) {
                let waiting = by_id[id];
                let owner_id = tasks[owner].id.clone();
                if !tasks[waiting].depends_on.contains(&owner_id) {
                    tasks[waiting].depends_on.push(owner_id);
                }
            }
        }
        Plan { doc, shown, phases, tasks }
    }

    /// Returns the task with id `id`.
    ///
    /// # Errors
    ///
    /// Names the tasks there are when none has that id.
    pub fn task(&self, id: &str) -> Result<&Task, PlanError> {
        self.tasks.iter().find(|t| t.id == id).ok_or_else(|| PlanError::NoSuchTask {
            id: id.to_string(),
            known: self.tasks.iter().map(|t| t.id.clone()).collect(),
        })
    }

    /// Returns the task's YAML block entry, when it has one.
    pub fn yaml_of(&self, task: &Task) -> Option<&'d PlanTask> {
        task.yaml.map(|i| &self.doc.plan_tasks[i])
    }

    /// Returns the phase that is under way: the first with a task neither completed nor
    /// deferred.
    pub fn current_phase(&self) -> Option<usize> {
        (0..self.phases.len()).find(|&p| {
            self.tasks
                .iter()
                .any(|t| t.phase == p && !matches!(t.status, Some(Status::Complete | Status::Deferred)))
        })
    }

    /// Returns whether task `id` is completed.
    fn completed(&self, id: &str) -> bool {
        self.tasks.iter().any(|t| t.id == id && t.status == Some(Status::Complete))
    }

    /// Returns the dependencies of `task` that are not completed.
    pub fn waiting_on(&self, task: &Task) -> Vec<String> {
        task.depends_on.iter().filter(|d| !self.completed(d)).cloned().collect()
    }

    /// Returns the task to do next, and why each task left out was left out.
    ///
    /// Candidates are the tasks that are neither completed, blocked nor deferred and whose
    /// dependencies are all completed (a task in progress is one: it is to be finished).
    /// They are ordered by phase (the current one first, as phases are done in order), then
    /// priority (`P0` before `P1`, a task without one last), then document order.
    pub fn next(&self) -> (Option<&Task>, Vec<Skipped>) {
        let mut skipped = Vec::new();
        let mut candidates = Vec::new();
        for task in &self.tasks {
            let reason = match task.status {
                Some(Status::Complete) => Some("completed"),
                Some(Status::Blocked) => Some("blocked"),
                Some(Status::Deferred) => Some("deferred"),
                _ => None,
            };
            let waiting_on = if reason.is_none() { self.waiting_on(task) } else { Vec::new() };
            match reason {
                Some(reason) => skipped.push(Skipped { id: task.id.clone(), reason, waiting_on }),
                None if !waiting_on.is_empty() => {
                    skipped.push(Skipped { id: task.id.clone(), reason: "waiting", waiting_on });
                }
                None => candidates.push(task),
            }
        }
        candidates.sort_by_key(|t| (t.phase, priority_rank(t.priority.as_deref()), t.line));
        (candidates.first().copied(), skipped)
    }

    /// Returns the format the plan writes times in: the first date-time it holds in a
    /// session-log date cell or a task's `started` or `completed`, else [`TIMESTAMP`].
    pub fn timestamp_format(&self) -> &'static str {
        let cells = self
            .doc
            .tables
            .iter()
            .filter(|t| t.kind == "session-log")
            .flat_map(|t| t.rows.iter().filter_map(|r| r.first()).cloned());
        let times = self.doc.plan_tasks.iter().flat_map(|t| t.started.iter().chain(&t.completed).cloned());
        cells.chain(times).find_map(|s| time_format(s.trim())).unwrap_or(TIMESTAMP)
    }
}

/// The date-time formats a plan may use, most specific first.
const FORMATS: [&str; 5] =
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"];

/// Returns the format `text` is written in, when it is a date or date-time.
fn time_format(text: &str) -> Option<&'static str> {
    FORMATS.into_iter().find(|f| match *f {
        "%Y-%m-%d" => chrono::NaiveDate::parse_from_str(text, f).is_ok(),
        _ => chrono::NaiveDateTime::parse_from_str(text, f).is_ok(),
    })
}

/// Returns whether `text` is a date or date-time (not a placeholder).
pub(super) fn is_time(text: &str) -> bool {
    time_format(text.trim()).is_some()
}

/// Returns the rank of a priority: `P0` is 0, `P1` 1 ...; anything else comes last.
pub fn priority_rank(priority: Option<&str>) -> u32 {
    let Some(p) = priority else { return u32::MAX };
    let p = p.trim().trim_matches('*').trim();
    p.strip_prefix(['P', 'p']).and_then(|n| n.parse::<u32>().ok()).unwrap_or(u32::MAX)
}

/// Returns the index into `doc.sections` of the phase that holds `line`: the innermost
/// section with a `Phase N` heading, else the innermost section.
fn phase_section(doc: &Document, line: usize) -> Option<usize> {
    let offset = doc.lines.start_of(line)?;
    let holding: Vec<usize> =
        (0..doc.sections.len()).filter(|&i| doc.sections[i].range.contains(&offset)).collect();
    holding
        .iter()
        .rev()
        .find(|&&i| numbered_heading(doc.section_text(&doc.sections[i]), "phase").is_some())
        .or(holding.last())
        .copied()
}

/// Returns the ids a task says it depends on: a YAML `depends_on`, `dependencies`,
/// `depends` or `requires` (a list or a comma-separated text), or a tracker column of one
/// of those names.
fn dependencies(doc: &Document, pt: &PlanTask) -> Vec<String> {
    const KEYS: [&str; 5] = ["depends_on", "dependencies", "depends", "requires", "depends on"];
    let text = match (pt.block, pt.row) {
        (Some(b), _) => match mapping(doc, b, &pt.path) {
            Some(Value::Object(map)) => KEYS.iter().find_map(|k| map.get(*k)).map(|v| match v {
                Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(","),
                other => value_text(other),
            }),
            _ => None,
        },
        (None, Some((table, ri))) => row_cell(doc, table, ri, &KEYS),
        _ => None,
    };
    text.map(|t| {
        t.split([',', ';', ' '])
            .map(|s| s.trim().trim_matches('*').trim_matches('`').to_string())
            .filter(|s| {
                !s.is_empty() && !["-", "—", "none", "n/a"].contains(&s.to_ascii_lowercase().as_str())
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Returns a task's `dependents` text.
fn dependents(doc: &Document, pt: &PlanTask) -> Option<String> {
    match (pt.block, pt.row) {
        (Some(b), _) => match mapping(doc, b, &pt.path) {
            Some(Value::Object(map)) => map.get("dependents").map(value_text),
            _ => None,
        },
        (None, Some((table, ri))) => row_cell(doc, table, ri, &["dependents"]),
        _ => None,
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The JSON value of the mapping at `path` in the `block`-th YAML block.
fn mapping<'v>(doc: &'v Document, block: usize, path: &[Seg]) -> Option<&'v Value> {
    let mut v = &doc.yaml_blocks.get(block)?.value;
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.get(k)?,
            Seg::Index(i) => v.get(i)?,
        };
    }
    Some(v)
}

/// The text of the cell in the column named one of `names` of a tracker row.
fn row_cell(doc: &Document, table: usize, row: usize, names: &[&str]) -> Option<String> {
    let info = doc.tables.iter().find(|t| t.index == table)?;
    let col = info.column(names)?;
    info.rows.get(row)?.get(col).cloned()
}

/// Returns whether `text` names `id` as a whole word.
fn names(text: &str, id: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    text.match_indices(id).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_rank_p0_first_and_unknown_last() {
        assert!(priority_rank(Some("P0")) < priority_rank(Some("P1")));
        assert_eq!(priority_rank(Some("**P2**")), 2);
        assert_eq!(priority_rank(Some("High")), u32::MAX);
        assert_eq!(priority_rank(None), u32::MAX);
    }

    #[test]
    fn ids_are_named_as_whole_words() {
        assert!(names("TASKS-01, TASKS-02", "TASKS-01"));
        assert!(!names("TASKS-010", "TASKS-01"));
        assert!(!names("XTASKS-01", "TASKS-01"));
        assert!(names("needed by TASKS-01.", "TASKS-01"));
    }

    #[test]
    fn time_formats_are_recognised() {
        assert_eq!(time_format("2026-11-21T14:05:00"), Some("%Y-%m-%dT%H:%M:%S"));
        assert_eq!(time_format("2026-11-21 14:05"), Some("%Y-%m-%d %H:%M"));
        assert_eq!(time_format("2026-11-21"), Some("%Y-%m-%d"));
        assert_eq!(time_format("YYYY-MM-DDTHH:MM:SS"), None);
    }
}
