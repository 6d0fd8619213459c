//! The harness of the CLI tests: a temporary directory owned by one test, and the
//! `git-milestone` binary run in it with an environment the test controls completely.
//!
//! Nothing a child process sees comes from the developer's machine: `HOME` and
//! `XDG_CONFIG_HOME` point into the temporary directory, git reads no system or global
//! configuration, and variables that leak in when tests run inside a git hook (`GIT_DIR`,
//! `GIT_WORK_TREE`, `GIT_INDEX_FILE`) are gone. Author and committer are fixed so that a later
//! `commit` verb gives stable hashes. A run with an unexpected exit status panics with the
//! command, its directory, the status and both output streams.

#![allow(dead_code)] // Each test module uses a different part of the harness.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_git-milestone");

/// Exit code of a command that could not run (bad input, refused edit).
pub const EXIT_CANNOT_RUN: i32 = 2;

/// Returns the path of `rel` inside `tests/fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Returns the bytes of fixture `rel`.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    let path = fixture(rel);
    fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}

/// A temporary directory owned by one test: `work/` is where commands run (and, later, where
/// the git repository lives), `home/` is the child's `HOME`. Removed when dropped.
pub struct TestRepo {
    dir: TempDir,
    root: PathBuf,
    home: PathBuf,
}

impl TestRepo {
    /// Returns a new empty test directory.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new().prefix("git-milestone-test-").tempdir().expect("create temp dir");
        // Canonical, so paths in messages match what the child sees (macOS /var -> /private/var).
        let base = dir.path().canonicalize().expect("canonical temp dir");
        let root = base.join("work");
        let home = base.join("home");
        fs::create_dir_all(&root).expect("create work dir");
        fs::create_dir_all(home.join(".config")).expect("create home dir");
        Self { dir, root, home }
    }

    /// Returns the directory commands run in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the path of `rel` inside the work directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes `contents` to `rel` (creating folders) and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create parent dir");
        }
        fs::write(&path, contents).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    /// Returns the bytes of `rel`.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        let path = self.path(rel);
        fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Copies fixture `rel` into the work directory under its file name, returning that name
    /// and the bytes, so a test can edit it and compare.
    pub fn add_fixture(&self, rel: &str) -> (String, Vec<u8>) {
        let bytes = fixture_bytes(rel);
        let name =
            Path::new(rel).file_name().expect("fixture has a file name").to_string_lossy().into_owned();
        self.write(&name, &bytes);
        (name, bytes)
    }

    /// Returns every file under the work directory with its bytes, sorted by path: compare
    /// two of these to show that a command wrote nothing (no edit, no leftover temp file).
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        fn walk(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
            let mut entries: Vec<_> =
                fs::read_dir(dir).expect("read dir").map(|e| e.expect("dir entry").path()).collect();
            entries.sort();
            for path in entries {
                if path.is_dir() {
                    out.push((path.clone(), Vec::new()));
                    walk(&path, out);
                } else {
                    let bytes = fs::read(&path).unwrap_or_default();
                    out.push((path, bytes));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// Returns a command for `program` that runs in the work directory with the test's
    /// environment and nothing inherited but `PATH` (after the binary's own folder).
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(&self.root).env_clear();
        let bin_dir = Path::new(BIN).parent().expect("binary has a folder").to_path_buf();
        let mut paths = vec![bin_dir];
        if let Some(path) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&path));
        }
        cmd.env("PATH", std::env::join_paths(paths).expect("PATH joins"));
        let config =
            [("init.defaultBranch", "main"), ("commit.gpgsign", "false"), ("core.autocrlf", "false")];
        cmd.env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_COUNT", config.len().to_string())
            .env("GIT_AUTHOR_NAME", "Test Author")
            .env("GIT_AUTHOR_EMAIL", "author@example.com")
            .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00+00:00")
            .env("GIT_COMMITTER_NAME", "Test Committer")
            .env("GIT_COMMITTER_EMAIL", "committer@example.com")
            .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00+00:00")
            .env("GIT_EDITOR", ":")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("LC_ALL", "C.UTF-8")
            .env("TZ", "UTC")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE");
        for (i, (key, value)) in config.iter().enumerate() {
            cmd.env(format!("GIT_CONFIG_KEY_{i}"), key).env(format!("GIT_CONFIG_VALUE_{i}"), value);
        }
        cmd
    }

    /// Runs `git-milestone` with `args` in the work directory.
    pub fn milestone<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let args: Vec<OsString> = args.into_iter().map(|a| a.as_ref().to_os_string()).collect();
        let mut cmd = self.command(BIN);
        cmd.args(&args);
        let output = cmd.output().unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        let shown = std::iter::once("git-milestone".to_string())
            .chain(args.iter().map(|a| shell_word(&a.to_string_lossy())))
            .collect::<Vec<_>>()
            .join(" ");
        Run { command: shown, cwd: self.root.clone(), output }
    }

    /// Runs `git-milestone inspect --json FILE` and returns the parsed JSON.
    pub fn inspect_json(&self, file: &str) -> Value {
        self.milestone(["inspect", "--json", file]).success().json()
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_./=:".contains(&b)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// One finished run of a command.
pub struct Run {
    pub command: String,
    pub cwd: PathBuf,
    pub output: Output,
}

impl Run {
    /// Returns the exit code (None when killed by a signal).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Returns standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Returns standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Returns the run after checking it exited with 0, panicking with the details otherwise.
    #[track_caller]
    pub fn success(self) -> Self {
        self.expect_code(0)
    }

    /// Returns the run after checking it exited with `code`, panicking with the details
    /// otherwise.
    #[track_caller]
    pub fn failure(self, code: i32) -> Self {
        assert_ne!(code, 0, "use success() for exit code 0");
        self.expect_code(code)
    }

    #[track_caller]
    fn expect_code(self, code: i32) -> Self {
        if self.code() != Some(code) || self.panicked() {
            panic!("expected exit code {code}\n{self}");
        }
        self
    }

    /// Returns whether the process panicked (a bug whatever the input).
    pub fn panicked(&self) -> bool {
        self.code() == Some(101) || self.stderr().contains("panicked at")
    }

    /// Returns standard output parsed as JSON, panicking with the details when it is not.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON: {e}\n{self}"))
    }

    /// Checks that standard error names `file`, and `line` when given, as `file:line` or
    /// `line N`, panicking with the details otherwise.
    #[track_caller]
    pub fn assert_names(&self, file: &str, line: Option<usize>) -> &Self {
        let err = self.stderr();
        assert!(err.contains(file), "stderr does not name `{file}`\n{self}");
        if let Some(line) = line {
            let at = format!("{file}:{line}");
            let words = format!("line {line}");
            assert!(
                err.contains(&at) || err.contains(&words),
                "stderr does not name line {line} of `{file}`\n{self}"
            );
        }
        self
    }
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "command: {}", self.command)?;
        writeln!(f, "cwd:     {}", self.cwd.display())?;
        writeln!(f, "status:  {}", self.output.status)?;
        writeln!(f, "--- stdout ---\n{}[EOF]", self.stdout())?;
        write!(f, "--- stderr ---\n{}[EOF]", self.stderr())
    }
}

/// Returns the 0-based byte offset where 1-based `line` of `bytes` starts.
pub fn line_start(bytes: &[u8], line: usize) -> usize {
    assert!(line >= 1, "lines are 1-based");
    if line == 1 {
        return 0;
    }
    let nl = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(line - 2)
        .unwrap_or_else(|| panic!("the text has no line {line}"));
    nl.0 + 1
}

/// Returns the bytes of 1-based `line`, without its line ending.
pub fn line_bytes(bytes: &[u8], line: usize) -> &[u8] {
    let start = line_start(bytes, line);
    let end = bytes[start..].iter().position(|b| *b == b'\n').map_or(bytes.len(), |i| start + i);
    let line = &bytes[start..end];
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Returns `bytes` with the checkbox of the task item on 1-based `line` set to `mark`
/// (`b'x'` or `b' '`): the one byte a tick or untick may change. Panics when the line holds no
/// `[ ]`/`[x]` box.
pub fn with_box(bytes: &[u8], line: usize, mark: u8) -> Vec<u8> {
    let start = line_start(bytes, line);
    let text = line_bytes(bytes, line);
    let at = text
        .windows(3)
        .position(|w| w[0] == b'[' && matches!(w[1], b' ' | b'x' | b'X') && w[2] == b']')
        .unwrap_or_else(|| panic!("line {line} has no checkbox: {:?}", String::from_utf8_lossy(text)));
    let mut out = bytes.to_vec();
    out[start + at + 1] = mark;
    out
}

/// Returns `bytes` with the first occurrence of `from` on 1-based `line` replaced by `to`.
pub fn with_replaced_on_line(bytes: &[u8], line: usize, from: &str, to: &str) -> Vec<u8> {
    let start = line_start(bytes, line);
    let text = line_bytes(bytes, line);
    let at = text.windows(from.len()).position(|w| w == from.as_bytes()).unwrap_or_else(|| {
        panic!("line {line} does not contain {from:?}: {:?}", String::from_utf8_lossy(text))
    });
    let mut out = bytes[..start + at].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&bytes[start + at + from.len()..]);
    out
}

/// Asserts two byte vectors are equal, showing the first difference readably when not.
#[track_caller]
pub fn assert_bytes_eq(actual: &[u8], expected: &[u8], what: &str) {
    if actual == expected {
        return;
    }
    let first =
        actual.iter().zip(expected).position(|(a, b)| a != b).unwrap_or(actual.len().min(expected.len()));
    let around = |b: &[u8]| {
        String::from_utf8_lossy(&b[first.saturating_sub(40)..(first + 40).min(b.len())]).into_owned()
    };
    panic!(
        "{what}: bytes differ at offset {first} (actual {} bytes, expected {} bytes)\n  actual:   {:?}\n  expected: {:?}",
        actual.len(),
        expected.len(),
        around(actual),
        around(expected)
    );
}

/// Asserts `actual` matches `expected`: objects match when every key of `expected` matches
/// (the tool may say more), arrays when they have the same length and match element by
/// element, anything else when equal. `path` names the place in messages.
#[track_caller]
pub fn assert_json_matches(actual: &Value, expected: &Value, path: &str) {
    match expected {
        Value::Object(want) => {
            let Some(have) = actual.as_object() else {
                panic!("{path}: expected an object, found {actual}");
            };
            for (key, value) in want {
                let Some(found) = have.get(key) else {
                    panic!("{path}: key `{key}` is missing in {actual}");
                };
                assert_json_matches(found, value, &format!("{path}.{key}"));
            }
        }
        Value::Array(want) => {
            let Some(have) = actual.as_array() else {
                panic!("{path}: expected an array, found {actual}");
            };
            assert_eq!(
                have.len(),
                want.len(),
                "{path}: expected {} elements, found {}\n  actual:   {actual}\n  expected: {expected}",
                want.len(),
                have.len()
            );
            for (i, (h, w)) in have.iter().zip(want).enumerate() {
                assert_json_matches(h, w, &format!("{path}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// Asserts the document's header fields are exactly `expected`, in document order.
#[track_caller]
pub fn assert_fields(doc: &Value, expected: &[(&str, &str)]) {
    let fields =
        doc["fields"].as_object().unwrap_or_else(|| panic!("fields is not an object: {}", doc["fields"]));
    let actual: Vec<(&str, &str)> =
        fields.iter().map(|(k, v)| (k.as_str(), v.as_str().unwrap_or("<not a string>"))).collect();
    assert_eq!(actual, expected, "header fields");
}

/// Returns the `sections` JSON for `(heading, level, line, total, checked)` rows.
pub fn sections(rows: &[(&str, u64, u64, u64, u64)]) -> Value {
    Value::Array(
        rows.iter()
            .map(|(heading, level, line, total, checked)| {
                serde_json::json!({
                    "heading": heading,
                    "level": level,
                    "line": line,
                    "checkboxes": {"total": total, "checked": checked},
                })
            })
            .collect(),
    )
}

/// Returns where the five seed documents are: `GIT_MILESTONE_SEEDS`, else
/// `<manifest>/../shared/seeds`. When they are absent the test is skipped with a printed line,
/// except under CI, where that is a failure.
pub fn seeds_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("GIT_MILESTONE_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("seed documents not found at {} (set GIT_MILESTONE_SEEDS)", dir.display());
    }
    println!("skipped: seed documents not found at {} (set GIT_MILESTONE_SEEDS)", dir.display());
    None
}
