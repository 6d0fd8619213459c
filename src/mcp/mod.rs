//! The Model Context Protocol server of `git milestone mcp`: tools for coding agents that run
//! the CLI's own commands in process and return their `--json` output byte for byte.
//!
//! Each tool builds the command line a person would type (always with `--json`; `params.rs`),
//! parses it with the CLI's own [`Cli`](crate::cli::Cli) and runs it through
//! [`crate::commands::run`] with a [`Ui`](crate::ui::Ui) whose streams are memory buffers
//! (`run.rs`). Nothing here decides anything about milestones: a tool is a
//! command line, so the server and the CLI cannot drift apart. Calls run one at a time, on a
//! blocking thread, in the repository of the server's working directory.
//!
//! Built only with the `mcp` cargo feature (on by default).

mod params;
mod run;

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ErrorData, ServerHandler, ServiceExt, tool, tool_handler, tool_router};

pub use params::*;
use run::tool_result;
pub use run::{Captured, run_captured};

/// What the server tells a client about itself at `initialize`: the workflow its tools serve.
const INSTRUCTIONS: &str = "\
git-milestone keeps a repository's Markdown milestone documents in step with git. Every tool \
runs the `git milestone` command of the same name in the repository of the server's working \
directory and returns that command's `--json` output unchanged (shapes: docs/json.md). \
A result carries the exit code in its structured content (`exit_code`) and, when it is not 0, \
in its last text block: 0 success; 1 a check found problems or a plan step was refused (the \
JSON says which rule, where; nothing changed: do the work and call again); 2 the command \
could not run (bad input, nothing changed; the text says why and how to fix it).\n\
\n\
The workflow:\n\
1. `status` to see where every milestone stands; `start` to begin one (a feature branch whose \
first commit is the tracking document).\n\
2. For an implementation plan: `plan_next` picks the task; tick its pre-check items with \
`plan_check` (which: pre) once they hold; `plan_start` starts it; make your commits (the \
hooks record them in the tracking document; `sync` catches up when they did not run); \
`plan_log` records what a session did; tick the post-check items (`plan_check`, which: post) \
and `plan_done` completes it.\n\
3. Before a merge: `status` and `check` (add `final: true` when the milestone should be \
complete); fix every problem `check` names, then ask a person to finish and merge.\n\
`inspect` shows what the tool reads in any Markdown document.";

/// Runs the MCP server on standard input and output until the client closes the connection.
///
/// # Errors
///
/// Fails when the async runtime cannot start or the transport fails.
pub fn serve() -> io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let service = Server::new()
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| io::Error::other(format!("the MCP handshake failed: {e}")))?;
        service.waiting().await.map_err(|e| io::Error::other(format!("the MCP server stopped: {e}")))?;
        Ok(())
    })
}

/// The server: the tools, and the lock that runs their commands one at a time.
#[derive(Clone)]
pub struct Server {
    tool_router: ToolRouter<Server>,
    one_at_a_time: Arc<Mutex<()>>,
}

impl Default for Server {
    fn default() -> Self {
        Self::new()
    }
}

#[tool_router(router = tool_router)]
impl Server {
    /// Returns a server with every tool.
    pub fn new() -> Self {
        Self { tool_router: Self::tool_router(), one_at_a_time: Arc::new(Mutex::new(())) }
    }

    /// Runs `argv` on a blocking thread, after any call still running.
    async fn call(&self, argv: Vec<String>) -> Result<CallToolResult, ErrorData> {
        let lock = Arc::clone(&self.one_at_a_time);
        let run = tokio::task::spawn_blocking(move || {
            let _turn = lock.lock().unwrap_or_else(PoisonError::into_inner);
            run_captured(&argv)
        })
        .await
        .map_err(|e| ErrorData::internal_error(format!("the command stopped: {e}"), None))?;
        Ok(tool_result(run))
    }

    /// Where every milestone of the repository stands: one entry per milestone (its plan and
    /// tracking document) with id, title, status, branch, paths, phase and task counts,
    /// commits recorded and last activity, sorted by status then id. Read-only. Use it first
    /// to see what exists and what is in progress, and again before a merge. Runs `git
    /// milestone status --json`.
    #[tool(name = "status", annotations(read_only_hint = true, open_world_hint = false))]
    async fn status(&self, Parameters(p): Parameters<StatusParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// What git-milestone reads in one Markdown document: its form (tracking, plan,
    /// milestone, ...), header fields, checkboxes, phases and tasks with their statuses and
    /// commits, plan tasks with their pre- and post-checks, progress log, tables, YAML
    /// blocks, each with its line number. Read-only; works on any file, in a repository or
    /// not. Runs `git milestone inspect --json PATH`.
    #[tool(name = "inspect", annotations(read_only_hint = true, open_world_hint = false))]
    async fn inspect(&self, Parameters(p): Parameters<InspectParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// Starts a milestone: creates its feature branch from the base, whose first commit adds
    /// the tracking document filled from the plan `docs/milestones/ID.md` (and sets the plan
    /// to In Progress), then switches to the branch as `git switch` would (uncommitted changes
    /// come along). Returns {id, branch, base, commit, tracking}. Refuses, changing nothing,
    /// when the branch or document exists, a change would be lost, or a rebase or merge is
    /// under way. Runs `git milestone start --json ID`.
    #[tool(
        name = "start",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn start(&self, Parameters(p): Parameters<StartParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// The task of the implementation plan to do next: the current phase first, then
    /// priority (P0 before P1), then table order; with its pre- and post-check items.
    /// Read-only. Start here when working through a plan. Runs `git milestone plan next
    /// --json`.
    #[tool(name = "plan_next", annotations(read_only_hint = true, open_world_hint = false))]
    async fn plan_next(&self, Parameters(p): Parameters<PlanParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// Ticks items of a plan task's pre-check (`which: pre`) or post-check (`which: post`)
    /// list: sets each named item to true in the task's YAML block, changing no other byte.
    /// Tick an item only once you have verified it. Runs `git milestone plan check --json
    /// TASK pre|post ITEM...`.
    #[tool(
        name = "plan_check",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn plan_check(
        &self,
        Parameters(p): Parameters<PlanCheckParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// Starts a plan task: refused (exit 2) unless every pre-check item holds; then sets its
    /// status to IN_PROGRESS with the start time in the YAML block and the phase-tracker row,
    /// and adds a session-log row, in one write. Runs `git milestone plan start --json TASK`.
    #[tool(
        name = "plan_start",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn plan_start(
        &self,
        Parameters(p): Parameters<PlanTaskParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv("start")).await
    }

    /// Adds a row to the plan's session log for a task, with the task's current status and
    /// your note: record what a working session did (files, tests, decisions, blockers).
    /// Runs `git milestone plan log --json TASK NOTE`.
    #[tool(
        name = "plan_log",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn plan_log(&self, Parameters(p): Parameters<PlanLogParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// Completes a plan task: refused (exit 2) unless every post-check item holds; then sets
    /// its status to COMPLETED with the completion time in the YAML block and the
    /// phase-tracker row, and adds a COMPLETED session-log row. Runs `git milestone plan done
    /// --json TASK`.
    #[tool(
        name = "plan_done",
        annotations(read_only_hint = false, destructive_hint = false, open_world_hint = false)
    )]
    async fn plan_done(
        &self,
        Parameters(p): Parameters<PlanTaskParams>,
    ) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv("done")).await
    }

    /// Brings the checked-out milestone's tracking document up to date with the branch's
    /// history: each commit recorded under its task and in the progress log, counts and
    /// progress refreshed; nothing people wrote is removed and a second run changes nothing.
    /// Use it after commits the hooks did not see (`--no-verify`, a pull). Returns {path,
    /// branch, changed, outcome, staged, commit}. Runs `git milestone sync --json`.
    #[tool(
        name = "sync",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = true,
            open_world_hint = false
        )
    )]
    async fn sync(&self, Parameters(p): Parameters<SyncParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }

    /// The pre-merge check of a milestone: every final-checklist box ticked, no template
    /// placeholder left, every branch commit recorded under a task, every message a
    /// Conventional Commit, the branch up to date with its base (with `final`, the status
    /// complete). Returns {ok, problems: [{rule, message, path, line, commit, hint}]}; exit
    /// code 1 (isError) when a rule fails: fix each problem as its hint says and check again.
    /// Read-only unless `run_tests` runs the test command. Runs `git milestone check --json`.
    #[tool(name = "check", annotations(read_only_hint = true, open_world_hint = false))]
    async fn check(&self, Parameters(p): Parameters<CheckParams>) -> Result<CallToolResult, ErrorData> {
        self.call(p.argv()).await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("git-milestone", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::Cli;

    #[test]
    fn a_bad_command_line_is_exit_code_2_with_clap_s_message() {
        let run = run_captured(&argv(&["inspect", "--no-such-flag"]));
        assert_eq!(run.exit_code, 2);
        assert!(run.stderr.starts_with("error: unexpected argument"), "{run:?}");
        assert_eq!(run.stdout, "");
    }

    #[test]
    fn an_error_is_rendered_as_the_binary_renders_it() {
        let run = run_captured(&argv(&["inspect", "--json", "--", "no/such/file.md"]));
        assert_eq!(run.exit_code, 2);
        assert!(run.stderr.starts_with("error: "), "{run:?}");
        assert!(run.stderr.contains("\nhint: "), "{run:?}");
        let result = tool_result(run);
        assert_eq!(result.is_error, Some(true));
        let structured = result.structured_content.unwrap_or_default();
        assert_eq!(structured["exit_code"], 2);
        assert_eq!(structured["output"], serde_json::Value::Null);
    }

    /// Returns the command `argv` parses to, panicking when clap refuses it.
    fn parsed(argv: &[String]) -> crate::cli::Command {
        Cli::try_parse_from(argv).unwrap_or_else(|e| panic!("{argv:?}: {e}")).command
    }

    #[test]
    fn the_plan_tools_build_the_plan_command_lines() {
        use crate::cli::Command::Plan;
        use crate::commands::plan::{PlanCommand as P, Which as W};
        let plan = Some("docs/-plan.md".to_string());
        let task = "-T1".to_string();
        let cases = [
            (PlanParams { plan: plan.clone() }.argv(), "next"),
            (PlanTaskParams { task: task.clone(), plan: plan.clone() }.argv("start"), "start"),
            (PlanTaskParams { task: task.clone(), plan: plan.clone() }.argv("done"), "done"),
            (PlanLogParams { task: task.clone(), note: "-n".into(), plan: plan.clone() }.argv(), "log"),
            (
                PlanCheckParams {
                    task: task.clone(),
                    which: Which::Post,
                    items: vec!["a".into()],
                    plan: plan.clone(),
                }
                .argv(),
                "check",
            ),
        ];
        for (argv, step) in cases {
            let Plan(args) = parsed(&argv) else { panic!("{argv:?} is not `plan`") };
            assert_eq!(args.plan.as_deref(), Some(std::path::Path::new("docs/-plan.md")), "{argv:?}");
            let ok = match args.command {
                P::Next { json } => json && step == "next",
                P::Start { task: t, json } => json && step == "start" && t == task,
                P::Done { task: t, json } => json && step == "done" && t == task,
                P::Log { task: t, note, json } => json && step == "log" && t == task && note == "-n",
                P::Check { task: t, which, items, json } => {
                    json && step == "check" && t == task && which == W::Post && items == ["a"]
                }
                _ => false,
            };
            assert!(ok, "{argv:?} is not `plan {step}`");
        }
    }

    #[test]
    fn the_other_tools_build_their_command_lines() {
        use crate::cli::Command;
        let start = StartParams {
            id: "M1".into(),
            surface: Some("api".into()),
            slug: Some("-s".into()),
            base: Some("main".into()),
            template: None,
            title: Some("T".into()),
        };
        let Command::Start(a) = parsed(&start.argv()) else { panic!("not start") };
        assert!(a.json && a.id.as_deref() == Some("M1") && a.slug.as_deref() == Some("-s"));
        assert_eq!(
            (a.surface.as_deref(), a.base.as_deref(), a.title.as_deref()),
            (Some("api"), Some("main"), Some("T"))
        );
        let Command::Status(a) = parsed(&StatusParams { all_branches: Some(true) }.argv()) else { panic!() };
        assert!(a.json && a.all_branches);
        let Command::Inspect(a) = parsed(&InspectParams { path: "-x.md".into() }.argv()) else { panic!() };
        assert!(a.json && a.path == std::path::Path::new("-x.md"));
        let Command::Sync(a) = parsed(&SyncParams { id: Some("M2".into()) }.argv()) else { panic!() };
        assert!(a.json && a.id.as_deref() == Some("M2"));
        let check = CheckParams {
            id: None,
            reference: Some("refs/heads/x".into()),
            last: Some(true),
            run_tests: None,
        };
        let Command::Check(a) = parsed(&check.argv()) else { panic!() };
        assert!(a.json && a.last && !a.run_tests && a.reference.as_deref() == Some("refs/heads/x"));
    }

    #[test]
    fn every_tool_is_listed() {
        let names: Vec<String> =
            Server::new().tool_router.list_all().into_iter().map(|t| t.name.to_string()).collect();
        for name in [
            "status",
            "inspect",
            "start",
            "plan_next",
            "plan_check",
            "plan_start",
            "plan_log",
            "plan_done",
            "sync",
            "check",
        ] {
            assert!(names.contains(&name.to_string()), "{name} is missing from {names:?}");
        }
    }
}
