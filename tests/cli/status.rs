//! `git-milestone status [ID] [--json] [--color WHEN] [--all-branches]` (issue #7): every milestone at a
//! glance, and one milestone in detail, through the real binary and real git with the hooks
//! installed by `init`.

use serde_json::json;

use crate::git_support::today;
use crate::support::TestRepo;

/// The tracking document of M1, and its branch.
const DOC: &str = "docs/milestones/tracking/M1-tracking.md";
const BRANCH: &str = "feature/M1/rate-limits";

/// The date of the newest progress-log entry after `start` and a commit: the later of the
/// start's entry (today) and the commit's (the harness dates commits 2026-01-01).
fn newest() -> String {
    today().max("2026-01-01".to_string())
}

/// Writes `file` and commits it with the hooks (which record the commit).
fn commit(repo: &TestRepo, file: &str, subject: &str) {
    repo.write(file, format!("{subject}\n"));
    repo.git(["add", file]);
    repo.git_run_in(repo.root(), ["commit", "--quiet", "-m", subject]).success();
}

/// A repository with `init` done, M1 (Rate limits) started with one commit recorded by the
/// hooks, and M2 (Fix login) only planned.
fn two_milestones() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.milestone(["new", "M1", "Rate limits"]).success();
    repo.milestone(["new", "M2", "Fix login"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.milestone(["start", "M1"]).success();
    commit(&repo, "src/limiter.txt", "feat: add limiter");
    repo
}

#[test]
fn status_says_when_there_are_no_milestones() {
    let repo = TestRepo::new();
    repo.init_repo();
    let run = repo.milestone(["status"]).success();
    assert_eq!(
        run.stdout(),
        "no milestones in docs/milestones/; plan one with `git milestone new ID \"Title\"`\n",
        "{run}"
    );
    assert_eq!(repo.milestone(["status", "--json"]).success().json(), json!({"milestones": []}));
}

#[test]
fn status_shows_one_line_per_milestone() {
    let repo = two_milestones();
    let run = repo.milestone(["status"]).success();
    let last = newest();
    assert_eq!(
        run.stdout(),
        format!(
            "ID  STATUS       PROGRESS           TASKS  COMMITS  LAST        TITLE\n\
             M1  in_progress  [----------]   0%    0/1        1  {last}  Rate limits\n\
             M2  planned      [----------]   0%    0/0        0  -           Fix login\n"
        ),
        "{run}"
    );
    assert!(!run.stdout().contains('\x1b'), "no colour without a terminal\n{run}");
}

#[test]
fn status_json_has_one_object_per_milestone() {
    let repo = two_milestones();
    let json = repo.milestone(["status", "--json"]).success().json();
    assert_eq!(
        json,
        json!({"milestones": [
            {
                "id": "M1",
                "title": "Rate limits",
                "status": "in_progress",
                "branch": BRANCH,
                "percent": 0,
                "tasks_done": 0,
                "tasks_total": 1,
                "commits_recorded": 1,
                "last_activity": newest(),
                "plan": "docs/milestones/M1.md",
                "tracking": DOC,
                "source": "worktree",
            },
            {
                "id": "M2",
                "title": "Fix login",
                "status": "planned",
                "branch": null,
                "percent": 0,
                "tasks_done": 0,
                "tasks_total": 0,
                "commits_recorded": 0,
                "last_activity": null,
                "plan": "docs/milestones/M2.md",
                "tracking": null,
                "source": "plan",
            },
        ]})
    );
}

#[test]
fn status_counts_progress_tasks_and_commits_of_the_tracking_document() {
    let repo = two_milestones();
    commit(&repo, "src/second.txt", "feat: second step");
    // Tick the task's one checkbox and mark it complete, by hand.
    let text = String::from_utf8(repo.read(DOC)).expect("UTF-8");
    let text = text.replacen("- [ ] Rate limits", "- [x] Rate limits", 1);
    let in_progress = "**Status:** 🔄 In Progress";
    let at = text.rfind(in_progress).expect("the task's status");
    let text = format!("{}**Status:** ✅ Complete{}", &text[..at], &text[at + in_progress.len()..]);
    repo.write(DOC, text);
    let json = repo.milestone(["status", "--json"]).success().json();
    let m1 = &json["milestones"][0];
    assert_eq!(m1["id"], "M1");
    assert_eq!(m1["percent"], 100, "{json}");
    assert_eq!((m1["tasks_done"].clone(), m1["tasks_total"].clone()), (json!(1), json!(1)), "{json}");
    assert_eq!(m1["commits_recorded"], 2, "{json}");
    let run = repo.milestone(["status"]).success();
    assert!(run.stdout().contains("[##########] 100%    1/1        2  "), "{run}");
}

#[test]
fn status_sorts_by_status_then_id() {
    let repo = two_milestones();
    repo.write("docs/milestones/A1.md", "# A1: Done already\n\n**Status:** ✅ Complete\n");
    repo.write("docs/milestones/Z9.md", "# Z9: Stuck\n\n**Status:** ⛔ Blocked\n");
    repo.write("docs/milestones/B2.md", "# B2: Later\n\n**Status:** Deferred\n");
    repo.write("docs/milestones/C3.md", "# C3: Not yet\n\n**Status:** ⏳ Not Started\n");
    let json = repo.milestone(["status", "--json"]).success().json();
    let order: Vec<(&str, &str)> = json["milestones"]
        .as_array()
        .expect("array")
        .iter()
        .map(|m| (m["id"].as_str().expect("id"), m["status"].as_str().expect("status")))
        .collect();
    assert_eq!(
        order,
        [
            ("M1", "in_progress"),
            ("Z9", "blocked"),
            ("C3", "not_started"),
            ("M2", "planned"),
            ("B2", "deferred"),
            ("A1", "complete"),
        ]
    );
    let run = repo.milestone(["status"]).success();
    let out = run.stdout();
    let ids: Vec<&str> = out.lines().skip(1).map(|l| l.split(' ').next().unwrap_or_default()).collect();
    assert_eq!(ids, ["M1", "Z9", "C3", "M2", "B2", "A1"], "{run}");
}

#[test]
fn status_lists_a_tracking_document_without_a_plan() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.milestone(["start", "M5", "--title", "No plan here"]).success();
    let json = repo.milestone(["status", "--json"]).success().json();
    let m5 = &json["milestones"][0];
    assert_eq!(m5["id"], "M5", "{json}");
    assert_eq!(m5["title"], "No plan here", "{json}");
    assert_eq!(m5["status"], "in_progress", "{json}");
    assert_eq!(m5["plan"], json!(null), "{json}");
    assert_eq!(m5["tracking"], "docs/milestones/tracking/M5-tracking.md", "{json}");
}

#[test]
fn status_fits_80_columns_with_a_very_long_title() {
    let repo = two_milestones();
    let title = "A very long title that goes on and on about rate limits, quotas, buckets and more";
    repo.milestone(["new", "M3", title]).success();
    for args in [vec!["status"], vec!["status", "M1"], vec!["status", "M3"]] {
        let run = repo.milestone(&args).success();
        for line in run.stdout().lines() {
            assert!(line.chars().count() <= 80, "{} characters: {line:?}\n{run}", line.chars().count());
        }
    }
    let run = repo.milestone(["status"]).success();
    let line = run.stdout().lines().find(|l| l.starts_with("M3")).expect("M3's line").to_string();
    assert!(line.ends_with('…'), "the title is cut: {line:?}");
    assert!(line.contains("  A very long tit"), "{line:?}");
    // The JSON keeps the whole title.
    let json = repo.milestone(["status", "--json"]).success().json();
    assert!(json["milestones"].as_array().expect("array").iter().any(|m| m["title"] == title));
}

#[test]
fn status_id_shows_phases_tasks_next_steps_and_unrecorded_commits() {
    let repo = two_milestones();
    // A commit the hooks do not see.
    repo.write("src/sneaky.txt", "sneaky\n");
    repo.git(["add", "src/sneaky.txt"]);
    repo.git_run_in(
        repo.root(),
        ["-c", "core.hooksPath=/nonexistent", "commit", "--quiet", "-m", "fix: sneaky"],
    )
    .success();
    let sneaky = repo.git(["log", "-1", "--format=%h"]);
    let run = repo.milestone(["status", "M1"]).success();
    let out = run.stdout();
    let expected_head = format!(
        "M1  Rate limits\n\
         status:   in_progress\n\
         branch:   {BRANCH}\n\
         tracking: {DOC}\n\
         progress: [----------]   0%  0/1 tasks  1 commit recorded\n\
         last activity: {}\n\
         \n\
         Phase 1: Implementation  [----------]   0%  0/1 tasks\n  \
         1.1  Rate limits  in_progress\n\
         \n\
         blockers: none\n",
        newest()
    );
    assert!(out.starts_with(&expected_head), "{run}");
    // The newest entry is the start's (today is past the commits' 2026-01-01): its next steps.
    assert!(out.contains("next steps:\n  - Task 1.1: Rate limits\n"), "{run}");
    assert!(
        out.contains(
            "tests:\n  Unit Tests: 0 passing / 0 total\n  Integration Tests: 0 passing / 0 total\n  \
             E2E Tests: 0 passing / 0 planned\n"
        ),
        "{run}"
    );
    assert!(
        out.ends_with(&format!(
            "not recorded: 1 commit on the branch (`git milestone sync` records them)\n  {}  fix: sneaky\n",
            sneaky.trim()
        )),
        "{run}"
    );
    // `sync` records it; then nothing is left.
    repo.milestone(["sync"]).success();
    let run = repo.milestone(["status", "M1"]).success();
    assert!(run.stdout().ends_with("not recorded: none (every commit of the branch is recorded)\n"), "{run}");
}

#[test]
fn status_id_reads_the_branch_tip_when_head_is_elsewhere_and_shows_blockers() {
    let repo = two_milestones();
    // Blockers, written in the work tree's document on main after switching: the document
    // stays as the branch has it, so copy it over to read it on main.
    let text = String::from_utf8(repo.read(DOC)).expect("UTF-8");
    repo.git(["add", "--all"]);
    repo.git(["commit", "--quiet", "--no-verify", "-m", "docs: record"]);
    repo.git(["switch", "--quiet", "main"]);
    let with_blockers = text.replacen(
        "## Issues Encountered",
        "## Blockers\n\n- Waiting for the API keys\n- None\n\n**Blockers:** legal review\n\n## Issues Encountered",
        1,
    );
    repo.write(DOC, with_blockers);
    let run = repo.milestone(["status", "M1"]).success();
    let out = run.stdout();
    assert!(out.contains("blockers:\n  - Waiting for the API keys\n  - legal review\n"), "{run}");
    assert!(out.contains("not recorded: none"), "read from refs/heads/{BRANCH}\n{run}");
}

#[test]
fn status_id_of_a_planned_milestone_says_it_has_not_started() {
    let repo = two_milestones();
    let run = repo.milestone(["status", "M2"]).success();
    assert!(run.stdout().starts_with("M2  Fix login\nstatus:   planned\n"), "{run}");
    assert!(run.stdout().contains("git milestone start M2"), "{run}");
}

#[test]
fn status_colours_only_when_asked_or_on_a_terminal() {
    let repo = two_milestones();
    for args in [vec!["status"], vec!["status", "M1"]] {
        let plain = repo.milestone(&args).success();
        assert!(!plain.stdout().contains('\x1b'), "{plain}");
        let mut never = args.clone();
        never.extend(["--color", "never"]);
        let never = repo.milestone(&never).success();
        assert!(!never.stdout().contains('\x1b'), "{never}");
        assert_eq!(never.stdout(), plain.stdout());
        let mut always = args.clone();
        always.extend(["--color", "always"]);
        let always = repo.milestone(&always).success();
        assert!(always.stdout().contains("\x1b[33min_progress"), "{always}");
        assert!(always.stdout().contains("\x1b[0m"), "{always}");
    }
    repo.milestone(["status", "--color", "sometimes"]).failure(2);
}

#[test]
fn status_of_an_unknown_id_exits_2() {
    let repo = two_milestones();
    let run = repo.milestone(["status", "M9"]).failure(2);
    assert_eq!(run.stdout(), "", "{run}");
    let err = run.stderr();
    assert!(err.starts_with("error: no milestone `M9`"), "{run}");
    assert!(err.contains("hint: the milestones are: M1, M2"), "{run}");
}

#[test]
fn status_help_shows_an_example() {
    let repo = TestRepo::new();
    let run = repo.milestone(["status", "--help"]).success();
    assert!(run.stdout().contains("Example: `git milestone status"), "{run}");
}

/// [`two_milestones`], with the tracking document's changes committed on M1's branch and
/// `main` checked out again: the work tree has no tracking document.
fn back_on_main() -> TestRepo {
    let repo = two_milestones();
    repo.git(["add", "--all"]);
    repo.git(["commit", "--quiet", "--no-verify", "-m", "docs: record"]);
    repo.git(["checkout", "--quiet", "main"]);
    assert!(!repo.path(DOC).exists(), "M1's tracking document is only on its branch");
    repo
}

/// Asserts that nothing in the work tree changed and HEAD is still on `main`.
fn assert_untouched(repo: &TestRepo) {
    assert_eq!(repo.git(["status", "--porcelain"]), "", "the work tree is untouched");
    assert_eq!(repo.git(["symbolic-ref", "--short", "HEAD"]).trim(), "main", "HEAD stays on main");
}

#[test]
fn status_all_branches_reads_the_milestone_branch_tips_without_checking_them_out() {
    let repo = back_on_main();
    let run = repo.milestone(["status"]).success();
    assert!(
        run.stdout().contains("M1  planned  [----------]   0%    0/0        0  -           Rate limits\n"),
        "without the flag, M1 is only its plan on main\n{run}"
    );
    let run = repo.milestone(["status", "--all-branches"]).success();
    let last = newest();
    assert_eq!(
        run.stdout(),
        format!(
            "ID  STATUS       PROGRESS           TASKS  COMMITS  LAST        TITLE\n\
             M1  in_progress  [----------]   0%    0/1        1  {last}  Rate limits\n\
             M2  planned      [----------]   0%    0/0        0  -           Fix login\n"
        ),
        "{run}"
    );
    assert_untouched(&repo);

    let json = repo.milestone(["status", "--json", "--all-branches"]).success().json();
    let m1 = &json["milestones"][0];
    assert_eq!(m1["id"], "M1", "{json}");
    assert_eq!(m1["status"], "in_progress", "{json}");
    assert_eq!(m1["branch"], BRANCH, "{json}");
    assert_eq!(m1["commits_recorded"], 1, "{json}");
    assert_eq!(m1["tracking"], DOC, "{json}");
    assert_eq!(m1["source"], "branch", "{json}");
    assert_eq!(json["milestones"][1]["source"], "plan", "{json}");
    let json = repo.milestone(["status", "--json"]).success().json();
    assert_eq!(json["milestones"][0]["source"], "plan", "{json}");
    assert_untouched(&repo);
}

#[test]
fn status_id_all_branches_shows_the_phases_from_the_branch_tip() {
    let repo = back_on_main();
    let run = repo.milestone(["status", "M1"]).success();
    assert!(run.stdout().contains("git milestone start M1"), "without the flag: not started here\n{run}");
    assert!(run.stdout().contains("`--all-branches`"), "{run}");
    let run = repo.milestone(["status", "M1", "--all-branches"]).success();
    let out = run.stdout();
    assert!(
        out.starts_with(&format!(
            "M1  Rate limits\n\
             status:   in_progress\n\
             branch:   {BRANCH}\n\
             tracking: {BRANCH}:{DOC}\n\
             progress: [----------]   0%  0/1 tasks  1 commit recorded\n\
             last activity: {}\n\
             \n\
             Phase 1: Implementation  [----------]   0%  0/1 tasks\n  \
             1.1  Rate limits  in_progress\n",
            newest()
        )),
        "{run}"
    );
    assert!(out.contains("not recorded: none"), "{run}");
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{line:?}\n{run}");
    }
    assert_untouched(&repo);
}

#[test]
fn status_all_branches_prefers_the_work_tree_on_the_checked_out_branch() {
    let repo = two_milestones();
    // An uncommitted change in the work tree's document: it wins over the branch's tip.
    let text = String::from_utf8(repo.read(DOC)).expect("UTF-8");
    repo.write(DOC, text.replacen("- [ ] Rate limits", "- [x] Rate limits", 1));
    let json = repo.milestone(["status", "--json", "--all-branches"]).success().json();
    let m1 = &json["milestones"][0];
    assert_eq!(m1["source"], "worktree", "{json}");
    assert_eq!(m1["percent"], 100, "{json}");
}

#[test]
fn status_all_branches_lists_a_milestone_that_only_its_branch_has() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.milestone(["start", "M5", "--title", "No plan here"]).success();
    commit(&repo, "src/five.txt", "feat: five");
    repo.git(["add", "--all"]);
    repo.git(["commit", "--quiet", "--no-verify", "-m", "docs: record"]);
    repo.git(["checkout", "--quiet", "main"]);
    assert_eq!(repo.milestone(["status", "--json"]).success().json(), json!({"milestones": []}));
    let json = repo.milestone(["status", "--json", "--all-branches"]).success().json();
    let m5 = &json["milestones"][0];
    assert_eq!(m5["id"], "M5", "{json}");
    assert_eq!(m5["title"], "No plan here", "{json}");
    assert_eq!(m5["status"], "in_progress", "{json}");
    assert_eq!(m5["plan"], json!(null), "{json}");
    assert_eq!(m5["source"], "branch", "{json}");
    let run = repo.milestone(["status", "M5", "--all-branches"]).success();
    assert!(run.stdout().contains("Phase 1: "), "{run}");
    assert_untouched(&repo);
}
