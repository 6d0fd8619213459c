//! `git milestone hooks install | uninstall | status`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use super::{Failure, load_config_with};
use crate::config::{Config, HooksMode};
use crate::error::Error;
use crate::hooks::{self, Mode, NAMES, State};
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
/// Example: `git milestone hooks install`, `git milestone hooks install --link`
#[derive(Debug, Args)]
pub struct HooksArgs {
    #[command(subcommand)]
    pub action: HooksAction,
}

/// What to do with the hooks.
#[derive(Debug, Subcommand)]
pub enum HooksAction {
    /// Install the hooks (installing twice changes nothing)
    ///
    /// Where no hook is, ours is a shell shim that runs `git-milestone hook NAME`, or with
    /// `--link` a symbolic link to the git-milestone binary: no shell, so each hook costs about
    /// half as much, but a link to a binary that was removed is skipped by git without a word,
    /// where the shim says the binary is missing. A hook that is already there always gets the
    /// shim's lines. Installing in the other mode switches our hooks to it.
    Install {
        /// Link the hooks to the git-milestone binary (found on PATH, else this one) [default:
        /// the setting `hooks.mode`, shim]
        #[arg(long, conflicts_with = "shim")]
        link: bool,
        /// Install shell shims [default: the setting `hooks.mode`, shim]
        #[arg(long)]
        shim: bool,
        /// Install the server's hook instead: `pre-receive`, which refuses a push that merges
        /// a milestone failing `git milestone check` into the base branch (for a bare
        /// repository that receives pushes)
        #[arg(long)]
        server: bool,
    },
    /// Remove the hooks, putting back what was there before
    Uninstall {
        /// Remove the server's hook (`pre-receive`) instead
        #[arg(long)]
        server: bool,
    },
    /// Show what is installed where, and what is chained
    Status,
}

/// Runs `hooks`.
///
/// # Errors
///
/// Fails outside a repository, on an invalid configuration (when no mode is given) or when a
/// hook file cannot be written.
pub fn run(ui: &mut Ui, repo: &Repo, args: HooksArgs) -> Result<(), Failure> {
    let dir = hooks::folder(repo);
    let shown = dir.strip_prefix(repo.git.workdir().unwrap_or(&dir)).unwrap_or(&dir).display().to_string();
    let shown = if shown.is_empty() { dir.display().to_string() } else { shown };
    match args.action {
        HooksAction::Install { link, shim, server } => {
            // Read first: an invalid configuration stops the install before anything changes.
            let config = config(repo)?;
            let mode = match (link, shim) {
                (true, _) => HooksMode::Link,
                (_, true) => HooksMode::Shim,
                _ => config.hooks_mode,
            };
            let binary = match mode {
                HooksMode::Link => Some(link_target().map_err(Error::Hook)?),
                HooksMode::Shim => None,
            };
            let mode = binary.as_deref().map_or(Mode::Shim, Mode::Link);
            if server {
                for name in hooks::SERVER_NAMES {
                    let before = hooks::install_as(&dir, name, mode).map_err(Error::Hook)?;
                    let chained = dir.join(format!("{name}{}", hooks::CHAINED_SUFFIX)).exists();
                    ui.out(&format!("{shown}/{name}: {}\n", installed(&before, mode, chained)))?;
                }
                return Ok(());
            }
            for name in NAMES {
                let before = hooks::install_as(&dir, name, mode).map_err(Error::Hook)?;
                let chained = dir.join(format!("{name}{}", hooks::CHAINED_SUFFIX)).exists();
                ui.out(&format!("{shown}/{name}: {}\n", installed(&before, mode, chained)))?;
            }
            let changed = crate::tracking::setup::install(repo, &config.tracking_folder)?;
            let what = if changed { "installed" } else { "already installed" };
            ui.out(&format!(
                "merge driver for {}/*.md: {what} (git config merge.{}.*, .git/info/attributes)\n",
                config.tracking_folder,
                crate::tracking::setup::DRIVER
            ))?;
        }
        HooksAction::Uninstall { server } => {
            for name in if server { &hooks::SERVER_NAMES[..] } else { &NAMES[..] } {
                let found = hooks::uninstall(&dir, name).map_err(Error::Hook)?;
                let what = match found {
                    State::Absent | State::Foreign => "not installed; left as it is",
                    State::Ours => "removed",
                    State::Linked(_) | State::Broken(_) => "link removed",
                    State::Embedded => "our lines removed; the hook is as it was",
                    State::Chaining => "removed; the hook that was there is back",
                };
                ui.out(&format!("{shown}/{name}: {what}\n"))?;
            }
            if !server {
                let what = if crate::tracking::setup::uninstall(repo)? { "removed" } else { "not installed" };
                ui.out(&format!("merge driver: {what}\n"))?;
                crate::tracking::forget_snapshot(repo);
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
            for name in hooks::SERVER_NAMES {
                let state = hooks::state(&dir, name);
                if state != State::Absent {
                    ui.out(&format!("  {name:<17} {}\n", state.describe(name)))?;
                }
            }
            let state = match config(repo) {
                Ok(config) if crate::tracking::setup::installed(repo, &config.tracking_folder) => {
                    format!("installed for {}/*.md", config.tracking_folder)
                }
                Ok(_) => "not installed (run `git milestone hooks install`)".into(),
                Err(e) => format!(
                    "unknown: the settings cannot be read ({})",
                    e.to_string().lines().next().unwrap_or_default()
                ),
            };
            ui.out(&format!("  {:<17} {state}\n", "merge driver"))?;
        }
    }
    Ok(())
}

/// Returns what `install` says it did, from what was there before.
fn installed(before: &State, mode: Mode<'_>, chained: bool) -> String {
    // In link mode a hook that was there still gets the shim: a link would replace it.
    let kept = if matches!(mode, Mode::Link(_)) { " (as shell lines: a link would replace it)" } else { "" };
    match (before, mode) {
        (State::Absent, Mode::Shim) => "installed".into(),
        (State::Absent, Mode::Link(to)) => format!("installed as a link to `{}`", to.display()),
        (State::Ours, Mode::Link(to)) => format!("the shim replaced by a link to `{}`", to.display()),
        (State::Linked(_) | State::Broken(_), Mode::Shim) => "the link replaced by the shim".into(),
        (State::Linked(was), Mode::Link(to)) if was != to => {
            format!("linked to `{}` (was `{}`)", to.display(), was.display())
        }
        (State::Broken(was), Mode::Link(to)) => {
            format!("repaired: linked to `{}` (`{}` is gone)", to.display(), was.display())
        }
        (State::Foreign, _) if chained => {
            format!("installed; the hook that was there runs after ours (chained){kept}")
        }
        (State::Foreign, _) => format!("installed into the existing hook, which still runs{kept}"),
        _ => "already installed".into(),
    }
}

/// Returns the settings in force: `.milestone.yml` and git config, or git config alone in a
/// bare repository.
fn config(repo: &Repo) -> Result<Config, Error> {
    let git = repo.git_config();
    match repo.workdir() {
        Ok(root) => load_config_with(&git, root),
        Err(_) => Ok(Config::load(None, &git.milestone_entries())?),
    }
}

/// Returns the binary link-mode hooks point at: the first `git-milestone` on PATH, else the
/// running binary. Its folder is made canonical (no `..`, no linked folders) and its file
/// name kept: a `git-milestone` on PATH that is itself a link (a package manager's stable
/// name for a versioned file) stays the target, so an upgrade does not leave our links
/// dangling, and the target's name is what tells our links from others'.
///
/// # Errors
///
/// Fails when the binary found is not named `git-milestone`.
pub fn link_target() -> Result<PathBuf, hooks::Error> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .filter(|dir| dir.is_absolute())
            .map(|dir| dir.join(hooks::BINARY))
            .find(|file| is_executable(file))
    });
    let found = match on_path {
        Some(file) => file,
        None => std::env::current_exe().map_err(|source| hooks::Error {
            doing: "find",
            path: hooks::BINARY.into(),
            source,
        })?,
    };
    let folder = found.parent().unwrap_or(Path::new("/"));
    let folder = folder.canonicalize().unwrap_or_else(|_| folder.to_path_buf());
    if found.file_name().is_none_or(|n| n != hooks::BINARY) {
        let source = std::io::Error::other(format!(
            "the binary is not named `{}`, so a link to it could not be told from another hook; \
             put `{}` on PATH, or install the shims with `--shim`",
            hooks::BINARY,
            hooks::BINARY
        ));
        return Err(hooks::Error { doing: "link the hooks to", path: found.display().to_string(), source });
    }
    Ok(folder.join(hooks::BINARY))
}

/// Returns whether `file` is a file this user may run (following links).
fn is_executable(file: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        file.is_file()
    }
}
