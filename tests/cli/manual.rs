//! `git-milestone completions SHELL` and `git-milestone man [--install]`: scripts and the page
//! come from the clap definitions; bash completes `git-milestone` and `git milestone`, and the
//! installed page is what `man git-milestone` and `git milestone --help` open.

use std::process::Command;

use crate::support::{BIN, TestRepo};

/// The subcommands people type (the hidden hook and merge-driver ones left out).
const COMMANDS: [&str; 19] = [
    "init",
    "new",
    "list",
    "status",
    "report",
    "start",
    "sync",
    "check",
    "finish",
    "plan",
    "mcp",
    "demo",
    "hooks",
    "lint",
    "inspect",
    "tick",
    "set",
    "completions",
    "man",
];

/// Returns what bash completes for `words` with the cursor on the last one, after sourcing
/// `script` and calling `function` as bash's completion does.
fn complete(repo: &TestRepo, script: &str, function: &str, words: &[&str]) -> String {
    repo.write("completion.bash", script);
    let array = words.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(" ");
    let line = format!(
        "source completion.bash; COMP_WORDS=({array}); COMP_CWORD={}; {function} {} '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        words.len() - 1,
        words[0],
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    let out = repo.command("bash").args(["-c", &line]).output().expect("bash runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn bash_completes_git_milestone_and_git_milestone_through_git() {
    let repo = TestRepo::new();
    let script = repo.milestone(["completions", "bash"]).success().stdout();
    assert_eq!(complete(&repo, &script, "_git__milestone", &["git-milestone", "che"]), "check\n");
    assert_eq!(complete(&repo, &script, "_git_milestone", &["git", "milestone", "fin"]), "finish\n");
    let options = complete(&repo, &script, "_git__milestone", &["git-milestone", "check", "--"]);
    for flag in ["--json", "--final", "--ref", "--run-tests"] {
        assert!(options.lines().any(|l| l == flag), "{flag} in\n{options}");
    }
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let repo = TestRepo::new();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = repo.milestone(["completions", shell]).success().stdout();
        for command in COMMANDS {
            assert!(script.contains(command), "{shell}: `{command}` missing");
        }
    }
    let run = repo.milestone(["completions", "tcsh"]).failure(2);
    assert!(run.stderr().contains("possible values: bash, zsh, fish, powershell"), "{run}");
}

#[test]
fn the_man_page_is_made_from_the_command_line() {
    let repo = TestRepo::new();
    let page = repo.milestone(["man"]).success().stdout();
    assert!(page.contains(".TH git-milestone 1"), "{page}");
    for command in COMMANDS {
        assert!(page.contains(command), "`{command}` missing from the page");
    }
}

#[test]
fn the_installed_page_is_what_man_and_git_help_open() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["man", "--install", "--dir", "manpages"]).success();
    let file = repo.path("manpages/man1/git-milestone.1");
    assert!(file.is_file(), "{run}");
    assert_eq!(
        std::fs::read(&file).expect("the page"),
        repo.milestone(["man"]).success().stdout().into_bytes()
    );
    assert_eq!(
        run.stdout(),
        format!(
            "installed {}: `man git-milestone` and `git milestone --help` open it\n",
            repo.path("manpages/man1/git-milestone.1")
                .display()
                .to_string()
                .replace(&format!("{}/", repo.root().display()), "")
        )
    );
    // man, as `git help milestone` runs it (git turns `git milestone --help` into that).
    let open = |cmd: &mut Command| {
        cmd.env("MANPATH", repo.path("manpages"))
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "80");
    };
    let mut man = repo.command("man");
    man.arg("git-milestone");
    open(&mut man);
    let out = man.output().expect("man runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("git-milestone - Keep Markdown milestone"), "{text}");
    let run = repo.git_with(["milestone", "--help"], open).success();
    assert!(run.stdout().contains("git-milestone - Keep Markdown milestone"), "{run}");
}

#[test]
fn every_command_shows_an_example_in_its_help() {
    for command in COMMANDS {
        let out = Command::new(BIN).args([command, "--help"]).output().expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && text.contains("Example"),
            "`{command} --help` has no example:\n{text}"
        );
    }
}
