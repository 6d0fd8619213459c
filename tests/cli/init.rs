//! `git-milestone init`: a commented `.milestone.yml` (unless one exists), the plans and
//! tracking folders, the hooks (shims, or links in link mode), the merge driver and
//! `rebase.autoStash`; a second run changes no byte.

use std::fs;

use crate::git_support::files_under;
use crate::support::TestRepo;

const HOOKS_LINE: &str = "hooks: commit-msg, post-commit, post-rewrite, post-merge, pre-merge-commit, pre-push (see `git milestone hooks status`)\n";
const HOOKS: [&str; 6] =
    ["commit-msg", "post-commit", "post-rewrite", "post-merge", "pre-merge-commit", "pre-push"];
const DRIVER_LINE: &str = "merge driver: installed for docs/milestones/tracking/*.md\n";
const AUTOSTASH_LINE: &str = "set rebase.autoStash for this repository, so that a staged tracking document never stops a rebase (`--no-autostash` leaves it)\n\
set merge.autoStash for this repository, so that a staged tracking document never stops a merge or a pull (`--no-autostash` leaves it)\n";
/// The first lines of a first `init` in a repository without settings.
const FIRST_LINES: &str = "wrote .milestone.yml (every setting commented out at its default)\n\
                           created docs/milestones/\ncreated docs/milestones/tracking/\n";

#[test]
fn init_writes_the_commented_settings_file_and_the_folders() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(
            "wrote .milestone.yml (every setting commented out at its default)\n\
             created docs/milestones/\ncreated docs/milestones/tracking/\n{HOOKS_LINE}{DRIVER_LINE}{AUTOSTASH_LINE}"
        ),
        "{run}"
    );
    assert!(repo.path("docs/milestones").is_dir());
    assert!(repo.path("docs/milestones/tracking").is_dir());
    for hook in HOOKS {
        let text = String::from_utf8(repo.read(&format!(".git/hooks/{hook}"))).expect("UTF-8 hook");
        assert!(text.contains(&format!("exec git-milestone hook {hook} \"$@\"")), "{hook}:\n{text}");
    }
    let text = String::from_utf8(repo.read(".milestone.yml")).expect("UTF-8");
    for line in text.lines() {
        let t = line.trim_start();
        assert!(
            t.is_empty() || t.starts_with('#') || (!line.starts_with(' ') && t.ends_with(':')),
            "every setting is commented out, only section names remain: {line:?}\n{text}"
        );
    }
    for default in [
        "  # folder: docs/milestones\n",
        "  # folder: docs/milestones/tracking\n",
        "  # file: \"{id}-tracking.md\"\n",
        "  # update: stage\n",
        "  # pattern: \"feature/{surface}-{id}/{slug}\"\n",
        "  # pattern_without_surface: \"feature/{id}/{slug}\"\n",
        "  # hash_length: 7\n",
    ] {
        assert!(text.contains(default), "missing {default:?}\n{text}");
    }
    // The file it writes is a valid configuration.
    repo.milestone(["list"]).success();
    assert_eq!(repo.status(), "?? .milestone.yml\n", "init commits nothing");
}

#[test]
fn init_twice_changes_nothing() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    let before = repo.snapshot();
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(".milestone.yml exists; left as it is\nalready set up; nothing changed\n{HOOKS_LINE}"),
        "{run}"
    );
    assert!(repo.snapshot() == before, "the second init changed a file\n{run}");
    let hooks_before: Vec<Vec<u8>> = HOOKS.iter().map(|h| repo.read(&format!(".git/hooks/{h}"))).collect();
    repo.milestone(["init"]).success();
    let hooks_after: Vec<Vec<u8>> = HOOKS.iter().map(|h| repo.read(&format!(".git/hooks/{h}"))).collect();
    assert!(hooks_before == hooks_after, "a third init changed a hook");
}

#[test]
fn init_keeps_an_existing_settings_file() {
    let repo = TestRepo::new();
    repo.init_repo();
    let mine = "# ours\nbranch:\n  base: main\n";
    repo.write(".milestone.yml", mine);
    let run = repo.milestone(["init"]).success();
    assert_eq!(repo.read(".milestone.yml"), mine.as_bytes(), "{run}");
    assert!(
        run.stdout().starts_with(".milestone.yml exists; left as it is\ncreated docs/milestones/\n"),
        "{run}"
    );
    assert!(repo.path("docs/milestones/tracking").is_dir());
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

/// Returns `hooks status` after `init`: every hook `describe`d the same way, the merge driver
/// installed.
fn status_of(describe: &str) -> String {
    let mut status = "hooks folder: .git/hooks (the repository's hooks folder)\n".to_string();
    for hook in HOOKS {
        status.push_str(&format!("  {hook:<17} {describe}\n"));
    }
    status + "  merge driver      installed for docs/milestones/tracking/*.md\n"
}

#[test]
fn init_sets_rebase_autostash_and_installs_the_merge_driver() {
    let repo = TestRepo::new();
    repo.init_repo();
    assert_eq!(config_get(&repo, "rebase.autoStash"), None);
    let run = repo.milestone(["init"]).success();
    assert_eq!(run.stdout(), format!("{FIRST_LINES}{HOOKS_LINE}{DRIVER_LINE}{AUTOSTASH_LINE}"), "{run}");
    assert_eq!(config_get(&repo, "rebase.autoStash").as_deref(), Some("true\n"), "{run}");
    assert_eq!(config_get(&repo, "merge.autoStash").as_deref(), Some("true\n"), "{run}");
    assert_eq!(
        config_get(&repo, "merge.git-milestone.driver").as_deref(),
        Some("git-milestone merge-driver %O %A %B %P\n")
    );
    let doc = "docs/milestones/tracking/M1-tracking.md";
    assert_eq!(
        repo.git(["check-attr", "merge", "--", doc]),
        format!("{doc}: merge: git-milestone\n"),
        "the tracking documents merge through the driver"
    );
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(run.stdout(), status_of("installed"), "{run}");

    // A second run prints neither line and changes no byte, .git included.
    let config = repo.read(".git/config");
    let attributes = repo.read(".git/info/attributes");
    let before = repo.snapshot();
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(".milestone.yml exists; left as it is\nalready set up; nothing changed\n{HOOKS_LINE}"),
        "{run}"
    );
    assert_eq!(repo.read(".git/config"), config, "the second init changed .git/config");
    assert_eq!(repo.read(".git/info/attributes"), attributes, "the second init changed info/attributes");
    assert!(repo.snapshot() == before, "the second init changed a file\n{run}");
    assert_eq!(config_get(&repo, "rebase.autoStash").as_deref(), Some("true\n"));
}

#[test]
fn init_no_autostash_leaves_rebase_autostash_alone() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["init", "--no-autostash"]).success();
    assert_eq!(run.stdout(), format!("{FIRST_LINES}{HOOKS_LINE}{DRIVER_LINE}"), "{run}");
    assert_eq!(config_get(&repo, "rebase.autoStash"), None, "{run}");
    assert_eq!(config_get(&repo, "merge.autoStash"), None, "{run}");
    assert_eq!(
        config_get(&repo, "merge.git-milestone.driver").as_deref(),
        Some("git-milestone merge-driver %O %A %B %P\n"),
        "the merge driver is installed all the same"
    );

    // A value the user chose stays, too.
    repo.git(["config", "rebase.autoStash", "false"]);
    let config = repo.read(".git/config");
    let run = repo.milestone(["init", "--no-autostash"]).success();
    assert_eq!(
        run.stdout(),
        format!(".milestone.yml exists; left as it is\nalready set up; nothing changed\n{HOOKS_LINE}"),
        "{run}"
    );
    assert_eq!(config_get(&repo, "rebase.autoStash").as_deref(), Some("false\n"));
    assert_eq!(repo.read(".git/config"), config, "init --no-autostash changed .git/config");
}

#[test]
fn init_in_link_mode_links_the_hooks_to_the_binary() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.git(["config", "milestone.hooks.mode", "link"]);
    let hooks = repo.path(".git/hooks");
    let bin = crate::hooks::linked_binary();
    let run = repo.milestone(["init"]).success();
    assert_eq!(run.stdout(), format!("{FIRST_LINES}{HOOKS_LINE}{DRIVER_LINE}{AUTOSTASH_LINE}"), "{run}");
    for hook in HOOKS {
        assert_eq!(fs::read_link(hooks.join(hook)).ok(), Some(bin.clone()), "{hook} is a link to the binary");
    }
    let run = repo.milestone(["hooks", "status"]).success();
    assert_eq!(run.stdout(), status_of(&format!("installed as a link to `{}`", bin.display())), "{run}");
    // git runs the binary under the hook's name: the gate refuses a bad message.
    let run = repo.git_run_in(repo.root(), ["commit", "--quiet", "--allow-empty", "-m", "Add limiter"]);
    let run = run.failure(1);
    assert!(run.stderr().starts_with("commit message refused: "), "{run}");
    assert_eq!(repo.commit_count(), 1, "a refused message made a commit");

    // A second run keeps the links and changes nothing. (Not `snapshot`, which would read the
    // binary through every link.)
    let files = files_under(repo.root());
    let config = repo.read(".git/config");
    let attributes = repo.read(".git/info/attributes");
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(".milestone.yml exists; left as it is\nalready set up; nothing changed\n{HOOKS_LINE}"),
        "{run}"
    );
    for hook in HOOKS {
        assert_eq!(fs::read_link(hooks.join(hook)).ok(), Some(bin.clone()), "{hook} is still a link");
    }
    assert!(files_under(repo.root()) == files, "the second init changed the work tree\n{run}");
    assert_eq!(repo.read(".git/config"), config, "the second init changed .git/config");
    assert_eq!(repo.read(".git/info/attributes"), attributes, "the second init changed info/attributes");
}

#[test]
fn init_in_link_mode_replaces_the_shims_it_installed_with_links() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    let hooks = repo.path(".git/hooks");
    assert!(HOOKS.iter().all(|h| fs::read_link(hooks.join(h)).is_err()), "shims first");
    repo.git(["config", "milestone.hooks.mode", "link"]);
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(".milestone.yml exists; left as it is\nalready set up; nothing changed\n{HOOKS_LINE}"),
        "{run}"
    );
    let bin = crate::hooks::linked_binary();
    for hook in HOOKS {
        assert_eq!(fs::read_link(hooks.join(hook)).ok(), Some(bin.clone()), "{hook} is now a link");
    }
}

#[test]
fn init_keeps_an_autostash_the_user_turned_off_and_says_so() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.git(["config", "merge.autoStash", "false"]);
    let run = repo.milestone(["init"]).success();
    let out = run.stdout();
    assert!(out.contains("set rebase.autoStash for this repository"), "{run}");
    assert!(
        out.contains("merge.autoStash is false in your git config: left as it is (a staged tracking document will stop a merge or a pull until you commit or stash it)\n"),
        "{run}"
    );
    assert_eq!(config_get(&repo, "merge.autoStash").as_deref(), Some("false\n"), "{run}");
    assert_eq!(config_get(&repo, "rebase.autoStash").as_deref(), Some("true\n"), "{run}");
}
