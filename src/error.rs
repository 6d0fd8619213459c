//! The crate error: what went wrong and where, a hint on how to fix it, and the exit code.

use std::io;

use crate::document::ParseError;
use crate::document::edit::EditError;

/// Exit code of a command that could not run.
pub const EXIT_CANNOT_RUN: u8 = 2;

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{path}`: no such file")]
    NotFound { path: String },
    #[error("cannot read `{path}`: it is a directory")]
    IsDirectory { path: String },
    #[error("cannot read `{path}`")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("`{path}` is a binary file, not a Markdown document (it holds a NUL byte)\n  at {path}:{line}")]
    Binary { path: String, line: usize },
    #[error("`{path}` is not UTF-8 text: a byte that UTF-8 does not allow\n  at {path}:{line}:{column}")]
    NotUtf8 { path: String, line: usize, column: usize },
    #[error("{problem}\n  at {path}:{line}", line = problem.line())]
    Parse { path: String, problem: ParseError },
    #[error("{problem}\n  at {path}{}", line.map(|l| format!(":{l}")).unwrap_or_default())]
    Edit { path: String, line: Option<usize>, problem: EditError },
    #[error("cannot write `{path}`")]
    Write {
        path: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    /// Returns how to fix the problem, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::NotFound { .. } => Some("check the path; it is relative to the current directory".into()),
            Error::IsDirectory { .. } => Some("name a Markdown file inside it".into()),
            Error::Binary { .. } | Error::NotUtf8 { .. } => {
                Some("git-milestone reads UTF-8 Markdown; convert the file, e.g. with `iconv -t UTF-8`".into())
            }
            Error::Parse { problem: ParseError::Frontmatter { .. }, .. } => Some(
                "fix the YAML between the `---` lines at the top (quote values that contain `: ` or start with `*`, `&`, `[` or `{`)".into(),
            ),
            Error::Edit { problem, .. } => edit_hint(problem),
            Error::Read { .. } | Error::Write { .. } => None,
        }
    }

    /// Returns the process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        EXIT_CANNOT_RUN
    }
}

fn edit_hint(e: &EditError) -> Option<String> {
    match e {
        EditError::NotATaskItem { .. } => Some(
            "give the line of a list item that starts with `- [ ]` or `- [x]` (see `git milestone inspect`)"
                .into(),
        ),
        EditError::NoSuchField { available, .. } if !available.is_empty() => Some(format!(
            "the document has: {}",
            available.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        )),
        EditError::NoSuchField { .. } => Some("the document has no header fields and no frontmatter".into()),
        EditError::MultiLine { .. } => Some("give the value on one line".into()),
        _ => None,
    }
}
