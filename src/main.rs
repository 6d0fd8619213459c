//! The `git-milestone` binary: parse the arguments, run the command, print the error and
//! return the exit code.

use std::process::ExitCode;

use clap::Parser;
use git_milestone::cli::Cli;
use git_milestone::commands::{self, Failure};
use git_milestone::ui::Ui;

fn main() -> ExitCode {
    let mut ui = Ui::stdio();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // git runs a hook on every commit: skip building the whole command line for it. A hook
    // installed as a link to this binary (`hooks install --link`) is run under the hook's
    // name; the shims run `git-milestone hook NAME ...`.
    let linked = args.first().and_then(|a| std::path::Path::new(a).file_name()).and_then(|name| {
        let hooks = git_milestone::hooks::NAMES.iter().chain(&git_milestone::hooks::SERVER_NAMES);
        hooks.clone().find(|hook| name == **hook)
    });
    let hook = args.get(1).is_some_and(|a| a == "hook")
        && args.get(2).is_some_and(|n| !n.to_string_lossy().starts_with('-'));
    let result = if let Some(name) = linked {
        commands::hook::run(
            &mut ui,
            commands::hook::HookArgs { name: name.to_string(), args: args[1..].to_vec() },
        )
    } else if hook {
        let name = args[2].to_string_lossy().into_owned();
        commands::hook::run(&mut ui, commands::hook::HookArgs { name, args: args[3..].to_vec() })
    } else {
        commands::run(Cli::parse_from(args), &mut ui)
    };
    let flushed = ui.flush();
    match result {
        Ok(()) | Err(Failure::BrokenPipe) => {
            let _ = flushed;
            ExitCode::SUCCESS
        }
        Err(Failure::Refused) => ExitCode::from(1),
        Err(Failure::Error(e)) => {
            ui.err(&commands::render_error(&e));
            let _ = ui.flush();
            ExitCode::from(e.exit_code())
        }
    }
}
