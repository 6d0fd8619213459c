//! The tools' arguments, and the command line each builds.

use serde::Deserialize;

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
pub(super) fn argv(words: &[&str]) -> Vec<String> {
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
    pub(super) fn argv(&self) -> Vec<String> {
        let mut args = argv(&["status", "--json"]);
        flag(&mut args, "all-branches", self.all_branches);
        args
    }
}

impl InspectParams {
    /// Returns `inspect --json -- PATH`.
    pub(super) fn argv(&self) -> Vec<String> {
        let mut args = argv(&["inspect", "--json"]);
        positional(&mut args, &[&self.path]);
        args
    }
}

impl StartParams {
    /// Returns `start --json [--surface=S] [--slug=S] [--base=B] [--template=T] [--title=T] -- ID`.
    pub(super) fn argv(&self) -> Vec<String> {
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
    pub(super) fn argv(&self) -> Vec<String> {
        plan_argv("next", self.plan.as_deref())
    }
}

impl PlanTaskParams {
    /// Returns `plan STEP --json [--plan=P] -- TASK`.
    pub(super) fn argv(&self, step: &str) -> Vec<String> {
        let mut args = plan_argv(step, self.plan.as_deref());
        positional(&mut args, &[&self.task]);
        args
    }
}

impl PlanLogParams {
    /// Returns `plan log --json [--plan=P] -- TASK NOTE`.
    pub(super) fn argv(&self) -> Vec<String> {
        let mut args = plan_argv("log", self.plan.as_deref());
        positional(&mut args, &[&self.task, &self.note]);
        args
    }
}

impl PlanCheckParams {
    /// Returns `plan check --json [--plan=P] -- TASK pre|post ITEM...`.
    pub(super) fn argv(&self) -> Vec<String> {
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
    pub(super) fn argv(&self) -> Vec<String> {
        let mut args = argv(&["sync", "--json"]);
        if let Some(id) = &self.id {
            positional(&mut args, &[id]);
        }
        args
    }
}

impl CheckParams {
    /// Returns `check --json [--ref=R] [--final] [--run-tests] [-- ID]`.
    pub(super) fn argv(&self) -> Vec<String> {
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
