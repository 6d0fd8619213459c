//! `git milestone mcp`: the Model Context Protocol server for coding agents, over stdio.

use clap::Args;

use super::Failure;
use crate::error::Error;
use crate::ui::Ui;

/// Serve the Model Context Protocol on stdin/stdout, for coding agents
///
/// Example: `git milestone mcp`
#[derive(Debug, Args)]
pub struct McpArgs {}

/// Runs `mcp`.
///
/// # Errors
///
/// Fails when the transport fails.
pub fn run(_ui: &mut Ui, _args: McpArgs) -> Result<(), Failure> {
    Err(Error::Tracking { message: "mcp is not built yet".into(), hint: String::new() }.into())
}
