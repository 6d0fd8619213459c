//! `git-milestone hooks install | uninstall | status`, through the real git binary: the
//! repository's hooks folder, a `core.hooksPath` folder (husky v8 and v9 layouts), a linked
//! worktree; a hook that was already there keeps running (shell hooks get our lines, other
//! languages are chained) and comes back byte for byte; a shim without its binary on PATH;
//! link mode (links to the binary, switching modes, a dangling link, a link that is not ours);
//! the merge driver for tracking documents (git config and the repository's own
//! `info/attributes`, shared by linked worktrees).

use std::fs;
use std::path::{Path, PathBuf};

use crate::git_support::{folder_files, git_folder, read_or_empty, set_mode, write_executable};
use crate::support::{BIN, TestRepo};

const HOOKS: [&str; 6] =
    ["commit-msg", "post-commit", "post-rewrite", "post-merge", "pre-merge-commit", "pre-push"];

const REFUSED: &str =
    "commit message refused: it does not follow Conventional Commits (`type(scope): description`)\n";

/// `install`'s last line when it installed the merge driver, and when it was there.
const DRIVER_INSTALLED: &str = "merge driver for docs/milestones/tracking/*.md: installed (git config merge.git-milestone.*, .git/info/attributes)\n";
const DRIVER_ALREADY: &str = "merge driver for docs/milestones/tracking/*.md: already installed (git config merge.git-milestone.*, .git/info/attributes)\n";
/// `status`'s last line with the merge driver installed, and without it.
const STATUS_DRIVER: &str = "  merge driver      installed for docs/milestones/tracking/*.md\n";
const STATUS_NO_DRIVER: &str = "  merge driver      not installed (run `git milestone hooks install`)\n";
/// `uninstall`'s last line when it removed the merge driver, and when it was not there.
const DRIVER_REMOVED: &str = "merge driver: removed\n";
const NO_DRIVER: &str = "merge driver: not installed\n";

/// Returns `install`'s report when every hook was absent from `shown` and the merge driver
/// was not installed.
fn installed_report(shown: &str) -> String {
    HOOKS.iter().map(|h| format!("{shown}/{h}: installed\n")).collect::<String>() + DRIVER_INSTALLED
}

/// Returns a repository with one commit.
fn repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo
}

/// Commits a change with `message` through the hooks and returns the run.
fn try_commit(repo: &TestRepo, message: &str) -> crate::support::Run {
    repo.git_run_in(repo.root(), ["commit", "--quiet", "--allow-empty", "-m", message])
}

/// Asserts git refused the commit through our gate and made no commit.
#[track_caller]
fn assert_gate_refused(repo: &TestRepo, run: crate::support::Run, count: usize) {
    let run = run.failure(1);
    assert!(run.stderr().starts_with(REFUSED), "our gate did not refuse\n{run}");
    assert_eq!(repo.commit_count(), count, "a refused message made a commit\n{run}");
}

/// Returns the interpreter line of a hook in another language than shell: python3, else perl.
fn other_language() -> &'static str {
    if Path::new("/usr/bin/python3").is_file() {
        "python3"
    } else if Path::new("/usr/bin/perl").is_file() {
        "perl"
    } else {
        panic!("neither /usr/bin/python3 nor /usr/bin/perl exists: no non-shell hook to chain");
    }
}

/// Returns a hook in python3 or perl that appends `args: ARGS` and, for `stdin`, what it read,
/// to `log`; for commit-msg it appends `message: FIRST LINE` of its message file.
fn foreign_hook(language: &str, log: &Path, stdin: bool) -> String {
    let log = log.display();
    match (language, stdin) {
        ("python3", true) => format!(
            "#!/usr/bin/python3\nimport sys\nwith open('{log}', 'a') as f:\n    f.write('args: ' + ' '.join(sys.argv[1:]) + '\\n')\n    f.write('stdin: ' + sys.stdin.read())\n"
        ),
        ("python3", false) => format!(
            "#!/usr/bin/python3\nimport sys\nwith open('{log}', 'a') as f:\n    f.write('message: ' + open(sys.argv[1]).readline())\n"
        ),
        (_, true) => format!(
            "#!/usr/bin/perl\nopen(my $f, '>>', '{log}') or die;\nprint $f \"args: @ARGV\\n\";\nprint $f 'stdin: ', join('', <STDIN>);\n"
        ),
        (_, false) => format!(
            "#!/usr/bin/perl\nopen(my $f, '>>', '{log}') or die;\nopen(my $m, '<', $ARGV[0]) or die;\nprint $f 'message: ', scalar(<$m>);\n"
        ),
    }
}

#[test]
fn install_puts_the_six_hooks_into_the_git_hooks_folder_and_status_lists_them() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    let before = folder_files(&hooks);
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        "hooks folder: .git/hooks (the repository's hooks folder)\n  \
         commit-msg        not installed\n  \
         post-commit       not installed\n  \
         post-rewrite      not installed\n  \
         post-merge        not installed\n  \
         pre-merge-commit  not installed\n  \
         pre-push          not installed\n  \
         merge driver      not installed (run `git milestone hooks install`)\n",
        "{run}"
    );

    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(run.stdout(), installed_report(".git/hooks"), "{run}");
    assert_eq!(run.stderr(), "", "{run}");
    let after = folder_files(&hooks);
    let added: Vec<&str> =
        after.iter().filter(|f| !before.contains(f)).map(|(name, _, _)| name.as_str()).collect();
    let mut six = HOOKS;
    six.sort_unstable();
    assert_eq!(added, six, "install adds exactly the six hooks (folder_files sorts by name)");
    for (name, mode, bytes) in after.iter().filter(|(name, _, _)| HOOKS.contains(&name.as_str())) {
        assert_eq!(mode & 0o111, 0o111, "{name} is executable by everyone: {mode:o}");
        let text = String::from_utf8_lossy(bytes);
        assert!(text.starts_with("#!/bin/sh\n"), "{name}:\n{text}");
        assert!(text.contains(&format!("git-milestone hook {name} \"$@\"")), "{name}:\n{text}");
    }

    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        "hooks folder: .git/hooks (the repository's hooks folder)\n  \
         commit-msg        installed\n  \
         post-commit       installed\n  \
         post-rewrite      installed\n  \
         post-merge        installed\n  \
         pre-merge-commit  installed\n  \
         pre-push          installed\n  \
         merge driver      installed for docs/milestones/tracking/*.md\n",
        "{run}"
    );
    // git runs them.
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);
    try_commit(&repo, "feat: add limiter").success();
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn installing_twice_changes_nothing() {
    let repo = repo();
    write_executable(&repo.path(".git/hooks/commit-msg"), "#!/bin/sh\nexit 0\n");
    write_executable(
        &repo.path(".git/hooks/pre-push"),
        &foreign_hook(other_language(), Path::new("/dev/null"), true),
    );
    repo.milestone(["hooks", "install"]).success();
    let once = folder_files(&repo.path(".git/hooks"));
    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS.iter().map(|h| format!(".git/hooks/{h}: already installed\n")).collect::<String>()
            + DRIVER_ALREADY,
        "{run}"
    );
    assert!(folder_files(&repo.path(".git/hooks")) == once, "the second install changed the hooks folder");
}

#[test]
fn uninstall_puts_back_the_hooks_that_were_there_byte_for_byte() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    // A shell hook without a final newline, with CRLF inside, readable by its owner only; a
    // hook in another language with unusual permissions.
    let shell = "#!/bin/bash -e\n# team hook\r\nset -u\nexit 0";
    write_executable(&hooks.join("commit-msg"), shell);
    set_mode(&hooks.join("commit-msg"), 0o700);
    write_executable(&hooks.join("pre-push"), &foreign_hook(other_language(), Path::new("/dev/null"), true));
    set_mode(&hooks.join("pre-push"), 0o750);
    let before = folder_files(&hooks);

    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        "hooks folder: .git/hooks (the repository's hooks folder)\n  \
         commit-msg        another hook is there, without ours (run `git milestone hooks install`)\n  \
         post-commit       not installed\n  \
         post-rewrite      not installed\n  \
         post-merge        not installed\n  \
         pre-merge-commit  not installed\n  \
         pre-push          another hook is there, without ours (run `git milestone hooks install`)\n  \
         merge driver      not installed (run `git milestone hooks install`)\n",
        "{run}"
    );
    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        ".git/hooks/commit-msg: installed into the existing hook, which still runs\n\
         .git/hooks/post-commit: installed\n\
         .git/hooks/post-rewrite: installed\n\
         .git/hooks/post-merge: installed\n\
         .git/hooks/pre-merge-commit: installed\n\
         .git/hooks/pre-push: installed; the hook that was there runs after ours (chained)\n\
         merge driver for docs/milestones/tracking/*.md: installed (git config merge.git-milestone.*, .git/info/attributes)\n",
        "{run}"
    );
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        "hooks folder: .git/hooks (the repository's hooks folder)\n  \
         commit-msg        installed inside the existing hook, which still runs after ours\n  \
         post-commit       installed\n  \
         post-rewrite      installed\n  \
         post-merge        installed\n  \
         pre-merge-commit  installed\n  \
         pre-push          installed; the previous hook runs after ours from pre-push.git-milestone-chained\n  \
         merge driver      installed for docs/milestones/tracking/*.md\n",
        "{run}"
    );
    assert_eq!(
        String::from_utf8_lossy(&repo.read(".git/hooks/pre-push.git-milestone-chained")),
        String::from_utf8_lossy(&before.iter().find(|f| f.0 == "pre-push").expect("pre-push").2),
        "the chained hook is kept as it was"
    );
    // Our lines in the team's shell hook run: the gate refuses.
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);

    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(
        run.stdout(),
        ".git/hooks/commit-msg: our lines removed; the hook is as it was\n\
         .git/hooks/post-commit: removed\n\
         .git/hooks/post-rewrite: removed\n\
         .git/hooks/post-merge: removed\n\
         .git/hooks/pre-merge-commit: removed\n\
         .git/hooks/pre-push: removed; the hook that was there is back\n\
         merge driver: removed\n",
        "{run}"
    );
    let after = folder_files(&hooks);
    assert!(
        after == before,
        "the hooks folder is not as it was (names, modes, bytes):\n{before:?}\n{after:?}"
    );

    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(
        run.stdout(),
        ".git/hooks/commit-msg: not installed; left as it is\n\
         .git/hooks/post-commit: not installed; left as it is\n\
         .git/hooks/post-rewrite: not installed; left as it is\n\
         .git/hooks/post-merge: not installed; left as it is\n\
         .git/hooks/pre-merge-commit: not installed; left as it is\n\
         .git/hooks/pre-push: not installed; left as it is\n\
         merge driver: not installed\n",
        "{run}"
    );
    assert!(folder_files(&hooks) == before, "a second uninstall changed the hooks folder");
    try_commit(&repo, "Add limiter").success();
}

#[test]
fn install_goes_into_a_husky_hooks_path_whose_hook_still_runs() {
    // husky v4-v8: core.hooksPath = .husky, hooks committed there, sourcing `_/husky.sh`.
    let repo = repo();
    let log = repo.sibling("husky.log");
    repo.write(".husky/_/.gitignore", "*\n");
    write_executable(&repo.path(".husky/_/husky.sh"), "#!/usr/bin/env sh\nexport HUSKY_SOURCED=1\n");
    let theirs = format!(
        "#!/usr/bin/env sh\n. \"$(dirname -- \"$0\")/_/husky.sh\"\n\necho \"husky $HUSKY_SOURCED: $(head -n 1 \"$1\")\" >> '{}'\n",
        log.display()
    );
    write_executable(&repo.path(".husky/commit-msg"), &theirs);
    repo.commit_all("chore: husky");
    repo.git(["config", "core.hooksPath", ".husky"]);

    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        ".husky/commit-msg: installed into the existing hook, which still runs\n\
         .husky/post-commit: installed\n\
         .husky/post-rewrite: installed\n\
         .husky/post-merge: installed\n\
         .husky/pre-merge-commit: installed\n\
         .husky/pre-push: installed\n\
         merge driver for docs/milestones/tracking/*.md: installed (git config merge.git-milestone.*, .git/info/attributes)\n",
        "{run}"
    );
    assert!(!repo.path(".git/hooks/commit-msg").exists(), "nothing goes into .git/hooks");
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        "hooks folder: .husky (core.hooksPath = .husky)\n  \
         commit-msg        installed inside the existing hook, which still runs after ours\n  \
         post-commit       installed\n  \
         post-rewrite      installed\n  \
         post-merge        installed\n  \
         pre-merge-commit  installed\n  \
         pre-push          installed\n  \
         merge driver      installed for docs/milestones/tracking/*.md\n",
        "{run}"
    );

    let spy = repo.spy();
    let run =
        repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"], |c| spy.apply(c));
    run.success();
    assert_eq!(read_or_empty(&log), "husky 1: feat: add limiter\n", "the team's hook still runs");
    assert_eq!(
        spy.calls(),
        "hook commit-msg .git/COMMIT_EDITMSG\nmessage: feat: add limiter\nhook post-commit\n",
        "our hooks ran"
    );
    let count = repo.commit_count();
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), count);
    assert_eq!(read_or_empty(&log), "husky 1: feat: add limiter\n", "ours runs first and stopped git");

    repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(repo.read(".husky/commit-msg"), theirs.as_bytes(), "the team's hook is back byte for byte");
    assert_eq!(repo.status(), "", "nothing is left in the work tree");
}

#[test]
fn install_into_a_husky_v9_folder_keeps_the_users_hook_running() {
    // husky v9: core.hooksPath = .husky/_, a generated `_/NAME` per hook that sources `_/h`,
    // which runs the user's `.husky/NAME`.
    let repo = repo();
    let log = repo.sibling("husky.log");
    repo.write(".husky/_/.gitignore", "*");
    write_executable(
        &repo.path(".husky/_/h"),
        "#!/usr/bin/env sh\nn=$(basename \"$0\")\ns=$(dirname \"$(dirname \"$0\")\")/$n\n[ ! -f \"$s\" ] && exit 0\nsh -e \"$s\" \"$@\"\n",
    );
    let generated = "#!/usr/bin/env sh\n. \"$(dirname \"$0\")/h\"";
    for name in ["commit-msg", "post-commit", "pre-push", "pre-commit", "post-merge"] {
        write_executable(&repo.path(&format!(".husky/_/{name}")), generated);
    }
    repo.write(
        ".husky/commit-msg",
        format!("echo \"user commit-msg: $(head -n 1 \"$1\")\" >> '{}'\n", log.display()),
    );
    repo.write(".husky/pre-push", format!("echo \"user pre-push $1: $(cat)\" >> '{}'\n", log.display()));
    repo.commit_all("chore: husky");
    repo.git(["config", "core.hooksPath", ".husky/_"]);
    let before = folder_files(&repo.path(".husky/_"));

    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        ".husky/_/commit-msg: installed into the existing hook, which still runs\n\
         .husky/_/post-commit: installed into the existing hook, which still runs\n\
         .husky/_/post-rewrite: installed\n\
         .husky/_/post-merge: installed into the existing hook, which still runs\n\
         .husky/_/pre-merge-commit: installed\n\
         .husky/_/pre-push: installed into the existing hook, which still runs\n\
         merge driver for docs/milestones/tracking/*.md: installed (git config merge.git-milestone.*, .git/info/attributes)\n",
        "{run}"
    );

    let spy = repo.spy();
    repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"], |c| spy.apply(c))
        .success();
    assert_eq!(read_or_empty(&log), "user commit-msg: feat: add limiter\n", "the user's hook runs");
    assert_eq!(
        spy.calls(),
        "hook commit-msg .git/COMMIT_EDITMSG\nmessage: feat: add limiter\nhook post-commit\n",
        "our hooks ran"
    );
    let count = repo.commit_count();
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), count);
    assert_eq!(read_or_empty(&log), "user commit-msg: feat: add limiter\n", "ours stopped git first");

    // pre-push: standard input reaches ours and the user's hook.
    let remote = repo.sibling("remote.git");
    repo.git(["init", "--quiet", "--bare", &remote.display().to_string()]);
    repo.git(["remote", "add", "origin", &remote.display().to_string()]);
    let head = repo.rev("HEAD");
    let zero = "0".repeat(40);
    let run = repo.git_with(["push", "--quiet", "origin", "main"], |c| spy.apply(c));
    run.success();
    let line = format!("refs/heads/main {head} refs/heads/main {zero}");
    assert_eq!(spy.stdin(), format!("{line}\n"), "our pre-push got git's lines");
    assert_eq!(
        read_or_empty(&log),
        format!("user commit-msg: feat: add limiter\nuser pre-push origin: {line}\n"),
        "the user's pre-push got them too"
    );

    repo.milestone(["hooks", "uninstall"]).success();
    assert!(folder_files(&repo.path(".husky/_")) == before, ".husky/_ is not back byte for byte");
    assert_eq!(repo.status(), "", "nothing is left in the work tree");
}

#[test]
fn install_from_a_linked_worktree_goes_into_the_shared_hooks_folder() {
    let repo = repo();
    let wt = repo.sibling("wt");
    repo.git(["worktree", "add", "--quiet", "-b", "side", &wt.display().to_string()]);
    let run = repo.milestone_in(&wt, ["hooks", "install"]).success();
    let shared = repo.path(".git/hooks");
    assert_eq!(run.stdout(), installed_report(&shared.display().to_string()), "{run}");
    for hook in HOOKS {
        assert!(shared.join(hook).is_file(), "{hook} is in the common git dir's hooks");
    }
    assert!(!repo.path(".git/worktrees/wt/hooks").exists(), "nothing in the worktree's own git dir");
    let run = repo.milestone_in(&wt, ["hooks", "status"]).success();
    assert!(
        run.stdout()
            .starts_with(&format!("hooks folder: {} (the repository's hooks folder)\n", shared.display())),
        "{run}"
    );
    // Both work trees run them.
    let run = repo.git_run_in(&wt, ["commit", "--quiet", "--allow-empty", "-m", "Add limiter"]).failure(1);
    assert!(run.stderr().starts_with(REFUSED), "{run}");
    repo.git_run_in(&wt, ["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"]).success();
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);
    assert_eq!(
        repo.milestone(["hooks", "status"]).success().stdout().lines().nth(1),
        Some("  commit-msg        installed")
    );
}

#[test]
fn a_hook_in_another_language_is_chained_and_gets_its_arguments_and_stdin() {
    let repo = repo();
    let language = other_language();
    let log = repo.sibling("theirs.log");
    let hooks = repo.path(".git/hooks");
    write_executable(&hooks.join("pre-push"), &foreign_hook(language, &log, true));
    write_executable(&hooks.join("commit-msg"), &foreign_hook(language, &log, false));
    let before = folder_files(&hooks);
    let run = repo.milestone(["hooks", "install"]).success();
    assert!(
        run.stdout().starts_with(
            ".git/hooks/commit-msg: installed; the hook that was there runs after ours (chained)\n"
        ),
        "{run}"
    );

    let spy = repo.spy();
    repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"], |c| spy.apply(c))
        .success();
    assert_eq!(read_or_empty(&log), "message: feat: add limiter\n", "the {language} commit-msg hook runs");
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 2);
    assert_eq!(read_or_empty(&log), "message: feat: add limiter\n", "ours runs first and stopped git");

    let remote = repo.sibling("remote.git");
    let url = remote.display().to_string();
    repo.git(["init", "--quiet", "--bare", &url]);
    repo.git(["remote", "add", "origin", &url]);
    repo.git(["branch", "topic"]);
    let head = repo.rev("HEAD");
    let zero = "0".repeat(40);
    repo.git_with(["push", "--quiet", "origin", "main", "topic"], |c| spy.apply(c)).success();
    let lines = format!(
        "refs/heads/main {head} refs/heads/main {zero}\nrefs/heads/topic {head} refs/heads/topic {zero}\n"
    );
    assert!(spy.calls().contains(&format!("hook pre-push origin {url}\n")), "{}", spy.calls());
    assert_eq!(spy.stdin(), lines, "our pre-push got git's lines");
    assert_eq!(
        read_or_empty(&log),
        format!("message: feat: add limiter\nargs: origin {url}\nstdin: {lines}"),
        "the {language} pre-push got the arguments and the same lines"
    );

    repo.milestone(["hooks", "uninstall"]).success();
    assert!(folder_files(&hooks) == before, "the hooks are not back byte for byte");
}

#[test]
fn a_shim_without_its_binary_on_path_says_so_in_one_line_and_lets_the_commit_through() {
    let repo = repo();
    repo.milestone(["hooks", "install"]).success();
    let folder = git_folder();
    assert!(!folder.join("git-milestone").exists(), "git's folder must not hold git-milestone for this test");
    let run = repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "Add limiter"], |c| {
        c.env("PATH", &folder);
    });
    let run = run.success();
    assert_eq!(run.stderr(), "git-milestone is not on PATH: its commit-msg check was skipped\n", "{run}");
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn a_chained_hook_still_runs_when_the_binary_is_not_on_path() {
    let repo = repo();
    let log = repo.sibling("theirs.log");
    write_executable(&repo.path(".git/hooks/commit-msg"), &foreign_hook(other_language(), &log, false));
    repo.milestone(["hooks", "install"]).success();
    // The harness's PATH without the binary's folder: the shell tools stay.
    let bin_dir = Path::new(crate::support::BIN).parent().expect("binary has a folder").to_path_buf();
    let path = std::env::var_os("PATH").expect("PATH is set");
    let dirs: Vec<_> = std::env::split_paths(&path).filter(|d| *d != bin_dir).collect();
    assert!(dirs.iter().all(|d| !d.join("git-milestone").exists()), "another git-milestone is on PATH");
    let path = std::env::join_paths(dirs).expect("PATH joins");
    let run = repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "Add limiter"], |c| {
        c.env("PATH", &path);
    });
    let run = run.success();
    assert!(
        run.stderr().starts_with("git-milestone is not on PATH: its commit-msg check was skipped\n"),
        "{run}"
    );
    assert!(
        run.stderr().lines().all(|l| l.starts_with("git-milestone is not on PATH: its ")),
        "only our lines\n{run}"
    );
    assert_eq!(read_or_empty(&log), "message: Add limiter\n", "the chained hook ran");
}

/// One entry of a hooks folder as link mode leaves it: a link's target, or a file's
/// permission bits and bytes (a link is not followed, so the binary is not read).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Entry {
    Link(PathBuf),
    File(u32, Vec<u8>),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Entry::Link(target) => write!(f, "link to {}", target.display()),
            Entry::File(mode, bytes) => write!(f, "file {mode:o} {:?}", String::from_utf8_lossy(bytes)),
        }
    }
}

/// Returns every entry of folder `dir` (not below), sorted by name.
fn entries(dir: &Path) -> Vec<(String, Entry)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out: Vec<(String, Entry)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .map(|p| {
            let name = p.file_name().expect("file name").to_string_lossy().into_owned();
            let meta = fs::symlink_metadata(&p).expect("metadata");
            let entry = if meta.file_type().is_symlink() {
                Entry::Link(fs::read_link(&p).expect("read link"))
            } else {
                Entry::File(meta.permissions().mode() & 0o7777, fs::read(&p).unwrap_or_default())
            };
            (name, entry)
        })
        .collect();
    out.sort();
    out
}

/// Returns the binary link mode links to in the tests: the one under test (first on PATH).
pub(crate) fn linked_binary() -> PathBuf {
    Path::new(BIN)
        .parent()
        .expect("binary has a folder")
        .canonicalize()
        .expect("canonical")
        .join("git-milestone")
}

/// Returns the report of `install` or `uninstall` when it says `what` of every hook in
/// `shown`, ending with `driver`.
fn report(shown: &str, what: &str, driver: &str) -> String {
    HOOKS.iter().map(|h| format!("{shown}/{h}: {what}\n")).collect::<String>() + driver
}

/// Returns `hooks status` when every hook is `describe`d the same way and the merge driver
/// is installed.
fn status_all(folder: &str, describe: &str) -> String {
    status_report(folder, describe, STATUS_DRIVER)
}

/// Returns `hooks status` when every hook is `describe`d the same way, ending with `driver`.
fn status_report(folder: &str, describe: &str, driver: &str) -> String {
    let mut out = format!("hooks folder: {folder} (the repository's hooks folder)\n");
    for h in HOOKS {
        out.push_str(&format!("  {h:<17} {describe}\n"));
    }
    out + driver
}

#[test]
fn link_mode_links_the_hooks_to_the_binary_and_git_runs_them() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    let before = entries(&hooks);
    let bin = linked_binary();
    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS
            .iter()
            .map(|h| format!(".git/hooks/{h}: installed as a link to `{}`\n", bin.display()))
            .collect::<String>()
            + DRIVER_INSTALLED,
        "{run}"
    );
    for h in HOOKS {
        assert_eq!(fs::read_link(hooks.join(h)).ok(), Some(bin.clone()), "{h} is a link to the binary");
    }
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        status_all(".git/hooks", &format!("installed as a link to `{}`", bin.display())),
        "{run}"
    );

    // git runs the binary under the hook's name: the gate refuses, with the same report as
    // through the shim, and lets a good message through.
    let run = try_commit(&repo, "Add limiter").failure(1);
    assert!(run.stderr().starts_with(REFUSED), "{run}");
    assert!(run.stderr().contains("\nsuggestion: feat: add limiter\n"), "{run}");
    assert_eq!(repo.commit_count(), 1, "a refused message made a commit");
    try_commit(&repo, "feat: add limiter").success();
    assert_eq!(repo.subjects("HEAD"), ["feat: add limiter", "chore: initial commit"]);
    // post-commit, post-rewrite (fed on stdin) and pre-push (arguments and stdin) run and let
    // git go on.
    let run = repo.git_run_in(
        repo.root(),
        ["commit", "--quiet", "--allow-empty", "--amend", "-m", "feat: add the limiter"],
    );
    assert_eq!(run.success().stderr(), "");
    let remote = repo.sibling("remote.git");
    repo.git(["init", "--quiet", "--bare", &remote.display().to_string()]);
    repo.git(["remote", "add", "origin", &remote.display().to_string()]);
    assert_eq!(repo.git_run_in(repo.root(), ["push", "--quiet", "origin", "main"]).success().stderr(), "");

    // Installing twice changes nothing.
    let once = entries(&hooks);
    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS.iter().map(|h| format!(".git/hooks/{h}: already installed\n")).collect::<String>()
            + DRIVER_ALREADY,
        "{run}"
    );
    assert_eq!(entries(&hooks), once, "the second install changed the hooks folder");

    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS.iter().map(|h| format!(".git/hooks/{h}: link removed\n")).collect::<String>() + DRIVER_REMOVED,
        "{run}"
    );
    assert_eq!(entries(&hooks), before, "the hooks folder is as it was");
    try_commit(&repo, "Add limiter").success();
}

#[test]
fn the_hooks_mode_setting_picks_link_and_the_flags_override_it() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    repo.git(["config", "milestone.hooks.mode", "link"]);
    repo.milestone(["hooks", "install"]).success();
    assert!(HOOKS.iter().all(|h| fs::read_link(hooks.join(h)).is_ok()), "{:?}", entries(&hooks));
    let run = repo.milestone(["hooks", "install", "--shim"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS.iter().map(|h| format!(".git/hooks/{h}: the link replaced by the shim\n")).collect::<String>()
            + DRIVER_ALREADY,
        "{run}"
    );
    assert_eq!(repo.milestone(["hooks", "status"]).success().stdout(), status_all(".git/hooks", "installed"));
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);

    repo.git(["config", "--unset", "milestone.hooks.mode"]);
    repo.write(".milestone.yml", "hooks:\n  mode: link\n");
    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        HOOKS
            .iter()
            .map(|h| format!(
                ".git/hooks/{h}: the shim replaced by a link to `{}`\n",
                linked_binary().display()
            ))
            .collect::<String>()
            + DRIVER_ALREADY,
        "{run}"
    );
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);

    repo.write(".milestone.yml", "hooks:\n  mode: copy\n");
    let run = repo.milestone(["hooks", "install"]).failure(2);
    assert!(
        run.stderr()
            .starts_with("error: bad value for `hooks.mode`: expected one of shim, link, found `copy`\n"),
        "{run}"
    );
}

#[test]
fn switching_modes_keeps_the_hooks_that_were_there_byte_for_byte() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    let log = repo.sibling("theirs.log");
    let shell = format!("#!/bin/sh\necho \"team: $(head -n 1 \"$1\")\" >> '{}'\n", log.display());
    write_executable(&hooks.join("commit-msg"), &shell);
    write_executable(&hooks.join("pre-push"), &foreign_hook(other_language(), Path::new("/dev/null"), true));
    set_mode(&hooks.join("pre-push"), 0o750);
    let before = entries(&hooks);
    let bin = linked_binary();

    repo.milestone(["hooks", "install"]).success();
    let shims = entries(&hooks);
    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert_eq!(
        run.stdout(),
        format!(
            ".git/hooks/commit-msg: already installed\n\
             .git/hooks/post-commit: the shim replaced by a link to `{bin}`\n\
             .git/hooks/post-rewrite: the shim replaced by a link to `{bin}`\n\
             .git/hooks/post-merge: the shim replaced by a link to `{bin}`\n\
             .git/hooks/pre-merge-commit: the shim replaced by a link to `{bin}`\n\
             .git/hooks/pre-push: already installed\n\
             {DRIVER_ALREADY}",
            bin = bin.display()
        ),
        "{run}"
    );
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        format!(
            "hooks folder: .git/hooks (the repository's hooks folder)\n  \
             commit-msg        installed inside the existing hook, which still runs after ours\n  \
             post-commit       installed as a link to `{bin}`\n  \
             post-rewrite      installed as a link to `{bin}`\n  \
             post-merge        installed as a link to `{bin}`\n  \
             pre-merge-commit  installed as a link to `{bin}`\n  \
             pre-push          installed; the previous hook runs after ours from pre-push.git-milestone-chained\n\
             {STATUS_DRIVER}",
            bin = bin.display()
        ),
        "{run}"
    );
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);
    try_commit(&repo, "feat: add limiter").success();
    assert_eq!(read_or_empty(&log), "team: feat: add limiter\n", "the team's hook still runs");

    repo.milestone(["hooks", "install", "--shim"]).success();
    assert_eq!(entries(&hooks), shims, "back to the shims, as the first install left them");
    repo.milestone(["hooks", "install", "--link"]).success();
    repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(entries(&hooks), before, "the team's hooks are back byte for byte, with their modes");

    // Link mode from the start: the hooks that are there get the shim, the others links.
    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert_eq!(
        run.stdout(),
        format!(
            ".git/hooks/commit-msg: installed into the existing hook, which still runs (as shell lines: a link would replace it)\n\
             .git/hooks/post-commit: installed as a link to `{bin}`\n\
             .git/hooks/post-rewrite: installed as a link to `{bin}`\n\
             .git/hooks/post-merge: installed as a link to `{bin}`\n\
             .git/hooks/pre-merge-commit: installed as a link to `{bin}`\n\
             .git/hooks/pre-push: installed; the hook that was there runs after ours (chained) (as shell lines: a link would replace it)\n\
             {DRIVER_INSTALLED}",
            bin = bin.display()
        ),
        "{run}"
    );
    repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(entries(&hooks), before, "the team's hooks are back byte for byte, with their modes");
}

#[test]
fn a_dangling_link_is_reported_by_status_and_git_commits_without_the_gate() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    // git-milestone on PATH as a link to the binary under test (a package manager's stable
    // name): the hooks link to that name, which is then removed.
    let bin_dir = repo.sibling("bin");
    fs::create_dir_all(&bin_dir).expect("create bin dir");
    let installed = bin_dir.join("git-milestone");
    std::os::unix::fs::symlink(BIN, &installed).expect("link the binary");
    let first_on_path = |c: &mut std::process::Command| {
        let path =
            c.get_envs().find(|(k, _)| *k == "PATH").and_then(|(_, v)| v).expect("PATH").to_os_string();
        let mut dirs = vec![bin_dir.clone()];
        dirs.extend(std::env::split_paths(&path));
        c.env("PATH", std::env::join_paths(dirs).expect("PATH joins"));
    };
    repo.milestone_with(["hooks", "install", "--link"], first_on_path).success();
    assert_eq!(
        fs::read_link(hooks.join("commit-msg")).ok(),
        Some(installed.clone()),
        "{:?}",
        entries(&hooks)
    );
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 1);

    fs::remove_file(&installed).expect("remove the binary");
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        status_all(
            ".git/hooks",
            &format!(
                "broken: links to `{}`, which is gone, and git skips it without a word (fix: `git milestone hooks install --link`)",
                installed.display()
            )
        ),
        "{run}"
    );
    // git skips a hook it cannot find: the commit goes through, and nothing is said.
    let run = try_commit(&repo, "Add limiter").success();
    assert_eq!(run.stderr(), "", "{run}");
    assert_eq!(repo.commit_count(), 2);

    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert_eq!(
        run.stdout().lines().next(),
        Some(
            format!(
                ".git/hooks/commit-msg: repaired: linked to `{}` (`{}` is gone)",
                linked_binary().display(),
                installed.display()
            )
            .as_str()
        ),
        "{run}"
    );
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 2);
    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert!(run.stdout().starts_with(".git/hooks/commit-msg: link removed\n"), "{run}");
}

#[test]
fn uninstall_leaves_a_link_that_is_not_ours() {
    let repo = repo();
    let hooks = repo.path(".git/hooks");
    let log = repo.sibling("theirs.log");
    // A team keeps its hook in the work tree and links to it from the hooks folder.
    write_executable(
        &repo.path("scripts/commit-msg"),
        &format!("#!/bin/sh\necho \"team: $(head -n 1 \"$1\")\" >> '{}'\n", log.display()),
    );
    repo.commit_all("chore: team hook");
    std::os::unix::fs::symlink("../../scripts/commit-msg", hooks.join("commit-msg")).expect("link");
    let before = entries(&hooks);

    let run = repo.milestone(["hooks", "install", "--link"]).success();
    assert!(
        run.stdout().starts_with(
            ".git/hooks/commit-msg: installed; the hook that was there runs after ours (chained)"
        ),
        "{run}"
    );
    assert_eq!(repo.status(), "", "the linked script in the work tree is untouched");
    assert_gate_refused(&repo, try_commit(&repo, "Add limiter"), 2);
    try_commit(&repo, "feat: add limiter").success();
    assert_eq!(read_or_empty(&log), "team: feat: add limiter\n", "the team's linked hook still runs");

    repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(entries(&hooks), before, "the team's link is back as it was");
    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert!(run.stdout().starts_with(".git/hooks/commit-msg: not installed; left as it is\n"), "{run}");
    assert_eq!(fs::read_link(hooks.join("commit-msg")).ok(), Some(PathBuf::from("../../scripts/commit-msg")));
}

/// The block `install` writes into `info/attributes` for the documents of `folder`.
fn driver_block(folder: &str) -> String {
    format!(
        "# >>> git-milestone merge driver >>>\n\
         {folder}/*.md merge=git-milestone\n\
         # <<< git-milestone merge driver <<<\n"
    )
}

/// Returns `git config --get KEY` in the work directory, None when it is not set.
fn config_get(repo: &TestRepo, key: &str) -> Option<String> {
    let run = repo.git_run_in(repo.root(), ["config", "--get", key]);
    match run.code() {
        Some(0) => Some(run.stdout()),
        Some(1) => None,
        _ => panic!("git config --get {key} failed\n{run}"),
    }
}

/// Returns what `git check-attr merge` says of `path` in `dir`.
fn merge_attribute(repo: &TestRepo, dir: &Path, path: &str) -> String {
    let run = repo.git_run_in(dir, ["check-attr", "merge", "--", path]).success();
    assert_eq!(run.stderr(), "", "git reads the attributes without a warning\n{run}");
    run.stdout()
}

#[test]
fn install_sets_the_merge_driver_in_git_config_and_info_attributes_and_uninstall_removes_it() {
    let repo = repo();
    let doc = "docs/milestones/tracking/M1-tracking.md";
    // The user's own attributes file, kept byte for byte around our block.
    // No final line ending: uninstall must give back exactly this.
    let theirs = "# team attributes\n*.png binary";
    let attributes = repo.write(".git/info/attributes", theirs);
    assert_eq!(merge_attribute(&repo, repo.root(), doc), format!("{doc}: merge: unspecified\n"));
    assert_eq!(
        repo.milestone(["hooks", "status"]).success().stdout(),
        status_report(".git/hooks", "not installed", STATUS_NO_DRIVER)
    );

    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(run.stdout(), installed_report(".git/hooks"), "{run}");
    assert_eq!(
        config_get(&repo, "merge.git-milestone.name").as_deref(),
        Some("git-milestone: tracking documents\n")
    );
    assert_eq!(
        config_get(&repo, "merge.git-milestone.driver").as_deref(),
        Some("git-milestone merge-driver %O %A %B %P\n")
    );
    assert_eq!(
        read_or_empty(&attributes),
        format!("{}{theirs}", driver_block("docs/milestones/tracking")),
        "the block comes before the user's lines, which win over it"
    );
    assert_eq!(merge_attribute(&repo, repo.root(), doc), format!("{doc}: merge: git-milestone\n"));
    assert_eq!(
        merge_attribute(&repo, repo.root(), "docs/milestones/M1.md"),
        "docs/milestones/M1.md: merge: unspecified\n",
        "plans are not tracking documents"
    );
    assert_eq!(repo.status(), "", "nothing goes into the work tree");
    assert_eq!(
        repo.milestone(["hooks", "status"]).success().stdout(),
        status_report(".git/hooks", "installed", STATUS_DRIVER)
    );

    // Installing twice changes neither file.
    let config = repo.read(".git/config");
    let attributes_once = repo.read(".git/info/attributes");
    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(run.stdout(), report(".git/hooks", "already installed", DRIVER_ALREADY), "{run}");
    assert_eq!(repo.read(".git/config"), config, "the second install changed .git/config");
    assert_eq!(
        repo.read(".git/info/attributes"),
        attributes_once,
        "the second install changed info/attributes"
    );

    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(run.stdout(), report(".git/hooks", "removed", DRIVER_REMOVED), "{run}");
    assert_eq!(config_get(&repo, "merge.git-milestone.name"), None, "{run}");
    assert_eq!(config_get(&repo, "merge.git-milestone.driver"), None, "{run}");
    assert_eq!(read_or_empty(&attributes), theirs, "the user's attributes are back byte for byte");
    assert_eq!(merge_attribute(&repo, repo.root(), doc), format!("{doc}: merge: unspecified\n"));
    assert_eq!(
        repo.milestone(["hooks", "status"]).success().stdout(),
        status_report(".git/hooks", "not installed", STATUS_NO_DRIVER)
    );
    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(run.stdout(), report(".git/hooks", "not installed; left as it is", NO_DRIVER), "{run}");
    assert_eq!(read_or_empty(&attributes), theirs, "a second uninstall changed info/attributes");
}

#[test]
fn the_merge_driver_names_the_tracking_folder_of_the_settings() {
    let repo = repo();
    // First for the default folder; then the settings move the tracking documents.
    repo.milestone(["hooks", "install"]).success();
    repo.write(".milestone.yml", "tracking:\n  folder: notes/tracking\n");
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        status_report(".git/hooks", "installed", STATUS_NO_DRIVER),
        "the block names another folder"
    );

    let run = repo.milestone(["hooks", "install"]).success();
    assert_eq!(
        run.stdout(),
        report(
            ".git/hooks",
            "already installed",
            "merge driver for notes/tracking/*.md: installed (git config merge.git-milestone.*, .git/info/attributes)\n"
        ),
        "{run}"
    );
    assert_eq!(
        read_or_empty(&repo.path(".git/info/attributes")),
        driver_block("notes/tracking"),
        "one block, for the folder of the settings"
    );
    assert_eq!(
        merge_attribute(&repo, repo.root(), "notes/tracking/M1-tracking.md"),
        "notes/tracking/M1-tracking.md: merge: git-milestone\n"
    );
    assert_eq!(
        merge_attribute(&repo, repo.root(), "docs/milestones/tracking/M1-tracking.md"),
        "docs/milestones/tracking/M1-tracking.md: merge: unspecified\n"
    );
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(
        run.stdout(),
        status_report(".git/hooks", "installed", "  merge driver      installed for notes/tracking/*.md\n"),
        "{run}"
    );

    let run = repo.milestone(["hooks", "uninstall"]).success();
    assert_eq!(run.stdout(), report(".git/hooks", "removed", DRIVER_REMOVED), "{run}");
    assert_eq!(read_or_empty(&repo.path(".git/info/attributes")), "", "{run}");
}

#[test]
fn install_from_a_linked_worktree_names_the_driver_in_the_common_git_dir() {
    let repo = repo();
    let wt = repo.sibling("wt");
    repo.git(["worktree", "add", "--quiet", "-b", "side", &wt.display().to_string()]);
    let doc = "docs/milestones/tracking/M1-tracking.md";
    let shared = repo.path(".git/hooks").display().to_string();
    let run = repo.milestone_in(&wt, ["hooks", "install"]).success();
    assert_eq!(run.stdout(), installed_report(&shared), "{run}");
    assert_eq!(
        read_or_empty(&repo.path(".git/info/attributes")),
        driver_block("docs/milestones/tracking"),
        "the block is in the main repository's git dir"
    );
    assert!(!repo.path(".git/worktrees/wt/info").exists(), "nothing in the worktree's own git dir");
    // Both work trees see the driver, its attribute and its configuration.
    for dir in [wt.as_path(), repo.root()] {
        assert_eq!(merge_attribute(&repo, dir, doc), format!("{doc}: merge: git-milestone\n"));
        assert_eq!(
            repo.git_in(dir, ["config", "--get", "merge.git-milestone.driver"]),
            "git-milestone merge-driver %O %A %B %P\n"
        );
    }
    assert_eq!(repo.git_in(&wt, ["status", "--porcelain"]), "", "the worktree stays clean");
    let run = repo.milestone_in(&wt, ["hooks", "status"]).success();
    assert_eq!(run.stdout(), status_all(&shared, "installed"), "{run}");

    let run = repo.milestone_in(&wt, ["hooks", "uninstall"]).success();
    assert_eq!(run.stdout(), report(&shared, "removed", DRIVER_REMOVED), "{run}");
    assert_eq!(read_or_empty(&repo.path(".git/info/attributes")), "");
    assert_eq!(merge_attribute(&repo, &wt, doc), format!("{doc}: merge: unspecified\n"));
}

#[test]
fn a_tracking_folder_with_a_space_or_a_glob_character_is_named_literally() {
    let repo = repo();
    repo.write(".milestone.yml", "tracking:\n  folder: \"my notes/tracking [v2]\"\n");
    repo.milestone(["hooks", "install"]).success();
    let doc = "my notes/tracking [v2]/M1-tracking.md";
    assert_eq!(merge_attribute(&repo, repo.root(), doc), format!("{doc}: merge: git-milestone\n"));
    let other = "my notes/tracking v/M1-tracking.md";
    assert_eq!(
        merge_attribute(&repo, repo.root(), other),
        format!("{other}: merge: unspecified\n"),
        "`[v2]` is not a character class"
    );
}

#[test]
fn install_with_invalid_settings_changes_nothing() {
    let repo = repo();
    repo.write(".milestone.yml", "hooks:\n  mode: copy\n");
    let before = repo.snapshot();
    let run = repo.milestone(["hooks", "install", "--shim"]).failure(2);
    assert!(run.stderr().contains(".milestone.yml"), "{run}");
    assert_eq!(repo.snapshot(), before, "{run}");
    assert_eq!(config_get(&repo, "merge.git-milestone.driver"), None, "{run}");
}
