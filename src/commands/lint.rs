//! `git milestone lint`: the commit-msg rules over a message file or a range of commits.

use std::path::PathBuf;

use clap::Args;

use super::Failure;
use super::hook::MessageRules;
use crate::conventional::{self, Verdict};
use crate::error::Error;
use crate::repo::Repo;
use crate::ui::Ui;

/// Check commit messages against the commit-msg rules: a message file, or every commit of a range
///
/// Without arguments it checks the current branch's own commits: BASE..HEAD, BASE being where
/// the branch left the base branch (setting `branch.base`, else the remote's HEAD branch, else
/// main, else master). Every offending commit is reported; exit 1 when there is one.
///
/// Examples: `git milestone lint`, `git milestone lint main..HEAD`,
/// `git milestone lint --message-file .git/COMMIT_EDITMSG`
#[derive(Debug, Args)]
pub struct LintArgs {
    /// A message file to check, as the commit-msg hook would
    #[arg(long, value_name = "FILE", conflicts_with = "range")]
    pub message_file: Option<PathBuf>,
    /// The commits to check: `A..B`, or `A` for `A..HEAD` [default: BASE..HEAD]
    pub range: Option<String>,
}

/// Runs `lint`.
///
/// # Errors
///
/// Returns [`Failure::Refused`] when a message breaks the rules, an error when the range or
/// file cannot be read.
pub fn run(ui: &mut Ui, repo: &Repo, args: LintArgs) -> Result<(), Failure> {
    let rules = MessageRules::of(repo)?;
    if let Some(file) = &args.message_file {
        let shown = file.display().to_string();
        let raw = std::fs::read(file).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { path: shown.clone() },
            _ => Error::Read { path: shown.clone(), source },
        })?;
        let message = rules.clean(&String::from_utf8_lossy(&raw));
        return match conventional::check(&message, &rules.rules) {
            Verdict::Problems(problems) => {
                let mut out = format!("{shown}:\n");
                for p in &problems {
                    out.push_str(&conventional::render(&message, p));
                    out.push('\n');
                }
                ui.out(&out)?;
                Err(Failure::Refused)
            }
            _ => {
                ui.out(&format!("{shown}: ok\n"))?;
                Ok(())
            }
        };
    }
    let range = match &args.range {
        Some(range) => range.clone(),
        None => {
            let base = repo.default_base()?;
            format!("{base}..HEAD")
        }
    };
    let commits = repo.range(&range)?;
    let mut bad = 0usize;
    let mut out = String::new();
    for (id, message) in &commits {
        if let Verdict::Problems(problems) = conventional::check(message, &rules.rules) {
            bad += 1;
            let header = message.lines().next().unwrap_or_default();
            out.push_str(&format!("{} {header}\n", &id[..7.min(id.len())]));
            for p in &problems {
                out.push_str(&format!("  {} [{}] (line {})\n", p.message, p.rule, p.line));
            }
        }
    }
    if bad == 0 {
        out.push_str(&format!("{range}: {} commits, all follow the rules\n", commits.len()));
        ui.out(&out)?;
        Ok(())
    } else {
        out.push_str(&format!("{range}: {bad} of {} commits do not follow the rules\n", commits.len()));
        ui.out(&out)?;
        Err(Failure::Refused)
    }
}
