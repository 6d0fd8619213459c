//! `git milestone hook NAME ARGS...`: what the installed hook shims run.
//!
//! Only `commit-msg` may say no (exit 1, the message left alone so git keeps it). Every hook
//! that cannot do its work says so in one line and lets git go on.

use std::ffi::OsString;
use std::path::Path;

use clap::Args;

use super::{Failure, load_config_with};
use crate::conventional::{self, Cleanup, CommentChar, Rules, Verdict};
use crate::repo::Repo;
use crate::ui::Ui;

/// Run one of git-milestone's git hooks (git runs this through the installed hooks)
#[derive(Debug, Args)]
#[command(hide = true)]
pub struct HookArgs {
    /// The hook: commit-msg, post-commit, post-rewrite, pre-merge-commit or pre-push
    pub name: String,
    /// What git passed to the hook
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

/// Runs a hook.
///
/// # Errors
///
/// Returns [`Failure::Refused`] when the commit-msg gate refuses the message.
pub fn run(ui: &mut Ui, args: HookArgs) -> Result<(), Failure> {
    match args.name.as_str() {
        "commit-msg" => match args.args.first() {
            Some(file) => commit_msg(ui, Path::new(file)),
            None => {
                ui.err("git-milestone: the commit-msg hook got no message file; nothing checked\n");
                Ok(())
            }
        },
        "post-commit" | "post-rewrite" | "post-merge" => {
            super::sync::hook(ui, &args.name, &args.args);
            Ok(())
        }
        // Their work arrives with the pre-merge check release.
        "pre-merge-commit" | "pre-push" => Ok(()),
        other => {
            ui.err(&format!("git-milestone: no hook `{other}`; nothing done\n"));
            Ok(())
        }
    }
}

/// The rules and the way git cleans messages, from the repository the hook runs in.
pub struct MessageRules {
    pub rules: Rules,
    pub cleanup: Option<String>,
    pub comment: CommentChar,
}

impl MessageRules {
    /// Returns the rules in force for `repo`.
    ///
    /// # Errors
    ///
    /// Fails when the configuration cannot be read.
    pub fn of(repo: &Repo) -> Result<MessageRules, crate::error::Error> {
        let git = repo.git_config();
        let config = match repo.workdir() {
            Ok(root) => load_config_with(&git, root)?,
            // A bare repository has no .milestone.yml in a work tree: git config and defaults.
            Err(_) => crate::config::Config::load(None, &git.milestone_entries())?,
        };
        let get = |key: &str| git.get(key);
        let comment = match get("core.commentChar").or_else(|| get("core.commentString")) {
            Some(c) if c.eq_ignore_ascii_case("auto") => CommentChar::Auto,
            Some(c) => CommentChar::Char(c.chars().next().unwrap_or('#')),
            None => CommentChar::Char('#'),
        };
        Ok(MessageRules { rules: Rules::from_config(&config), cleanup: get("commit.cleanup"), comment })
    }

    /// Returns the message git will store for a raw message file.
    pub fn clean(&self, raw: &str) -> String {
        let mode = Cleanup::from_config(self.cleanup.as_deref(), conventional::looks_edited(raw));
        conventional::clean(raw, mode, &self.comment)
    }
}

fn commit_msg(ui: &mut Ui, file: &Path) -> Result<(), Failure> {
    let shown = file.display().to_string();
    let raw = match std::fs::read(file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            ui.err(&format!("git-milestone: cannot read the commit message `{shown}` ({e}); not checked\n"));
            return Ok(());
        }
    };
    let rules = match Repo::open().map_err(crate::error::Error::from).and_then(|repo| MessageRules::of(&repo))
    {
        Ok(rules) => rules,
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            ui.err(&format!("git-milestone: {first}; the commit message was not checked\n"));
            return Ok(());
        }
    };
    let message = rules.clean(&raw);
    match conventional::check(&message, &rules.rules) {
        Verdict::Conventional | Verdict::Git(_) | Verdict::Empty => Ok(()),
        Verdict::Problems(problems) => {
            let mut report = String::from(
                "commit message refused: it does not follow Conventional Commits (`type(scope): description`)\n",
            );
            for p in &problems {
                report.push('\n');
                report.push_str(&conventional::render(&message, p));
                report.push('\n');
            }
            let header = message.lines().next().unwrap_or_default();
            if let Some(fix) = conventional::suggestion(header, &rules.rules) {
                report.push_str(&format!("\nsuggestion: {fix}\n"));
            }
            report.push_str(&format!(
                "\nyour message is kept: `git commit -e -F {shown}` brings it back to edit\n"
            ));
            ui.err(&report);
            Err(Failure::Refused)
        }
    }
}
