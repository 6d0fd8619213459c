//! `git-milestone lint`: the commit-msg rules over a range of commits (default: the branch's
//! own commits) and over a message file, cleaned as git cleans it.

use crate::support::{EXIT_CANNOT_RUN, TestRepo};

/// Returns a repository whose branch `topic` has six commits on `main`, three of them bad
/// (the second, the fifth and the sixth), and the short hashes of the six, oldest first.
fn topic_with_three_bad_commits() -> (TestRepo, Vec<String>) {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.git(["switch", "--quiet", "-c", "topic"]);
    let messages = [
        "feat: add limiter",
        "Add docs",
        "fix(api): off by one",
        "fixup! feat: add limiter",
        "feat:missing space",
        "chore: tidy\nno blank line above",
    ];
    let mut hashes = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        repo.write(&format!("f{i}.txt"), format!("{i}\n"));
        repo.commit_all(message);
        hashes.push(repo.rev("HEAD")[..7].to_string());
    }
    (repo, hashes)
}

/// Returns the report of the three bad commits of [`topic_with_three_bad_commits`].
fn three_bad(h: &[String], range: &str) -> String {
    format!(
        "{} chore: tidy\n  a blank line must separate the header from the body [body] (line 2)\n\
         {} feat:missing space\n  a space must follow the colon: `type: description` [separator] (line 1)\n\
         {} Add docs\n  the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): ` [type] (line 1)\n\
         {range}: 3 of 6 commits do not follow the rules\n",
        h[5], h[4], h[1]
    )
}

#[test]
fn lint_over_a_range_names_exactly_the_three_bad_commits() {
    let (repo, h) = topic_with_three_bad_commits();
    let run = repo.milestone(["lint", "main..HEAD"]).failure(1);
    assert_eq!(run.stdout(), three_bad(&h, "main..HEAD"), "{run}");
    assert_eq!(run.stderr(), "", "{run}");
}

#[test]
fn lint_without_a_range_checks_the_branchs_own_commits() {
    let (repo, h) = topic_with_three_bad_commits();
    let run = repo.milestone(["lint"]).failure(1);
    assert_eq!(run.stdout(), three_bad(&h, "main..HEAD"), "{run}");
}

#[test]
fn lint_of_good_commits_succeeds() {
    let (repo, _) = topic_with_three_bad_commits();
    let run = repo.milestone(["lint", "HEAD~4..HEAD~2"]).success();
    assert_eq!(run.stdout(), "HEAD~4..HEAD~2: 2 commits, all follow the rules\n", "{run}");
    // A single end means END..HEAD.
    let run = repo.milestone(["lint", "HEAD~3"]).failure(1);
    assert!(run.stdout().ends_with("HEAD~3: 2 of 3 commits do not follow the rules\n"), "{run}");
}

#[test]
fn lint_follows_the_repositorys_rules() {
    let (repo, h) = topic_with_three_bad_commits();
    repo.git(["config", "milestone.commits.types", "feat,chore"]);
    let run = repo.milestone(["lint", "main..HEAD"]).failure(1);
    assert!(
        run.stdout().contains(&format!(
            "{} fix(api): off by one\n  `fix` is not an allowed type; allowed: feat, chore [type] (line 1)\n",
            h[2]
        )),
        "{run}"
    );
    assert!(run.stdout().ends_with("main..HEAD: 4 of 6 commits do not follow the rules\n"), "{run}");
}

#[test]
fn lint_of_a_range_that_does_not_exist_cannot_run() {
    let (repo, _) = topic_with_three_bad_commits();
    let run = repo.milestone(["lint", "nope..HEAD"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().starts_with("error: `nope` in `nope..HEAD` does not name a commit\n"), "{run}");
    assert!(run.stderr().contains("hint: "), "{run}");
}

#[test]
fn lint_of_a_message_file_cleans_it_as_git_does() {
    let repo = TestRepo::new();
    repo.init_repo();
    // As git leaves it after an editor: comment block, scissors, diff.
    let edited = "feat: add limiter\n\n# Please enter the commit message for your changes. Lines starting\n\
                  # with '#' will be ignored.\n# ------------------------ >8 ------------------------\n\
                  diff --git a/x b/x\n";
    repo.write("edited.txt", edited);
    let run = repo.milestone(["lint", "--message-file", "edited.txt"]).success();
    assert_eq!(run.stdout(), "edited.txt: ok\n", "{run}");

    repo.write("bad.txt", "feat(api: add limiter\n");
    let run = repo.milestone(["lint", "--message-file", "bad.txt"]).failure(1);
    assert_eq!(
        run.stdout(),
        "bad.txt:\n  feat(api: add limiter\n      ^\n  the scope is not closed: write `type(scope): description` [scope]\n",
        "{run}"
    );

    for git_wrote in ["Merge branch 'topic'\n", "Revert \"feat: add limiter\"\n\nThis reverts commit abc.\n"]
    {
        repo.write("git.txt", git_wrote);
        repo.milestone(["lint", "--message-file", "git.txt"]).success();
    }
    let run = repo.milestone(["lint", "--message-file", "missing.txt"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().starts_with("error: cannot read `missing.txt`: no such file\n"), "{run}");
}
