//! `git milestone completions SHELL` and `git milestone man [--install]`: shell completion
//! scripts and the manual page, both generated from the command line's clap definitions.

use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, ValueEnum};

use super::Failure;
use crate::cli::Cli;
use crate::error::Error;
use crate::ui::Ui;

/// The shells completions are made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Print a shell completion script for git-milestone
///
/// The script completes `git-milestone` and, for bash, `git milestone` too (git's own bash
/// completion calls `_git_milestone`).
///
/// Example: `git milestone completions bash > ~/.local/share/bash-completion/completions/git-milestone`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    pub shell: Shell,
}

/// Runs `completions`.
///
/// # Errors
///
/// Fails only when standard output cannot be written.
pub fn completions(ui: &mut Ui, args: CompletionsArgs) -> Result<(), Failure> {
    let name = "git-milestone";
    // The help shows `git milestone`; the scripts complete the binary `git-milestone`, and
    // their functions are named after it.
    let mut cmd = Cli::command().bin_name(name);
    let mut out: Vec<u8> = Vec::new();
    match args.shell {
        Shell::Bash => clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, name, &mut out),
        Shell::Zsh => clap_complete::generate(clap_complete::Shell::Zsh, &mut cmd, name, &mut out),
        Shell::Fish => clap_complete::generate(clap_complete::Shell::Fish, &mut cmd, name, &mut out),
        Shell::Powershell => {
            clap_complete::generate(clap_complete::Shell::PowerShell, &mut cmd, name, &mut out);
        }
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if args.shell == Shell::Bash {
        // clap_complete names a subcommand's case after its bin name (`git milestone check`:
        // `git__subcmd__milestone__subcmd__check`) but builds the word it matches from the
        // binary's name (`git__milestone__subcmd__check`): make the labels match the words.
        text = text.replace("git__subcmd__milestone__subcmd__", "git__milestone__subcmd__");
        // git's completion completes `git milestone ...` through `_git_milestone`: hand the
        // words on as if `git-milestone` had been typed.
        text.push_str(
            "\n# `git milestone <TAB>` through git's own bash completion.\n\
             _git_milestone() {\n\
             \x20   local COMP_WORDS=(git-milestone \"${COMP_WORDS[@]:2}\")\n\
             \x20   local COMP_CWORD=$((COMP_CWORD - 1))\n\
             \x20   _git__milestone git-milestone \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n\
             }\n",
        );
    }
    ui.out(&text)?;
    Ok(())
}

/// Print the manual page, or install it where `man` and `git help milestone` find it
///
/// Without `--install`, prints the page (roff) on standard output. With `--install`, writes
/// `git-milestone.1` into `DIR/man1` (default: `share/man` beside the folder of the
/// git-milestone binary, which `man` searches for every folder on PATH: `~/.cargo/bin` gives
/// `~/.cargo/share/man`), so that `man git-milestone` and `git milestone --help` open it.
///
/// Example: `git milestone man --install`
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page into a man folder instead of printing it
    #[arg(long)]
    pub install: bool,
    /// The man folder (holding `man1/`) to install into
    #[arg(long, value_name = "DIR", requires = "install")]
    pub dir: Option<PathBuf>,
}

/// Returns the manual page in roff.
pub fn page() -> Vec<u8> {
    let cmd = Cli::command().name("git-milestone");
    let mut out = Vec::new();
    // Rendering into memory cannot fail.
    let _ = clap_mangen::Man::new(cmd).render(&mut out);
    out
}

/// Runs `man`.
///
/// # Errors
///
/// Fails when the page cannot be written where it goes.
pub fn man(ui: &mut Ui, args: ManArgs) -> Result<(), Failure> {
    let page = page();
    if !args.install {
        ui.out(&String::from_utf8_lossy(&page))?;
        return Ok(());
    }
    let dir = match args.dir {
        Some(dir) => dir,
        None => default_dir()?,
    };
    let folder = dir.join("man1");
    let file = folder.join("git-milestone.1");
    let shown = file.display().to_string();
    std::fs::create_dir_all(&folder)
        .map_err(|source| Error::Write { path: folder.display().to_string(), source })?;
    crate::fsio::write_atomic(&file, &String::from_utf8_lossy(&page), &shown)?;
    ui.out(&format!("installed {shown}: `man git-milestone` and `git milestone --help` open it\n"))?;
    Ok(())
}

/// `share/man` beside the binary's folder: man searches `X/share/man` for each `X/bin` on PATH.
fn default_dir() -> Result<PathBuf, Error> {
    let exe = std::env::current_exe()
        .map_err(|source| Error::Read { path: "the git-milestone binary".into(), source })?;
    let bin = exe.parent().unwrap_or(Path::new("."));
    Ok(bin.parent().unwrap_or(bin).join("share").join("man"))
}
