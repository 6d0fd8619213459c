//! `git milestone plan`: the implementation-plan workflow of form 002, enforced.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{Failure, Workspace};
use crate::error::Error;
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
    /// The plan document [default: setting plan.path, else IMPLEMENTATION_PLAN.md]
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
/// Fails for a missing plan, an unknown task or item, or a refused step.
pub fn run(_ui: &mut Ui, _ws: &Workspace, _args: PlanArgs) -> Result<(), Failure> {
    Err(Error::Tracking { message: "plan is not built yet".into(), hint: String::new() }.into())
}
