//! `git milestone init`: the settings file, the document folders, and (with the hooks
//! release) the hooks.

use clap::Args;

use super::{Failure, Workspace};
use crate::config;
use crate::error::Error;
use crate::fsio::write_atomic;
use crate::ui::Ui;

use crate::hooks::NAMES as HOOKS;

/// Set up git-milestone in this repository: `.milestone.yml`, the document folders, the hooks
///
/// Writes a commented `.milestone.yml` with every setting at its default (unless the file
/// exists), creates the plans and tracking folders, installs the hooks and the merge driver
/// for tracking documents (as `git milestone hooks install` does) and sets `rebase.autoStash`
/// and `merge.autoStash` for the repository (unless your config says otherwise), so that a
/// staged tracking document never stops a rebase, a merge or a pull. Running it again changes
/// nothing.
///
/// Example: `git milestone init`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Leave `rebase.autoStash` and `merge.autoStash` as they are
    #[arg(long)]
    pub no_autostash: bool,
}

/// Runs `init`.
///
/// # Errors
///
/// Fails when the settings file or a folder cannot be written.
pub fn run(ui: &mut Ui, ws: &Workspace, args: InitArgs) -> Result<(), Failure> {
    let mut changed = Vec::new();
    ws.refuse_links(config::FILE)?;
    let file = ws.path(config::FILE);
    if file.exists() {
        ui.out(&format!("{} exists; left as it is\n", config::FILE))?;
    } else {
        write_atomic(&file, &config::commented_file(), config::FILE)?;
        changed.push(format!("wrote {} (every setting commented out at its default)", config::FILE));
    }
    for folder in [&ws.config.plans_folder, &ws.config.tracking_folder] {
        ws.refuse_links(folder)?;
        let path = ws.path(folder);
        if !path.is_dir() {
            std::fs::create_dir_all(&path).map_err(|source| Error::Write { path: folder.clone(), source })?;
            changed.push(format!("created {folder}/"));
        }
    }
    for line in &changed {
        ui.out(&format!("{line}\n"))?;
    }
    if changed.is_empty() {
        ui.out("already set up; nothing changed\n")?;
    }
    let dir = crate::hooks::folder(&ws.repo);
    let link = match ws.config.hooks_mode {
        crate::config::HooksMode::Link => Some(super::hooks::link_target().map_err(Error::Hook)?),
        crate::config::HooksMode::Shim => None,
    };
    let mode = link.as_deref().map_or(crate::hooks::Mode::Shim, crate::hooks::Mode::Link);
    let mut installed = Vec::new();
    for name in HOOKS {
        // What was there before says whether ours now runs beside another hook.
        match crate::hooks::install_as(&dir, name, mode).map_err(Error::Hook)? {
            crate::hooks::State::Absent
            | crate::hooks::State::Ours
            | crate::hooks::State::Linked(_)
            | crate::hooks::State::Broken(_) => installed.push(name.to_string()),
            _ => installed.push(format!("{name} (beside the hook that was there)")),
        }
    }
    ui.out(&format!("hooks: {} (see `git milestone hooks status`)\n", installed.join(", ")))?;
    if crate::tracking::setup::install(&ws.repo, &ws.config.tracking_folder)? {
        ui.out(&format!("merge driver: installed for {}/*.md\n", ws.config.tracking_folder))?;
    }
    if !args.no_autostash {
        use crate::tracking::setup::{self, Autostash};
        for (key, set, what) in [
            ("rebase.autoStash", setup::autostash(&ws.repo)?, "a rebase"),
            ("merge.autoStash", setup::merge_autostash(&ws.repo)?, "a merge or a pull"),
        ] {
            match set {
                Autostash::Set => ui.out(&format!(
                    "set {key} for this repository, so that a staged tracking document never stops {what} (`--no-autostash` leaves it)\n"
                ))?,
                Autostash::KeptOff => ui.out(&format!(
                    "{key} is false in your git config: left as it is (a staged tracking document will stop {what} until you commit or stash it)\n"
                ))?,
                Autostash::AlreadyOn => {}
            }
        }
    }
    Ok(())
}
