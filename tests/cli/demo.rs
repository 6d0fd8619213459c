//! `git-milestone demo DIR`: a scratch repository in an empty folder, through new, start,
//! three commits and inspect, each step printed; a folder that is not empty is refused.

use std::fs;

use crate::git_support::{assert_refused, files_under};
use crate::support::TestRepo;

#[test]
fn demo_in_an_empty_folder_leaves_a_repository_with_the_tracking_commit_and_three_more() {
    let repo = TestRepo::new();
    let dir = repo.path("scratch");
    fs::create_dir_all(&dir).expect("mkdir");
    let run = repo.milestone(["demo", "scratch"]).success();
    let branch = "feature/api-M1/rate-limits";
    assert_eq!(repo.head_branch_in(&dir), branch, "{run}");
    let log = repo.git_in(&dir, ["log", "--format=%s", "main..HEAD"]);
    assert_eq!(
        log,
        "test(api): cover bucket refill\n\
         feat(api): reject requests over the limit\n\
         feat(api): add a token bucket per API key\n\
         docs(M1): create tracking document for M1\n",
        "{run}"
    );
    assert_eq!(repo.git_in(&dir, ["log", "--format=%s", "main"]), "chore: start the demo service\n");
    let first = repo.git_in(&dir, ["show", "--name-status", "--format=", "main..HEAD", "--reverse"]);
    let first: Vec<&str> = first.lines().filter(|l| !l.is_empty()).take(2).collect();
    assert_eq!(first, ["A\tdocs/milestones/M1.md", "A\tdocs/milestones/tracking/M1-tracking.md"]);
    // The post-commit hook recorded each commit under the task in progress and in the log,
    // and staged the document.
    let doc = fs::read_to_string(dir.join("docs/milestones/tracking/M1-tracking.md")).expect("the document");
    for subject in [
        "feat(api): add a token bucket per API key",
        "feat(api): reject requests over the limit",
        "test(api): cover bucket refill",
    ] {
        let hash = repo
            .git_in(&dir, ["log", "--format=%h", "--abbrev=7", "-1", "--grep", subject, "--fixed-strings"]);
        let item = format!("- `{}` - {subject}\n", hash.trim());
        assert_eq!(doc.matches(&item).count(), 2, "{item:?} under the task and in the log\n{doc}");
    }
    assert!(!doc.contains("docs(M1): create tracking document"), "the first commit is bookkeeping\n{doc}");
    assert_eq!(
        repo.git_in(&dir, ["diff", "--cached", "--name-only"]),
        "docs/milestones/tracking/M1-tracking.md\n"
    );
    // The report charts each revision of the document: the start's commit alone (the hooks
    // staged their records, not committed them).
    let report = fs::read_to_string(dir.join("milestone-M1-report.html")).expect("the report");
    let revisions =
        repo.git_in(&dir, ["log", "--format=%H", "--", "docs/milestones/tracking/M1-tracking.md"]);
    assert_eq!(report.matches("class=\"point\"").count(), revisions.lines().count(), "{report}");
    let out = run.stdout();
    let mut at = 0;
    for step in [
        "$ git milestone init\n",
        "$ git milestone new M1 \"Rate limits\" --surface api\n",
        "$ git milestone start M1\n",
        &format!("created branch {branch}"),
        "$ git log --oneline --decorate\n",
        "$ git milestone inspect docs/milestones/tracking/M1-tracking.md\n",
        "$ git milestone status M1\n",
        "1.1  Token bucket per API key",
        "$ git milestone report M1 -o milestone-M1-report.html\n",
        "milestone-M1-report.html\n",
    ] {
        let found =
            out[at..].find(step).unwrap_or_else(|| panic!("step {step:?} missing or out of order\n{run}"));
        at += found + step.len();
    }
}

#[test]
fn demo_creates_a_folder_that_does_not_exist() {
    let repo = TestRepo::new();
    let run = repo.milestone(["demo", "new-folder"]).success();
    assert_eq!(repo.head_branch_in(&repo.path("new-folder")), "feature/api-M1/rate-limits", "{run}");
}

#[test]
fn demo_refuses_a_folder_that_is_not_empty() {
    let repo = TestRepo::new();
    repo.write("busy/notes.md", "# Notes\n");
    let before = files_under(repo.root());
    let run = assert_refused(repo.milestone(["demo", "busy"]), &["`busy` is not empty"]);
    assert_eq!(files_under(repo.root()), before, "{run}");
}
