//! The steps of the workflow: the edits each one makes (its rules are in `rules.rs`) to the
//! task's YAML block (in the task file first, when there is one), its tracker rows and the
//! session log.

use crate::document::edit::EditError;
use crate::document::status::StatusStyle;
use crate::document::yaml::Seg;
use crate::document::{Document, PlanTask, Status};
use crate::markdown::Edit;

use super::rules::{Rules, Target, log_note};
use super::verify::fields;
use super::{Plan, Task};

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
    /// Returns the subcommand's name (`done`), as JSON output gives it.
    pub fn name(&self) -> &'static str {
        match self {
            Step::Check { .. } => "check",
            Step::Start => "start",
            Step::Log { .. } => "log",
            Step::Done => "done",
            Step::Block { .. } => "block",
            Step::Defer { .. } => "defer",
        }
    }

    /// Returns the word for it in messages (`complete` for `done`).
    pub fn verb(&self) -> &'static str {
        match self {
            Step::Done => "complete",
            other => other.name(),
        }
    }
}

/// Why a plan command cannot run at all (bad input: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no implementation plan: `{path}` does not exist")]
    NoPlan { path: String },
    #[error("`{path}` has no tasks: it is not an implementation plan")]
    NoTasks { path: String },
    #[error("no task `{id}` in the plan")]
    NoSuchTask { id: String, known: Vec<String> },
    #[error("task `{id}` has no {which} checklist")]
    NoChecklist { id: String, which: &'static str, at: String },
    #[error("task `{id}` has no {which} item `{item}`")]
    NoSuchItem { id: String, which: &'static str, item: String, known: Vec<String>, at: String },
    #[error("task `{id}` has {} task files", files.len())]
    TaskFiles { id: String, files: Vec<String> },
    #[error("the plan has no session-log table (`| Date | Task ID | Status | Notes |`)")]
    NoSessionLog,
    #[error("{problem}")]
    Edit { problem: EditError, line: Option<usize> },
}

impl PlanError {
    /// Returns where the problem is: `file:line`, or the files; `None` for the plan itself.
    pub fn at(&self) -> Option<String> {
        match self {
            PlanError::NoChecklist { at, .. } | PlanError::NoSuchItem { at, .. } => Some(at.clone()),
            PlanError::TaskFiles { files, .. } => Some(files.join(", ")),
            _ => None,
        }
    }

    /// Returns the plan's line the problem is on, when it is one line of the plan.
    pub fn line(&self) -> Option<usize> {
        match self {
            PlanError::Edit { line, .. } => *line,
            _ => None,
        }
    }

    /// Returns how to fix it.
    pub fn hint(&self) -> String {
        match self {
            PlanError::NoPlan { .. } => {
                "name it with `--plan PATH`, or set `plans.implementation` in .milestone.yml".into()
            }
            PlanError::NoTasks { .. } => "a plan lists its tasks in phase-tracker tables (`| Status | ID | Task | Priority |`) or fenced YAML blocks of `- id:` items with `workflow:`".into(),
            PlanError::NoSuchTask { known, .. } => format!("the plan's tasks are: {}", known.join(", ")),
            PlanError::NoChecklist { which, .. } => {
                format!("add a `{which}:` with a `checklist:` of `- item: false` lines to the task's YAML block")
            }
            PlanError::NoSuchItem { known, .. } => format!("the items are: {}", known.join(", ")),
            PlanError::TaskFiles { .. } => "keep one file per task; rename or move the others".into(),
            PlanError::NoSessionLog => {
                "add a `## Session Log` section with a table `| Date | Task ID | Status | Notes |`".into()
            }
            PlanError::Edit { .. } => "fix the YAML or table there; `git milestone inspect` shows what it reads".into(),
        }
    }
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

impl<'d, 'a> Plan<'d, 'a> {
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
        if let (Some(f), None) = (file, file_yaml) {
            out.warnings
                .push(format!("{} has no YAML tracking block for `{id}`: the plan's block is used", f.shown));
        }
        // The block the rules are read from and the step is made in.
        let (doc, block, shown) = match (file, file_yaml) {
            (Some(f), Some(y)) => (f.doc, Some(y), f.shown),
            _ => (self.doc, plan_yaml, self.shown),
        };
        let target = Target {
            task,
            block,
            shown,
            status: block.and_then(|y| y.status).or(task.status),
            shown_status: task.status_text.clone().unwrap_or_else(|| "no status".into()),
            style: status_style(doc),
        };
        let Rules { refused, sets, new_status } = self.rules(&target, step, now)?;
        if !refused.is_empty() {
            out.refused = refused;
            return Ok(out);
        }

        // Make the sets in the block; a task file's result then flows into the plan.
        let mut plan_edits = Vec::new();
        match (file, file_yaml) {
            (Some(f), Some(y)) => {
                out.file_edits = yaml_edits(f.doc, y, &sets)?;
                let text = f.doc.apply(&out.file_edits);
                let after = Document::parse(&text).map_err(|e| PlanError::Edit {
                    problem: EditError::InvalidPath { message: e.to_string() },
                    line: None,
                })?;
                let source = after.plan_tasks.iter().find(|t| t.id == id && t.block.is_some());
                if let (Some(copy), Some(source)) = (plan_yaml, source) {
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
        if let Some(s) = new_status {
            plan_edits.extend(self.tracker_edits(task, s, step, now)?);
        }
        if let Some(note) = log_note(step, block) {
            let status_text = match new_status.or(target.status) {
                Some(s) => self.tracker_word(s),
                None => target.shown_status,
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
            if let Some(col) = info.column(&["status"]) {
                let cells = info.rows.iter().filter_map(|r| r.get(col)).map(String::as_str);
                let word = StatusStyle::learn(cells).render(status);
                if info.rows.get(ri).and_then(|r| r.get(col)).is_none_or(|c| *c != word) {
                    edits.push(self.cell(table, ri, col, &word, row.line)?);
                }
            }
            let date_col = match step {
                Step::Start => info.column(&["started", "start", "start date", "started at"]),
                Step::Done => info.column(&[
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
}

/// The style a document writes task statuses in: the form's own words
/// (`NOT_STARTED` ... `COMPLETED`) when its statuses are written so.
fn status_style(doc: &Document) -> StatusStyle {
    let texts: Vec<&str> = doc.plan_tasks.iter().filter_map(|t| t.status_text.as_deref()).collect();
    if texts.iter().all(|t| t.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')) {
        // The form's legend: NOT_STARTED | IN_PROGRESS | BLOCKED | COMPLETED | DEFERRED.
        return StatusStyle::learn(["NOT_STARTED", "IN_PROGRESS", "COMPLETED"]);
    }
    StatusStyle::learn(texts)
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

pub(super) fn key_path(base: &[Seg], key: &str) -> Vec<Seg> {
    let mut path = base.to_vec();
    path.push(Seg::Key(key.to_string()));
    path
}

pub(super) fn item_path(check: &[Seg], index: usize, name: &str) -> Vec<Seg> {
    let mut path = key_path(check, "checklist");
    path.push(Seg::Index(index));
    path.push(Seg::Key(name.to_string()));
    path
}

#[cfg(test)]
mod tests {
    use super::*;

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
