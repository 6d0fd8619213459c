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
        "pre-merge-commit" | "pre-push" | "pre-receive" => gate(ui, &args.name, &args.args),
        other => {
            ui.err(&format!("git-milestone: no hook `{other}`; nothing done\n"));
            Ok(())
        }
    }
}

/// The merge and push gates: `pre-merge-commit` (a merge into the base branch), `pre-push`
/// and the server's `pre-receive` (an update of the base branch): every milestone merged in
/// must pass the check. A refusal prints the check's report and exits 1; a gate that cannot
/// work says so in one line and lets git go on.
fn gate(ui: &mut Ui, name: &str, args: &[OsString]) -> Result<(), Failure> {
    let reports = match gate_reports(name, args) {
        Ok(reports) => reports,
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            ui.err(&format!("git-milestone: {first}; the {name} check did not run\n"));
            return Ok(());
        }
    };
    let failing: Vec<_> = reports.into_iter().filter(|r| !r.problems.is_empty()).collect();
    if failing.is_empty() {
        return Ok(());
    }
    let mut out = String::new();
    for report in &failing {
        out.push_str(&super::check::render(report));
    }
    let what = match name {
        "pre-merge-commit" => {
            "merge refused: a milestone it brings does not pass `git milestone check` (`git merge --no-verify` skips this gate)"
        }
        "pre-push" => {
            "push refused: a milestone merged into the base does not pass `git milestone check` (`git push --no-verify` skips this gate)"
        }
        _ => {
            "push refused by the server: a milestone merged into the base branch does not pass `git milestone check`"
        }
    };
    ui.err(&format!("{out}{what}\n"));
    Err(Failure::Refused)
}

fn gate_reports(name: &str, args: &[OsString]) -> Result<Vec<super::check::Report>, crate::error::Error> {
    let repo = Repo::open()?;
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let mut reports = Vec::new();
    match name {
        "pre-merge-commit" => {
            let Some(branch) = repo.current_branch() else { return Ok(reports) };
            let head = repo.head_commit()?;
            let config = crate::gate::config_at(&repo, head.id())?;
            if branch != crate::gate::base_name(&repo, &config) {
                return Ok(reports);
            }
            // git names the commits it merges in GITHEAD_<id> variables (it has not written
            // MERGE_HEAD yet when it runs this hook); a merge finished by `git commit` has
            // MERGE_HEAD.
            let merge_head = std::fs::read_to_string(repo.git.path().join("MERGE_HEAD")).unwrap_or_default();
            let mut sides: Vec<git2::Oid> = std::env::vars_os()
                .filter_map(|(k, _)| {
                    k.into_string().ok()?.strip_prefix("GITHEAD_").and_then(|id| git2::Oid::from_str(id).ok())
                })
                .chain(merge_head.lines().filter_map(|l| git2::Oid::from_str(l.trim()).ok()))
                .collect();
            sides.sort();
            sides.dedup();
            let into = head.tree().ok();
            for side in sides {
                reports.extend(crate::gate::check_merge(&repo, into.as_ref(), head.id(), side)?);
            }
        }
        _ => {
            // pre-push: `local_ref local_oid remote_ref remote_oid`; pre-receive: `old new ref`.
            let mut input = String::new();
            let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input);
            let _ = args;
            for line in input.lines() {
                let words: Vec<&str> = line.split_whitespace().collect();
                let (old, new, reference) = match (name, words.as_slice()) {
                    ("pre-push", [_, local, remote_ref, remote]) => (*remote, *local, *remote_ref),
                    (_, [old, new, reference]) => (*old, *new, *reference),
                    _ => continue,
                };
                if zero(new) {
                    continue;
                }
                let new = git2::Oid::from_str(new).map_err(|source| {
                    crate::error::Error::Repo(crate::repo::Error::Git {
                        doing: "a pushed id is not valid".into(),
                        source,
                    })
                })?;
                let config = crate::gate::config_at(&repo, new)?;
                let base = crate::gate::base_name(&repo, &config);
                if reference != format!("refs/heads/{base}") {
                    continue;
                }
                let old = if zero(old) { None } else { git2::Oid::from_str(old).ok() };
                // An old tip the client does not have: nothing to compare with.
                let old = old.filter(|o| repo.git.find_commit(*o).is_ok());
                reports.extend(crate::gate::check_range(&repo, old, new)?);
            }
        }
    }
    Ok(reports)
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
