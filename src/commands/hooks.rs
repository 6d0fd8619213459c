//! `git milestone hooks install | uninstall | status`.

use clap::{Args, Subcommand};

use super::Failure;
use crate::error::Error;
use crate::hooks::{self, NAMES, State};
use crate::repo::Repo;
use crate::ui::Ui;

/// Install, remove or show git-milestone's git hooks
///
/// The hooks go into the folder git runs hooks from: `core.hooksPath` when it is set (husky,
/// lefthook, a shared folder), else `.git/hooks` of the main repository (linked worktrees share
/// it). A hook that is already there keeps running: a shell hook gets git-milestone's lines
/// after its `#!` line; another kind is kept as `NAME.git-milestone-chained` and run after
/// ours. `uninstall` puts back exactly what was there.
///
/// Example: `git milestone hooks install`
#[derive(Debug, Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    pub action: HooksAction,
}

/// What to do with the hooks.
#[derive(Debug, Subcommand)]
pub enum HooksAction {
    /// Install the hooks (installing twice changes nothing)
    Install,
    /// Remove the hooks, putting back what was there before
    Uninstall,
    /// Show what is installed where, and what is chained
    Status,
}

/// Runs `hooks`.
///
/// # Errors
///
/// Fails outside a repository or when a hook file cannot be written.
pub fn run(ui: &mut Ui, repo: &Repo, args: HooksArgs) -> Result<(), Failure> {
    let dir = hooks::folder(repo);
    let shown = dir.strip_prefix(repo.git.workdir().unwrap_or(&dir)).unwrap_or(&dir).display().to_string();
    let shown = if shown.is_empty() { dir.display().to_string() } else { shown };
    match args.action {
        HooksAction::Install => {
            for name in NAMES {
                let before = hooks::install(&dir, name).map_err(Error::Hook)?;
                let what = match before {
                    State::Absent => "installed",
                    State::Foreign if dir.join(format!("{name}{}", hooks::CHAINED_SUFFIX)).exists() => {
                        "installed; the hook that was there runs after ours (chained)"
                    }
                    State::Foreign => "installed into the existing hook, which still runs",
                    _ => "already installed",
                };
                ui.out(&format!("{shown}/{name}: {what}\n"))?;
            }
        }
        HooksAction::Uninstall => {
            for name in NAMES {
                let found = hooks::uninstall(&dir, name).map_err(Error::Hook)?;
                let what = match found {
                    State::Absent | State::Foreign => "not installed; left as it is",
                    State::Ours => "removed",
                    State::Embedded => "our lines removed; the hook is as it was",
                    State::Chaining => "removed; the hook that was there is back",
                };
                ui.out(&format!("{shown}/{name}: {what}\n"))?;
            }
        }
        HooksAction::Status => {
            let configured = repo.config_string("core.hooksPath");
            let source = configured.map_or_else(
                || "the repository's hooks folder".to_string(),
                |p| format!("core.hooksPath = {p}"),
            );
            ui.out(&format!("hooks folder: {shown} ({source})\n"))?;
            for name in NAMES {
                ui.out(&format!("  {name:<17} {}\n", hooks::state(&dir, name).describe(name)))?;
            }
        }
    }
    Ok(())
}
