//! `git milestone list`: the milestones of this repository and their status.

use clap::Args;
use serde::Serialize;

use super::{Failure, Workspace};
use crate::document::Document;
use crate::milestone::read_plan;
use crate::ui::Ui;

/// List the milestones planned in this repository, with their status
///
/// A milestone is a plan document `ID.md` in the plans folder (setting `plans.folder`); its
/// tracking document, when there is one in the work tree, is listed beside it.
///
/// Example: `git milestone list --json`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print one JSON object (documented in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

/// One milestone, as `list` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: Option<String>,
    /// The plan's status (`planned`, `in_progress`, ...), null when it states none.
    pub status: Option<&'static str>,
    pub plan: String,
    /// The tracking document's path, when it is in the work tree.
    pub tracking: Option<String>,
    /// A problem reading the plan, when there is one.
    pub error: Option<String>,
}

/// Returns the milestones of the workspace, sorted by id.
pub fn milestones(ws: &Workspace) -> Vec<Entry> {
    let folder = &ws.config.plans_folder;
    let Ok(dir) = std::fs::read_dir(ws.path(folder)) else { return Vec::new() };
    let mut out = Vec::new();
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".md")) else { continue };
        if crate::milestone::check_id(id).is_err() || !entry.path().is_file() {
            continue;
        }
        let plan = format!("{folder}/{id}.md");
        let tracking_rel =
            format!("{}/{}", ws.config.tracking_folder, ws.config.tracking_file.replace("{id}", id));
        let tracking = ws.path(&tracking_rel).is_file().then_some(tracking_rel);
        let (title, status, error) = match crate::fsio::read_document(&entry.path(), &plan) {
            Ok(text) => match Document::parse(&text) {
                Ok(doc) => {
                    let p = read_plan(&doc, id);
                    (p.title, p.status.map(|s| s.as_str()), None)
                }
                Err(e) => (None, None, Some(format!("{e} (line {})", e.line()))),
            },
            Err(e) => (None, None, Some(e.to_string())),
        };
        out.push(Entry { id: id.to_string(), title, status, plan, tracking, error });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Runs `list`.
///
/// # Errors
///
/// Fails only when output cannot be written.
pub fn run(ui: &mut Ui, ws: &Workspace, args: ListArgs) -> Result<(), Failure> {
    let list = milestones(ws);
    if args.json {
        let json = serde_json::json!({ "milestones": list });
        ui.out(&format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default()))?;
        return Ok(());
    }
    if list.is_empty() {
        ui.out(&format!(
            "no milestones in {}/; plan one with `git milestone new ID \"Title\"`\n",
            ws.config.plans_folder
        ))?;
    }
    let width = list.iter().map(|e| e.id.len()).max().unwrap_or(0);
    for e in &list {
        let status = e.status.unwrap_or("-");
        let title = e.title.as_deref().unwrap_or("(no title)");
        let tracking = e.tracking.as_deref().map(|t| format!("  tracking: {t}")).unwrap_or_default();
        ui.out(&format!("{:<width$}  {status:<12} {title}{tracking}\n", e.id))?;
        if let Some(error) = &e.error {
            ui.err(&format!("warning: {}: {error}\n", e.plan));
        }
    }
    Ok(())
}
