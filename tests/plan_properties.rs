//! Property test of the plan workflow (issue #8): every step changes only its target bytes.
//!
//! Plans are generated in the shape of form 002 (phase-tracker tables, aligned or not; YAML
//! task blocks with commented checklists; a session log), with LF or CRLF line endings, and
//! tasks in every status. A random step on a random task either is refused and edits
//! nothing, or edits only: the values (never the keys or comments) of the target's status,
//! time and checklist lines inside its own YAML item, the status cell of its tracker rows,
//! and one new row right after the session log's last row.

use git_milestone::document::{Document, Status};
use git_milestone::plan::{Plan, Step};
use proptest::prelude::*;

const STATUSES: [&str; 5] = ["NOT_STARTED", "IN_PROGRESS", "BLOCKED", "COMPLETED", "DEFERRED"];
const PRE: [&str; 3] = ["verified_req", "verified_spec", "checked_deps"];
const POST: [&str; 3] = ["tests_passing", "docs_updated", "session_logged"];
const NOW: &str = "2026-11-21T10:00:00";

#[derive(Debug, Clone)]
struct TaskSpec {
    status: usize,
    priority: u8,
    /// 0: a tracker row and a YAML block, 1: a row only, 2: a block only.
    shape: u8,
    pre: Vec<(bool, u8)>,
    post: Vec<(bool, u8)>,
    started: bool,
}

#[derive(Debug, Clone)]
struct PlanSpec {
    crlf: bool,
    aligned: bool,
    phases: Vec<Vec<TaskSpec>>,
    log_rows: usize,
    /// Which task, and which step (0 check pre, 1 check post, 2 start, 3 log, 4 done, 5 block, 6 defer).
    target: prop::sample::Index,
    step: u8,
    items: Vec<bool>,
}

fn task() -> impl Strategy<Value = TaskSpec> {
    (
        0..STATUSES.len(),
        0u8..4,
        0u8..3,
        prop::collection::vec((any::<bool>(), 0u8..8), 0..=3),
        prop::collection::vec((any::<bool>(), 0u8..8), 0..=3),
        any::<bool>(),
    )
        .prop_map(|(status, priority, shape, pre, post, started)| TaskSpec {
            status,
            priority,
            shape,
            pre,
            post,
            started,
        })
}

fn plan() -> impl Strategy<Value = PlanSpec> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop::collection::vec(task(), 1..4), 1..4),
        0usize..3,
        any::<prop::sample::Index>(),
        0u8..7,
        prop::collection::vec(any::<bool>(), 3),
    )
        .prop_map(|(crlf, aligned, phases, log_rows, target, step, items)| PlanSpec {
            crlf,
            aligned,
            phases,
            log_rows,
            target,
            step,
            items,
        })
}

fn id(phase: usize, n: usize) -> String {
    format!("TASK-{phase}{n}")
}

/// Writes the plan's text.
fn render(spec: &PlanSpec) -> String {
    let mut lines: Vec<String> =
        vec!["# Implementation Plan Tracker".into(), String::new(), "## 2. Phase Tracker".into()];
    for (p, tasks) in spec.phases.iter().enumerate() {
        lines.extend([String::new(), format!("### 2.{p} Phase {p}: Part {p}"), String::new()]);
        let rows: Vec<(String, &TaskSpec)> =
            tasks.iter().enumerate().filter(|(_, t)| t.shape < 2).map(|(n, t)| (id(p, n), t)).collect();
        if !rows.is_empty() {
            if spec.aligned {
                lines.push("| Status      | ID      | Task / Service | Priority | Dependents |".into());
                lines.push("|-------------|---------|----------------|:--------:|------------|".into());
            } else {
                lines.push("| Status | ID | Task / Service | Priority | Dependents |".into());
                lines.push("|--------|----|--------------------|:--------:|------------|".into());
            }
            for (id, t) in rows {
                let s = STATUSES[t.status];
                let name = format!("Service {id}");
                lines.push(if spec.aligned {
                    format!("| {s:<11} | {id:<7} | {name:<14} | P{:<7} | -          |", t.priority)
                } else {
                    format!("| {s} | **{id}** | **{name}** | **P{}** | - |", t.priority)
                });
            }
            lines.push(String::new());
        }
        let blocks: Vec<(String, &TaskSpec)> =
            tasks.iter().enumerate().filter(|(_, t)| t.shape != 1).map(|(n, t)| (id(p, n), t)).collect();
        if blocks.is_empty() {
            continue;
        }
        lines.extend(["```yaml".into(), "# v2.0 YAML format".into(), format!("phase_{p}_tasks:")]);
        for (id, t) in blocks {
            lines.push(format!("  - id: {id}"));
            lines.push(format!("    service_name: \"Service {id}\""));
            lines.push(format!("    priority: P{}", t.priority));
            lines.push("    workflow:".into());
            for (which, items, names) in [("pre_check", &t.pre, PRE), ("post_check", &t.post, POST)] {
                lines.push(format!("      {which}:"));
                lines.push("        status: NOT_STARTED".into());
                lines.push("        checklist:".into());
                if items.is_empty() {
                    lines.push("          []".into());
                }
                for (i, (value, pad)) in items.iter().enumerate() {
                    let item = format!("          - {}: {value}", names[i]);
                    lines.push(match pad {
                        0..=2 => item,
                        pad => format!("{item}{}# about {}", " ".repeat(usize::from(*pad)), names[i]),
                    });
                }
            }
            lines.push("      implementation:".into());
            lines.push(format!("        status: {}", STATUSES[t.status]));
            let started = if t.started { "2026-11-01T09:00:00" } else { "null" };
            lines.push(format!("        started: {started}                # when started"));
            lines.push("        completed: null              # when completed".into());
        }
        lines.extend(["```".into(), String::new()]);
    }
    lines.extend([
        "## 3. Session Log".into(),
        String::new(),
        "| Date | Task ID | Status | Notes |".into(),
        "|:-----|:--------|:-------|:------|".into(),
    ]);
    for i in 0..spec.log_rows {
        lines.push(format!("| 2026-11-0{}T09:00:00 | TASK-00 | IN_PROGRESS | Row {i}. |", i + 1));
    }
    lines.extend([String::new(), "**Session Log Guidelines**: one row per step.".into(), String::new()]);
    let eol = if spec.crlf { "\r\n" } else { "\n" };
    lines.join(eol)
}

/// Every task id of the spec, in order.
fn ids(spec: &PlanSpec) -> Vec<(String, TaskSpec)> {
    spec.phases
        .iter()
        .enumerate()
        .flat_map(|(p, tasks)| tasks.iter().enumerate().map(move |(n, t)| (id(p, n), t.clone())))
        .collect()
}

fn step_of(spec: &PlanSpec, task: &TaskSpec) -> Step {
    let pick = |items: &[(bool, u8)], names: [&str; 3]| -> Vec<String> {
        let chosen: Vec<String> =
            (0..items.len()).filter(|&i| spec.items[i]).map(|i| names[i].to_string()).collect();
        if chosen.is_empty() && !items.is_empty() { vec![names[0].to_string()] } else { chosen }
    };
    match spec.step {
        0 => Step::Check { pre: true, items: pick(&task.pre, PRE) },
        1 => Step::Check { pre: false, items: pick(&task.post, POST) },
        2 => Step::Start,
        3 => Step::Log { note: "did | things".into() },
        4 => Step::Done,
        5 => Step::Block { why: "a reason".into() },
        _ => Step::Defer { why: None },
    }
}

/// Splits a line into its text and its line ending.
fn body(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_step_changes_only_its_target_bytes(spec in plan()) {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("the plan parses");
        let plan = Plan::new(&doc, "PLAN.md");
        let all = ids(&spec);
        let (target, task_spec) = all[spec.target.index(all.len())].clone();
        let step = step_of(&spec, &task_spec);
        let result = plan.step(&target, &step, NOW, None);
        let outcome = match result {
            // A checklist step on a task without that checklist is bad input, and says so.
            Err(e) => {
                prop_assert!(matches!(step, Step::Check { .. }), "{e}");
                return Ok(());
            }
            Ok(o) => o,
        };
        if !outcome.refused.is_empty() {
            prop_assert!(outcome.plan_edits.is_empty() && outcome.file_edits.is_empty());
            return Ok(());
        }
        let new_text = doc.apply(&outcome.plan_edits);
        let old: Vec<&str> = text.split_inclusive('\n').collect();
        let mut new: Vec<&str> = new_text.split_inclusive('\n').collect();

        // One session-log row, right after the last row of the log, for every step but check.
        let log_last = old.iter().rposition(|l| l.starts_with("| 2026-") || l.starts_with("|:-----|")).expect("log table");
        if matches!(step, Step::Check { .. }) {
            prop_assert_eq!(new.len(), old.len());
        } else {
            prop_assert_eq!(new.len(), old.len() + 1);
            let row = new.remove(log_last + 1);
            prop_assert!(row.starts_with(&format!("| {NOW} | {target} | ")), "{row:?}");
            let end = if spec.crlf { "|\r\n" } else { "|\n" };
            prop_assert!(row.ends_with(end), "{row:?}");
            let eol = if spec.crlf { "\r\n" } else { "\n" };
            prop_assert!(old[log_last].ends_with(eol), "the log's last row lost its line ending");
        }

        // The target's YAML item: from its `- id:` line to the next item or the fence.
        let start = old.iter().position(|l| body(l) == format!("  - id: {target}"));
        let end = start.map(|s| s + 1 + old[s + 1..].iter().position(|l| l.starts_with("  - id:") || body(l) == "```").expect("block end"));
        let mut allowed_keys: Vec<String> = ["status", "started", "completed"].map(String::from).to_vec();
        allowed_keys.extend(PRE.iter().chain(POST.iter()).map(|s| s.to_string()));
        for (i, (a, b)) in old.iter().zip(&new).enumerate() {
            if a == b {
                continue;
            }
            let (a, b) = (body(a), body(b));
            let in_block = matches!((start, end), (Some(s), Some(e)) if s < i && i < e);
            let is_row = a.starts_with('|') && a.contains(&format!(" {target} ")) || a.contains(&format!("**{target}**"));
            prop_assert!(in_block || is_row, "line {} changed outside the target: {a:?} -> {b:?}", i + 1);
            if in_block {
                let (ka, _) = a.split_once(": ").expect("a key line");
                let (kb, _) = b.split_once(": ").expect("a key line");
                prop_assert_eq!(ka, kb);
                let key = ka.trim().trim_start_matches("- ");
                prop_assert!(allowed_keys.iter().any(|k| k == key), "key {key} changed");
                // A comment keeps its bytes, and its column when there were spaces to spare.
                match (a.find(" #"), b.find(" #")) {
                    (None, None) => {}
                    (Some(ca), Some(cb)) => {
                        prop_assert_eq!(&a[ca..].trim_start(), &b[cb..].trim_start());
                        let spare = a[..ca + 1].len() - a[..ca + 1].trim_end().len();
                        let grew = b.split(" #").next().map_or(0, |v| v.trim_end().len()).saturating_sub(a.split(" #").next().map_or(0, |v| v.trim_end().len()));
                        if grew < spare {
                            prop_assert_eq!(a.find('#'), b.find('#'), "{:?} -> {:?}", a, b);
                        }
                    }
                    _ => prop_assert!(false, "a comment appeared or vanished: {a:?} -> {b:?}"),
                }
            } else {
                // A tracker row: only its status cell changes.
                let ca: Vec<&str> = a.split('|').collect();
                let cb: Vec<&str> = b.split('|').collect();
                prop_assert_eq!(ca.len(), cb.len());
                for (j, (x, y)) in ca.iter().zip(&cb).enumerate() {
                    if j != 1 {
                        prop_assert_eq!(x, y);
                    }
                }
            }
        }

        // Read back: the target has the status the step gives it; every other task is as it was.
        let after = Document::parse(&new_text).expect("the result parses");
        let after_plan = Plan::new(&after, "PLAN.md");
        let expected = match step {
            Step::Start => Some(Status::InProgress),
            Step::Done => Some(Status::Complete),
            Step::Block { .. } => Some(Status::Blocked),
            Step::Defer { .. } => Some(Status::Deferred),
            _ => None,
        };
        for (before, now) in doc.plan_tasks.iter().zip(&after.plan_tasks) {
            prop_assert_eq!(&before.id, &now.id);
            if before.id != target {
                prop_assert_eq!(before, now);
            } else if let Some(s) = expected {
                prop_assert_eq!(now.status, Some(s), "{:?}", now);
            }
        }
        prop_assert_eq!(after_plan.tasks.len(), plan.tasks.len());
    }
}
