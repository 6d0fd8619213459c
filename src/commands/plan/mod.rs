//! `git milestone plan`: the implementation-plan workflow of form 002, enforced.

mod files;
mod json;

use files::task_file;
use json::{counts, task_json};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use super::{Failure, Workspace};
use crate::document::Document;
use crate::error::Error;
use crate::fsio::{read_document, write_atomic};
use crate::plan::{Disagreement, Outcome, Plan, PlanError, Step, TaskFile};
use crate::ui::Ui;

/// Follow an implementation plan: pick, start, log and complete its tasks
///
/// Works on an implementation plan (form 002): phase-tracker tables, fenced YAML task blocks
/// with `pre_check`, `implementation` and `post_check`, and a session-log table. A task is
/// started only when its pre-checks hold and completed only when its post-checks hold; each
/// step updates the YAML block, the tracker row and the session log in one write, changing
/// no other byte.
///
/// Example: `git milestone plan next`
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The plan document [default: setting plans.implementation, else IMPLEMENTATION_PLAN.md at
    /// the root]
    #[arg(long, global = true, value_name = "PATH")]
    pub plan: Option<PathBuf>,
    #[command(subcommand)]
    pub command: PlanCommand,
}

/// The steps of the plan workflow.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Show the task to do next: current phase, then priority, then table order
    Next {
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Tick items of a task's pre- or post-check list
    Check {
        /// The task's id
        task: String,
        /// Which checklist
        which: Which,
        /// The items to set to true (`verified_req`)
        #[arg(required = true)]
        items: Vec<String>,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Start a task whose pre-checks all hold
    Start {
        /// The task's id
        task: String,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Add a session-log row for a task, with its current status
    Log {
        /// The task's id
        task: String,
        /// What was done
        note: String,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Complete a task whose post-checks all hold
    Done {
        /// The task's id
        task: String,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Mark a task blocked, saying why
    Block {
        /// The task's id
        task: String,
        /// What blocks it
        #[arg(long, required = true)]
        why: String,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Defer a task to a later phase or release
    Defer {
        /// The task's id
        task: String,
        /// Why it is deferred
        #[arg(long)]
        why: Option<String>,
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Report where the plan and the tasks' own TASKS files disagree
    Verify {
        /// Print one JSON object (documented in docs/json.md)
        #[arg(long)]
        json: bool,
    },
}

/// A task's pre- or post-check list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    Pre,
    Post,
}

/// Runs `plan`.
///
/// # Errors
///
/// Fails (exit 2) for a missing plan, an unknown task or item; a step whose rules do not
/// hold is refused (exit 1) naming each one.
pub fn run(ui: &mut Ui, ws: &Workspace, args: PlanArgs) -> Result<(), Failure> {
    let (path, shown) = match &args.plan {
        Some(p) => (p.clone(), p.display().to_string()),
        None => (ws.path(&ws.config.implementation_plan), ws.config.implementation_plan.clone()),
    };
    if !path.exists() && args.plan.is_none() {
        return Err(Error::Plan {
            path: shown.clone(),
            problem: Box::new(PlanError::NoPlan { path: shown }),
        }
        .into());
    }
    let text = read_document(&path, &shown)?;
    let doc = super::parse(&shown, &text)?;
    let plan = Plan::new(&doc, &shown);
    if plan.tasks.is_empty() {
        return Err(Error::Plan {
            path: shown.clone(),
            problem: Box::new(PlanError::NoTasks { path: shown.clone() }),
        }
        .into());
    }
    let folder = match &ws.config.tasks_folder {
        Some(f) => ws.path(f),
        None => path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    let folder = if folder.as_os_str().is_empty() { PathBuf::from(".") } else { folder };
    let context = Context { shown: &shown, path: &path, folder: &folder, root: &ws.root };
    let (id, step, json) = match args.command {
        PlanCommand::Next { json } => return next(ui, &plan, &context, json),
        PlanCommand::Verify { json } => return verify(ui, &plan, &context, json),
        PlanCommand::Check { task, which, items, json } => {
            (task, Step::Check { pre: which == Which::Pre, items }, json)
        }
        PlanCommand::Start { task, json } => (task, Step::Start, json),
        PlanCommand::Log { task, note, json } => (task, Step::Log { note }, json),
        PlanCommand::Done { task, json } => (task, Step::Done, json),
        PlanCommand::Block { task, why, json } => (task, Step::Block { why }, json),
        PlanCommand::Defer { task, why, json } => (task, Step::Defer { why }, json),
    };
    take_step(ui, &plan, &context, &id, &step, json)
}

/// Where the plan is and how it is shown.
struct Context<'a> {
    shown: &'a str,
    path: &'a Path,
    /// Where task files are looked for.
    folder: &'a Path,
    /// The work tree's root: task files are shown relative to it.
    root: &'a Path,
}

fn next(ui: &mut Ui, plan: &Plan, cx: &Context, json: bool) -> Result<(), Failure> {
    let shown = cx.shown;
    let (task, skipped) = plan.next();
    let file = match task {
        Some(t) => task_file(cx, &t.id)?.map(|(_, shown)| shown),
        None => None,
    };
    if json {
        let current = plan.current_phase().map(|p| &plan.phases[p]);
        let value = json!({
            "plan": shown,
            "phase": current,
            "next": task.map(|t| task_json(plan, t, file.as_deref())),
            "skipped": skipped,
            "counts": counts(plan),
        });
        return Ok(ui.out(&format!("{}\n", pretty(&value)))?);
    }
    let Some(task) = task else {
        let open: Vec<String> = skipped
            .iter()
            .filter(|s| s.reason != "completed")
            .map(|s| match s.reason {
                "waiting" => format!("{} (waiting on {})", s.id, s.waiting_on.join(", ")),
                reason => format!("{} ({reason})", s.id),
            })
            .collect();
        let text = match open.is_empty() {
            true => format!("nothing to do: all {} tasks of {shown} are completed\n", plan.tasks.len()),
            false => format!("no task can be taken up: {}\n", open.join(", ")),
        };
        return Ok(ui.out(&text)?);
    };
    let mut out = format!(
        "next: {}{}  ({}, {})\n",
        task.id,
        task.name.as_deref().map(|n| format!("  {n}")).unwrap_or_default(),
        task.priority.as_deref().unwrap_or("no priority"),
        task.status_text.as_deref().unwrap_or("no status"),
    );
    let phase = &plan.phases[task.phase];
    if !phase.title.is_empty() {
        out.push_str(&format!("  in {}\n", phase.title));
    }
    out.push_str(&format!("  at {shown}:{}\n", task.line));
    if let Some(file) = &file {
        out.push_str(&format!("  task file: {file}\n"));
    }
    if let Some(y) = plan.yaml_of(task) {
        for (word, check) in [("pre-checks", &y.pre_check), ("post-checks", &y.post_check)] {
            let Some(check) = check else { continue };
            let open: Vec<&str> = check.items.iter().filter(|i| !i.value).map(|i| i.name.as_str()).collect();
            let done = check.items.len() - open.len();
            out.push_str(&format!("  {word}: {done}/{} true", check.items.len()));
            if !open.is_empty() {
                out.push_str(&format!("; still false: {}", open.join(", ")));
            }
            out.push('\n');
        }
    }
    let open_pre = plan
        .yaml_of(task)
        .and_then(|y| y.pre_check.as_ref())
        .is_some_and(|c| c.items.iter().any(|i| !i.value));
    let id = &task.id;
    let hint = match task.status {
        Some(crate::document::Status::InProgress) => {
            format!("log it: git milestone plan log {id} \"...\"; complete it: git milestone plan done {id}")
        }
        _ if open_pre => format!(
            "verify and tick the pre-checks: git milestone plan check {id} pre ITEM...; then: git milestone plan start {id}"
        ),
        _ => format!("start it: git milestone plan start {id}"),
    };
    out.push_str(&format!("  {hint}\n"));
    Ok(ui.out(&out)?)
}

fn take_step(
    ui: &mut Ui,
    plan: &Plan,
    cx: &Context,
    id: &str,
    step: &Step,
    json: bool,
) -> Result<(), Failure> {
    let task = plan.task(id).map_err(|e| plan_error(e, cx.shown))?;
    let file_path = task_file(cx, id)?;
    let file_text = match &file_path {
        Some((path, shown)) => Some((read_document(path, shown)?, path, shown)),
        None => None,
    };
    let file_doc = match &file_text {
        Some((text, _, shown)) => Some(super::parse(shown, text)?),
        None => None,
    };
    let file = match (&file_text, &file_doc) {
        (Some((_, _, shown)), Some(doc)) => Some(TaskFile { shown: shown.as_str(), doc }),
        _ => None,
    };
    let now = chrono::Local::now().format(plan.timestamp_format()).to_string();
    let outcome = plan.step(id, step, &now, file).map_err(|e| plan_error(e, cx.shown))?;
    for w in &outcome.warnings {
        ui.err(&format!("warning: {w}\n"));
    }
    let shown_file = file.map(|f| f.shown.to_string());
    if !outcome.refused.is_empty() {
        let mut text = format!("refused: cannot {} `{id}`\n", step.verb());
        for r in &outcome.refused {
            text.push_str(&format!("  - {r}\n"));
        }
        text.push_str(&format!("hint: {}\n", refusal_hint(step, id)));
        ui.err(&text);
        if json {
            let value = json!({
                "plan": cx.shown,
                "step": step.name(),
                "task": task_json(plan, task, shown_file.as_deref()),
                "refused": outcome.refused,
            });
            ui.out(&format!("{}\n", pretty(&value)))?;
        }
        return Err(Failure::Refused);
    }
    // The plan as the step leaves it, written, and shown below.
    let text = plan.doc.apply(&outcome.plan_edits);
    let changed = write(cx, &outcome, &file_text, &text, file_doc.as_ref())?;
    let doc = super::parse(cx.shown, &text)?;
    let after = Plan::new(&doc, cx.shown);
    let task = after.task(id).map_err(|e| plan_error(e, cx.shown))?;
    if json {
        let value = json!({
            "plan": cx.shown,
            "step": step.name(),
            "task": task_json(&after, task, shown_file.as_deref()),
            "changed": changed,
            "session_log": outcome.log_row.as_ref().map(|r| json!({"date": r[0], "task": r[1], "status": r[2], "notes": r[3]})),
            "warnings": outcome.warnings,
        });
        return Ok(ui.out(&format!("{}\n", pretty(&value)))?);
    }
    let status = task.status_text.as_deref().unwrap_or("no status");
    let mut out = match step {
        Step::Check { .. } if changed.is_empty() => {
            format!("{id}: those items were already true; nothing changed\n")
        }
        Step::Check { pre, items } => {
            format!(
                "{id}: {} set to true in the {}-check\n",
                items.join(", "),
                if *pre { "pre" } else { "post" }
            )
        }
        _ => format!("{id}: {status}\n"),
    };
    if !changed.is_empty() {
        out.push_str(&format!("  updated {}\n", changed.join(" and ")));
    }
    if let Some(row) = &outcome.log_row {
        out.push_str(&format!("  session log: {} | {} | {} | {}\n", row[0], row[1], row[2], row[3]));
    }
    Ok(ui.out(&out)?)
}

/// Writes the task file's edits, then the plan's new text; returns the files changed, as
/// shown.
fn write(
    cx: &Context,
    outcome: &Outcome,
    file_text: &Option<(String, &PathBuf, &String)>,
    plan_text: &str,
    file_doc: Option<&Document>,
) -> Result<Vec<String>, Error> {
    // A link would be replaced by a file: refuse before writing either.
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    if let Some((_, path, shown)) = file_text
        && !outcome.file_edits.is_empty()
        && is_link(path)
    {
        return Err(Error::Symlink { path: (*shown).clone() });
    }
    if !outcome.plan_edits.is_empty() && is_link(cx.path) {
        return Err(Error::Symlink { path: cx.shown.to_string() });
    }
    let mut changed = Vec::new();
    if let (Some((_, path, shown)), Some(doc)) = (file_text, file_doc)
        && !outcome.file_edits.is_empty()
    {
        write_atomic(path, &doc.apply(&outcome.file_edits), shown)?;
        changed.push((*shown).clone());
    }
    if !outcome.plan_edits.is_empty() {
        write_atomic(cx.path, plan_text, cx.shown)?;
        changed.push(cx.shown.to_string());
    }
    Ok(changed)
}

fn verify(ui: &mut Ui, plan: &Plan, cx: &Context, json: bool) -> Result<(), Failure> {
    let mut texts = Vec::new();
    for task in &plan.tasks {
        if let Some((path, shown)) = task_file(cx, &task.id)? {
            texts.push((task.id.clone(), shown.clone(), read_document(&path, &shown)?));
        }
    }
    let mut docs = Vec::new();
    for (id, shown, text) in &texts {
        docs.push((id, shown, super::parse(shown, text)?));
    }
    let files: HashMap<String, TaskFile> = docs
        .iter()
        .map(|(id, shown, doc)| ((*id).clone(), TaskFile { shown: shown.as_str(), doc }))
        .collect();
    let found = plan.disagreements(&files);
    if json {
        let value = json!({
            "plan": cx.shown,
            "task_files": texts.iter().map(|(id, shown, _)| json!({"task": id, "path": shown})).collect::<Vec<_>>(),
            "disagreements": found,
        });
        ui.out(&format!("{}\n", pretty(&value)))?;
    } else if found.is_empty() {
        let files = match texts.len() {
            0 => "no task has its own file".to_string(),
            1 => "the task file agrees".to_string(),
            n => format!("the {n} task files agree"),
        };
        ui.out(&format!("{}: every tracker row agrees with its YAML block; {files}\n", cx.shown))?;
    } else {
        let mut out = format!(
            "{} disagreement{} in {}\n",
            found.len(),
            if found.len() == 1 { "" } else { "s" },
            cx.shown
        );
        for d in &found {
            out.push_str(&describe(d));
        }
        out.push_str("hint: a plan step on the task (e.g. `git milestone plan log TASK \"...\"`) copies its task file's block into the plan\n");
        ui.out(&out)?;
    }
    if found.is_empty() { Ok(()) } else { Err(Failure::Refused) }
}

fn describe(d: &Disagreement) -> String {
    let v = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".into());
    format!(
        "  {} {}: {} at {}, but {} at {}\n",
        d.task,
        d.field,
        v(&d.plan),
        d.plan_at,
        v(&d.other),
        d.other_at
    )
}

fn refusal_hint(step: &Step, id: &str) -> String {
    match step {
        Step::Start => format!(
            "verify each item, then tick it: `git milestone plan check {id} pre ITEM...`; a dependency must be completed first (`git milestone plan next` shows what to do)"
        ),
        Step::Done => format!("verify each item, then tick it: `git milestone plan check {id} post ITEM...`"),
        _ => "see `git milestone plan next`".into(),
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// The crate error for a plan error in the plan shown as `shown`.
fn plan_error(problem: PlanError, shown: &str) -> Error {
    Error::Plan { path: shown.to_string(), problem: Box::new(problem) }
}
