//! The `git-milestone` binary: parse the arguments, run the command, print the error and
//! return the exit code.
//!
//! On Linux with glibc the binary brings its own C `main` (`no_main`) instead of std's
//! start-up, which reads `/proc/self/maps` to find the main thread's stack guard, only to name
//! a stack overflow in its message: some 110,000 instructions and four system calls, 0.1 ms of
//! every hook git runs (docs/benchmarks.md, "Start-up"). What std's start-up does that matters
//! here is done by hand: SIGPIPE ignored (a closed pipe is an error the commands handle, as
//! before), fds 0 to 2 opened on /dev/null when closed (so that no file opened later takes
//! their place), a panic caught (exit 101) and standard output flushed. A stack overflow still
//! kills the process, with SIGSEGV and without std's one-line message. (std reads the
//! arguments from glibc's `.init_array` call, which is why this is for glibc only.)
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test)), no_main)]

use clap::Parser;
use git_milestone::cli::Cli;
use git_milestone::commands::{self, Failure};
use git_milestone::ui::Ui;

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
}

#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: std::ffi::c_int, _argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    // SAFETY: setting a signal's disposition to SIG_IGN, before any thread exists, is what
    // std's own start-up does on every Unix.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
    open_standard_fds();
    // std reads the arguments on glibc from `.init_array`, so `args_os` works without its
    // start-up.
    let code = std::panic::catch_unwind(run).unwrap_or(101);
    let _ = std::io::Write::flush(&mut std::io::stdout());
    std::ffi::c_int::from(code)
}

/// Opens /dev/null on each of fds 0, 1 and 2 that is closed, as std's start-up does, so that
/// a file opened later never becomes standard output.
#[cfg(all(target_os = "linux", target_env = "gnu", not(test)))]
fn open_standard_fds() {
    use std::os::fd::{AsRawFd, IntoRawFd};
    let null = || std::fs::OpenOptions::new().read(true).write(true).open("/dev/null");
    while let Ok(file) = null() {
        if file.as_raw_fd() > 2 {
            break;
        }
        let _kept_open = file.into_raw_fd();
    }
}

fn run() -> u8 {
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
            0
        }
        Err(Failure::Refused) => 1,
        Err(Failure::Error(e)) => {
            ui.err(&commands::render_error(&e));
            let _ = ui.flush();
            e.exit_code()
        }
    }
}
