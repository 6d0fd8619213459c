//! One module per subcommand, each a thin caller of the library: `<Name>Args` and `run`.

pub mod check;
pub mod demo;
pub mod finish;
pub mod hook;
pub mod hooks;
pub mod init;
pub mod inspect;
pub mod lint;
pub mod list;
pub mod manual;
pub mod mcp;
pub mod new;
pub mod plan;
pub mod report;
pub mod set;
pub mod start;
pub mod status;
pub mod sync;
pub mod tick;

use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command};
use crate::config::{self, Config};
use crate::document::Document;
use crate::error::Error;
use crate::repo::{self, Repo};
use crate::ui::Ui;

/// What a command reports besides success: an error, or a closed output pipe.
#[derive(Debug)]
pub enum Failure {
    Error(Error),
    /// Standard output was closed (e.g. `| head`): stop quietly.
    BrokenPipe,
    /// A check or gate found problems and reported them: exit 1.
    Refused,
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
        Command::Init(args) => init::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::New(args) => new::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::List(args) => list::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Start(args) => start::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Status(args) => status::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Report(args) => report::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Sync(args) => sync::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Check(args) => check::run(ui, &Repo::open()?, args),
        Command::Finish(args) => finish::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Plan(args) => plan::run(ui, &Workspace::open(Repo::open()?)?, args),
        Command::Mcp(args) => mcp::run(ui, args),
        Command::Demo(args) => demo::run(ui, args),
        Command::Hooks(args) => hooks::run(ui, &Repo::open()?, args),
        Command::Completions(args) => manual::completions(ui, args),
        Command::Man(args) => manual::man(ui, args),
        Command::Hook(args) => hook::run(ui, args),
        Command::MergeDriver(args) => sync::merge_driver(ui, args),
        Command::Lint(args) => lint::run(ui, &Repo::open()?, args),
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

macro_rules! failure_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure::Error(Error::from(e))
            }
        }
    )*};
}
failure_from!(repo::Error, config::Error, crate::template::Error, crate::milestone::NameError);

/// An open repository with its work tree and the settings in force there.
pub struct Workspace {
    pub repo: Repo,
    pub config: Config,
    /// The root of the work tree.
    pub root: PathBuf,
}

impl Workspace {
    /// Returns the workspace of `repo`: its work tree and its configuration.
    ///
    /// # Errors
    ///
    /// Fails for a bare repository or an invalid configuration.
    pub fn open(repo: Repo) -> Result<Workspace, Error> {
        let root = repo.workdir()?.to_path_buf();
        let config = load_config(&repo, &root)?;
        Ok(Workspace { repo, config, root })
    }

    /// Returns the absolute path of a path relative to the work tree's root.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Fails when `relative`, or a folder on the way to it, is a symbolic link.
    ///
    /// # Errors
    ///
    /// Names the link.
    pub fn refuse_links(&self, relative: &str) -> Result<(), Error> {
        let mut path = self.root.clone();
        let mut shown = String::new();
        for part in relative.split('/').filter(|p| !p.is_empty()) {
            path.push(part);
            if !shown.is_empty() {
                shown.push('/');
            }
            shown.push_str(part);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => return Err(Error::Symlink { path: shown }),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        Ok(())
    }
}

/// Returns the configuration of the work tree at `root`: its `.milestone.yml` and git config.
pub(crate) fn load_config(repo: &Repo, root: &Path) -> Result<Config, Error> {
    load_config_with(&repo.git_config(), root)
}

/// Returns the configuration of the work tree at `root` with git config already read.
pub(crate) fn load_config_with(git: &repo::GitConfig, root: &Path) -> Result<Config, Error> {
    let file = root.join(config::FILE);
    let text = match std::fs::symlink_metadata(&file) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(Error::Symlink { path: config::FILE.into() });
        }
        Ok(_) => Some(crate::fsio::read_document(&file, config::FILE)?),
        Err(_) => None,
    };
    Ok(Config::load(text.as_deref(), &git.milestone_entries())?)
}

/// Returns what the binary prints on standard error for `e`, in git's manner: `error: …`,
/// one `Caused by: …` line per source, then the hint.
///
/// The binary and the MCP server both use it, so an agent reads the same text a person does.
pub fn render_error(e: &Error) -> String {
    let mut text = format!("error: {e}\n");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(&format!("Caused by: {cause}\n"));
        source = cause.source();
    }
    if let Some(hint) = e.hint() {
        text.push_str(&format!("hint: {hint}\n"));
    }
    text
}
