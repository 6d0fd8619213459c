//! Running a command line in process, as the binary would, with its output captured; and
//! the tool result made of it.

use std::io::{self, Write};
use std::sync::{Arc, Mutex, PoisonError};

use clap::Parser;
use rmcp::model::{CallToolResult, ContentBlock};

use crate::cli::Cli;
use crate::commands::{self, Failure};
use crate::ui::Ui;

/// What one command run in process printed, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The exit code the binary would return: 0, 1 (refused) or 2 (could not run).
    pub exit_code: u8,
    /// Standard output: with `--json`, the one JSON object.
    pub stdout: String,
    /// Standard error: warnings, and for a failure the text the binary prints.
    pub stderr: String,
}

/// Runs the command line `argv` (its first word the program's name) as the binary would, in
/// this process, with its output captured.
pub fn run_captured(argv: &[String]) -> Captured {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let exit_code = u8::try_from(e.exit_code()).unwrap_or(2);
            let text = e.render().to_string();
            let (stdout, stderr) = if e.use_stderr() { (String::new(), text) } else { (text, String::new()) };
            return Captured { exit_code, stdout, stderr };
        }
    };
    let (out, err) = (Buffer::default(), Buffer::default());
    let mut ui = Ui::new(Box::new(out.clone()), Box::new(err.clone()));
    let result = commands::run(cli, &mut ui);
    let _ = ui.flush();
    let exit_code = match result {
        Ok(()) | Err(Failure::BrokenPipe) => 0,
        Err(Failure::Refused) => 1,
        Err(Failure::Error(e)) => {
            ui.err(&commands::render_error(&e));
            e.exit_code()
        }
    };
    drop(ui);
    Captured { exit_code, stdout: out.text(), stderr: err.text() }
}

/// A `Write` into memory that a [`Ui`] owns one handle of and the caller another.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Returns the tool result of a captured run: standard output as the first text block (the
/// CLI's JSON, unchanged); when the run failed, a last block with standard error and the exit
/// code; warnings of a successful run as a block of their own. The structured content is
/// `{exit_code, output, stderr}`: the JSON parsed, and standard error or null.
pub(super) fn tool_result(run: Captured) -> CallToolResult {
    let mut content = Vec::new();
    if !run.stdout.is_empty() {
        content.push(ContentBlock::text(run.stdout.clone()));
    }
    if run.exit_code != 0 {
        let meaning = match run.exit_code {
            1 => "a check found problems or a step was refused",
            _ => "the command could not run; nothing was changed",
        };
        content.push(ContentBlock::text(format!("{}exit code: {} ({meaning})\n", run.stderr, run.exit_code)));
    } else if !run.stderr.is_empty() {
        content.push(ContentBlock::text(run.stderr.clone()));
    }
    let structured = serde_json::json!({
        "exit_code": run.exit_code,
        "output": serde_json::from_str::<serde_json::Value>(&run.stdout).ok(),
        "stderr": (!run.stderr.is_empty()).then_some(&run.stderr),
    });
    let mut result =
        if run.exit_code == 0 { CallToolResult::success(content) } else { CallToolResult::error(content) };
    result.structured_content = Some(structured);
    result
}
