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

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;

use crate::document::edit::EditError;
use crate::document::status::StatusStyle;
use crate::document::structure::numbered_heading;
use crate::document::yaml::Seg;
use crate::document::{Document, PlanTask, Status};
use crate::markdown::Edit;

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

/// A step of the workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Set checklist items of the pre-check (`pre` true) or post-check to true.
    Check {
        pre: bool,
        items: Vec<String>,
    },
    Start,
    Log {
        note: String,
    },
    Done,
    Block {
        why: String,
    },
    Defer {
        why: Option<String>,
    },
}

impl Step {
    /// The word for it in messages.
    pub fn verb(&self) -> &'static str {
        match self {
            Step::Check { .. } => "check",
            Step::Start => "start",
            Step::Log { .. } => "log",
            Step::Done => "complete",
            Step::Block { .. } => "block",
            Step::Defer { .. } => "defer",
        }
    }
}

/// Why a step cannot be taken at all (bad input: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no task `{id}` in the plan")]
    NoSuchTask { id: String, known: Vec<String> },
    #[error("task `{id}` has no {which} checklist")]
    NoChecklist { id: String, which: &'static str, at: String },
    #[error("task `{id}` has no {which} item `{item}`")]
    NoSuchItem { id: String, which: &'static str, item: String, known: Vec<String>, at: String },
    #[error("the plan has no session-log table (`| Date | Task ID | Status | Notes |`)")]
    NoSessionLog,
    #[error("{problem}")]
    Edit { problem: EditError, line: Option<usize> },
}

/// What a step does: the edits to the plan and to the task's own file, or why it is refused.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Each unmet rule, with where it is (`file:line`); empty when the step was taken.
    pub refused: Vec<String>,
    pub plan_edits: Vec<Edit>,
    pub file_edits: Vec<Edit>,
    /// The session-log row added: date, task, status, notes.
    pub log_row: Option<[String; 4]>,
    /// Things worth saying that did not stop the step.
    pub warnings: Vec<String>,
}

/// The task's own file, parsed, with how it is named in messages.
#[derive(Debug, Clone, Copy)]
pub struct TaskFile<'d, 'a> {
    pub shown: &'d str,
    pub doc: &'d Document<'a>,
}

/// One place where a task file and the plan's copy of its block disagree (or the plan's
/// tracker row and YAML block).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub task: String,
    /// `implementation.status`, `pre_check.verified_req`, `tracker.status` ...
    pub field: String,
    /// What the plan has, and where.
    pub plan: Option<String>,
    pub plan_at: String,
    /// What the task file (or, for `tracker.status`, the YAML block) has, and where.
    pub other: Option<String>,
    pub other_at: String,
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

    /// Returns what `step` does to task `id` at time `now` (already formatted as the
    /// document writes times: see [`Plan::timestamp_format`]).
    ///
    /// With a task file, the YAML edits are made there and the plan's copy of the block is
    /// brought in line with the file's result; the tracker rows and the session log are
    /// the plan's.
    ///
    /// # Errors
    ///
    /// Fails for an unknown task or checklist item, or when an edit cannot be made.
    pub fn step(
        &self,
        id: &str,
        step: &Step,
        now: &str,
        file: Option<TaskFile>,
    ) -> Result<Outcome, PlanError> {
        let task = self.task(id)?;
        let mut out = Outcome::default();
        let plan_yaml = self.yaml_of(task);
        let file_yaml = file.and_then(|f| f.doc.plan_tasks.iter().find(|t| t.id == id && t.block.is_some()));
        if file.is_some() && file_yaml.is_none() {
            out.warnings.push(format!(
                "{} has no YAML tracking block for `{id}`: the plan's block is used",
                file.map_or("", |f| f.shown)
            ));
        }
        // The block the rules are read from and the step is made in.
        let (primary_doc, primary, shown) = match (file, file_yaml) {
            (Some(f), Some(y)) => (f.doc, Some(y), f.shown),
            _ => (self.doc, plan_yaml, self.shown),
        };
        let at = |line: usize| format!("{shown}:{line}");
        let status = primary.and_then(|y| y.status).or(task.status);
        let status_word = |s: Status| status_style(primary_doc).render(s);
        let shown_status = task.status_text.clone().unwrap_or_else(|| "no status".into());

        // The rules, then the YAML scalars the step sets in the primary block.
        let mut sets: Vec<(Vec<Seg>, String)> = Vec::new();
        let mut new_status = None;
        match step {
            Step::Check { pre, items } => {
                let which = if *pre { "pre_check" } else { "post_check" };
                let check =
                    primary.and_then(|y| if *pre { y.pre_check.as_ref() } else { y.post_check.as_ref() });
                let Some(check) = check.filter(|c| !c.items.is_empty()) else {
                    let line = primary.map_or(task.line, |y| y.line);
                    return Err(PlanError::NoChecklist { id: id.into(), which, at: at(line) });
                };
                for item in items {
                    let Some(index) = check.items.iter().position(|i| &i.name == item) else {
                        return Err(PlanError::NoSuchItem {
                            id: id.into(),
                            which,
                            item: item.clone(),
                            known: check.items.iter().map(|i| i.name.clone()).collect(),
                            at: at(check.items.first().map_or(task.line, |i| i.line)),
                        });
                    };
                    if !check.items[index].value {
                        sets.push((item_path(&check.path, index, item), "true".into()));
                    }
                }
            }
            Step::Start => {
                match status {
                    Some(Status::Complete) => out.refused.push(format!("`{id}` is already {shown_status}")),
                    Some(Status::InProgress) => {
                        out.refused.push(format!("`{id}` is already {shown_status}: log it or complete it"))
                    }
                    _ => {}
                }
                for dep in self.waiting_on(task) {
                    let dep_status = self
                        .tasks
                        .iter()
                        .find(|t| t.id == dep)
                        .and_then(|t| t.status_text.clone())
                        .unwrap_or_else(|| "not in the plan".into());
                    out.refused.push(format!("`{id}` depends on `{dep}`, which is {dep_status}"));
                }
                let check = primary.and_then(|y| y.pre_check.as_ref());
                for item in check.iter().flat_map(|c| &c.items).filter(|i| !i.value) {
                    out.refused.push(format!(
                        "pre_check item `{}` is not true ({})",
                        item.name,
                        at(item.line)
                    ));
                }
                if let Some(check) = check {
                    sets.push((key_path(&check.path, "status"), status_word(Status::Complete)));
                }
                if let Some(implementation) = primary.and_then(|y| y.implementation_path.as_ref())
                    && primary.and_then(|y| y.started.as_deref()).is_none_or(|s| !is_time(s))
                {
                    sets.push((key_path(implementation, "started"), now.into()));
                }
                new_status = Some(Status::InProgress);
            }
            Step::Done => {
                match status {
                    Some(Status::Complete) => out.refused.push(format!("`{id}` is already {shown_status}")),
                    Some(Status::InProgress) => {}
                    _ => out.refused.push(format!(
                        "`{id}` is {shown_status}, not in progress: start it first with `git milestone plan start {id}`"
                    )),
                }
                let check = primary.and_then(|y| y.post_check.as_ref());
                for item in check.iter().flat_map(|c| &c.items).filter(|i| !i.value) {
                    out.refused.push(format!(
                        "post_check item `{}` is not true ({})",
                        item.name,
                        at(item.line)
                    ));
                }
                if let Some(check) = check {
                    sets.push((key_path(&check.path, "status"), status_word(Status::Complete)));
                }
                if let Some(implementation) = primary.and_then(|y| y.implementation_path.as_ref()) {
                    sets.push((key_path(implementation, "completed"), now.into()));
                }
                new_status = Some(Status::Complete);
            }
            Step::Block { .. } | Step::Defer { .. } => {
                if status == Some(Status::Complete) {
                    out.refused.push(format!("`{id}` is already {shown_status}"));
                }
                new_status =
                    Some(if matches!(step, Step::Block { .. }) { Status::Blocked } else { Status::Deferred });
            }
            Step::Log { .. } => {}
        }
        if !out.refused.is_empty() {
            return Ok(out);
        }
        if let (Some(s), Some(implementation)) =
            (new_status, primary.and_then(|y| y.implementation_path.as_ref()))
        {
            sets.push((key_path(implementation, "status"), status_word(s)));
        }

        // Make them in the primary block; a task file's result then flows into the plan.
        let mut plan_edits = Vec::new();
        match (file, file_yaml) {
            (Some(f), Some(y)) => {
                out.file_edits = yaml_edits(f.doc, y, &sets)?;
                let text = f.doc.apply(&out.file_edits);
                let after = Document::parse(&text).map_err(|e| PlanError::Edit {
                    problem: EditError::InvalidPath { message: e.to_string() },
                    line: None,
                })?;
                if let (Some(copy), Some(source)) =
                    (plan_yaml, after.plan_tasks.iter().find(|t| t.id == id && t.block.is_some()))
                {
                    let (edits, missing) = self.follow(copy, source)?;
                    plan_edits.extend(edits);
                    out.warnings.extend(
                        missing.into_iter().map(|name| {
                            format!("`{id}`: {name} is in {} but not in the plan's block", f.shown)
                        }),
                    );
                }
            }
            _ => {
                if let Some(y) = plan_yaml {
                    plan_edits.extend(yaml_edits(self.doc, y, &sets)?);
                }
            }
        }

        // The tracker rows.
        if let Some(s) = new_status {
            plan_edits.extend(self.tracker_edits(task, s, step, now)?);
        }
        // The session-log row.
        let note = match step {
            Step::Check { .. } => None,
            Step::Start => {
                Some(with_items("Started; pre-checks verified", primary.and_then(|y| y.pre_check.as_ref())))
            }
            Step::Done => Some(with_items(
                "Completed; post-checks verified",
                primary.and_then(|y| y.post_check.as_ref()),
            )),
            Step::Log { note } => Some(note.clone()),
            Step::Block { why } => Some(format!("Blocked: {why}")),
            Step::Defer { why } => {
                Some(why.as_ref().map_or_else(|| "Deferred.".into(), |w| format!("Deferred: {w}")))
            }
        };
        if let Some(note) = note {
            let status = new_status.or(status);
            let status_text = match status {
                Some(s) => self.tracker_word(s),
                None => shown_status,
            };
            let row = [now.to_string(), id.to_string(), status_text, note];
            match self.session_log_edit(&row)? {
                Some(edit) => {
                    plan_edits.push(edit);
                    out.log_row = Some(row);
                }
                None if matches!(step, Step::Log { .. }) => return Err(PlanError::NoSessionLog),
                None => out.warnings.push("the plan has no session-log table: no row was added".into()),
            }
        }
        out.plan_edits = plan_edits;
        Ok(out)
    }

    /// Returns the edits that make the plan's copy `copy` of a task block agree with
    /// `source` (the task file's block), and the fields the copy lacks.
    fn follow(&self, copy: &PlanTask, source: &PlanTask) -> Result<(Vec<Edit>, Vec<String>), PlanError> {
        let theirs = fields(source);
        let ours = fields(copy);
        let mut sets = Vec::new();
        let mut missing = Vec::new();
        for (name, (value, _, _)) in &theirs {
            match ours.iter().find(|(n, _)| n == name) {
                Some((_, (mine, path, _))) if mine != value => {
                    let text = value.clone().unwrap_or_else(|| "null".into());
                    sets.push((path.clone(), text));
                }
                Some(_) => {}
                None => missing.push(name.clone()),
            }
        }
        Ok((yaml_edits(self.doc, copy, &sets)?, missing))
    }

    /// Returns every place where the plan disagrees with a task file (`files`: the task
    /// files found, by task id) or its tracker rows with its YAML block.
    pub fn disagreements(&self, files: &HashMap<String, TaskFile>) -> Vec<Disagreement> {
        let shown = self.shown;
        let mut out = Vec::new();
        for task in &self.tasks {
            let yaml = self.yaml_of(task);
            for &r in &task.rows {
                let row = &self.doc.plan_tasks[r];
                if let Some(y) = yaml.filter(|y| y.status.is_some() && y.status != row.status) {
                    out.push(Disagreement {
                        task: task.id.clone(),
                        field: "tracker.status".into(),
                        plan: row.status_text.clone(),
                        plan_at: format!("{shown}:{}", row.line),
                        other: y.status_text.clone(),
                        other_at: format!("{shown}:{}", y.line),
                    });
                }
            }
            let Some(file) = files.get(&task.id) else { continue };
            let Some(theirs) = file.doc.plan_tasks.iter().find(|t| t.id == task.id && t.block.is_some())
            else {
                continue;
            };
            let Some(copy) = yaml else {
                out.push(Disagreement {
                    task: task.id.clone(),
                    field: "block".into(),
                    plan: None,
                    plan_at: format!("{shown}:{}", task.line),
                    other: Some("tasks_tracking".into()),
                    other_at: format!("{}:{}", file.shown, theirs.line),
                });
                continue;
            };
            let ours = fields(copy);
            let mut seen = Vec::new();
            for (name, (value, _, line)) in fields(theirs) {
                let mine = ours.iter().find(|(n, _)| *n == name);
                if mine.is_some_and(|(_, (v, _, _))| *v == value) {
                    seen.push(name);
                    continue;
                }
                out.push(Disagreement {
                    task: task.id.clone(),
                    field: name.clone(),
                    plan: mine.and_then(|(_, (v, _, _))| v.clone()),
                    plan_at: format!("{shown}:{}", mine.map_or(copy.line, |(_, (_, _, l))| *l)),
                    other: value,
                    other_at: format!("{}:{line}", file.shown),
                });
                seen.push(name);
            }
            for (name, (value, _, line)) in ours.into_iter().filter(|(n, _)| !seen.contains(n)) {
                out.push(Disagreement {
                    task: task.id.clone(),
                    field: name,
                    plan: value,
                    plan_at: format!("{shown}:{line}"),
                    other: None,
                    other_at: format!("{}:{}", file.shown, theirs.line),
                });
            }
        }
        out
    }

    /// Returns the word the plan's tracker uses for `status` (`COMPLETED`).
    fn tracker_word(&self, status: Status) -> String {
        status_style(self.doc).render(status)
    }

    /// Returns the edits that set the tracker rows of `task` to `status`, and a date column
    /// (`Started`, `Completed`) when the table has one.
    fn tracker_edits(
        &self,
        task: &Task,
        status: Status,
        step: &Step,
        now: &str,
    ) -> Result<Vec<Edit>, PlanError> {
        let mut edits = Vec::new();
        for &r in &task.rows {
            let row = &self.doc.plan_tasks[r];
            let Some((table, ri)) = row.row else { continue };
            let info = self.doc.tables.iter().find(|t| t.index == table);
            let Some(info) = info else { continue };
            let column = |names: &[&str]| {
                info.columns.iter().position(|c| names.iter().any(|n| c.trim().eq_ignore_ascii_case(n)))
            };
            if let Some(col) = column(&["status"]) {
                let cells = info.rows.iter().filter_map(|r| r.get(col)).map(String::as_str);
                let word = StatusStyle::learn(cells).render(status);
                if info.rows.get(ri).and_then(|r| r.get(col)).is_none_or(|c| *c != word) {
                    edits.push(self.cell(table, ri, col, &word, row.line)?);
                }
            }
            let date_col = match step {
                Step::Start => column(&["started", "start", "start date", "started at"]),
                Step::Done => column(&[
                    "completed",
                    "completion",
                    "completion date",
                    "completed at",
                    "done",
                    "finished",
                ]),
                _ => None,
            };
            if let Some(col) = date_col {
                edits.push(self.cell(table, ri, col, now, row.line)?);
            }
        }
        Ok(edits)
    }

    fn cell(
        &self,
        table: usize,
        row: usize,
        col: usize,
        value: &str,
        line: usize,
    ) -> Result<Edit, PlanError> {
        self.doc
            .set_table_cell(table, row, col, value)
            .map_err(|problem| PlanError::Edit { problem, line: Some(line) })
    }

    /// Returns the edit that adds `row` (date, task, status, notes) to the session log, or
    /// `None` when the plan has no session-log table.
    fn session_log_edit(&self, row: &[String; 4]) -> Result<Option<Edit>, PlanError> {
        let Some(info) = self.doc.tables.iter().find(|t| t.kind == "session-log") else {
            return Ok(None);
        };
        let column = |names: &[&str]| {
            info.columns.iter().position(|c| names.iter().any(|n| c.trim().to_ascii_lowercase().contains(n)))
        };
        let places = [
            column(&["date", "time", "when"]),
            column(&["task"]),
            column(&["status"]),
            column(&["note", "summary", "description", "detail", "action"]),
        ];
        let mut cells = vec![""; info.columns.len()];
        for (value, place) in row.iter().zip(places) {
            if let Some(c) = place {
                cells[c] = value;
            }
        }
        self.doc
            .append_table_row(info.index, &cells)
            .map(Some)
            .map_err(|problem| PlanError::Edit { problem, line: Some(info.line) })
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
fn is_time(text: &str) -> bool {
    time_format(text.trim()).is_some()
}

/// The style a document writes task statuses in: the form's own words
/// (`NOT_STARTED` ... `COMPLETED`) when its statuses are written so.
fn status_style(doc: &Document) -> StatusStyle {
    let texts: Vec<&str> = doc.plan_tasks.iter().filter_map(|t| t.status_text.as_deref()).collect();
    let mut style = StatusStyle::learn(texts.iter().copied());
    if texts.iter().all(|t| t.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')) {
        // The form's legend: NOT_STARTED | IN_PROGRESS | BLOCKED | COMPLETED | DEFERRED.
        style = StatusStyle::learn(["NOT_STARTED", "IN_PROGRESS", "COMPLETED"]);
    }
    style
}

/// Returns `text` plus the names of the check's items: `Started; pre-checks verified: a, b.`
fn with_items(text: &str, check: Option<&crate::document::structure::CheckList>) -> String {
    let names: Vec<&str> = check.iter().flat_map(|c| &c.items).map(|i| i.name.as_str()).collect();
    if names.is_empty() { format!("{text}.") } else { format!("{text}: {}.", names.join(", ")) }
}

/// The tracked fields of a YAML task: name, then (value, path in its block, line).
type Fields = Vec<(String, (Option<String>, Vec<Seg>, usize))>;

/// Returns the fields a task file's block and the plan's copy must agree on: the checks'
/// statuses and items, and the implementation's status and times.
fn fields(t: &PlanTask) -> Fields {
    let mut out: Fields = Vec::new();
    for (which, check) in [("pre_check", &t.pre_check), ("post_check", &t.post_check)] {
        let Some(check) = check else { continue };
        out.push((
            format!("{which}.status"),
            (check.status.clone(), key_path(&check.path, "status"), t.line),
        ));
        for (i, item) in check.items.iter().enumerate() {
            out.push((
                format!("{which}.{}", item.name),
                (Some(item.value.to_string()), item_path(&check.path, i, &item.name), item.line),
            ));
        }
    }
    if let Some(implementation) = &t.implementation_path {
        for (key, value) in [("status", &t.status_text), ("started", &t.started), ("completed", &t.completed)]
        {
            out.push((
                format!("implementation.{key}"),
                (value.clone(), key_path(implementation, key), t.line),
            ));
        }
    }
    out
}

/// Returns the edits that set each `(path, value)` in `task`'s YAML block of `doc`.
fn yaml_edits(doc: &Document, task: &PlanTask, sets: &[(Vec<Seg>, String)]) -> Result<Vec<Edit>, PlanError> {
    let Some(block) = task.block.and_then(|b| doc.yaml_blocks.get(b)) else {
        return Ok(Vec::new());
    };
    sets.iter()
        .map(|(path, value)| {
            doc.set_yaml_segs(block.content.clone(), path, value)
                .map(|edit| keep_comment_column(doc.text, edit))
                .map_err(|problem| PlanError::Edit { problem, line: Some(task.line) })
        })
        .collect()
}

/// Returns `edit` widened or padded so that a comment after the value stays in its column:
/// `false       # x` becomes `true        # x`, `null   # x` becomes `2026-11-21 # x`
/// when there are spaces to spare (one always stays).
fn keep_comment_column(text: &str, mut edit: Edit) -> Edit {
    let rest = &text[edit.range.end..];
    let line_rest = rest.split(['\n', '\r']).next().unwrap_or_default();
    let spaces = line_rest.len() - line_rest.trim_start_matches(' ').len();
    if spaces == 0 || !line_rest[spaces..].starts_with('#') || edit.text.contains('\n') {
        return edit;
    }
    let old = text[edit.range.clone()].chars().count();
    let new = edit.text.chars().count();
    if new < old {
        edit.text.push_str(&" ".repeat(old - new));
    } else {
        edit.range.end += (new - old).min(spaces - 1);
    }
    edit
}

fn key_path(base: &[Seg], key: &str) -> Vec<Seg> {
    let mut path = base.to_vec();
    path.push(Seg::Key(key.to_string()));
    path
}

fn item_path(check: &[Seg], index: usize, name: &str) -> Vec<Seg> {
    let mut path = key_path(check, "checklist");
    path.push(Seg::Index(index));
    path.push(Seg::Key(name.to_string()));
    path
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
    let col = info.columns.iter().position(|c| names.iter().any(|n| c.trim().eq_ignore_ascii_case(n)))?;
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

    #[test]
    fn the_form_writes_its_own_status_words() {
        let text = "```yaml\nt:\n  - id: A\n    implementation:\n      status: NOT_STARTED\n```\n";
        let doc = Document::parse(text).expect("parses");
        let style = status_style(&doc);
        assert_eq!(style.render(Status::Complete), "COMPLETED");
        assert_eq!(style.render(Status::InProgress), "IN_PROGRESS");
        assert_eq!(style.render(Status::Blocked), "BLOCKED");
        assert_eq!(style.render(Status::Deferred), "DEFERRED");
    }
}
