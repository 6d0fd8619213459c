//! The command line: clap definitions of every command. Each command's arguments live with
//! the command in [`crate::commands`].

use clap::{Parser, Subcommand};

use crate::commands::mcp::McpArgs;
use crate::commands::plan::PlanArgs;
use crate::commands::report::ReportArgs;
use crate::commands::status::StatusArgs;
use crate::commands::{
    check::CheckArgs, demo::DemoArgs, finish::FinishArgs, hook::HookArgs, hooks::HooksArgs, init::InitArgs,
    inspect::InspectArgs, lint::LintArgs, list::ListArgs, manual::CompletionsArgs, manual::ManArgs,
    new::NewArgs, set::SetArgs, start::StartArgs, sync::MergeDriverArgs, sync::SyncArgs, tick::TickArgs,
};

/// Keep Markdown milestone tracking documents in step with git branches
///
/// Run as `git milestone <command>` once `git-milestone` is on PATH. `git milestone --help`
/// opens the man page through git; `git milestone -h` shows this help.
#[derive(Debug, Parser)]
#[command(name = "git-milestone", bin_name = "git milestone", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Every subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(InitArgs),
    New(NewArgs),
    List(ListArgs),
    Status(StatusArgs),
    Report(ReportArgs),
    Start(StartArgs),
    Sync(SyncArgs),
    Check(CheckArgs),
    Finish(FinishArgs),
    Plan(PlanArgs),
    Mcp(McpArgs),
    Demo(DemoArgs),
    Hooks(HooksArgs),
    Lint(LintArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Hook(HookArgs),
    MergeDriver(MergeDriverArgs),
    Inspect(InspectArgs),
    Tick(TickArgs),
    Set(SetArgs),
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
