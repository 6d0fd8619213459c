//! git-milestone keeps Markdown milestone documents in step with git branches.
//!
//! The library makes every decision; the `git-milestone` binary parses arguments, calls
//! [`run`] and maps the result to an exit code.
//!
//! - [`markdown`]: byte-offset index of a Markdown text and [`markdown::Edit`] splicing;
//! - [`document`]: the milestone document model of all five forms, and its surgical edits;
//! - [`fsio`]: reading documents safely and writing them atomically;
//! - [`config`]: `.milestone.yml` and `git config milestone.*` over the defaults;
//! - [`repo`]: the repository through libgit2 (refs, commits, switching branches);
//! - [`hooks`]: installing git-milestone's git hooks beside a team's own;
//! - [`conventional`]: the commit-message rules;
//! - [`template`]: built-in and repository templates and their placeholders;
//! - [`milestone`]: ids, slugs, what a plan says, the sections of a new tracking document;
//! - [`tracking`]: the tracking document kept up to date with its branch's history;
//! - [`plan`]: the implementation-plan workflow (form 002): the next task and its steps;
//! - [`report`]: a milestone's progress over its history, and the HTML report; [`progress`]:
//!   a tracking document's progress alone, revision after revision;
//! - [`check`]: the pre-merge check's rules, and [`gate`]: which milestones a merge brings;
//! - [`cli`] and [`commands`]: the command line, one module per subcommand;
//! - `mcp` (with the `mcp` feature): the Model Context Protocol server, whose tools run the
//!   commands in process;
//! - [`error`]: the crate error, its hints and exit codes;
//! - [`parallel`]: splitting the work on a large document over two threads;
//! - [`ui`]: where output goes.
#![forbid(unsafe_code)]

pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod conventional;
pub mod document;
pub mod error;
pub mod fsio;
pub mod gate;
pub mod hooks;
pub mod markdown;
#[cfg(feature = "mcp")]
pub mod mcp;
pub mod milestone;
pub mod parallel;
pub mod plan;
pub mod progress;
pub mod repo;
pub mod report;
pub mod template;
pub mod tracking;
pub mod ui;

pub use commands::run;
pub use error::Error;
