//! The process around the commands: on Linux the binary has its own C `main` (src/main.rs),
//! which must keep what std's start-up gave: a reader that goes away is a quiet end, not a
//! death by SIGPIPE, and closed standard streams do not stop a command.

use std::process::Stdio;

use crate::support::{BIN, TestRepo};

/// `inspect --json` into a pipe whose reader has already gone: the write fails with EPIPE,
/// which the command treats as the end of its output (exit 0, nothing on stderr). Were
/// SIGPIPE not ignored, the process would die by the signal and have no exit code.
#[test]
fn a_closed_pipe_on_standard_output_ends_the_command_quietly() {
    let repo = TestRepo::new();
    let (name, _) = repo.add_fixture("forms/tracking.filled.md");
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = repo
        .command(BIN)
        .args(["inspect", "--json", &name])
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("git-milestone runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{:?}, stderr: {stderr}", output.status);
    assert_eq!(stderr, "", "nothing on stderr");
}

/// With standard output and error closed (`>&- 2>&-`, as a daemon or a careless script may
/// run it), `tick` still does its work and ends with exit 0: the document gets its one byte
/// and no other file appears.
#[test]
fn closed_standard_output_and_error_do_not_stop_a_command() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("forms/tracking.filled.md");
    let script = format!("exec >&- 2>&-; exec '{BIN}' tick '{name}' --line 25");
    let status = repo.command("sh").args(["-c", &script]).status().expect("sh runs");
    assert_eq!(status.code(), Some(0), "{status:?}");
    let after = repo.read(&name);
    let changed = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert_eq!((after.len(), changed), (before.len(), 1), "{}", String::from_utf8_lossy(&after));
    assert_eq!(repo.snapshot().len(), 1, "no file besides {name}");
}
