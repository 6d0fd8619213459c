//! `git-milestone list [--json]`: every plan with its status, and its tracking document once
//! the milestone has started.

use serde_json::json;

use crate::support::TestRepo;

/// A repository with M1 started (surface api) and M2 only planned.
fn two_milestones() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["new", "M1", "Rate limits", "--surface", "api"]).success();
    repo.milestone(["new", "M2", "Fix login"]).success();
    repo.milestone(["start", "M1"]).success();
    repo
}

#[test]
fn list_says_when_there_are_no_milestones() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["list"]).success();
    assert_eq!(
        run.stdout(),
        "no milestones in docs/milestones/; plan one with `git milestone new ID \"Title\"`\n"
    );
    assert_eq!(repo.milestone(["list", "--json"]).success().json(), json!({"milestones": []}));
}

#[test]
fn list_shows_each_milestone_with_its_status() {
    let repo = two_milestones();
    let run = repo.milestone(["list"]).success();
    assert_eq!(
        run.stdout(),
        "M1  in_progress  Rate limits  tracking: docs/milestones/tracking/M1-tracking.md\n\
         M2  planned      Fix login\n",
        "{run}"
    );
}

#[test]
fn list_json_has_one_object_per_milestone() {
    let repo = two_milestones();
    let json = repo.milestone(["list", "--json"]).success().json();
    assert_eq!(
        json,
        json!({"milestones": [
            {
                "id": "M1",
                "title": "Rate limits",
                "status": "in_progress",
                "plan": "docs/milestones/M1.md",
                "tracking": "docs/milestones/tracking/M1-tracking.md",
                "error": null,
            },
            {
                "id": "M2",
                "title": "Fix login",
                "status": "planned",
                "plan": "docs/milestones/M2.md",
                "tracking": null,
                "error": null,
            },
        ]})
    );
}
