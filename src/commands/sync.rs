//! `git milestone sync`, the tracking hooks (post-commit, post-rewrite, post-merge) and the
//! merge driver: each brings the tracking document up to date with the branch's history.

use std::collections::HashMap;
use std::path::Path;

use clap::Args;

use super::{Failure, Workspace, load_config};
use crate::error::Error;
use crate::repo::Repo;
use crate::tracking::{self, Outcome, history};
use crate::ui::Ui;

/// Rebuild what the tracking document records of git: commits, log, counts
///
/// Every commit of the branch since it left the base branch is recorded once under its task
/// and once in the progress log of its day; hashes of rewritten commits are replaced, those
/// of dropped commits removed; the phase counts, the overall progress and the metrics'
/// commit count are refreshed. What people wrote is never removed, and a second run changes
/// nothing. This is how a document catches up after `--no-verify`, a pull, or anything else
/// the hooks did not see.
///
/// Example: `git milestone sync`
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The milestone (default: the one whose branch is checked out)
    pub id: Option<String>,
    /// Print one JSON object (documented in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

/// Runs `sync`.
///
/// # Errors
///
/// Fails when HEAD is not on a milestone branch (or on another milestone's than `id`), or
/// the document or history cannot be read or written.
pub fn run(ui: &mut Ui, ws: &Workspace, args: SyncArgs) -> Result<(), Failure> {
    let Some(branch) = ws.repo.current_branch() else {
        return Err(Error::Tracking {
            message: "HEAD is detached: sync works on a milestone branch".into(),
            hint: "switch to the milestone's branch, e.g. `git switch feature/...`".into(),
        }
        .into());
    };
    let Some(tracked) = tracking::find(&ws.repo, &ws.config) else {
        return Err(Error::Tracking {
            message: format!(
                "branch `{branch}` is not a milestone branch: no tracking document in `{}` names it",
                ws.config.tracking_folder
            ),
            hint: "start one with `git milestone start ID`, or switch to a milestone's branch".into(),
        }
        .into());
    };
    if let Some(id) = &args.id {
        let file = ws.config.tracking_file.replace("{id}", id);
        if !tracked.path.ends_with(&format!("/{file}")) && tracked.path != file {
            return Err(Error::Tracking {
                message: format!(
                    "milestone `{id}` is not the one checked out: branch `{branch}` tracks `{}`",
                    tracked.path
                ),
                hint: format!(
                    "switch to milestone {id}'s branch first, or run `git milestone sync` for this one"
                ),
            }
            .into());
        }
    }
    ws.repo.ensure_idle()?;
    let outcome = tracking::update(&ws.repo, &ws.config, HashMap::new(), true)?;
    if args.json {
        ui.out(&format!("{}\n", outcome_json(&outcome, &tracked, ws.config.hash_length)))?;
        return Ok(());
    }
    ui.out(&format!("{}\n", describe(&outcome).unwrap_or_else(|| format!("{}: up to date", tracked.path))))?;
    Ok(())
}

/// Returns `sync --json`'s object: the document, whether it changed and how (docs/json.md).
fn outcome_json(outcome: &Outcome, found: &tracking::Tracked, hash_length: usize) -> serde_json::Value {
    let (what, tracked, staged, commit) = match outcome {
        Outcome::Written { tracked, staged: true } => ("staged", tracked, true, None),
        Outcome::Written { tracked, staged: false } => ("written", tracked, false, None),
        Outcome::Committed { tracked, commit } => {
            let hash = commit.to_string();
            ("committed", tracked, false, Some(hash[..hash_length.min(40)].to_string()))
        }
        Outcome::Autostash(tracked) => ("autostash", tracked, false, None),
        Outcome::Unchanged(tracked) => ("unchanged", tracked, false, None),
        // `sync` forces the update on a milestone branch with nothing under way: these do not
        // come, but say so rather than fail.
        Outcome::NotAMilestone => ("not_a_milestone", found, false, None),
        Outcome::Busy => ("busy", found, false, None),
        Outcome::Manual => ("manual", found, false, None),
    };
    serde_json::json!({
        "path": tracked.path,
        "branch": tracked.branch,
        "changed": matches!(what, "staged" | "written" | "committed" | "autostash"),
        "outcome": what,
        "staged": staged,
        "commit": commit,
    })
}

/// Returns the one line that says what an update did, or None when it did nothing.
fn describe(outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Written { tracked, staged: true } => Some(format!("updated and staged {}", tracked.path)),
        Outcome::Written { tracked, staged: false } => Some(format!("updated {}", tracked.path)),
        Outcome::Committed { tracked, commit } => {
            Some(format!("recorded in {} by bookkeeping commit {:.7}", tracked.path, commit.to_string()))
        }
        Outcome::Autostash(tracked) => Some(format!("updated {} in the rebase's autostash", tracked.path)),
        _ => None,
    }
}

/// What a tracking hook does: `post-commit`, `post-rewrite KIND` (old and new ids on
/// standard input) and `post-merge SQUASH`. A failure is one line on standard error; the
/// commit always stands.
pub fn hook(ui: &mut Ui, name: &str, args: &[std::ffi::OsString]) {
    let result = (|| -> Result<Option<Outcome>, Error> {
        let repo = Repo::open()?;
        let rewrites = match name {
            "post-commit" if rebasing(&repo) || merging(&repo) || more_picks_to_come(&repo) => {
                return Ok(None);
            }
            "post-merge" if args.first().is_some_and(|a| a == "1") => return Ok(None),
            "post-rewrite" => {
                if args.first().is_some_and(|a| a == "amend") && rebasing(&repo) {
                    // A reword in the middle of a rebase: the rebase's own post-rewrite comes.
                    return Ok(None);
                }
                let mut input = String::new();
                let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut input);
                history::rewrites_from(&input)
            }
            _ => HashMap::new(),
        };
        let Ok(root) = repo.workdir().map(Path::to_path_buf) else { return Ok(None) };
        let config = load_config(&repo, &root)?;
        tracking::update(&repo, &config, rewrites, false).map(Some)
    })();
    match result {
        Ok(Some(outcome)) => {
            if let Some(line) = describe(&outcome) {
                ui.err(&format!("git-milestone: {line}\n"));
            }
        }
        Ok(None) => {}
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            ui.err(&format!("git-milestone: {first}; the tracking document was not updated (`git milestone sync` catches up)\n"));
        }
    }
}

fn rebasing(repo: &Repo) -> bool {
    ["rebase-merge", "rebase-apply"].iter().any(|d| repo.git.path().join(d).is_dir())
}

fn merging(repo: &Repo) -> bool {
    repo.git.path().join("MERGE_HEAD").is_file()
}

/// Whether a `cherry-pick` or `revert` of several commits has more to do after the commit
/// just made: git's sequencer keeps the command under way in its todo list, so more than one
/// command there means more picks come. A bookkeeping commit (or a staged document) between
/// them would stop the sequence; the commit of the last pick records them all.
fn more_picks_to_come(repo: &Repo) -> bool {
    let Ok(todo) = std::fs::read_to_string(repo.git.path().join("sequencer/todo")) else { return false };
    todo.lines().filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).count() > 1
}

/// Merge three versions of a tracking document (git runs this as a merge driver)
#[derive(Debug, Args)]
#[command(hide = true)]
pub struct MergeDriverArgs {
    /// The common ancestor's version (%O)
    pub ancestor: std::path::PathBuf,
    /// Our version, where the result goes (%A)
    pub ours: std::path::PathBuf,
    /// Their version (%B)
    pub theirs: std::path::PathBuf,
    /// The document's path in the repository (%P)
    pub path: Option<String>,
}

/// Runs the merge driver: writes the merge into `ours`.
///
/// # Errors
///
/// Fails (git then reports a conflict) only when a version cannot be read or the result
/// cannot be written.
pub fn merge_driver(ui: &mut Ui, args: MergeDriverArgs) -> Result<(), Failure> {
    let read =
        |p: &Path| std::fs::read(p).map_err(|source| Error::Read { path: p.display().to_string(), source });
    let (ancestor, ours, theirs) = (read(&args.ancestor)?, read(&args.ours)?, read(&args.theirs)?);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut merged = tracking::driver::merge(&text(&ancestor), &text(&ours), &text(&theirs));
    if let Some(path) = &args.path {
        match tracking::driver::record_history(&merged, path) {
            Ok(Some(recorded)) => merged = recorded,
            Ok(None) => {}
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or_default().to_string();
                ui.err(&format!("git-milestone: merged `{path}` without its history ({first}); `git milestone sync` catches up\n"));
            }
        }
    }
    std::fs::write(&args.ours, merged)
        .map_err(|source| Error::Write { path: args.ours.display().to_string(), source })?;
    Ok(())
}
