//! The merge and push gates: which milestones a merge brings into the base branch, and their
//! check, read from the object database alone (so that a server's pre-receive hook can run it).

use std::collections::HashMap;
use std::path::Path;

use git2::{Oid, Tree};

use crate::commands::check::{Report, check_tip};
use crate::config::Config;
use crate::document::Document;
use crate::error::Error;
use crate::repo::Repo;

fn git_err(doing: &'static str) -> impl FnOnce(git2::Error) -> Error {
    move |source| Error::Repo(crate::repo::Error::Git { doing: doing.into(), source })
}

/// Returns the configuration in force at commit `at`: its `.milestone.yml` and git config.
///
/// # Errors
///
/// Fails when the settings are invalid.
pub fn config_at(repo: &Repo, at: Oid) -> Result<Config, Error> {
    let text = repo.file_at(at, crate::config::FILE).and_then(|b| String::from_utf8(b).ok());
    Ok(Config::load(text.as_deref(), &repo.git_config().milestone_entries())?)
}

/// Returns the base branch's name (`branch.base`, else the repository's default).
pub fn base_name(repo: &Repo, config: &Config) -> String {
    config.base.clone().unwrap_or_else(|| repo.default_base().unwrap_or_else(|_| "main".into()))
}

/// Returns the check of every milestone that merging `side` into commit `into_commit` (whose
/// tree is `into`) brings: the tracking documents that `side` has and `into` has not (or has
/// otherwise), each checked at `side` under the branch its `Branch` field names.
///
/// # Errors
///
/// Fails when the objects, the settings or a document cannot be read.
pub fn check_merge(
    repo: &Repo,
    into: Option<&Tree>,
    into_commit: Oid,
    side: Oid,
) -> Result<Vec<Report>, Error> {
    let config = config_at(repo, side)?;
    let folder = config.tracking_folder.trim_matches('/').to_string();
    let side_tree = repo
        .git
        .find_commit(side)
        .and_then(|c| c.tree())
        .map_err(git_err("could not read a merged commit"))?;
    let entries = |tree: Option<&Tree>| -> HashMap<String, Oid> {
        tree.and_then(|t| t.get_path(Path::new(&folder)).ok())
            .and_then(|e| repo.git.find_tree(e.id()).ok())
            .map(|t| {
                t.iter()
                    .filter_map(|e| Some((e.name().ok()?.to_string(), e.id())))
                    .filter(|(n, _)| n.ends_with(".md"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = entries(into);
    let mut reports = Vec::new();
    let mut names: Vec<(String, Oid)> = entries(Some(&side_tree)).into_iter().collect();
    names.sort();
    for (name, blob) in names {
        if before.get(&name) == Some(&blob) {
            continue;
        }
        let Ok(blob) = repo.git.find_blob(blob) else { continue };
        let Ok(text) = std::str::from_utf8(blob.content()) else { continue };
        let Ok(doc) = Document::parse(text) else { continue };
        let Some(branch) = doc.field("Branch").map(|f| f.value.trim().trim_matches('`').trim().to_string())
        else {
            continue;
        };
        let path = format!("{folder}/{name}");
        let template = crate::commands::check::template_at(repo, &config, side);
        reports.push(check_tip(
            repo,
            &config,
            &path,
            text,
            &branch,
            side,
            &template,
            false,
            Some(into_commit),
            None,
        )?);
    }
    Ok(reports)
}

/// Returns the checks of the milestones merged by the merge commits in `from..to` (all of
/// `to`'s history when `from` is None), newest first.
///
/// # Errors
///
/// Fails when the history cannot be read.
pub fn check_range(repo: &Repo, from: Option<Oid>, to: Oid) -> Result<Vec<Report>, Error> {
    let mut walk = repo.git.revwalk().map_err(git_err("could not walk the pushed commits"))?;
    walk.push(to).map_err(git_err("could not walk the pushed commits"))?;
    if let Some(from) = from {
        walk.hide(from).map_err(git_err("could not walk the pushed commits"))?;
    }
    let mut reports = Vec::new();
    let mut merges = 0;
    for id in walk {
        let commit = repo
            .git
            .find_commit(id.map_err(git_err("could not walk the pushed commits"))?)
            .map_err(git_err("could not read a pushed commit"))?;
        if commit.parent_count() < 2 {
            continue;
        }
        let Ok(first) = commit.parent(0) else { continue };
        merges += 1;
        let into = first.tree().ok();
        for side in commit.parent_ids().skip(1) {
            reports.extend(check_merge(repo, into.as_ref(), first.id(), side)?);
        }
    }
    // No merge commit: a fast-forward brings the milestone's commits straight in.
    if merges == 0
        && let Some(from) = from
    {
        let into = repo.git.find_commit(from).and_then(|c| c.tree()).ok();
        reports.extend(check_merge(repo, into.as_ref(), from, to)?);
    }
    Ok(reports)
}
