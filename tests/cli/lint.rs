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

#[test]
fn lint_over_a_long_history_reports_the_bad_commits_in_walk_order_signed_ones_too() {
    // 5,000 commits, enough for lint to check on several threads, written with fast-import;
    // bad ones near both ends and in the middle.
    let repo = TestRepo::new();
    repo.init_repo();
    let count = 5_000;
    let bad = [3, 2_500, 2_501, 4_999];
    let mut stream = String::new();
    for i in 0..count {
        let message = if bad.contains(&i) {
            format!("Change number {i}\n")
        } else {
            format!("feat: change number {i}\n")
        };
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter C <c@example.com> {} +0000\ndata {}\n{message}\n",
            1_800_000_000 + i,
            message.len()
        ));
        stream.push_str(if i == 0 { "from refs/heads/main^0\n\n" } else { "\n" });
    }
    let file = repo.sibling("stream");
    std::fs::write(&file, stream).expect("write the stream");
    repo.git_with(["fast-import", "--quiet"], |c| {
        c.stdin(std::fs::File::open(&file).expect("open the stream"));
    })
    .success();
    repo.git(["reset", "--quiet", "--hard", "main"]);
    // Two signed commits on top: a multi-line `gpgsig` header with a blank continuation line
    // comes before the message, which is bad in one of them.
    for message in ["fix: signed and good", "Signed and bad"] {
        let tree = repo.rev("HEAD^{tree}");
        let parent = repo.rev("HEAD");
        let raw = format!(
            "tree {tree}\nparent {parent}\nauthor A <a@example.com> 1900000000 +0000\n\
             committer C <c@example.com> 1900000000 +0000\n\
             gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n{message}\n"
        );
        repo.write("raw-commit", raw);
        let id = repo.git(["hash-object", "-t", "commit", "-w", "raw-commit"]);
        std::fs::remove_file(repo.path("raw-commit")).expect("remove");
        repo.git(["update-ref", "refs/heads/main", id.trim()]);
    }
    let short = |rev: &str| repo.rev(rev)[..7].to_string();
    let type_rule =
        "  the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): ` [type] (line 1)\n";
    let mut want = format!("{} Signed and bad\n{type_rule}", short("HEAD"));
    for i in bad.iter().rev() {
        // Commit i of the stream is HEAD~(2 + 4999 - i).
        want.push_str(&format!(
            "{} Change number {i}\n{type_rule}",
            short(&format!("HEAD~{}", 2 + 4_999 - i))
        ));
    }
    want.push_str("HEAD~5002..HEAD: 5 of 5002 commits do not follow the rules\n");
    let run = repo.milestone(["lint", "HEAD~5002..HEAD"]).failure(1);
    assert_eq!(run.stdout(), want, "{run}");
}
