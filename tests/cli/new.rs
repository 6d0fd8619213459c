//! `git-milestone new ID "Title"`: the plan document in the work tree, uncommitted, status
//! Planned, from the chosen template; an existing plan or a bad id is refused, nothing written.

use crate::git_support::{assert_refused, assert_unchanged};
use crate::support::TestRepo;

const PLAN: &str = "docs/milestones/M1.md";

#[test]
fn new_writes_the_plan_into_the_work_tree_without_committing_it() {
    let repo = TestRepo::new();
    repo.init_repo();
    let refs = repo.git(["for-each-ref"]);
    let run = repo.milestone(["new", "M1", "Rate limits", "--surface", "api"]).success();
    assert_eq!(
        run.stdout(),
        "wrote docs/milestones/M1.md (status Planned)\nnext: fill in its tasks, then `git milestone start M1`\n"
    );
    assert_eq!(repo.status(), format!("?? {PLAN}\n"), "the plan is not committed");
    assert_eq!(repo.git(["for-each-ref"]), refs, "no ref moved");
    let text = String::from_utf8(repo.read(PLAN)).expect("UTF-8");
    for part in
        ["\nstatus: planned\n", "# Milestone M1: Rate limits\n", "**Status**: ⏳ Planned", "**Area**: api"]
    {
        assert!(text.contains(part), "missing {part:?}\n{text}");
    }
    let head = text.split("\n## ").next().expect("header");
    assert!(!head.contains("{{"), "unfilled placeholder in the plan's header\n{head}");
}

#[test]
fn new_writes_from_the_named_template() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["new", "M1", "Rate limits", "--template", "plan"]).success();
    let text = String::from_utf8(repo.read(PLAN)).expect("UTF-8");
    assert!(text.contains("\n# Implementation Plan: M1 — Rate limits\n"), "{text}");
}

#[test]
fn new_refuses_an_existing_plan() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write(PLAN, "# Milestone M1: Mine\n");
    let before = repo.state();
    let run = repo.milestone(["new", "M1", "Other"]);
    let after = repo.state();
    let run = assert_refused(run, &["plan `docs/milestones/M1.md` already exists"]);
    assert_unchanged(&before, &after, &run);
}

#[test]
fn new_refuses_an_unknown_template() {
    let repo = TestRepo::new();
    repo.init_repo();
    let before = repo.state();
    let run = repo.milestone(["new", "M1", "Rate limits", "--template", "nope"]);
    let after = repo.state();
    let run = assert_refused(run, &["no template `nope`", "milestone, milestone-brief, plan, tracking"]);
    assert_unchanged(&before, &after, &run);
}

#[test]
fn new_refuses_an_invalid_id() {
    let repo = TestRepo::new();
    repo.init_repo();
    let before = repo.state();
    for id in ["a/b", "../M1", "a..b"] {
        let run = repo.milestone(["new", id, "Rate limits"]);
        let after = repo.state();
        let run = assert_refused(run, &["invalid milestone id"]);
        assert_unchanged(&before, &after, &run);
    }
}
