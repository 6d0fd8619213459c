//! `git milestone new`: a plan document for a milestone, in the work tree.

use std::collections::BTreeMap;

use clap::Args;

use super::{Failure, Workspace};
use crate::error::Error;
use crate::fsio::write_atomic;
use crate::milestone::{check_id, check_part, slugify};
use crate::template;
use crate::ui::Ui;

/// Write the plan document of a new milestone (not committed), status Planned
///
/// The plan goes to `docs/milestones/ID.md` (setting `plans.folder`), from the template named
/// by `--template` or the setting `templates.plan` (default `milestone`).
///
/// Example: `git milestone new M7 "Rate limits for the public API" --surface api`
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The milestone's id: letters, digits, `-`, `_`, `.` (e.g. M7, v1.2)
    pub id: String,
    /// The milestone's title
    pub title: String,
    /// The template to write it from [default: setting templates.plan, or `milestone`]
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// The area of the code base it changes; goes into the branch name
    #[arg(long, value_name = "SURFACE")]
    pub surface: Option<String>,
}

/// Runs `new`.
///
/// # Errors
///
/// Fails on a bad id, an existing plan, a link in the way or an unknown template.
pub fn run(ui: &mut Ui, ws: &Workspace, args: NewArgs) -> Result<(), Failure> {
    check_id(&args.id)?;
    let surface = args.surface.as_deref().map(slugify).unwrap_or_default();
    if !surface.is_empty() {
        check_part("surface", &surface)?;
    }
    let rel = format!("{}/{}.md", ws.config.plans_folder, args.id);
    ws.refuse_links(&rel)?;
    let path = ws.path(&rel);
    if path.exists() {
        return Err(Error::Exists { what: "plan", path: rel }.into());
    }
    let name = args.template.as_deref().unwrap_or(&ws.config.plan_template);
    let folder = ws.config.templates_folder.as_deref();
    let text = template::find(name, folder.map(|f| ws.path(f)).as_deref(), folder)?;
    let now = chrono::Local::now();
    let values = BTreeMap::from([
        ("id", args.id.clone()),
        ("title", args.title.clone()),
        ("date", now.format("%Y-%m-%d").to_string()),
        ("datetime", now.format("%Y-%m-%dT%H:%M:%S").to_string()),
        ("assignee", ws.repo.user_name().unwrap_or_default()),
        ("surface", surface),
        ("slug", slugify(&args.title)),
        ("plan_path", rel.clone()),
        (
            "base",
            ws.config.base.clone().or_else(|| ws.repo.default_base().ok()).unwrap_or_else(|| "main".into()),
        ),
    ]);
    let (text, _) = template::fill_document(&text, &values);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|source| Error::Write { path: ws.config.plans_folder.clone(), source })?;
    }
    write_atomic(&path, &text, &rel)?;
    ui.out(&format!(
        "wrote {rel} (status Planned)\nnext: fill in its tasks, then `git milestone start {}`\n",
        args.id
    ))?;
    Ok(())
}
