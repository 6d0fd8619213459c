//! What more than one of the top-level test files needs: whether this is a CI run, and the
//! documents under a folder.

#![allow(dead_code)] // Each test file uses a different part.

use std::path::{Path, PathBuf};

/// Returns whether the environment says this is a CI run (`CI` set, and not to `false`/`0`).
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Returns every `.md` or `.txt` file under `dir`, sorted.
pub fn documents(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "txt") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
