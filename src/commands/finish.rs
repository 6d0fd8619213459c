//! `git milestone finish`: sync, check, mark complete, commit; with `--merge`, merge.

use std::collections::HashMap;
use std::path::Path;

use clap::Args;

use super::{Failure, Workspace};
use crate::document::{Document, Status};
use crate::error::Error;
use crate::markdown::Edit;
use crate::repo::NewFile;
use crate::tracking::{self, BranchHistory};
use crate::ui::Ui;

/// Complete a milestone: sync, check, status complete, metrics, commit; `--merge` merges it
///
/// Brings the tracking document up to date (as `sync`), runs `check`; when a rule fails,
/// changes nothing and prints what remains. Otherwise sets the document's status to complete
/// in the style it already uses, fills the completion date and the metrics (commits, lines
/// added and removed, files changed, from the branch's diff), sets the plan document's status,
/// and commits both as `docs(ID): complete tracking document for ID`. With `--merge` it then
/// merges the branch into the base with a merge commit (as `git merge --no-ff`) and switches to
/// the base; on a conflict it refuses, saying where, and the branch stays as it is.
///
/// Example: `git milestone finish --merge`
#[derive(Debug, Args)]
pub struct FinishArgs {
    /// The milestone (default: the one whose branch is checked out)
    pub id: Option<String>,
    /// Then merge the branch into the base branch and switch to it
    #[arg(long)]
    pub merge: bool,
}

fn git_err(doing: impl Into<String>) -> impl FnOnce(git2::Error) -> Error {
    let doing = doing.into();
    move |source| Error::Repo(crate::repo::Error::Git { doing, source })
}

/// Runs `finish`.
///
/// # Errors
///
/// [`Failure::Refused`] when the check fails (nothing changed); an error when it cannot run.
pub fn run(ui: &mut Ui, ws: &Workspace, args: FinishArgs) -> Result<(), Failure> {
    let repo = &ws.repo;
    repo.ensure_idle()?;
    let branch = repo.current_branch().ok_or_else(|| Error::Tracking {
        message: "HEAD is detached: finish works on a milestone branch".into(),
        hint: "switch to the milestone's branch first".into(),
    })?;
    let tracked =
        tracking::find_for_branch(&ws.root, &ws.config, &branch).ok_or_else(|| Error::Tracking {
            message: format!("branch `{branch}` is not a milestone branch: no tracking document names it"),
            hint: "switch to a milestone's branch first".into(),
        })?;
    let file_name =
        Path::new(&tracked.path).file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let id = crate::tracking::id_of_file(&ws.config, &file_name).unwrap_or(&file_name).to_string();
    if let Some(wanted) = &args.id
        && *wanted != id
    {
        return Err(Error::Tracking {
            message: format!(
                "milestone `{wanted}` is not the one checked out: branch `{branch}` is milestone `{id}`"
            ),
            hint: format!("switch to milestone {wanted}'s branch first"),
        }
        .into());
    }
    let path = ws.path(&tracked.path);
    let text = crate::fsio::read_document(&path, &tracked.path)?;
    let head = repo.head_commit()?.id();
    let history = BranchHistory::read_at(repo, &ws.config, &tracked.path, head, HashMap::new())?;
    let parse_err = |problem| Error::Parse { path: tracked.path.clone(), problem };
    let synced = history.record_in(repo, &text, true).map_err(parse_err)?;

    // The check, on the document as it will be committed.
    let folder = ws.config.templates_folder.as_ref().map(|f| ws.root.join(f));
    let template = crate::template::find(
        &ws.config.tracking_template,
        folder.as_deref(),
        ws.config.templates_folder.as_deref(),
    )
    .unwrap_or_default();
    let tests = match &ws.config.test_command {
        Some(command) => Some(super::check::run_test_command(&ws.root, command)?),
        None => None,
    };
    let report = super::check::check_tip(
        repo,
        &ws.config,
        &tracked.path,
        &synced,
        &branch,
        head,
        &template,
        false,
        None,
        tests.as_ref(),
    )?;
    // This very commit will record nothing: only the numbers of commits not yet recorded can
    // fail, and sync has recorded them.
    if !report.problems.is_empty() {
        ui.err(&super::check::render(&report));
        let n = report.problems.len();
        let (noun, verb) = if n == 1 { ("problem", "remains") } else { ("problems", "remain") };
        ui.err(&format!("finish refused: {n} {noun} {verb}; nothing was changed\n"));
        return Err(Failure::Refused);
    }

    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let (added, removed, files) = diff_stats(repo, &history, head)?;
    let finished =
        complete(&synced, &today, history.commits.len(), added, removed, files).map_err(parse_err)?;

    // The plan, when there is one.
    let plan_rel = format!("{}/{id}.md", ws.config.plans_folder);
    let plan_text = std::fs::read_to_string(ws.path(&plan_rel)).ok();
    let plan_done =
        plan_text.as_deref().and_then(|t| complete_plan(t).ok()).filter(|d| Some(d) != plan_text.as_ref());

    let message = format!("docs({id}): complete tracking document for {id}\n");
    let mut files_to_commit = vec![NewFile { path: &tracked.path, contents: finished.as_bytes() }];
    if let Some(done) = &plan_done {
        files_to_commit.push(NewFile { path: &plan_rel, contents: done.as_bytes() });
    }
    let commit = repo.commit_files(head, &files_to_commit, &message)?;
    let reference = format!("refs/heads/{branch}");
    repo.git
        .reference(&reference, commit, true, &format!("git milestone finish: {}", message.trim()))
        .map_err(git_err("could not move the branch to the new commit"))?;
    let mut index = repo.git.index().map_err(git_err("could not read the index"))?;
    for file in &files_to_commit {
        let text = std::str::from_utf8(file.contents).unwrap_or_default();
        crate::fsio::write_atomic(&ws.path(file.path), text, file.path)?;
        index.add_path(Path::new(file.path)).map_err(git_err(format!("could not stage `{}`", file.path)))?;
    }
    index.write().map_err(git_err("could not write the index"))?;
    ui.out(&format!(
        "completed {} in commit {:.7} ({})\n",
        tracked.path,
        commit.to_string(),
        message.trim()
    ))?;

    if args.merge {
        merge(ui, ws, &branch, &id, commit)?;
    }
    Ok(())
}

/// Lines added and removed and files changed on the branch (merge base..`head`), as
/// `git diff --shortstat` counts them.
fn diff_stats(
    repo: &crate::repo::Repo,
    history: &BranchHistory,
    head: git2::Oid,
) -> Result<(usize, usize, usize), Error> {
    let head_tree =
        repo.git.find_commit(head).and_then(|c| c.tree()).map_err(git_err("could not read HEAD"))?;
    let base_tree =
        history.stops.first().and_then(|b| repo.git.find_commit(*b).ok()).and_then(|c| c.tree().ok());
    let diff = repo
        .git
        .diff_tree_to_tree(base_tree.as_ref(), Some(&head_tree), None)
        .map_err(git_err("could not diff the branch"))?;
    let stats = diff.stats().map_err(git_err("could not count the branch's changes"))?;
    Ok((stats.insertions(), stats.deletions(), stats.files_changed()))
}

/// Returns the document with its status complete (in its own style), the completion date and
/// the metrics filled in.
fn complete(
    text: &str,
    today: &str,
    commits: usize,
    added: usize,
    removed: usize,
    files: usize,
) -> Result<String, crate::document::ParseError> {
    let doc = Document::parse(text)?;
    let mut edits: Vec<Edit> = Vec::new();
    let done = doc.status_style().render(Status::Complete);
    if let Ok(edit) = doc.set_field("Status", &done) {
        edits.push(edit);
    }
    match doc.set_field("Completed", today) {
        Ok(edit) => edits.push(edit),
        Err(_) => {
            if let Ok(more) = doc.add_field("Completed", today) {
                edits.extend(more);
            }
        }
    }
    // Metrics: `- Added: N`, `- Removed: N`, `- Modified files: N` and `**Commits:** N`.
    if let Some(si) = doc.sections.iter().position(|s| doc.section_text(s).eq_ignore_ascii_case("metrics")) {
        let range = doc.sections[si].range.clone();
        for item in doc.outline.items.iter().filter(|i| range.contains(&i.range.start)) {
            let value = match item.text.split_once(':').map(|(l, _)| l.trim().to_ascii_lowercase()) {
                Some(l) if l == "added" => added,
                Some(l) if l == "removed" => removed,
                Some(l) if l == "modified files" || l == "files changed" => files,
                _ => continue,
            };
            let line = doc.line_of(item.range.start);
            if let Some(content) = doc.lines.content_range(doc.text, line) {
                let s = &doc.text[content.clone()];
                if let Some(colon) = s.find(':') {
                    edits.push(Edit::replace(content.start + colon + 1..content.end, format!(" {value}")));
                }
            }
        }
        let _ = commits;
    }
    edits.sort_by_key(|e| e.range.start);
    Ok(doc.apply(&edits))
}

/// Returns the plan with its status complete wherever it says one: the frontmatter's
/// `status` (as `complete`) and the `Status` field (in the plan's own style).
fn complete_plan(text: &str) -> Result<String, crate::document::ParseError> {
    let doc = Document::parse(text)?;
    let mut edits = Vec::new();
    if doc.has_frontmatter_value("status")
        && let Ok(edit) = doc.set_frontmatter("status", "complete")
    {
        edits.push(edit);
    }
    if doc.field("Status").is_some()
        && let Ok(edit) = doc.set_field("Status", &doc.status_style().render(Status::Complete))
    {
        edits.push(edit);
    }
    edits.sort_by_key(|e| e.range.start);
    Ok(doc.apply(&edits))
}

/// Returns the path of another worktree that has `branch` checked out, if one has.
fn checked_out_elsewhere(repo: &crate::repo::Repo, branch: &str) -> Option<String> {
    let names = repo.git.worktrees().ok()?;
    let own = repo.git.workdir().and_then(|p| p.canonicalize().ok());
    names.iter().flatten().flatten().find_map(|name| {
        let worktree = repo.git.find_worktree(name).ok()?;
        let path = worktree.path().to_path_buf();
        if path.canonicalize().ok() == own {
            return None;
        }
        let other = git2::Repository::open(&path).ok()?;
        let head = other.find_reference("HEAD").ok()?;
        (head.symbolic_target().ok()?? == format!("refs/heads/{branch}")).then(|| path.display().to_string())
    })
}

/// Merges the finished branch into the base with a merge commit and switches to the base; on
/// a conflict, refuses and changes nothing more.
fn merge(ui: &mut Ui, ws: &Workspace, branch: &str, id: &str, tip: git2::Oid) -> Result<(), Failure> {
    let repo = &ws.repo;
    let base = crate::gate::base_name(repo, &ws.config);
    let base_tip = repo.resolve(&base)?;
    // A base checked out in another worktree would be moved under that worktree's feet.
    if let Some(elsewhere) = checked_out_elsewhere(repo, &base) {
        return Err(Error::Tracking {
            message: format!("`{base}` is checked out in the worktree at `{elsewhere}`; merging would move it under that worktree"),
            hint: format!("merge there: `git -C {elsewhere} merge --no-ff {branch}` (the milestone is already complete), or switch that worktree to another branch"),
        }
        .into());
    }
    let ours = repo.git.find_commit(base_tip).map_err(git_err(format!("could not read `{base}`")))?;
    let theirs = repo.git.find_commit(tip).map_err(git_err(format!("could not read `{branch}`")))?;
    let mut index = repo.git.merge_commits(&ours, &theirs, None).map_err(git_err("could not merge"))?;
    if index.has_conflicts() {
        let paths: Vec<String> = index
            .conflicts()
            .map(|c| {
                c.filter_map(|c| c.ok())
                    .filter_map(|c| c.our.or(c.their).map(|e| String::from_utf8_lossy(&e.path).into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        return Err(Error::Tracking {
            message: format!("`{branch}` does not merge cleanly into `{base}`: conflicts in {}", paths.join(", ")),
            hint: format!("the milestone is complete on `{branch}`; merge `{base}` into it (or rebase it), resolve, then `git milestone finish --merge` again"),
        }
        .into());
    }
    let tree_id = index.write_tree_to(&repo.git).map_err(git_err("could not write the merged tree"))?;
    let tree = repo.git.find_tree(tree_id).map_err(git_err("could not read the merged tree"))?;
    let (author, committer) = repo.signatures()?;
    let rules = crate::conventional::Rules::from_config(&ws.config);
    let kind = if rules.types.iter().any(|t| t == "chore") {
        "chore"
    } else {
        rules.types.first().map_or("chore", String::as_str)
    };
    let message = format!("{kind}({id}): merge milestone {id} from {branch}\n");
    let merge = repo
        .git
        .commit(None, &author, &committer, &message, &tree, &[&ours, &theirs])
        .map_err(git_err("could not write the merge commit"))?;
    // Local changes in the way of the switch: refuse before the base moves.
    let blocked = repo.switch_conflicts(merge, &[])?;
    if !blocked.is_empty() {
        return Err(Error::Tracking {
            message: format!("your local changes to {} would be overwritten by switching to `{base}`", blocked.join(", ")),
            hint: "commit or stash them, then `git milestone finish --merge` again (the milestone is already complete)".into(),
        }
        .into());
    }
    repo.git
        .reference(
            &format!("refs/heads/{base}"),
            merge,
            true,
            &format!("git milestone finish --merge: {}", message.trim()),
        )
        .map_err(git_err(format!("could not move `{base}`")))?;
    // HEAD is still the branch's tip; switching checks out what the merge changed.
    repo.switch(&base, &[])?;
    ui.out(&format!(
        "merged `{branch}` into `{base}` in commit {:.7} ({}); now on `{base}`\n",
        merge.to_string(),
        message.trim()
    ))?;
    Ok(())
}
