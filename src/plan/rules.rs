//! The rules of each step: what it refuses, and what it sets in the task's block.

use crate::document::status::StatusStyle;
use crate::document::structure::CheckList;
use crate::document::yaml::Seg;
use crate::document::{PlanTask, Status};

use super::step::{PlanError, Step, item_path, key_path};
use super::{Plan, Task, is_time};

impl Plan<'_, '_> {
    /// Returns the rules `step` breaks, else the scalars it sets in the target's block and
    /// the status it gives the task.
    pub(super) fn rules(&self, t: &Target, step: &Step, now: &str) -> Result<Rules, PlanError> {
        let id = t.task.id.as_str();
        let mut r = Rules::default();
        let implementation = t.block.and_then(|y| y.implementation_path.as_ref());
        match step {
            Step::Check { pre, items } => r.sets = t.tick(*pre, items)?,
            Step::Start => {
                match t.status {
                    Some(Status::Complete) => r.refused.push(format!("`{id}` is already {}", t.shown_status)),
                    Some(Status::InProgress) => {
                        r.refused
                            .push(format!("`{id}` is already {}: log it or complete it", t.shown_status));
                    }
                    _ => {}
                }
                for dep in self.waiting_on(t.task) {
                    let found = self.tasks.iter().find(|other| other.id == dep);
                    let dep_status =
                        found.and_then(|o| o.status_text.clone()).unwrap_or_else(|| "not in the plan".into());
                    r.refused.push(format!("`{id}` depends on `{dep}`, which is {dep_status}"));
                }
                r.sets.extend(t.hold(true, &mut r.refused));
                if let Some(implementation) = implementation
                    && t.block.and_then(|y| y.started.as_deref()).is_none_or(|s| !is_time(s))
                {
                    r.sets.push((key_path(implementation, "started"), now.into()));
                }
                r.new_status = Some(Status::InProgress);
            }
            Step::Done => {
                match t.status {
                    Some(Status::Complete) => r.refused.push(format!("`{id}` is already {}", t.shown_status)),
                    Some(Status::InProgress) => {}
                    _ => r.refused.push(format!(
                        "`{id}` is {}, not in progress: start it first with `git milestone plan start {id}`",
                        t.shown_status
                    )),
                }
                r.sets.extend(t.hold(false, &mut r.refused));
                if let Some(implementation) = implementation {
                    r.sets.push((key_path(implementation, "completed"), now.into()));
                }
                r.new_status = Some(Status::Complete);
            }
            Step::Block { .. } | Step::Defer { .. } => {
                if t.status == Some(Status::Complete) {
                    r.refused.push(format!("`{id}` is already {}", t.shown_status));
                }
                let blocked = matches!(step, Step::Block { .. });
                r.new_status = Some(if blocked { Status::Blocked } else { Status::Deferred });
            }
            Step::Log { .. } => {}
        }
        if let (Some(s), Some(implementation)) = (r.new_status, implementation) {
            r.sets.push((key_path(implementation, "status"), t.style.render(s)));
        }
        Ok(r)
    }
}

/// The task a step is on, and the block its rules are read from and its YAML edits made in:
/// the task file's when there is one, else the plan's.
pub(super) struct Target<'x> {
    pub(super) task: &'x Task,
    pub(super) block: Option<&'x PlanTask>,
    /// How the block's file is named in messages.
    pub(super) shown: &'x str,
    pub(super) status: Option<Status>,
    /// The task's status as the plan writes it, for messages.
    pub(super) shown_status: String,
    /// How the block's file writes statuses.
    pub(super) style: StatusStyle,
}

/// What a step's rules say: each one broken, else what to set.
#[derive(Default)]
pub(super) struct Rules {
    pub(super) refused: Vec<String>,
    pub(super) sets: Vec<(Vec<Seg>, String)>,
    pub(super) new_status: Option<Status>,
}

impl Target<'_> {
    fn at(&self, line: usize) -> String {
        format!("{}:{line}", self.shown)
    }

    fn check(&self, pre: bool) -> Option<&CheckList> {
        self.block.and_then(|y| if pre { y.pre_check.as_ref() } else { y.post_check.as_ref() })
    }

    /// Returns the sets that tick `items` of the pre- or post-check.
    fn tick(&self, pre: bool, items: &[String]) -> Result<Vec<(Vec<Seg>, String)>, PlanError> {
        let id = self.task.id.clone();
        let which = if pre { "pre_check" } else { "post_check" };
        let Some(check) = self.check(pre).filter(|c| !c.items.is_empty()) else {
            let line = self.block.map_or(self.task.line, |y| y.line);
            return Err(PlanError::NoChecklist { id, which, at: self.at(line) });
        };
        let mut sets = Vec::new();
        for item in items {
            let Some(index) = check.items.iter().position(|i| &i.name == item) else {
                return Err(PlanError::NoSuchItem {
                    id,
                    which,
                    item: item.clone(),
                    known: check.items.iter().map(|i| i.name.clone()).collect(),
                    at: self.at(check.items.first().map_or(self.task.line, |i| i.line)),
                });
            };
            if !check.items[index].value {
                sets.push((item_path(&check.path, index, item), "true".into()));
            }
        }
        Ok(sets)
    }

    /// Adds to `refused` each item of the pre- or post-check that is not true, and returns
    /// the set that marks the check completed.
    fn hold(&self, pre: bool, refused: &mut Vec<String>) -> Option<(Vec<Seg>, String)> {
        let which = if pre { "pre_check" } else { "post_check" };
        let check = self.check(pre)?;
        for item in check.items.iter().filter(|i| !i.value) {
            refused.push(format!("{which} item `{}` is not true ({})", item.name, self.at(item.line)));
        }
        Some((key_path(&check.path, "status"), self.style.render(Status::Complete)))
    }
}

/// Returns the session-log note of `step`; `None` for `check`, which adds no row.
pub(super) fn log_note(step: &Step, block: Option<&PlanTask>) -> Option<String> {
    match step {
        Step::Check { .. } => None,
        Step::Start => {
            Some(with_items("Started; pre-checks verified", block.and_then(|y| y.pre_check.as_ref())))
        }
        Step::Done => {
            Some(with_items("Completed; post-checks verified", block.and_then(|y| y.post_check.as_ref())))
        }
        Step::Log { note } => Some(note.clone()),
        Step::Block { why } => Some(format!("Blocked: {why}")),
        Step::Defer { why } => {
            Some(why.as_ref().map_or_else(|| "Deferred.".into(), |w| format!("Deferred: {w}")))
        }
    }
}

/// Returns `text` plus the names of the check's items: `Started; pre-checks verified: a, b.`
fn with_items(text: &str, check: Option<&CheckList>) -> String {
    let names: Vec<&str> = check.iter().flat_map(|c| &c.items).map(|i| i.name.as_str()).collect();
    if names.is_empty() { format!("{text}.") } else { format!("{text}: {}.", names.join(", ")) }
}
