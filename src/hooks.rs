//! Installing, removing and describing git-milestone's git hooks, next to the hooks a team
//! already has.
//!
//! A hook file that is already there is never overwritten: a shell hook gets our lines
//! inserted after its `#!` line between marker comments; a hook in another language, or a
//! symbolic link that is not ours, is renamed `NAME.git-milestone-chained` and run by our
//! shim. Where no hook is, ours is either a shell shim or, in link mode, a symbolic link to the
//! git-milestone binary, which runs the hook its name says (no shell in between).
//! Uninstalling removes exactly what installing added. The shims themselves are the files in
//! `hooks/`, embedded here. This module works on a hooks folder and a binary path it is given;
//! where the folder is comes from [`folder`].

use std::fs;
use std::path::{Path, PathBuf};

/// The hooks git-milestone installs, in the order git runs them in a commit's life.
pub const NAMES: [&str; 6] =
    ["commit-msg", "post-commit", "post-rewrite", "post-merge", "pre-merge-commit", "pre-push"];

/// The hook a server (a bare repository that receives pushes) gets: `hooks install --server`.
pub const SERVER_NAMES: [&str; 1] = ["pre-receive"];

/// The hooks git feeds on standard input.
const STDIN_HOOKS: [&str; 3] = ["post-rewrite", "pre-push", "pre-receive"];

const STANDALONE: &str = include_str!("../hooks/standalone.sh");
const EMBEDDED: &str = include_str!("../hooks/embedded.sh");
const EMBEDDED_STDIN: &str = include_str!("../hooks/embedded-stdin.sh");
const CHAINED: &str = include_str!("../hooks/chained.sh");

/// The suffix of a hook that was moved aside for ours.
pub const CHAINED_SUFFIX: &str = ".git-milestone-chained";

/// The file name a link must point at to be ours: a symbolic link whose target's last path
/// component is this name is git-milestone's, and any other link is someone else's.
pub const BINARY: &str = "git-milestone";

/// How to install a hook where no other hook is (a hook that is there always gets the shim's
/// lines, or is chained by the shim, so that it keeps running).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode<'p> {
    /// A shell shim: `hooks/standalone.sh`.
    Shim,
    /// A symbolic link to the binary at this absolute path, whose file name is [`BINARY`].
    Link(&'p Path),
}

/// What install, uninstall or status found or did for one hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum State {
    /// No hook file.
    Absent,
    /// Our own hook file (the shell shim).
    Ours,
    /// Our symbolic link to the binary, which is there.
    Linked(PathBuf),
    /// Our symbolic link to a binary that is gone: git skips the hook without a word.
    Broken(PathBuf),
    /// Our lines inside a hook that was already there.
    Embedded,
    /// Our hook file, running the hook that was there, kept under its chained name.
    Chaining,
    /// A hook that is not ours and does not run ours.
    Foreign,
}

impl State {
    /// Returns how `status` describes it.
    pub fn describe(&self, name: &str) -> String {
        match self {
            State::Absent => "not installed".into(),
            State::Ours => "installed".into(),
            State::Linked(target) => format!("installed as a link to `{}`", target.display()),
            State::Broken(target) => format!(
                "broken: links to `{}`, which is gone, and git skips it without a word \
                 (fix: `git milestone hooks install --link`)",
                target.display()
            ),
            State::Embedded => "installed inside the existing hook, which still runs after ours".into(),
            State::Chaining => {
                format!("installed; the previous hook runs after ours from {name}{CHAINED_SUFFIX}")
            }
            State::Foreign => {
                "another hook is there, without ours (run `git milestone hooks install`)".into()
            }
        }
    }
}

/// An I/O failure on a hook file.
#[derive(Debug, thiserror::Error)]
#[error("cannot {doing} `{path}`")]
pub struct Error {
    pub doing: &'static str,
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

/// Returns the folder git runs hooks from for `repo`: `core.hooksPath` when it is set
/// (relative to the work tree's root, as git takes it), else the common git dir's `hooks`, so
/// that linked worktrees share them.
pub fn folder(repo: &crate::repo::Repo) -> PathBuf {
    let configured = repo.config_string("core.hooksPath").filter(|p| !p.is_empty()).map(|p| {
        match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
            (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
            _ => PathBuf::from(p),
        }
    });
    let git = &repo.git;
    match configured {
        Some(path) if path.is_absolute() => path,
        Some(path) => git.workdir().unwrap_or_else(|| git.path()).join(path),
        None => git.commondir().join("hooks"),
    }
}

fn markers(name: &str) -> (String, String) {
    (format!("# >>> git-milestone {name} >>>"), format!("# <<< git-milestone {name} <<<"))
}

/// The hooks that say so when git-milestone is not on PATH: those that check something. The
/// others stay quiet, so a commit without the binary prints one line, not one per hook.
const WARNING_HOOKS: [&str; 4] = ["commit-msg", "pre-merge-commit", "pre-push", "pre-receive"];

fn fill(template: &str, name: &str) -> String {
    let stdin = if STDIN_HOOKS.contains(&name) { "yes" } else { "" };
    let missing = if WARNING_HOOKS.contains(&name) {
        "echo \"git-milestone is not on PATH: its {{hook}} check was skipped\" >&2"
    } else {
        ":"
    };
    template.replace("{{missing}}", missing).replace("{{hook}}", name).replace("{{stdin}}", stdin)
}

/// Returns the byte range of our marked block in `text`, through its last line's line ending.
fn block_range(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let (start, end) = markers(name);
    let from = text.find(&start)?;
    let from = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let to = from + text[from..].find(&end)? + end.len();
    let to = if text[to..].starts_with('\n') { to + 1 } else { to };
    Some(from..to)
}

/// Returns whether a hook file is a shell script our lines can go into.
fn is_shell(text: &str) -> bool {
    let Some(shebang) = text.strip_prefix("#!") else { return false };
    let line = shebang.lines().next().unwrap_or_default();
    let mut words = line.split_whitespace();
    let program = words.next().unwrap_or_default();
    let program = if program.ends_with("/env") { words.next().unwrap_or_default() } else { program };
    let base = program.rsplit('/').next().unwrap_or_default();
    matches!(base, "sh" | "bash" | "dash" | "zsh" | "ksh" | "ash")
}

/// Returns the target of the link at `path` when it is ours: a symbolic link whose target's
/// file name is [`BINARY`].
fn our_link(path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        return None;
    }
    let target = fs::read_link(path).ok()?;
    (target.file_name()? == BINARY).then_some(target)
}

/// Returns the state of hook `name` in `dir`.
pub fn state(dir: &Path, name: &str) -> State {
    let path = dir.join(name);
    if let Some(target) = our_link(&path) {
        // `exists` follows the link (relative targets from the link's folder, as the kernel does).
        return if path.exists() { State::Linked(target) } else { State::Broken(target) };
    }
    let Ok(bytes) = fs::read(&path) else {
        // A link that leads nowhere is someone else's hook, not a free slot.
        return if fs::symlink_metadata(&path).is_ok() { State::Foreign } else { State::Absent };
    };
    let text = String::from_utf8_lossy(&bytes);
    if block_range(&text, name).is_none() {
        return State::Foreign;
    }
    if text == fill(STANDALONE, name) {
        State::Ours
    } else if text == fill(CHAINED, name) {
        State::Chaining
    } else {
        State::Embedded
    }
}

fn io<'p>(doing: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> Error + 'p {
    move |source| Error { doing, path: path.display().to_string(), source }
}

/// Installs hook `name` into `dir`, keeping the form of ours that is there (shim or link; a
/// shim where none is), and returns what it found there (installing twice changes nothing).
///
/// # Errors
///
/// Fails when the folder or the file cannot be written.
pub fn install(dir: &Path, name: &str) -> Result<State, Error> {
    match state(dir, name) {
        linked @ State::Linked(_) => Ok(linked),
        _ => install_as(dir, name, Mode::Shim),
    }
}

/// Installs hook `name` into `dir` in `mode` and returns what it found there. Our hook in the
/// other mode is replaced (atomically, so a commit running meanwhile finds one or the other);
/// a hook that is not ours keeps running whatever the mode, through the shim. Installing
/// twice changes nothing.
///
/// # Errors
///
/// Fails when the folder or the file cannot be written.
pub fn install_as(dir: &Path, name: &str, mode: Mode<'_>) -> Result<State, Error> {
    fs::create_dir_all(dir).map_err(io("create", dir))?;
    let path = dir.join(name);
    let before = state(dir, name);
    match (&before, mode) {
        (State::Embedded | State::Chaining, _) | (State::Ours, Mode::Shim) => {}
        (State::Linked(target), Mode::Link(binary)) if target.as_path() == binary => {}
        (State::Absent | State::Ours | State::Linked(_) | State::Broken(_), Mode::Link(binary)) => {
            replace(dir, name, |temp| symlink(binary, temp))?;
        }
        (State::Absent | State::Linked(_) | State::Broken(_), Mode::Shim) => {
            replace(dir, name, |temp| write_executable(temp, &fill(STANDALONE, name)))?;
        }
        (State::Foreign, _) => {
            // A link (to a script kept in the work tree, say) is chained, never written through.
            let link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            let bytes = fs::read(&path).map_err(io("read", &path))?;
            match String::from_utf8(bytes) {
                Ok(text) if !link && is_shell(&text) && text.contains('\n') => {
                    let after_shebang = text.find('\n').map_or(text.len(), |i| i + 1);
                    let block =
                        fill(if STDIN_HOOKS.contains(&name) { EMBEDDED_STDIN } else { EMBEDDED }, name);
                    let new = format!("{}{block}{}", &text[..after_shebang], &text[after_shebang..]);
                    // Same file, same permissions: only our lines are added.
                    fs::write(&path, new).map_err(io("write", &path))?;
                }
                _ => {
                    let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
                    fs::rename(&path, &chained).map_err(io("rename", &path))?;
                    if let Err(e) = write_executable(&path, &fill(CHAINED, name)) {
                        let _ = fs::rename(&chained, &path);
                        return Err(e);
                    }
                }
            }
        }
    }
    Ok(before)
}

/// Puts a new hook `name` into `dir`: `make` writes it under a temporary name, which is then
/// renamed over the old one.
fn replace(dir: &Path, name: &str, make: impl FnOnce(&Path) -> Result<(), Error>) -> Result<(), Error> {
    let temp = dir.join(format!(".{name}.git-milestone-new"));
    let _ = fs::remove_file(&temp);
    make(&temp)?;
    let path = dir.join(name);
    fs::rename(&temp, &path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io("replace", &path)(e)
    })
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> Result<(), Error> {
    std::os::unix::fs::symlink(target, link).map_err(io("create the link", link))
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> Result<(), Error> {
    let source = std::io::Error::new(std::io::ErrorKind::Unsupported, "link mode needs unix symbolic links");
    Err(Error { doing: "create the link", path: link.display().to_string(), source })
}

/// Removes hook `name` from `dir`, putting back what was there, and returns what it found.
///
/// # Errors
///
/// Fails when a file cannot be written or renamed.
pub fn uninstall(dir: &Path, name: &str) -> Result<State, Error> {
    let path = dir.join(name);
    let found = state(dir, name);
    match found {
        State::Absent | State::Foreign => {}
        State::Ours | State::Linked(_) | State::Broken(_) => {
            fs::remove_file(&path).map_err(io("remove", &path))?;
        }
        State::Chaining => {
            let chained = dir.join(format!("{name}{CHAINED_SUFFIX}"));
            if chained.exists() {
                fs::rename(&chained, &path).map_err(io("rename", &chained))?;
            } else {
                fs::remove_file(&path).map_err(io("remove", &path))?;
            }
        }
        State::Embedded => {
            let text = fs::read_to_string(&path).map_err(io("read", &path))?;
            if let Some(range) = block_range(&text, name) {
                let mut new = text.clone();
                new.replace_range(range, "");
                fs::write(&path, new).map_err(io("write", &path))?;
            }
        }
    }
    Ok(found)
}

fn write_executable(path: &Path, text: &str) -> Result<(), Error> {
    fs::write(path, text).map_err(io("write", path))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(io("make executable", path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shell_hook_gets_our_lines_after_its_shebang_and_gets_them_back_out() {
        let dir = tempfile::tempdir().expect("temp dir");
        let theirs = "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"\n";
        fs::write(dir.path().join("commit-msg"), theirs).expect("write");
        assert_eq!(install(dir.path(), "commit-msg").expect("installs"), State::Foreign);
        let text = fs::read_to_string(dir.path().join("commit-msg")).expect("read");
        assert!(text.starts_with("#!/usr/bin/env sh\n# >>> git-milestone commit-msg >>>\n"), "{text}");
        assert!(text.ends_with("# <<< git-milestone commit-msg <<<\n. \"$(dirname \"$0\")/h\"\n"), "{text}");
        assert_eq!(install(dir.path(), "commit-msg").expect("installs"), State::Embedded);
        assert_eq!(fs::read_to_string(dir.path().join("commit-msg")).expect("read"), text);
        assert_eq!(uninstall(dir.path(), "commit-msg").expect("uninstalls"), State::Embedded);
        assert_eq!(fs::read_to_string(dir.path().join("commit-msg")).expect("read"), theirs);
    }

    #[test]
    fn another_language_is_chained_and_renamed_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let theirs = b"#!/usr/bin/env python3\nprint('hi')";
        fs::write(dir.path().join("pre-push"), theirs).expect("write");
        install(dir.path(), "pre-push").expect("installs");
        assert_eq!(state(dir.path(), "pre-push"), State::Chaining);
        assert_eq!(fs::read(dir.path().join("pre-push.git-milestone-chained")).expect("kept"), theirs);
        uninstall(dir.path(), "pre-push").expect("uninstalls");
        assert_eq!(fs::read(dir.path().join("pre-push")).expect("back"), theirs);
        assert!(!dir.path().join("pre-push.git-milestone-chained").exists());
    }

    #[test]
    fn a_missing_hook_gets_our_shim_and_loses_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(install(dir.path(), "post-commit").expect("installs"), State::Absent);
        assert_eq!(state(dir.path(), "post-commit"), State::Ours);
        uninstall(dir.path(), "post-commit").expect("uninstalls");
        assert!(!dir.path().join("post-commit").exists());
    }

    #[cfg(unix)]
    #[test]
    fn link_mode_links_free_slots_switches_both_ways_and_keeps_a_foreign_hook() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = tempfile::tempdir().expect("temp dir");
        let binary = bin.path().join(BINARY);
        fs::write(&binary, "#!/bin/sh\n").expect("write");
        let (dir, link) = (dir.path(), Mode::Link(&binary));
        let theirs = b"#!/usr/bin/env python3\nprint('hi')";
        fs::write(dir.join("pre-push"), theirs).expect("write");

        assert_eq!(install_as(dir, "commit-msg", link).expect("installs"), State::Absent);
        assert_eq!(fs::read_link(dir.join("commit-msg")).expect("a link"), binary);
        assert_eq!(state(dir, "commit-msg"), State::Linked(binary.clone()));
        assert_eq!(install_as(dir, "pre-push", link).expect("installs"), State::Foreign);
        assert_eq!(state(dir, "pre-push"), State::Chaining, "a foreign hook gets the shim");
        // Twice: nothing changes.
        assert_eq!(install_as(dir, "commit-msg", link).expect("installs"), State::Linked(binary.clone()));
        assert_eq!(install_as(dir, "pre-push", link).expect("installs"), State::Chaining);
        // Without a mode, the form that is there stays.
        assert_eq!(install(dir, "commit-msg").expect("installs"), State::Linked(binary.clone()));
        assert_eq!(state(dir, "commit-msg"), State::Linked(binary.clone()));

        assert_eq!(
            install_as(dir, "commit-msg", Mode::Shim).expect("installs"),
            State::Linked(binary.clone())
        );
        assert_eq!(state(dir, "commit-msg"), State::Ours);
        assert!(!fs::symlink_metadata(dir.join("commit-msg")).expect("there").file_type().is_symlink());
        assert_eq!(install(dir, "commit-msg").expect("installs"), State::Ours);
        assert_eq!(install_as(dir, "commit-msg", link).expect("installs"), State::Ours);
        assert_eq!(state(dir, "commit-msg"), State::Linked(binary.clone()));
        assert_eq!(state(dir, "pre-push"), State::Chaining);

        fs::remove_file(&binary).expect("remove");
        assert_eq!(state(dir, "commit-msg"), State::Broken(binary.clone()));
        assert_eq!(uninstall(dir, "commit-msg").expect("uninstalls"), State::Broken(binary.clone()));
        assert_eq!(state(dir, "commit-msg"), State::Absent);
        uninstall(dir, "pre-push").expect("uninstalls");
        assert_eq!(fs::read(dir.join("pre-push")).expect("back"), theirs);
        let left: Vec<_> = fs::read_dir(dir).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(left, ["pre-push"], "no temporary file is left");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_that_is_not_ours_is_chained_never_written_through_and_comes_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dir = dir.path();
        let script = dir.join("team-commit-msg");
        let theirs = "#!/bin/sh\nexit 0\n";
        fs::write(&script, theirs).expect("write");
        std::os::unix::fs::symlink("team-commit-msg", dir.join("commit-msg")).expect("link");
        assert_eq!(state(dir, "commit-msg"), State::Foreign);
        install_as(dir, "commit-msg", Mode::Shim).expect("installs");
        assert_eq!(state(dir, "commit-msg"), State::Chaining);
        assert_eq!(fs::read_to_string(&script).expect("read"), theirs, "the linked script is untouched");
        uninstall(dir, "commit-msg").expect("uninstalls");
        assert_eq!(
            fs::read_link(dir.join("commit-msg")).expect("a link again"),
            Path::new("team-commit-msg")
        );

        // A link to nowhere is someone's hook too: left alone.
        std::os::unix::fs::symlink("/nonexistent/hook", dir.join("post-commit")).expect("link");
        assert_eq!(state(dir, "post-commit"), State::Foreign);
        assert_eq!(uninstall(dir, "post-commit").expect("uninstalls"), State::Foreign);
        assert!(fs::symlink_metadata(dir.join("post-commit")).is_ok(), "still there");
    }

    #[test]
    fn shells_are_told_from_other_interpreters() {
        for yes in ["#!/bin/sh\n", "#!/bin/bash -e\n", "#!/usr/bin/env bash\n", "#! /bin/dash\n"] {
            assert!(is_shell(yes), "{yes}");
        }
        for no in ["#!/usr/bin/env python3\n", "#!/usr/bin/node\n", "echo hi\n", "\u{7f}ELF"] {
            assert!(!is_shell(no), "{no}");
        }
    }
}
