//! Where a task file and the plan's copy of its tracking block disagree, and where a
//! tracker row disagrees with its task's YAML block.

use std::collections::HashMap;

use serde::Serialize;

use crate::document::PlanTask;
use crate::document::yaml::Seg;

use super::Plan;
use super::step::{TaskFile, item_path, key_path};

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

impl Plan<'_, '_> {
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
}

/// The tracked fields of a YAML task: name, then (value, path in its block, line).
pub(super) type Fields = Vec<(String, (Option<String>, Vec<Seg>, usize))>;

/// Returns the fields a task file's block and the plan's copy must agree on: the checks'
/// statuses and items, and the implementation's status and times.
pub(super) fn fields(t: &PlanTask) -> Fields {
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
