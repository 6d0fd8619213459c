//! `git milestone tick`: tick or untick one task-list checkbox, changing nothing else.

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::document::edit::EditError;
use crate::error::Error;
use crate::fsio::write_edited;
use crate::ui::Ui;

/// Tick (or untick) the task-list item that starts on a line
///
/// Only the character inside the brackets changes; every other byte of the file stays as it
/// was. A line that is not a task-list item (e.g. one inside a code block) is refused.
///
/// Example: `git milestone tick docs/milestones/tracking/M7-tracking.md --line 42`
#[derive(Debug, Args)]
pub struct TickArgs {
    /// The Markdown document to edit
    pub path: PathBuf,
    /// The 1-based line on which the task-list item starts
    #[arg(long, value_name = "N")]
    pub line: usize,
    /// Untick instead: `[x]` becomes `[ ]`
    #[arg(long)]
    pub undo: bool,
}

/// Runs `tick`.
///
/// # Errors
///
/// Fails when the document cannot be read, parsed or written, or the line holds no task item.
pub fn run(ui: &mut Ui, args: TickArgs) -> Result<(), Failure> {
    let (shown, text) = super::read(&args.path)?;
    let doc = super::parse(&shown, &text)?;
    let line = args.line;
    let edit = doc.tick(line, !args.undo).map_err(|problem| {
        let at = match problem {
            EditError::NotATaskItem { .. } | EditError::NoSuchLine { .. } => Some(line),
            _ => None,
        };
        Error::Edit { path: shown.clone(), line: at, problem }
    })?;
    let verb = if args.undo { "unticked" } else { "ticked" };
    match edit {
        Some(edit) => {
            write_edited(&args.path, &text, &[edit], &shown)?;
            ui.out(&format!("{verb} {shown}:{line}\n"))?;
        }
        None => ui.out(&format!("{shown}:{line} is already {verb}; nothing changed\n"))?,
    }
    Ok(())
}
