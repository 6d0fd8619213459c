//! Git verbs for the harness: repositories made and inspected with the real `git` binary,
//! and the state a refused command must leave exactly as it found it.
//!
//! Everything here runs through [`TestRepo::command`], so git sees the same clean
//! environment as the binary under test. A git command that fails unexpectedly panics with
//! its command line, directory, status and both output streams.

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{BIN, Run, TestRepo};

/// Files whose presence in the git dir means an operation is under way.
const OPERATION_MARKERS: [&str; 9] = [
    "MERGE_HEAD",
    "CHERRY_PICK_HEAD",
    "REVERT_HEAD",
    "BISECT_LOG",
    "BISECT_START",
    "rebase-merge",
    "rebase-apply",
    "sequencer",
    "AUTO_MERGE",
];

impl TestRepo {
    /// Returns the path of `name` beside the work directory (inside the test's temp dir),
    /// for remotes, seeds and linked worktrees that must not show in the work tree.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.root().parent().expect("work dir has a parent").join(name)
    }

    /// Runs `git args` in `dir` and returns the run whatever its status.
    pub fn git_run_in<I, S>(&self, dir: &Path, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_with_in(dir, args, |_| {})
    }

    /// Runs `git args` in `dir`, panicking with the details unless it succeeds, and returns
    /// its standard output.
    #[track_caller]
    pub fn git_in<I, S>(&self, dir: &Path, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_run_in(dir, args).success().stdout()
    }

    /// Runs `git args` in the work directory; see [`TestRepo::git_in`].
    #[track_caller]
    pub fn git<I, S>(&self, args: I) -> String
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_in(self.root(), args)
    }

    /// Runs `git args` in the work directory expecting it to fail (a conflicting merge left
    /// stopped), panicking when it succeeds.
    #[track_caller]
    pub fn git_fails<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let run = self.git_run_in(self.root(), args);
        assert!(run.code().is_some_and(|c| c != 0), "expected git to fail\n{run}");
        run
    }

    /// Makes the work directory a repository on `main` with one commit holding `README.md`.
    pub fn init_repo(&self) {
        self.git(["init", "--quiet"]);
        self.write("README.md", "# Project\n");
        self.commit_all("chore: initial commit");
    }

    /// Stages everything in the work tree and commits it with `message`.
    #[track_caller]
    pub fn commit_all(&self, message: &str) {
        self.git(["add", "--all"]);
        self.git(["commit", "--quiet", "--no-verify", "-m", message]);
    }

    /// Runs `git-milestone args` in `dir` (a linked worktree, a subfolder).
    pub fn milestone_in<I, S>(&self, dir: &Path, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.milestone_with(args, |cmd| {
            cmd.current_dir(dir);
        })
    }

    /// Runs `git-milestone args` in the work directory after `adjust` has changed the command
    /// (its environment, its directory).
    pub fn milestone_with<I, S>(&self, args: I, adjust: impl FnOnce(&mut Command)) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        let mut cmd = self.command(BIN);
        cmd.args(&args);
        adjust(&mut cmd);
        let cwd = cmd.get_current_dir().map_or_else(|| self.root().to_path_buf(), Path::to_path_buf);
        let output = cmd.output().unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        Run { command: format!("git-milestone {}", args.join(" ")), cwd, output }
    }

    /// Returns the branch HEAD is on in `dir` (`HEAD` when detached).
    pub fn head_branch_in(&self, dir: &Path) -> String {
        self.git_in(dir, ["rev-parse", "--abbrev-ref", "HEAD"]).trim().to_string()
    }

    /// Returns the full hash `rev` names.
    pub fn rev(&self, rev: &str) -> String {
        self.git(["rev-parse", "--verify", "--quiet", rev]).trim().to_string()
    }

    /// Returns the subjects of the commits in `range`, newest first.
    pub fn subjects(&self, range: &str) -> Vec<String> {
        self.git(["log", "--format=%s", range]).lines().map(str::to_string).collect()
    }

    /// Returns `git show --name-status` of `rev`: its `X\tpath` lines only.
    pub fn name_status(&self, rev: &str) -> Vec<String> {
        self.git(["show", "--name-status", "--format=", "--no-renames", rev])
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Returns `git status --porcelain` with every untracked file listed.
    pub fn status(&self) -> String {
        self.git(["status", "--porcelain", "--untracked-files=all"])
    }

    /// Returns the bytes of `path` in commit `rev`.
    pub fn show_file(&self, rev: &str, path: &str) -> String {
        self.git(["show", &format!("{rev}:{path}")])
    }

    /// Returns what a refused command must not change, in the work tree at the work directory.
    pub fn state(&self) -> GitState {
        self.state_in(self.root())
    }

    /// Returns what a refused command must not change, for the work tree at `dir`: HEAD, every
    /// ref, `git status`, the index, the operations under way and every file (not `.git`).
    pub fn state_in(&self, dir: &Path) -> GitState {
        let git_dir = PathBuf::from(self.git_in(dir, ["rev-parse", "--absolute-git-dir"]).trim());
        let head = self.git_run_in(dir, ["rev-parse", "--symbolic-full-name", "HEAD"]).stdout()
            + &self.git_run_in(dir, ["rev-parse", "--verify", "--quiet", "HEAD"]).stdout();
        GitState {
            head,
            refs: self.git_in(dir, ["for-each-ref"]),
            status: self.git_in(dir, ["status", "--porcelain", "--untracked-files=all"]),
            index: self.git_in(dir, ["ls-files", "--stage"]),
            operations: OPERATION_MARKERS
                .iter()
                .filter(|m| git_dir.join(m).exists())
                .map(|m| (*m).to_string())
                .collect(),
            files: files_under(dir),
        }
    }
}

/// Returns every entry under `dir` but `.git`, sorted, relative to `dir`: a file with its
/// bytes, a folder with nothing, a symbolic link with `-> target`.
pub fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> =
            fs::read_dir(dir).expect("read dir").map(|e| e.expect("dir entry").path()).collect();
        entries.sort();
        for path in entries {
            let rel = path.strip_prefix(root).expect("under root").to_string_lossy().into_owned();
            if rel == ".git" {
                continue;
            }
            let meta = fs::symlink_metadata(&path).expect("metadata");
            if meta.file_type().is_symlink() {
                let target = fs::read_link(&path).expect("read link");
                out.push((rel, format!("-> {}", target.display()).into_bytes()));
            } else if meta.is_dir() {
                out.push((format!("{rel}/"), Vec::new()));
                walk(root, &path, out);
            } else {
                out.push((rel, fs::read(&path).expect("read file")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

/// What a refused command must leave as it was.
#[derive(Clone, PartialEq, Eq)]
pub struct GitState {
    pub head: String,
    pub refs: String,
    pub status: String,
    pub index: String,
    pub operations: Vec<String>,
    pub files: Vec<(String, Vec<u8>)>,
}

impl fmt::Debug for GitState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "HEAD: {}", self.head.replace('\n', " "))?;
        writeln!(f, "--- for-each-ref ---\n{}", self.refs)?;
        writeln!(f, "--- status ---\n{}", self.status)?;
        writeln!(f, "--- ls-files --stage ---\n{}", self.index)?;
        writeln!(f, "operations: {:?}", self.operations)?;
        for (path, bytes) in &self.files {
            writeln!(f, "{path} ({} bytes)", bytes.len())?;
        }
        Ok(())
    }
}

/// Asserts `after` is `before`, showing what changed and the run that changed it.
#[track_caller]
pub fn assert_unchanged(before: &GitState, after: &GitState, run: &Run) {
    if before == after {
        return;
    }
    let mut diff = String::new();
    for (what, b, a) in [
        ("HEAD", &before.head, &after.head),
        ("for-each-ref", &before.refs, &after.refs),
        ("status --porcelain", &before.status, &after.status),
        ("ls-files --stage", &before.index, &after.index),
    ] {
        if b != a {
            diff.push_str(&format!("{what} changed\n  before:\n{b}  after:\n{a}"));
        }
    }
    if before.operations != after.operations {
        diff.push_str(&format!("operations: {:?} -> {:?}\n", before.operations, after.operations));
    }
    for (path, bytes) in &before.files {
        match after.files.iter().find(|(p, _)| p == path) {
            None => diff.push_str(&format!("removed: {path}\n")),
            Some((_, now)) if now != bytes => diff.push_str(&format!("changed: {path}\n")),
            Some(_) => {}
        }
    }
    for (path, _) in &after.files {
        if !before.files.iter().any(|(p, _)| p == path) {
            diff.push_str(&format!("added: {path}\n"));
        }
    }
    panic!("the refused command changed the repository:\n{diff}\n{run}");
}

/// Asserts `run` was refused with exit 2 and stderr containing each of `needles`.
#[track_caller]
pub fn assert_refused(run: Run, needles: &[&str]) -> Run {
    let run = run.failure(crate::support::EXIT_CANNOT_RUN);
    let err = run.stderr();
    for needle in needles {
        assert!(err.contains(needle), "stderr does not contain {needle:?}\n{run}");
    }
    assert!(err.contains("hint: "), "the refusal does not say how to proceed\n{run}");
    run
}

/// Returns today's date as the binary sees it (`TZ=UTC`), YYYY-MM-DD.
pub fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

// >>> hooks, gate and lint helpers (tests/cli/hooks.rs, gate.rs, lint.rs) >>>

impl TestRepo {
    /// Runs `git args` in `dir` after `adjust` has changed the command (an editor, a PATH),
    /// and returns the run whatever its status.
    pub fn git_with_in<I, S>(&self, dir: &Path, args: I, adjust: impl FnOnce(&mut Command)) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
        let mut cmd = self.command("git");
        cmd.current_dir(dir).args(&args);
        adjust(&mut cmd);
        let cwd = cmd.get_current_dir().map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
        let output = cmd.output().unwrap_or_else(|e| panic!("cannot run git: {e}"));
        Run { command: format!("git {}", args.join(" ")), cwd, output }
    }

    /// Runs `git args` in the work directory after `adjust`; see [`TestRepo::git_with_in`].
    pub fn git_with<I, S>(&self, args: I, adjust: impl FnOnce(&mut Command)) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.git_with_in(self.root(), args, adjust)
    }

    /// Returns how many commits HEAD has.
    pub fn commit_count(&self) -> usize {
        self.git(["rev-list", "--count", "HEAD"]).trim().parse().expect("rev-list --count prints a number")
    }
}

/// Writes `text` to `path` (creating folders) with mode 0755 and returns the path.
pub fn write_executable(path: &Path, text: &str) -> PathBuf {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("create parent dir");
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    set_mode(path, 0o755);
    path.to_path_buf()
}

/// Sets the permission bits of `path`.
pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("cannot chmod {}: {e}", path.display()));
}

/// Returns every file of folder `dir` (not below) with its permission bits and bytes, sorted
/// by name: compare two of these to show a hooks folder is back byte for byte.
pub fn folder_files(dir: &Path) -> Vec<(String, u32, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out: Vec<(String, u32, Vec<u8>)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .map(|p| {
            let mode = fs::metadata(&p).expect("metadata").permissions().mode() & 0o7777;
            let name = p.file_name().expect("file name").to_string_lossy().into_owned();
            (name, mode, fs::read(&p).expect("read file"))
        })
        .collect();
    out.sort();
    out
}

/// Returns the folder of the `git` the tests run (the first on PATH).
pub fn git_folder() -> PathBuf {
    let path = std::env::var_os("PATH").expect("PATH is set");
    std::env::split_paths(&path).find(|dir| dir.join("git").is_file()).expect("git is on PATH")
}

/// Returns the text of the file at `path`, or "" when there is none.
pub fn read_or_empty(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

/// A stand-in `git-milestone` first on PATH that records every call (and the standard input
/// of `hook pre-push` and `hook post-rewrite`), then runs the binary under test: it shows
/// which hooks reached the binary and with what.
pub struct Spy {
    dir: PathBuf,
    calls: PathBuf,
    stdin: PathBuf,
}

impl Spy {
    /// Puts the spy first on the PATH of `cmd`.
    pub fn apply(&self, cmd: &mut Command) {
        let path = cmd
            .get_envs()
            .find(|(k, _)| *k == "PATH")
            .and_then(|(_, v)| v.map(OsStr::to_os_string))
            .expect("the harness sets PATH");
        let mut dirs = vec![self.dir.clone()];
        dirs.extend(std::env::split_paths(&path));
        cmd.env("PATH", std::env::join_paths(dirs).expect("PATH joins"));
    }

    /// Returns the calls so far: one line of arguments each, then `message: HEADER` for
    /// `hook commit-msg`.
    pub fn calls(&self) -> String {
        read_or_empty(&self.calls)
    }

    /// Returns what `hook pre-push` and `hook post-rewrite` got on standard input.
    pub fn stdin(&self) -> String {
        read_or_empty(&self.stdin)
    }
}

impl TestRepo {
    /// Returns a new [`Spy`], kept beside the work directory.
    pub fn spy(&self) -> Spy {
        let dir = self.sibling("spy");
        let calls = self.sibling("spy-calls.log");
        let stdin = self.sibling("spy-stdin.log");
        let script = format!(
            "#!/bin/sh\n\
             printf '%s\\n' \"$*\" >> '{calls}'\n\
             if [ \"$1 $2\" = 'hook commit-msg' ]; then printf 'message: %s\\n' \"$(head -n 1 \"$3\")\" >> '{calls}'; fi\n\
             case \"$1 $2\" in 'hook pre-push'|'hook post-rewrite')\n\
               in=$(mktemp) && cat > \"$in\" && cat \"$in\" >> '{stdin}' || exit 1\n\
               '{bin}' \"$@\" < \"$in\"; rc=$?; rm -f \"$in\"; exit $rc ;;\n\
             esac\n\
             exec '{bin}' \"$@\"\n",
            calls = calls.display(),
            stdin = stdin.display(),
            bin = BIN,
        );
        write_executable(&dir.join("git-milestone"), &script);
        Spy { dir, calls, stdin }
    }
}

// <<< hooks, gate and lint helpers <<<
