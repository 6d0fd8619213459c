//! Finding a task's own file (`TASKS-01.md`, `TASKS-01_name.md`) beside the plan.

use std::path::{Path, PathBuf};

use super::Context;
use crate::error::Error;
use crate::plan::PlanError;

/// Returns the task file of `id` under `folder`: `ID.md`, or `ID_...md` / `ID-...md` /
/// `ID ...md` (a name that goes on after the id with a separator), searched three folders
/// deep; hidden folders, `target` and `node_modules` are skipped, and so is the plan.
pub(super) fn task_file(cx: &Context, id: &str) -> Result<Option<(PathBuf, String)>, Error> {
    let mut found = Vec::new();
    find_files(cx.folder, id, cx.path, 0, &mut found);
    found.sort();
    match found.len() {
        0 => Ok(None),
        1 => {
            let path = found.remove(0);
            let shown = relative(cx, &path);
            Ok(Some((path, shown)))
        }
        _ => Err(Error::Plan {
            path: cx.shown.to_string(),
            problem: Box::new(PlanError::TaskFiles {
                id: id.to_string(),
                files: found.iter().map(|p| relative(cx, p)).collect(),
            }),
        }),
    }
}

/// Returns how a task file is shown: relative to the work tree's root when it is inside.
fn relative(cx: &Context, path: &Path) -> String {
    path.strip_prefix(cx.root).or_else(|_| path.strip_prefix("./")).unwrap_or(path).display().to_string()
}

fn find_files(dir: &Path, id: &str, plan: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            if depth < 3 && !name.starts_with('.') && name != "target" && name != "node_modules" {
                find_files(&path, id, plan, depth + 1, out);
            }
        } else if kind.is_file() && names_task(name, id) && !same_file(&path, plan) {
            out.push(path);
        }
    }
}

/// Returns whether a file name is that of task `id`'s file.
fn names_task(name: &str, id: &str) -> bool {
    let Some(stem) = name.strip_suffix(".md") else { return false };
    match stem.strip_prefix(id) {
        Some("") => true,
        Some(rest) => {
            rest.starts_with(['_', ' ', '.'])
                || (rest.starts_with('-') && !rest[1..].starts_with(|c: char| c.is_ascii_digit()))
        }
        None => false,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
