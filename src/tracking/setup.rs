//! Installing the merge driver for tracking documents: `merge.git-milestone.*` in the
//! repository's config, and a line naming it for the tracking folder's documents in the
//! repository's own attributes file (`info/attributes` in the common git dir, shared by
//! linked worktrees, never in the work tree, so installing leaves the tree clean).

use std::fs;
use std::path::PathBuf;

use crate::error::Error;
use crate::repo::{self, Repo};

/// The driver's name in config and attributes.
pub const DRIVER: &str = "git-milestone";
/// The command git runs: ancestor, ours (the result goes there), theirs, the path.
pub const COMMAND: &str = "git-milestone merge-driver %O %A %B %P";
const START: &str = "# >>> git-milestone merge driver >>>";
const END: &str = "# <<< git-milestone merge driver <<<";

fn git_err(doing: &'static str) -> impl FnOnce(git2::Error) -> Error {
    move |source| Error::Repo(repo::Error::Git { doing: doing.into(), source })
}

fn attributes(repo: &Repo) -> PathBuf {
    repo.git.commondir().join("info").join("attributes")
}

/// The attributes block for documents in `folder`: the folder's name taken literally (glob
/// characters escaped) and the pattern quoted when it holds a space or a quote, as
/// gitattributes reads C-style quoted patterns.
fn block(folder: &str) -> String {
    let folder = folder.trim_matches('/');
    let mut pattern = String::new();
    for c in folder.chars() {
        if matches!(c, '*' | '?' | '[' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push_str("/*.md");
    let pattern = if pattern.contains([' ', '\t', '"']) {
        format!("\"{}\"", pattern.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        pattern
    };
    format!("{START}\n{pattern} merge={DRIVER}\n{END}\n")
}

/// Installs the driver for the documents in `folder`; returns whether anything changed.
///
/// # Errors
///
/// Fails when the config or the attributes file cannot be written.
pub fn install(repo: &Repo, folder: &str) -> Result<bool, Error> {
    let mut changed = false;
    let config = repo.git.config().map_err(git_err("could not read git config"))?;
    let mut local = config
        .open_level(git2::ConfigLevel::Local)
        .map_err(git_err("could not open the repository's config"))?;
    for (key, value) in [
        (format!("merge.{DRIVER}.name"), "git-milestone: tracking documents"),
        (format!("merge.{DRIVER}.driver"), COMMAND),
    ] {
        if local.get_string(&key).ok().as_deref() != Some(value) {
            local.set_str(&key, value).map_err(git_err("could not set the merge driver in git config"))?;
            changed = true;
        }
    }
    let path = attributes(repo);
    let text = fs::read_to_string(&path).unwrap_or_default();
    let wanted = block(folder);
    if !text.contains(&wanted) {
        // On top: removing it gives back the file byte for byte, and the user's own lines,
        // which come later, still win over ours.
        let new = format!("{wanted}{}", remove_block(&text));
        let write_err = |source| Error::Write { path: path.display().to_string(), source };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(write_err)?;
        }
        crate::fsio::write_atomic(&path, &new, &path.display().to_string())?;
        changed = true;
    }
    Ok(changed)
}

/// Removes the driver; returns whether it was there.
///
/// # Errors
///
/// Fails when the config or the attributes file cannot be written.
pub fn uninstall(repo: &Repo) -> Result<bool, Error> {
    let mut found = false;
    let config = repo.git.config().map_err(git_err("could not read git config"))?;
    let mut local = config
        .open_level(git2::ConfigLevel::Local)
        .map_err(git_err("could not open the repository's config"))?;
    for key in [format!("merge.{DRIVER}.name"), format!("merge.{DRIVER}.driver")] {
        if local.get_string(&key).is_ok() {
            local.remove(&key).map_err(git_err("could not remove the merge driver from git config"))?;
            found = true;
        }
    }
    let path = attributes(repo);
    if let Ok(text) = fs::read_to_string(&path) {
        let new = remove_block(&text);
        if new != text {
            if new.is_empty() {
                // The file was ours alone.
                fs::remove_file(&path)
                    .map_err(|source| Error::Write { path: path.display().to_string(), source })?;
            } else {
                crate::fsio::write_atomic(&path, &new, &path.display().to_string())?;
            }
            found = true;
        }
    }
    Ok(found)
}

/// Returns whether the driver is configured and named for the documents in `folder`.
pub fn installed(repo: &Repo, folder: &str) -> bool {
    let configured = repo.config_string(&format!("merge.{DRIVER}.driver")).as_deref() == Some(COMMAND);
    configured && fs::read_to_string(attributes(repo)).is_ok_and(|t| t.contains(&block(folder)))
}

/// Returns `text` without our block.
fn remove_block(text: &str) -> String {
    match (text.find(START), text.find(END)) {
        (Some(start), Some(end)) if end > start => {
            let mut end = end + END.len();
            if text[end..].starts_with('\n') {
                end += 1;
            }
            format!("{}{}", &text[..start], &text[end..])
        }
        _ => text.to_string(),
    }
}

/// What [`autostash`] found and did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Autostash {
    /// It was unset: now true in the repository's config.
    Set,
    /// It was already true.
    AlreadyOn,
    /// Someone set it to false (in any config file): left as it is.
    KeptOff,
}

/// Sets `rebase.autoStash` in the repository's config, unless some config already says.
///
/// # Errors
///
/// Fails when the config cannot be written.
pub fn autostash(repo: &Repo) -> Result<Autostash, Error> {
    set_unless_said(repo, "rebase.autoStash")
}

/// Sets `merge.autoStash` in the repository's config, unless some config already says (as
/// [`autostash`] does for rebases): merges and pulls then stash a staged tracking document
/// and put it back through the merge driver.
///
/// # Errors
///
/// Fails when the config cannot be written.
pub fn merge_autostash(repo: &Repo) -> Result<Autostash, Error> {
    set_unless_said(repo, "merge.autoStash")
}

/// Sets boolean `key` to true in the repository's config, unless some config has it.
fn set_unless_said(repo: &Repo, key: &str) -> Result<Autostash, Error> {
    let config = repo.git.config().map_err(git_err("could not read git config"))?;
    match config.get_bool(key) {
        Ok(true) => return Ok(Autostash::AlreadyOn),
        Ok(false) => return Ok(Autostash::KeptOff),
        Err(_) => {}
    }
    let mut local = config
        .open_level(git2::ConfigLevel::Local)
        .map_err(git_err("could not open the repository's config"))?;
    local.set_bool(key, true).map_err(git_err("could not set an autostash setting"))?;
    Ok(Autostash::Set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_block_comes_out_and_leaves_the_rest() {
        let text = format!("*.png binary\n{}docs/** text\n", block("docs/milestones/tracking"));
        assert_eq!(remove_block(&text), "*.png binary\ndocs/** text\n");
        assert_eq!(remove_block("a\n"), "a\n");
    }

    #[test]
    fn folder_names_are_taken_literally_and_quoted_when_they_hold_a_space() {
        assert!(block("docs/tracking").contains("\ndocs/tracking/*.md merge=git-milestone\n"));
        assert!(block("my notes/tracking").contains("\n\"my notes/tracking/*.md\" merge=git-milestone\n"));
        assert!(block("a*b[1]").contains("\na\\*b\\[1]/*.md merge"));
    }
}
