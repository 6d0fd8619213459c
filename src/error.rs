//! The crate error: what went wrong and where, a hint on how to fix it, and the exit code.

use std::io;

use crate::document::ParseError;
use crate::document::edit::EditError;
use crate::{config, milestone, repo, template};

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
    #[error(transparent)]
    Config(#[from] config::Error),
    #[error(transparent)]
    Repo(#[from] repo::Error),
    #[error(transparent)]
    Template(#[from] template::Error),
    #[error(transparent)]
    Name(#[from] milestone::NameError),
    #[error("{what} `{path}` already exists")]
    Exists { what: &'static str, path: String },
    #[error("`{path}` is a symbolic link; git-milestone does not write through links")]
    Symlink { path: String },
    #[error("milestone `{id}` has no plan (`{plan}` does not exist) and no `--title` was given")]
    NoPlan { id: String, plan: String },
    #[error("which milestone? no id was given, and there is no terminal to ask on")]
    NoId { planned: Vec<String> },
    #[error("no milestone was chosen")]
    NotChosen,
    #[error("{message}")]
    Demo { message: String },
    #[error(transparent)]
    Hook(crate::hooks::Error),
    #[error("{message}")]
    Tracking { message: String, hint: String },
    /// A plan command that cannot run, in the plan at `path`.
    #[error("{problem}\n  at {}", plan_location(path, problem))]
    Plan { path: String, problem: Box<crate::plan::PlanError> },
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
            Error::Config(e) => Some(e.hint()),
            Error::Repo(e) => e.hint(),
            Error::Template(e) => Some(e.hint()),
            Error::Name(_) => Some("use letters, digits, `-`, `_` and `.`, at most 64 characters, e.g. `M7` or `v1.2`".into()),
            Error::Exists { what: "branch", path } => Some(format!("switch to it with `git switch {path}`")),
            Error::Exists { what, .. } if what.starts_with("tracking") => {
                Some("the milestone has been started already; see `git milestone list`".into())
            }
            Error::Exists { .. } => Some("choose another id, or edit the existing file".into()),
            Error::Symlink { .. } => Some("replace the link with a real folder or file inside the repository".into()),
            Error::NoPlan { id, .. } => Some(format!(
                "write the plan first with `git milestone new {id} \"Title\"`, or start without one: `git milestone start {id} --title \"Title\"`"
            )),
            Error::NoId { planned } if planned.is_empty() => {
                Some("name one: `git milestone start ID`; plan one with `git milestone new ID \"Title\"`".into())
            }
            Error::NoId { planned } => Some(format!("name one: `git milestone start ID`; planned: {}", planned.join(", "))),
            Error::NotChosen => Some("run it again and pick a number, or name the id".into()),
            Error::Demo { .. } => Some("pass an empty folder: `git milestone demo DIR`".into()),
            Error::Hook(_) => Some("check that the hooks folder is writable (`git milestone hooks status` names it)".into()),
            Error::Tracking { hint, .. } => Some(hint.clone()),
            Error::Plan { problem, .. } => Some(problem.hint()),
        }
    }

    /// Returns the process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        EXIT_CANNOT_RUN
    }
}

/// Where a plan error is: its own place, else the plan's line, else the plan.
fn plan_location(path: &str, problem: &crate::plan::PlanError) -> String {
    match (problem.at(), problem.line()) {
        (Some(at), _) => at,
        (None, Some(line)) => format!("{path}:{line}"),
        (None, None) => path.to_string(),
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
