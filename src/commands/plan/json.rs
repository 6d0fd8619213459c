//! The JSON of a plan's task and of its counts (documented in docs/json.md).

use serde_json::{Value, json};

use crate::plan::{Plan, Task};

/// The JSON of a task (documented in docs/json.md).
pub(super) fn task_json(plan: &Plan, task: &Task, task_file: Option<&str>) -> Value {
    let yaml = plan.yaml_of(task);
    let phase = &plan.phases[task.phase];
    json!({
        "id": task.id,
        "name": task.name,
        "priority": task.priority,
        "status": task.status_text,
        "state": task.status.map(|s| s.as_str()),
        "phase": phase,
        "line": task.line,
        "depends_on": task.depends_on,
        "waiting_on": plan.waiting_on(task),
        "pre_check": yaml.and_then(|y| y.pre_check.as_ref()),
        "post_check": yaml.and_then(|y| y.post_check.as_ref()),
        "started": yaml.and_then(|y| y.started.as_ref()),
        "completed": yaml.and_then(|y| y.completed.as_ref()),
        "tracker_rows": task.rows.iter().map(|&r| plan.doc.plan_tasks[r].line).collect::<Vec<_>>(),
        "task_file": task_file,
    })
}

pub(super) fn counts(plan: &Plan) -> Value {
    use crate::document::Status as S;
    let count = |f: &dyn Fn(Option<S>) -> bool| plan.tasks.iter().filter(|t| f(t.status)).count();
    json!({
        "total": plan.tasks.len(),
        "completed": count(&|s| s == Some(S::Complete)),
        "in_progress": count(&|s| s == Some(S::InProgress)),
        "blocked": count(&|s| s == Some(S::Blocked)),
        "deferred": count(&|s| s == Some(S::Deferred)),
        "not_started": count(&|s| !matches!(s, Some(S::Complete | S::InProgress | S::Blocked | S::Deferred))),
    })
}
