//! `git milestone inspect`: what the tool sees in a document.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::document::Document;
use crate::ui::Ui;

/// Show what git-milestone reads in a document: form, fields, phases, tasks, progress
///
/// Example: `git milestone inspect docs/milestones/tracking/M7-tracking.md --json`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The Markdown document to read
    pub path: PathBuf,
    /// Print one JSON object (documented in docs/json.md) instead of a summary
    #[arg(long)]
    pub json: bool,
}

/// Runs `inspect`.
///
/// # Errors
///
/// Fails when the document cannot be read or parsed.
pub fn run(ui: &mut Ui, args: InspectArgs) -> Result<(), Failure> {
    let (shown, text) = super::read(&args.path)?;
    let doc = super::parse(&shown, &text)?;
    if args.json {
        let mut out = serde_json::to_string_pretty(&doc.summary()).unwrap_or_default();
        out.push('\n');
        ui.out(&out)?;
    } else {
        ui.out(&human(&doc, &shown))?;
    }
    for w in &doc.warnings {
        ui.err(&format!("warning: {}\n  at {shown}:{}\n", w.message, w.line));
    }
    Ok(())
}

fn human(doc: &Document, shown: &str) -> String {
    let mut s = String::new();
    let title = doc.title.as_deref().unwrap_or("(no title)");
    let _ = writeln!(s, "{shown}: {} document, {title:?}", doc.kind.as_str());
    let boxes = doc.checkboxes();
    let _ = writeln!(
        s,
        "checkboxes: {} of {} ticked; progress {}%",
        boxes.checked,
        boxes.total,
        doc.progress_percent()
    );
    if !doc.fields.is_empty() {
        let _ = writeln!(s, "fields:");
        for f in &doc.fields {
            let _ = writeln!(s, "  {:>4}  {}: {}", f.line, f.label, f.value);
        }
    }
    for phase in &doc.phases {
        let status = phase.status.map_or("-", |st| st.as_str());
        let _ = writeln!(
            s,
            "phase {}: {} [{status}] {}/{} checkboxes (line {})",
            phase.id, phase.name, phase.checkboxes.checked, phase.checkboxes.total, phase.line
        );
        for t in &phase.tasks {
            let status = t.status.map_or("-", |st| st.as_str());
            let _ = writeln!(
                s,
                "  task {}: {} [{status}] {}/{} checkboxes, {} (line {})",
                t.id,
                t.name,
                t.checkboxes.checked,
                t.checkboxes.total,
                commits(t.commits.len()),
                t.line
            );
        }
    }
    let loose: Vec<_> = doc.plan_tasks.iter().filter(|t| t.phase.is_none()).collect();
    if !loose.is_empty() {
        let _ = writeln!(s, "tasks outside phases:");
        for t in loose {
            let _ = writeln!(
                s,
                "  {} {} [{}] (line {})",
                t.id,
                t.name.as_deref().unwrap_or(""),
                t.status_text.as_deref().unwrap_or("-"),
                t.line
            );
        }
    }
    if !doc.progress_log.is_empty() {
        let _ = writeln!(s, "progress log:");
        for e in &doc.progress_log {
            let _ =
                writeln!(s, "  {:>4}  {} - {} ({})", e.line, e.date_text, e.title, commits(e.commits.len()));
        }
    }
    for t in &doc.test_status {
        let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
        let what = if t.planned { "planned" } else { "total" };
        let _ = writeln!(
            s,
            "tests: {}: {} passing / {} {what} (line {})",
            t.label,
            n(t.passing),
            n(t.total),
            t.line
        );
    }
    let _ = writeln!(
        s,
        "sections: {}, tables: {}, YAML blocks: {}",
        doc.sections.len(),
        doc.tables.len(),
        doc.yaml_blocks.len()
    );
    s
}

fn commits(n: usize) -> String {
    if n == 1 { "1 commit".into() } else { format!("{n} commits") }
}
