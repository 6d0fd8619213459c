//! The Model Context Protocol server of `git milestone mcp`: tools for coding agents that run
//! the CLI's own commands in process and return their `--json` output byte for byte.
//!
//! Each tool builds the command line a person would type (always with `--json`), parses it
//! with the CLI's own [`Cli`] and runs it through [`crate::commands::run`] with a [`Ui`] whose
//! streams are memory buffers. Nothing here decides anything about milestones: a tool is a
//! command line, so the server and the CLI cannot drift apart. Calls run one at a time, on a
//! blocking thread, in the repository of the server's working directory.
//!
//! Built only with the `mcp` cargo feature (on by default).

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use clap::Parser;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ErrorData, ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use serde::Deserialize;

use crate::cli::Cli;
use crate::commands::{self, Failure};
use crate::ui::Ui;

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

/// What one command run in process printed, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The exit code the binary would return: 0, 1 (refused) or 2 (could not run).
    pub exit_code: u8,
    /// Standard output: with `--json`, the one JSON object.
    pub stdout: String,
    /// Standard error: warnings, and for a failure the text the binary prints.
    pub stderr: String,
}

/// Runs the command line `argv` (its first word the program's name) as the binary would, in
/// this process, with its output captured.
pub fn run_captured(argv: &[String]) -> Captured {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let exit_code = u8::try_from(e.exit_code()).unwrap_or(2);
            let text = e.render().to_string();
            let (stdout, stderr) = if e.use_stderr() { (String::new(), text) } else { (text, String::new()) };
            return Captured { exit_code, stdout, stderr };
        }
    };
    let (out, err) = (Buffer::default(), Buffer::default());
    let mut ui = Ui::new(Box::new(out.clone()), Box::new(err.clone()));
    let result = commands::run(cli, &mut ui);
    let _ = ui.flush();
    let exit_code = match result {
        Ok(()) | Err(Failure::BrokenPipe) => 0,
        Err(Failure::Refused) => 1,
        Err(Failure::Error(e)) => {
            ui.err(&commands::render_error(&e));
            e.exit_code()
        }
    };
    drop(ui);
    Captured { exit_code, stdout: out.text(), stderr: err.text() }
}

/// A `Write` into memory that a [`Ui`] owns one handle of and the caller another.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Returns the tool result of a captured run: standard output as the first text block (the
/// CLI's JSON, unchanged); when the run failed, a last block with standard error and the exit
/// code; warnings of a successful run as a block of their own. The structured content is
/// `{exit_code, output, stderr}`: the JSON parsed, and standard error or null.
fn tool_result(run: Captured) -> CallToolResult {
    let mut content = Vec::new();
    if !run.stdout.is_empty() {
        content.push(ContentBlock::text(run.stdout.clone()));
    }
    if run.exit_code != 0 {
        let meaning = match run.exit_code {
            1 => "a check found problems or a step was refused",
            _ => "the command could not run; nothing was changed",
        };
        content.push(ContentBlock::text(format!("{}exit code: {} ({meaning})\n", run.stderr, run.exit_code)));
    } else if !run.stderr.is_empty() {
        content.push(ContentBlock::text(run.stderr.clone()));
    }
    let structured = serde_json::json!({
        "exit_code": run.exit_code,
        "output": serde_json::from_str::<serde_json::Value>(&run.stdout).ok(),
        "stderr": (!run.stderr.is_empty()).then_some(&run.stderr),
    });
    let mut result =
        if run.exit_code == 0 { CallToolResult::success(content) } else { CallToolResult::error(content) };
    result.structured_content = Some(structured);
    result
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

/// Arguments of `status`.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct StatusParams {
    /// Also read the tracking documents from the tips of the other milestone branches
    /// (without checking anything out). Default false.
    #[serde(default)]
    pub all_branches: Option<bool>,
}

/// Arguments of `inspect`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct InspectParams {
    /// The Markdown document, relative to the server's working directory or absolute.
    pub path: String,
}

/// Arguments of `start`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct StartParams {
    /// The milestone's id, e.g. `M7`; its plan is `docs/milestones/ID.md` when there is one.
    pub id: String,
    /// The area of the code base, in the branch name. Default: the plan's component.
    #[serde(default)]
    pub surface: Option<String>,
    /// The short name at the end of the branch. Default: from the title.
    #[serde(default)]
    pub slug: Option<String>,
    /// What to branch from. Default: setting branch.base, else the remote's HEAD branch, else
    /// main, else master.
    #[serde(default)]
    pub base: Option<String>,
    /// The template of the tracking document. Default: setting templates.tracking.
    #[serde(default)]
    pub template: Option<String>,
    /// The milestone's title: required when there is no plan; overrides the plan's.
    #[serde(default)]
    pub title: Option<String>,
}

/// Arguments of `plan_next`.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct PlanParams {
    /// The plan document. Default: setting plan.path, else IMPLEMENTATION_PLAN.md.
    #[serde(default)]
    pub plan: Option<String>,
}

/// Arguments of `plan_start` and `plan_done`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct PlanTaskParams {
    /// The task's id as the plan writes it, e.g. `TASKS-01`.
    pub task: String,
    /// The plan document. Default: setting plan.path, else IMPLEMENTATION_PLAN.md.
    #[serde(default)]
    pub plan: Option<String>,
}

/// Arguments of `plan_log`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct PlanLogParams {
    /// The task's id as the plan writes it, e.g. `TASKS-01`.
    pub task: String,
    /// What the session did: one line for the session log's Notes column.
    pub note: String,
    /// The plan document. Default: setting plan.path, else IMPLEMENTATION_PLAN.md.
    #[serde(default)]
    pub plan: Option<String>,
}

/// Which checklist of a task `plan_check` ticks.
#[derive(Debug, Clone, Copy, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// `workflow.pre_check`: what must hold before the task starts.
    Pre,
    /// `workflow.post_check`: what must hold before the task is done.
    Post,
}

/// Arguments of `plan_check`.
#[derive(Debug, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct PlanCheckParams {
    /// The task's id as the plan writes it, e.g. `TASKS-01`.
    pub task: String,
    /// Which checklist: `pre` (before plan_start) or `post` (before plan_done).
    pub which: Which,
    /// The items to set to true, by name, e.g. `["verified_req", "checked_deps"]`.
    pub items: Vec<String>,
    /// The plan document. Default: setting plan.path, else IMPLEMENTATION_PLAN.md.
    #[serde(default)]
    pub plan: Option<String>,
}

/// Arguments of `sync`.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct SyncParams {
    /// The milestone; it must be the checked-out one. Default: the one whose branch is
    /// checked out.
    #[serde(default)]
    pub id: Option<String>,
}

/// Arguments of `check`.
#[derive(Debug, Default, Deserialize, rmcp::schemars::JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// The milestone. Default: the one whose branch is checked out. Not with `ref`.
    #[serde(default)]
    pub id: Option<String>,
    /// Check the branch REF (e.g. `refs/heads/feature/M7/rate-limits`) from the object
    /// database alone, without its work tree. Not with `id`.
    #[serde(default, rename = "ref")]
    pub reference: Option<String>,
    /// Also require the document's status to say complete (the last check before a merge).
    #[serde(default, rename = "final")]
    pub last: Option<bool>,
    /// Run the test command (setting check.test_command) and compare its summary with the
    /// document's test-status lines.
    #[serde(default)]
    pub run_tests: Option<bool>,
}

/// Returns `["git-milestone", words…]` as owned strings.
fn argv(words: &[&str]) -> Vec<String> {
    std::iter::once("git-milestone").chain(words.iter().copied()).map(str::to_string).collect()
}

/// Appends `--NAME=VALUE` when `value` is given: the `=` keeps a value that starts with `-`
/// a value.
fn option(argv: &mut Vec<String>, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        argv.push(format!("--{name}={value}"));
    }
}

/// Appends `--NAME` when `on`.
fn flag(argv: &mut Vec<String>, name: &str, on: Option<bool>) {
    if on == Some(true) {
        argv.push(format!("--{name}"));
    }
}

/// Appends `--` and the positional arguments, so none is read as an option.
fn positional(argv: &mut Vec<String>, values: &[&str]) {
    if !values.is_empty() {
        argv.push("--".to_string());
        argv.extend(values.iter().map(|v| (*v).to_string()));
    }
}

/// Returns the command line of a `plan` step with its JSON output and the plan option.
fn plan_argv(step: &str, plan: Option<&str>) -> Vec<String> {
    let mut args = argv(&["plan", step, "--json"]);
    option(&mut args, "plan", plan);
    args
}

impl StatusParams {
    /// Returns `status --json [--all-branches]`.
    fn argv(&self) -> Vec<String> {
        let mut args = argv(&["status", "--json"]);
        flag(&mut args, "all-branches", self.all_branches);
        args
    }
}

impl InspectParams {
    /// Returns `inspect --json -- PATH`.
    fn argv(&self) -> Vec<String> {
        let mut args = argv(&["inspect", "--json"]);
        positional(&mut args, &[&self.path]);
        args
    }
}

impl StartParams {
    /// Returns `start --json [--surface=S] [--slug=S] [--base=B] [--template=T] [--title=T] -- ID`.
    fn argv(&self) -> Vec<String> {
        let mut args = argv(&["start", "--json"]);
        option(&mut args, "surface", self.surface.as_deref());
        option(&mut args, "slug", self.slug.as_deref());
        option(&mut args, "base", self.base.as_deref());
        option(&mut args, "template", self.template.as_deref());
        option(&mut args, "title", self.title.as_deref());
        positional(&mut args, &[&self.id]);
        args
    }
}

impl PlanParams {
    /// Returns `plan next --json [--plan=P]`.
    fn argv(&self) -> Vec<String> {
        plan_argv("next", self.plan.as_deref())
    }
}

impl PlanTaskParams {
    /// Returns `plan STEP --json [--plan=P] -- TASK`.
    fn argv(&self, step: &str) -> Vec<String> {
        let mut args = plan_argv(step, self.plan.as_deref());
        positional(&mut args, &[&self.task]);
        args
    }
}

impl PlanLogParams {
    /// Returns `plan log --json [--plan=P] -- TASK NOTE`.
    fn argv(&self) -> Vec<String> {
        let mut args = plan_argv("log", self.plan.as_deref());
        positional(&mut args, &[&self.task, &self.note]);
        args
    }
}

impl PlanCheckParams {
    /// Returns `plan check --json [--plan=P] -- TASK pre|post ITEM...`.
    fn argv(&self) -> Vec<String> {
        let mut args = plan_argv("check", self.plan.as_deref());
        let which = match self.which {
            Which::Pre => "pre",
            Which::Post => "post",
        };
        let mut values = vec![self.task.as_str(), which];
        values.extend(self.items.iter().map(String::as_str));
        positional(&mut args, &values);
        args
    }
}

impl SyncParams {
    /// Returns `sync --json [-- ID]`.
    fn argv(&self) -> Vec<String> {
        let mut args = argv(&["sync", "--json"]);
        if let Some(id) = &self.id {
            positional(&mut args, &[id]);
        }
        args
    }
}

impl CheckParams {
    /// Returns `check --json [--ref=R] [--final] [--run-tests] [-- ID]`.
    fn argv(&self) -> Vec<String> {
        let mut args = argv(&["check", "--json"]);
        option(&mut args, "ref", self.reference.as_deref());
        flag(&mut args, "final", self.last);
        flag(&mut args, "run-tests", self.run_tests);
        if let Some(id) = &self.id {
            positional(&mut args, &[id]);
        }
        args
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
    use super::*;

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
