//! The merge driver for tracking documents (`git milestone merge-driver %O %A %B %P`).
//!
//! Many commits of a milestone branch change its tracking document, so reordering, dropping
//! and squashing in `rebase -i`, and `cherry-pick`, `merge` and `stash pop`, would conflict
//! in it. The driver merges the two sides in three parts:
//!
//! 1. what people wrote: each side without its recorded commit items, the numbers that
//!    come from git taken from our side, merged three-way by libgit2 (where both sides
//!    changed the same lines, both sides' lines are kept: nothing anyone wrote is lost);
//! 2. the recorded commit items: ours, less those theirs removed, plus those theirs added,
//!    each put back under its task or log entry;
//! 3. then the document is brought up to date with HEAD's history ([`mod@super::record`]),
//!    keeping items of commits HEAD does not have yet while a rebase, merge or cherry-pick
//!    is under way (their commits may still come).

use std::collections::HashSet;

use super::record::{self, Domain, Recorded};
use crate::document::Document;
use crate::markdown::Edit;

/// One recorded item, with where it belongs.
#[derive(Debug, Clone)]
struct Item {
    domain: Domain,
    /// The task id, the log entry's heading text, or empty for the unplanned section.
    anchor: String,
    /// The hash as written (identity of the item).
    hash: String,
    /// The item's text after its bullet.
    text: String,
}

/// Returns the skeleton of `text` (without recorded items; with the numbers from git set as
/// `numbers_from` has them) and its items.
fn split(text: &str, numbers_from: Option<&Document>) -> (String, Vec<Item>) {
    let Ok(doc) = Document::parse(text) else {
        return (text.to_string(), Vec::new());
    };
    let tasks = record::heading_tasks(&doc);
    let mut items = Vec::new();
    let mut edits = Vec::new();
    for (domain, r) in record::recorded(&doc) {
        let Some(full) = doc.lines.full_range(r.line) else { continue };
        let anchor = anchor_of(&doc, &tasks, domain, &r);
        let line = doc.text[full.clone()].trim_end_matches(['\n', '\r']);
        let body = line.trim_start_matches([' ', '\t', '>']);
        let body = body.get(1..).map_or("", |b| b.trim_start());
        let body = match body.find(r.hash.as_str()) {
            // A numbered item: the text starts after `1.`; a bullet's after `-`.
            Some(_) if line.trim_start().starts_with(|c: char| c.is_ascii_digit()) => {
                body.split_once(' ').map_or(body, |(_, t)| t.trim_start())
            }
            _ => body,
        };
        items.push(Item { domain, anchor, hash: r.hash.clone(), text: body.to_string() });
        edits.push(Edit::replace(full, ""));
    }
    if let Some(from) = numbers_from {
        edits.extend(numbers_like(&doc, from));
    }
    (doc.apply(&edits), items)
}

/// The task, log entry or unplanned section that holds a recorded item.
fn anchor_of(doc: &Document, tasks: &[record::Task], domain: Domain, r: &Recorded) -> String {
    let at = r.hash_range.start;
    match domain {
        Domain::Tasks => {
            tasks.iter().find(|t| t.range.contains(&at)).map(|t| t.id.clone()).unwrap_or_default()
        }
        Domain::Log => doc
            .progress_log
            .iter()
            .find(|e| record::own_range(doc, e.section).contains(&at))
            .map(|e| doc.section_text(&doc.sections[e.section]).to_string())
            .unwrap_or_default(),
    }
}

/// Edits that give `doc`'s numbers from git (task counts, overall progress, metrics'
/// commits) the values `from` has under the same labels.
fn numbers_like(doc: &Document, from: &Document) -> Vec<Edit> {
    let mut edits = Vec::new();
    for count in &doc.task_counts {
        if let Some(other) = from.task_counts.iter().find(|c| c.label == count.label) {
            edits.push(Edit::replace(count.range.clone(), from.text[other.range.clone()].to_string()));
        }
    }
    for p in &doc.percentages {
        if let Some(other) = from.percentages.iter().find(|o| o.label == p.label) {
            edits.push(Edit::replace(p.range.clone(), from.text[other.range.clone()].to_string()));
        }
    }
    let metrics = |d: &Document| {
        d.sections.iter().position(|s| d.section_text(s).eq_ignore_ascii_case("metrics")).and_then(|si| {
            let range = record::own_range(d, si);
            crate::document::header::label_lines(d, range)
                .iter()
                .find(|l| l.label.eq_ignore_ascii_case("commits"))
                .map(|l| l.value_range.clone())
        })
    };
    if let (Some(mine), Some(theirs)) = (metrics(doc), metrics(from)) {
        edits.push(Edit::replace(mine, from.text[theirs].to_string()));
    }
    edits.retain(|e| doc.text[e.range.clone()] != e.text);
    edits
}

/// Returns whether `a` and `b` differ in what people wrote, not only in what comes from git
/// (recorded commits and the numbers).
pub fn differ_by_hand(a: &str, b: &str) -> bool {
    let b_doc = Document::parse(b).ok();
    split(a, b_doc.as_ref()).0 != split(b, None).0
}

/// Returns the merge of `ours` and `theirs` from `ancestor` without recorded history: the
/// people's text merged three-way and the recorded items put back. The caller then brings
/// it up to date with the history.
pub fn merge(ancestor: &str, ours: &str, theirs: &str) -> String {
    let ours_doc = Document::parse(ours).ok();
    let (base_skeleton, base_items) = split(ancestor, ours_doc.as_ref());
    let (our_skeleton, our_items) = split(ours, None);
    let (their_skeleton, their_items) = split(theirs, ours_doc.as_ref());
    let merged = merge_text(&base_skeleton, &our_skeleton, &their_skeleton)
        .unwrap_or_else(|| merge_text(ancestor, ours, theirs).unwrap_or_else(|| ours.to_string()));
    let key = |i: &Item| (i.domain, i.hash.to_ascii_lowercase());
    let base_keys: HashSet<_> = base_items.iter().map(key).collect();
    let their_keys: HashSet<_> = their_items.iter().map(key).collect();
    let mut kept: Vec<Item> = our_items
        .into_iter()
        .filter(|i| !base_keys.contains(&key(i)) || their_keys.contains(&key(i)))
        .collect();
    let ours_keys: HashSet<_> = kept.iter().map(key).collect();
    kept.extend(
        their_items.into_iter().filter(|i| !base_keys.contains(&key(i)) && !ours_keys.contains(&key(i))),
    );
    put_back(&merged, &kept)
}

/// Merges three texts with libgit2, keeping both sides' lines where both changed the same
/// lines; None when libgit2 cannot.
fn merge_text(ancestor: &str, ours: &str, theirs: &str) -> Option<String> {
    fn input(text: &str) -> git2::MergeFileInput<'_> {
        let mut input = git2::MergeFileInput::new();
        input.content(text.as_bytes());
        input
    }
    // git2 starts libgit2 in most of its entry points, not in merge_file's: a buffer does.
    drop(git2::Buf::new());
    let (a, o, t) = (input(ancestor), input(ours), input(theirs));
    let mut options = git2::MergeFileOptions::new();
    options.favor(git2::FileFavor::Union);
    let result = git2::merge_file(&a, &o, &t, Some(&mut options)).ok()?;
    String::from_utf8(result.content().to_vec()).ok()
}

/// Returns `text` with `items` put back under their tasks and log entries (in the unplanned
/// section when their task is gone).
fn put_back(text: &str, items: &[Item]) -> String {
    let mut text = text.to_string();
    // One group a pass: each insertion moves the offsets of what follows.
    let mut groups: Vec<(Domain, String, Vec<String>)> = Vec::new();
    for item in items {
        match groups.iter_mut().find(|(d, a, _)| *d == item.domain && *a == item.anchor) {
            Some((_, _, texts)) => texts.push(item.text.clone()),
            None => groups.push((item.domain, item.anchor.clone(), vec![item.text.clone()])),
        }
    }
    for (domain, anchor, texts) in groups {
        let Ok(doc) = Document::parse(&text) else { break };
        let edit = match domain {
            Domain::Tasks => {
                let tasks = record::heading_tasks(&doc);
                match tasks.iter().find(|t| !anchor.is_empty() && t.id == anchor) {
                    Some(task) => record::into_task(&doc, task, &texts),
                    None => record::into_unplanned(&doc, &texts),
                }
            }
            Domain::Log => {
                let entry = doc
                    .progress_log
                    .iter()
                    .find(|e| doc.section_text(&doc.sections[e.section]) == anchor)
                    .or_else(|| doc.progress_log.last());
                match entry {
                    Some(e) => record::into_log_entry(&doc, e.section, &texts),
                    None => continue,
                }
            }
        };
        text = doc.apply(&[edit]);
    }
    text
}

/// Brings a merged tracking document up to date with HEAD's history, when `path` is the
/// tracking document of HEAD's branch (or of the branch a rebase is rewriting); None for
/// another document. Items of commits HEAD does not have stay while a rebase, merge,
/// cherry-pick or revert is under way: their commits may still come.
///
/// # Errors
///
/// Fails when the repository, its configuration or the history cannot be read.
pub fn record_history(text: &str, path: &str) -> Result<Option<String>, crate::error::Error> {
    let repo = crate::repo::Repo::open()?;
    let root = repo.workdir()?.to_path_buf();
    let config = crate::commands::load_config(&repo, &root)?;
    let git_dir = repo.git.path().to_path_buf();
    let attached = repo.current_branch();
    // During a rebase HEAD is detached; the branch being rebased is in `head-name`.
    let rebased = ["rebase-merge/head-name", "rebase-apply/head-name"].iter().find_map(|p| {
        let name = std::fs::read_to_string(git_dir.join(p)).ok()?;
        name.trim().strip_prefix("refs/heads/").map(str::to_string)
    });
    let Some(branch) = attached.clone().or(rebased) else { return Ok(None) };
    let Some(tracked) = super::find_for_branch(&root, &config, &branch) else { return Ok(None) };
    if tracked.path != path {
        return Ok(None);
    }
    let rewritten = ["rebase-merge/rewritten-list", "rebase-apply/rewritten"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(git_dir.join(p)).ok())
        .collect::<String>();
    let rewrites = super::history::rewrites_from(&rewritten);
    let pending = ["MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD"].iter().any(|f| git_dir.join(f).is_file());
    let settled = attached.is_some() && !pending;
    let history = super::BranchHistory::read(&repo, &config, path, rewrites)?;
    let recorded = history
        .record_in(&repo, text, settled)
        .map_err(|problem| crate::error::Error::Parse { path: path.to_string(), problem })?;
    Ok(Some(recorded))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "# M1 Tracking\n\n## Progress Log\n\n### 2026-01-01 - Start\n\n**Commits:**\n- `1111111` - feat: one\n\n## Phase 1: P\n\n### Task 1.1: A\n\n**Commits:**\n- `1111111` - feat: one\n\n**Status:** 🔄 In Progress\n\n### Task 1.2: B\n\n**Commits:**\n\n**Status:** ⏳ Not Started\n";

    #[test]
    fn both_sides_items_are_kept_and_people_text_merges() {
        let ours = BASE.replace(
            "- `1111111` - feat: one\n\n**Status:** 🔄",
            "- `1111111` - feat: one\n- `2222222` - feat: two\n\n**Status:** 🔄",
        );
        let theirs = BASE
            .replace(
                "- `1111111` - feat: one\n\n**Status:** 🔄",
                "- `1111111` - feat: one\n- `3333333` - feat: three\n\n**Status:** 🔄",
            )
            .replace("### Task 1.2: B\n", "### Task 1.2: B\n\nA note someone wrote.\n");
        let merged = merge(BASE, &ours, &theirs);
        assert!(merged.contains("- `2222222` - feat: two\n- `3333333` - feat: three\n"), "{merged}");
        assert!(merged.contains("A note someone wrote."), "{merged}");
        assert!(!merged.contains("<<<<<<<"), "{merged}");
        assert_eq!(merged.matches("`1111111`").count(), 2, "{merged}");
    }

    #[test]
    fn an_item_theirs_removed_goes() {
        let theirs = BASE.replacen(
            "**Commits:**\n- `1111111` - feat: one\n\n**Status:**",
            "**Commits:**\n\n**Status:**",
            1,
        );
        assert_ne!(theirs, BASE);
        let merged = merge(BASE, BASE, &theirs);
        assert_eq!(merged.matches("`1111111`").count(), 1, "{merged}");
    }
}
