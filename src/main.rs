//! The `git-milestone` binary: parse the arguments, run the command, print the error and
//! return the exit code.

use std::process::ExitCode;

use clap::Parser;
use git_milestone::cli::Cli;
use git_milestone::commands::{self, Failure};
use git_milestone::ui::Ui;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut ui = Ui::stdio();
    let result = commands::run(cli, &mut ui);
    let flushed = ui.flush();
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => {
            let _ = flushed;
            ExitCode::SUCCESS
        }
        Err(Failure::Refused) => ExitCode::from(1),
        Err(Failure::Error(e)) => {
            let mut text = format!("error: {e}\n");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text.push_str(&format!("Caused by: {cause}\n"));
                source = cause.source();
            }
            if let Some(hint) = e.hint() {
                text.push_str(&format!("hint: {hint}\n"));
            }
            ui.err(&text);
            let _ = ui.flush();
            ExitCode::from(e.exit_code())
        }
    }
}
