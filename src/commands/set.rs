//! `git milestone set`: set a header field or a frontmatter value, changing nothing else.

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use crate::document::edit::EditError;
use crate::error::Error;
use crate::fsio::write_atomic;
use crate::ui::Ui;

/// Set a header field (`**Status:** ...`) or a frontmatter key to a value
///
/// LABEL names a header field (without its colon; case does not matter) or, when no field has
/// that label, a frontmatter key (`status`, `custom_fields.last_updated`, `tags[0]`). Only the
/// value's bytes change: YAML comments, quoting, line endings and trailing spaces stay.
///
/// Example: `git milestone set docs/milestones/M7.md Status "🔄 In Progress"`
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The Markdown document to edit
    pub path: PathBuf,
    /// The header field's label or the frontmatter key
    pub label: String,
    /// The new value (one line; inline Markdown for a field)
    pub value: String,
    /// Set the frontmatter key even when a header field has the same label; a missing
    /// top-level key is added
    #[arg(long)]
    pub frontmatter: bool,
    /// Add the header field after the last one when the document has no such field
    #[arg(long, conflicts_with = "frontmatter")]
    pub add: bool,
}

/// Runs `set`.
///
/// # Errors
///
/// Fails when the document cannot be read, parsed or written, or has no such field or key.
pub fn run(ui: &mut Ui, args: SetArgs) -> Result<(), Failure> {
    let (shown, text) = super::read(&args.path)?;
    let doc = super::parse(&shown, &text)?;
    let (label, value) = (args.label.as_str(), args.value.as_str());
    let edits = if args.frontmatter {
        doc.set_frontmatter(label, value).map(|e| vec![e])
    } else if doc.field(label).is_some() {
        doc.set_field(label, value).map(|e| vec![e])
    } else if doc.has_frontmatter_value(label) {
        doc.set_frontmatter(label, value).map(|e| vec![e])
    } else if args.add {
        doc.add_field(label, value)
    } else {
        Err(doc.no_such_field(label))
    };
    let edits = edits.map_err(|problem| {
        let line = match &problem {
            EditError::Yaml { line, .. } => Some(*line),
            _ => None,
        };
        Error::Edit { path: shown.clone(), line, problem }
    })?;
    let new = doc.apply(&edits);
    if new == text {
        ui.out(&format!("{shown}: `{label}` is already `{value}`; nothing changed\n"))?;
    } else {
        write_atomic(&args.path, &new, &shown)?;
        ui.out(&format!("set `{label}` in {shown}\n"))?;
    }
    Ok(())
}
