//! `git milestone mcp`: the Model Context Protocol server for coding agents, over stdio.
//!
//! The server itself is [`crate::mcp`], built with the `mcp` cargo feature; without it this
//! command says how to get it.

use clap::Args;

use super::Failure;
#[cfg(not(feature = "mcp"))]
use crate::error::Error;
use crate::ui::Ui;

/// Serve the Model Context Protocol on stdin/stdout, for coding agents
///
/// Tools: status, inspect, start, plan_next, plan_check, plan_start, plan_log, plan_done,
/// sync and check. Each runs the command of the same name with `--json` in the repository of
/// the working directory and returns its output unchanged, with the exit code. Register it
/// with an MCP client as the command `git` with the arguments `milestone mcp`
/// (docs/agents.md).
///
/// Example: `git milestone mcp`
#[derive(Debug, Args)]
pub struct McpArgs {}

/// Runs `mcp` until the client closes standard input.
///
/// # Errors
///
/// Fails when the transport fails, or when the binary was built without the `mcp` feature.
#[cfg(feature = "mcp")]
pub fn run(ui: &mut Ui, _args: McpArgs) -> Result<(), Failure> {
    // The binary's `Ui` holds the lock of standard output for the whole run, and the
    // transport writes to standard output from another thread: give the lock back first.
    // Nothing of the server goes through `ui`; the tools' commands write to memory.
    *ui = Ui::new(Box::new(std::io::sink()), Box::new(std::io::stderr()));
    crate::mcp::serve().map_err(|e| {
        Failure::Error(crate::error::Error::Tracking {
            message: format!("the MCP server failed: {e}"),
            hint: "the client must speak newline-delimited JSON-RPC on standard input".into(),
        })
    })
}

/// Runs `mcp`: this binary was built without the server.
///
/// # Errors
///
/// Always: says how to build the server in.
#[cfg(not(feature = "mcp"))]
pub fn run(_ui: &mut Ui, _args: McpArgs) -> Result<(), Failure> {
    Err(Error::Tracking {
        message: "this git-milestone was built without the `mcp` feature; rebuild with it to serve MCP".into(),
        hint: "`cargo install --path . --features mcp` (it is on by default; `--no-default-features` leaves it out)"
            .into(),
    }
    .into())
}
