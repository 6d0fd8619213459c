//! End-to-end tests of the `git-milestone` binary: one module per command, plus the bad
//! inputs every command must survive. Fixtures live in `tests/fixtures/`; the harness is in
//! [`support`].

mod git_support;
mod support;

mod bad_input;
mod check;
mod demo;
mod finish;
mod gate;
mod hooks;
mod init;
mod inspect;
mod lint;
mod list;
mod manual;
mod mcp;
mod new;
mod plan;
mod process;
mod report;
mod set;
mod start;
mod status;
mod tick;
mod tracking;
