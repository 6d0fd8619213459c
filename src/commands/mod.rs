//! One module per subcommand, each a thin caller of the library: `<Name>Args` and `run`.

pub mod inspect;
pub mod set;
pub mod tick;

use std::path::Path;

use crate::cli::{Cli, Command};
use crate::document::Document;
use crate::error::Error;
use crate::ui::Ui;

/// What a command reports besides success: an error, or a closed output pipe.
#[derive(Debug)]
pub enum Failure {
    Error(Error),
    /// Standard output was closed (e.g. `| head`): stop quietly.
    BrokenPipe,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Error(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(_: std::io::Error) -> Self {
        Failure::BrokenPipe
    }
}

/// Runs the command `cli` names.
///
/// # Errors
///
/// Returns the command's error, or [`Failure::BrokenPipe`] when output could not be written.
pub fn run(cli: Cli, ui: &mut Ui) -> Result<(), Failure> {
    match cli.command {
        Command::Inspect(args) => inspect::run(ui, args),
        Command::Tick(args) => tick::run(ui, args),
        Command::Set(args) => set::run(ui, args),
    }
}

/// Returns how `path` is shown in messages, and the document's text.
fn read(path: &Path) -> Result<(String, String), Error> {
    let shown = path.display().to_string();
    let text = crate::fsio::read_document(path, &shown)?;
    Ok((shown, text))
}

/// Returns the document model of `text`, read from the file shown as `shown`.
fn parse<'t>(shown: &str, text: &'t str) -> Result<Document<'t>, Error> {
    Document::parse(text).map_err(|problem| Error::Parse { path: shown.to_string(), problem })
}
