//! `git milestone report [ID] [-o FILE]`: one self-contained HTML page about a milestone.

use std::collections::HashMap;
use std::path::PathBuf;

use clap::Args;
use git2::Oid;

use super::status::{blockers, branch_of, tracking_title};
use super::{Failure, Workspace};
use crate::document::Document;
use crate::error::Error;
use crate::report::{self, CommitRow, Report, Verdict};
use crate::tracking::BranchHistory;
use crate::ui::Ui;

/// Write an HTML report of a milestone: progress over time, phases, commits, blockers, check
///
/// One self-contained page (inline CSS, SVG and script; nothing from the network): a burn-up
/// chart rebuilt from every revision of the tracking document on the milestone's branch,
/// a bar a phase, the branch's commits with the task each is recorded under, the open
/// blockers, and the pre-merge check's verdict. Prints the file's path.
///
/// Example: `git milestone report M7 -o m7.html`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The milestone (default: the one whose branch is checked out)
    pub id: Option<String>,
    /// The file to write (default: `milestone-ID-report.html` in the current directory)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `report`.
///
/// # Errors
///
/// Fails for an unknown id, a milestone whose branch is not in the repository, or when the
/// history cannot be read or the file cannot be written.
pub fn run(ui: &mut Ui, ws: &Workspace, args: ReportArgs) -> Result<(), Failure> {
    let id = match args.id {
        Some(id) => id,
        None => current_id(ws)?,
    };
    let report = build(ws, &id)?;
    let path = args.output.unwrap_or_else(|| PathBuf::from(format!("milestone-{id}-report.html")));
    let shown = path.display().to_string();
    refuse_to_overwrite(&path, &shown)?;
    crate::fsio::write_atomic(&path, &report::html(&report), &shown)?;
    ui.out(&format!("{shown}\n"))?;
    Ok(())
}

/// Fails when `path` holds a file that is not an earlier report (a report names its
/// generator in its head): `-o README.md` must not replace a user's file.
fn refuse_to_overwrite(path: &std::path::Path, shown: &str) -> Result<(), Error> {
    let Ok(old) = std::fs::read(path) else { return Ok(()) };
    if path.is_dir() || !old.windows(report::GENERATOR.len()).any(|w| w == report::GENERATOR.as_bytes()) {
        return Err(Error::Tracking {
            message: format!("`{shown}` exists and is not a git-milestone report: it is left as it is"),
            hint: "choose another file with `-o FILE.html`, or remove that one first".into(),
        });
    }
    Ok(())
}

/// Returns the id of the milestone whose branch HEAD is on.
fn current_id(ws: &Workspace) -> Result<String, Error> {
    let not_one = |message: String| Error::Tracking {
        message,
        hint: "name the milestone: `git milestone report ID` (`git milestone list` shows them)".into(),
    };
    let branch = ws.repo.current_branch().ok_or_else(|| not_one("HEAD is detached".into()))?;
    let tracked = crate::tracking::find_for_branch(&ws.root, &ws.config, &branch).ok_or_else(|| {
        not_one(format!("branch `{branch}` is not a milestone branch: no tracking document names it"))
    })?;
    let name = tracked.path.rsplit('/').next().unwrap_or(&tracked.path);
    crate::tracking::id_of_file(&ws.config, name)
        .map(str::to_string)
        .ok_or_else(|| not_one(format!("`{}` does not name its milestone's id", tracked.path)))
}

/// Returns the ids this workspace knows: its plans and the tracking documents in its work tree.
fn known_ids(ws: &Workspace) -> Vec<String> {
    let mut ids: Vec<String> = super::list::milestones(ws).into_iter().map(|e| e.id).collect();
    let folder = ws.config.tracking_folder.trim_matches('/');
    if let Ok(dir) = std::fs::read_dir(ws.path(folder)) {
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| crate::tracking::id_of_file(&ws.config, n)) else {
                continue;
            };
            if crate::milestone::check_id(id).is_ok() {
                ids.push(id.to_string());
            }
        }
    }
    ids.sort();
    ids.dedup();
    ids
}

/// Gathers the report of milestone `id`.
fn build(ws: &Workspace, id: &str) -> Result<Report, Error> {
    let folder = ws.config.tracking_folder.trim_matches('/');
    let path = format!("{folder}/{}", ws.config.tracking_file.replace("{id}", id));
    let (branch, tip, text) = locate(ws, id, &path)?;
    let doc = Document::parse(&text).map_err(|problem| Error::Parse { path: path.clone(), problem })?;
    let git_err = |doing: &str| {
        let doing = doing.to_string();
        move |source| Error::Repo(crate::repo::Error::Git { doing, source })
    };
    let points = report::progress_history(&ws.repo.git, tip, &path)
        .map_err(git_err("could not read the tracking document's history"))?;
    let history = BranchHistory::read_at(&ws.repo, &ws.config, &path, tip, HashMap::new())?;
    let commits = history
        .commits
        .iter()
        .map(|c| CommitRow {
            id: c.id.clone(),
            short: c.short.clone(),
            subject: c.subject.clone(),
            date: c.date.format("%Y-%m-%d").to_string(),
            task: task_of(&doc, &c.id),
        })
        .collect();
    let template = super::check::template_at(&ws.repo, &ws.config, tip);
    let (check, check_error) = match super::check::check_tip(
        &ws.repo, &ws.config, &path, &text, &branch, tip, &template, false, None, None,
    ) {
        Ok(r) => (Some(Verdict { ok: r.problems.is_empty(), problems: r.problems }), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let (tasks_done, tasks_total, percent) = report::progress(&doc);
    Ok(Report {
        id: id.to_string(),
        title: tracking_title(&doc, id),
        branch,
        tip: tip.to_string(),
        path,
        status: doc
            .field("Status")
            .and_then(|f| crate::document::status::recognize(&f.value))
            .map(|s| s.as_str()),
        tasks_done,
        tasks_total,
        percent,
        points,
        phases: report::phase_bars(&doc),
        commits,
        blockers: blockers(&doc),
        check,
        check_error,
    })
}

/// Returns the milestone's branch, its tip, and the document's text: the work tree's copy
/// when the branch is checked out, else the copy in the branch's tip.
fn locate(ws: &Workspace, id: &str, path: &str) -> Result<(String, Oid, String), Error> {
    let current = ws.repo.current_branch();
    let in_tree = std::fs::read_to_string(ws.path(path)).ok();
    if let Some(text) = &in_tree
        && let Some(branch) = Document::parse(text).ok().as_ref().and_then(branch_of)
    {
        if current.as_deref() == Some(branch.as_str()) {
            return Ok((branch, ws.repo.head_commit()?.id(), text.clone()));
        }
        if let Ok(tip) = ws.repo.resolve(&format!("refs/heads/{branch}")) {
            let text =
                ws.repo.file_at(tip, path).and_then(|b| String::from_utf8(b).ok()).unwrap_or(text.clone());
            return Ok((branch, tip, text));
        }
        return Err(Error::Tracking {
            message: format!("milestone `{id}`'s branch `{branch}` is not in this repository"),
            hint: format!("fetch it: `git fetch origin {branch}:{branch}`"),
        });
    }
    // Not in the work tree: a local branch whose tip has the document naming that branch.
    if let Ok(branches) = ws.repo.git.branches(Some(git2::BranchType::Local)) {
        for (b, _) in branches.flatten() {
            let Ok(Some(name)) = b.name() else { continue };
            let Some(tip) = b.get().target() else { continue };
            let Some(text) = ws.repo.file_at(tip, path).and_then(|b| String::from_utf8(b).ok()) else {
                continue;
            };
            if Document::parse(&text).ok().as_ref().and_then(branch_of).as_deref() == Some(name) {
                return Ok((name.to_string(), tip, text));
            }
        }
    }
    let known = known_ids(ws);
    let message = match known.iter().any(|k| k == id) {
        true => {
            format!("milestone `{id}` has not been started: no branch has its tracking document `{path}`")
        }
        false => format!("no milestone `{id}`: no plan and no tracking document has that id"),
    };
    Err(Error::Tracking {
        message,
        hint: match known.is_empty() {
            true => "plan one with `git milestone new ID \"Title\"`".into(),
            false if known.iter().any(|k| k == id) => format!("start it with `git milestone start {id}`"),
            false => format!("the milestones are: {}", known.join(", ")),
        },
    })
}

/// Returns the task the document records commit `id` (full) under: a task's id, `unplanned`,
/// or None.
fn task_of(doc: &Document, id: &str) -> Option<String> {
    let matches = |hash: &str| hash.len() >= 7 && id.starts_with(&hash.to_ascii_lowercase());
    for task in doc.phases.iter().flat_map(|p| &p.tasks) {
        if task.commits.iter().any(|c| matches(&c.hash)) {
            return Some(task.id.to_string());
        }
    }
    let unplanned = doc
        .sections
        .iter()
        .find(|s| doc.section_text(s).eq_ignore_ascii_case(crate::tracking::record::UNPLANNED))?;
    crate::document::structure::commits_in(doc, unplanned.range.clone())
        .iter()
        .any(|c| matches(&c.hash))
        .then(|| "unplanned".to_string())
}
