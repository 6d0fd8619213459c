//! `git-milestone init`: a commented `.milestone.yml` (unless one exists), the plans and
//! tracking folders, and the hooks; a second run changes no byte.

use crate::support::TestRepo;

const HOOKS_LINE: &str = "hooks: commit-msg, post-commit, post-rewrite, pre-merge-commit, pre-push (see `git milestone hooks status`)\n";
const HOOKS: [&str; 5] = ["commit-msg", "post-commit", "post-rewrite", "pre-merge-commit", "pre-push"];

#[test]
fn init_writes_the_commented_settings_file_and_the_folders() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["init"]).success();
    assert_eq!(
        run.stdout(),
        format!(
            "wrote .milestone.yml (every setting commented out at its default)\n\
             created docs/milestones/\ncreated docs/milestones/tracking/\n{HOOKS_LINE}"
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
