//! `git-milestone plan next|check|start|log|done|block|defer|verify` (issue #8): the
//! implementation-plan workflow of form 002, through the real binary in a real repository.
//! Every step's result is compared with the whole expected file, so a byte changed anywhere
//! else fails the test.

use std::fs;

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use crate::support::{EXIT_CANNOT_RUN, TestRepo};

const PLAN: &str = "IMPLEMENTATION_PLAN.md";

/// A plan in the form's shape: phase 0 with two tracker rows; phase 1 with four rows, of
/// which TASKS-01 also has a YAML block; a session log with one placeholder row.
const TEMPLATE: &str = "\
---
title: \"Implementation Plan\"
custom_fields:
  last_updated: \"2026-01-15T10:00:00\"
---

# Implementation Plan Tracker

## 2. Phase Tracker

### 2.1 Phase 0: Project Initialization

| Status | ID | Task / Service | Priority | Dependents |
|--------|----|--------------------|:--------:|------------|
| COMPLETED | **SETUP-01** | **Project Init** | **P0** | All Code |
| SETUP-02-STATUS | **SETUP-02** | **Lint Config** | **P2** | - |

### 2.2 Phase 1: Foundation & Infrastructure

| Status      | ID       | Task / Service | Priority | Dependents |
|-------------|----------|----------------|:--------:|------------|
| NOT_STARTED | TASKS-02 | Logging        | P1       | -          |
| NOT_STARTED | TASKS-04 | Metrics        | P0       | -          |
| NOT_STARTED | TASKS-01 | Auth Service   | P0       | TASKS-03   |
| NOT_STARTED | TASKS-03 | Sessions       | P0       | -          |

```yaml
# v2.0 YAML format
phase_1_tasks:
  - id: TASKS-01
    service_name: \"Auth Service\"
    priority: P0
    dependents: \"TASKS-03\"
    workflow:
      pre_check:
        status: NOT_STARTED
        checklist:
          - verified_req: false       # Verified against REQ-01
          - checked_deps: false       # All dependencies available
      implementation:
        status: NOT_STARTED
        started: null                # YYYY-MM-DDTHH:MM:SS when started
        completed: null              # YYYY-MM-DDTHH:MM:SS when completed
      post_check:
        status: NOT_STARTED
        checklist:
          - tests_passing: false      # All tests pass
          - session_logged: false     # Detailed 'COMPLETED' entry in Session Log
```

## 3. Session Log

| Date | Task ID | Status | Notes |
|:-----|:--------|:-------|:------|
| YYYY-MM-DDTHH:MM:SS | TASKS-XX | COMPLETED | Implemented [Service Name]. |

**Session Log Guidelines**: one row per step.
";

/// The plan with SETUP-02 in `status`.
fn plan_text(setup02: &str) -> String {
    TEMPLATE.replace("SETUP-02-STATUS", setup02)
}

/// A repository holding the plan with phase 0 completed.
fn repo_with_plan() -> TestRepo {
    repo_with(&plan_text("COMPLETED"))
}

fn repo_with(plan: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write(PLAN, plan);
    repo
}

fn read(repo: &TestRepo, rel: &str) -> String {
    String::from_utf8(repo.read(rel)).expect("UTF-8")
}

/// Returns the 1-based line of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with `{needle}`")) + 1
}

/// Replaces the one occurrence of `from` in `text`, panicking when there is not exactly one.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "`{from}` is not in the text exactly once");
    text.replacen(from, to, 1)
}

/// Checks that a timestamp in the form's format was taken during the test.
fn assert_recent(stamp: &str, before: NaiveDateTime) {
    let t = NaiveDateTime::parse_from_str(stamp, "%Y-%m-%dT%H:%M:%S")
        .unwrap_or_else(|e| panic!("`{stamp}` is not YYYY-MM-DDTHH:MM:SS: {e}"));
    let after = chrono::Local::now().naive_local();
    assert!(t >= before.with_nanosecond0() && t <= after, "{t} is not between {before} and {after}");
}

trait Seconds {
    fn with_nanosecond0(self) -> NaiveDateTime;
}

impl Seconds for NaiveDateTime {
    fn with_nanosecond0(self) -> NaiveDateTime {
        use chrono::Timelike;
        self.with_nanosecond(0).expect("valid")
    }
}

fn next_json(repo: &TestRepo) -> Value {
    repo.milestone(["plan", "next", "--json"]).success().json()
}

#[test]
fn next_takes_the_current_phase_before_a_higher_priority() {
    let repo = repo_with(&plan_text("NOT_STARTED"));
    let next = next_json(&repo);
    assert_eq!(next["next"]["id"], "SETUP-02", "{next:#}");
    assert_eq!(next["next"]["priority"], "P2");
    let heading = line_of(TEMPLATE, "### 2.1 Phase 0");
    assert_eq!(
        next["phase"],
        json!({"id": "0", "title": "2.1 Phase 0: Project Initialization", "line": heading})
    );
    assert_eq!(
        next["counts"],
        json!({"total": 6, "completed": 1, "in_progress": 0, "blocked": 0, "deferred": 0, "not_started": 5})
    );
    let run = repo.milestone(["plan", "next"]).success();
    assert!(run.stdout().starts_with("next: SETUP-02  Lint Config  (P2, NOT_STARTED)\n"), "{run}");
    assert!(
        run.stdout().contains(&format!("at {PLAN}:{}\n", line_of(TEMPLATE, "| **SETUP-02** |"))),
        "{run}"
    );
    assert!(run.stdout().ends_with("  start it: git milestone plan start SETUP-02\n"), "{run}");
}

#[test]
fn next_orders_by_priority_then_table_order_and_waits_for_dependencies() {
    let repo = repo_with_plan();
    let next = next_json(&repo);
    // TASKS-04 and TASKS-01 are both P0: TASKS-04 comes first in the table. TASKS-03 is named
    // among TASKS-01's dependents, so it waits for it.
    assert_eq!(next["next"]["id"], "TASKS-04", "{next:#}");
    assert_eq!(next["phase"]["id"], "1");
    assert_eq!(
        next["skipped"],
        json!([
            {"id": "SETUP-01", "reason": "completed"},
            {"id": "SETUP-02", "reason": "completed"},
            {"id": "TASKS-03", "reason": "waiting", "waiting_on": ["TASKS-01"]},
        ])
    );
    // The YAML block's task carries its checklists.
    let plan = read(&repo, PLAN);
    repo.write(PLAN, swap(&plan, "| NOT_STARTED | TASKS-04 |", "| BLOCKED     | TASKS-04 |"));
    let next = next_json(&repo);
    assert_eq!(next["next"]["id"], "TASKS-01", "{next:#}");
    let task = &next["next"];
    assert_eq!(task["tracker_rows"], json!([line_of(&plan, "| TASKS-01 |")]));
    assert_eq!(task["line"], line_of(&plan, "| TASKS-01 |"));
    assert_eq!(
        task["pre_check"]["items"][0],
        json!({"name": "verified_req", "value": false, "line": line_of(&plan, "verified_req")})
    );
    assert_eq!(task["post_check"]["status"], "NOT_STARTED");
}

#[test]
fn next_skips_blocked_deferred_and_waiting_tasks_and_says_when_none_is_left() {
    let repo = repo_with_plan();
    let plan = read(&repo, PLAN);
    let plan = swap(&plan, "| NOT_STARTED | TASKS-04 |", "| BLOCKED     | TASKS-04 |");
    // The YAML block's status is the task's, whatever its tracker row says.
    let plan = swap(
        &plan,
        "      implementation:\n        status: NOT_STARTED",
        "      implementation:\n        status: DEFERRED",
    );
    repo.write(PLAN, &plan);
    let next = next_json(&repo);
    assert_eq!(next["next"]["id"], "TASKS-02", "{next:#}");
    assert_eq!(next["next"]["priority"], "P1");
    let reasons: Vec<(String, String)> = next["skipped"]
        .as_array()
        .expect("array")
        .iter()
        .map(|s| {
            (s["id"].as_str().unwrap_or_default().into(), s["reason"].as_str().unwrap_or_default().into())
        })
        .collect();
    assert!(reasons.contains(&("TASKS-04".into(), "blocked".into())), "{reasons:?}");
    assert!(reasons.contains(&("TASKS-01".into(), "deferred".into())), "{reasons:?}");
    assert!(reasons.contains(&("TASKS-03".into(), "waiting".into())), "{reasons:?}");

    // TASKS-02 in progress is still the one to do; then all done: nothing left.
    let plan = swap(&plan, "| NOT_STARTED | TASKS-02 |", "| IN_PROGRESS | TASKS-02 |");
    repo.write(PLAN, &plan);
    assert_eq!(next_json(&repo)["next"]["status"], "IN_PROGRESS");
    let done = plan
        .replace("| NOT_STARTED |", "| COMPLETED   |")
        .replace("| BLOCKED     |", "| COMPLETED   |")
        .replace("| IN_PROGRESS |", "| COMPLETED   |");
    let done = swap(&done, "status: DEFERRED", "status: COMPLETED");
    repo.write(PLAN, done);
    let next = next_json(&repo);
    assert_eq!(next["next"], Value::Null, "{next:#}");
    assert_eq!(next["phase"], Value::Null);
    let run = repo.milestone(["plan", "next"]).success();
    assert_eq!(run.stdout(), format!("nothing to do: all 6 tasks of {PLAN} are completed\n"));
    // Only blocked work left: said so, with why.
    repo.write(PLAN, swap(&read(&repo, PLAN), "| COMPLETED   | TASKS-02 |", "| BLOCKED     | TASKS-02 |"));
    let run = repo.milestone(["plan", "next"]).success();
    assert_eq!(run.stdout(), "no task can be taken up: TASKS-02 (blocked)\n", "{run}");
}

#[test]
fn start_is_refused_naming_each_unmet_item_then_done_likewise_then_both_are_recorded() {
    let repo = repo_with_plan();
    let original = read(&repo, PLAN);
    let before = chrono::Local::now().naive_local();

    // Refused: both pre-check items are false; nothing is written.
    let snapshot = repo.snapshot();
    let run = repo.milestone(["plan", "start", "TASKS-01"]).failure(1);
    let err = run.stderr();
    assert!(err.starts_with("refused: cannot start `TASKS-01`\n"), "{run}");
    for item in ["verified_req", "checked_deps"] {
        let at = format!("pre_check item `{item}` is not true ({PLAN}:{})", line_of(&original, item));
        assert!(err.contains(&at), "missing `{at}`\n{run}");
    }
    assert!(
        err.contains("hint: verify each item, then tick it: `git milestone plan check TASKS-01 pre ITEM...`"),
        "{run}"
    );
    assert_eq!(repo.snapshot(), snapshot, "a refused start wrote something");

    // One item ticked: still refused, now naming only the other.
    repo.milestone(["plan", "check", "TASKS-01", "pre", "verified_req"]).success();
    let ticked = swap(&original, "- verified_req: false       #", "- verified_req: true        #");
    assert_eq!(read(&repo, PLAN), ticked);
    let run = repo.milestone(["plan", "start", "TASKS-01", "--json"]).failure(1);
    assert!(!run.stderr().contains("verified_req"), "{run}");
    assert!(run.stderr().contains("checked_deps"), "{run}");
    let refused = run.json();
    assert_eq!(refused["refused"].as_array().map(Vec::len), Some(1), "{refused:#}");
    assert_eq!(refused["task"]["status"], "NOT_STARTED");

    // Both ticked: started. The YAML block, the tracker row and the session log change, and
    // nothing else.
    repo.milestone(["plan", "check", "TASKS-01", "pre", "checked_deps"]).success();
    let started = repo.milestone(["plan", "start", "TASKS-01", "--json"]).success().json();
    let stamp = started["session_log"]["date"].as_str().expect("a date").to_string();
    assert_recent(&stamp, before);
    let expected = swap(&ticked, "- checked_deps: false       #", "- checked_deps: true        #");
    let expected = swap(
        &expected,
        "      pre_check:\n        status: NOT_STARTED",
        "      pre_check:\n        status: COMPLETED",
    );
    let expected = swap(
        &expected,
        "        status: NOT_STARTED\n        started: null                #",
        &format!("        status: IN_PROGRESS\n        started: {stamp} #"),
    );
    let expected = swap(&expected, "| NOT_STARTED | TASKS-01 |", "| IN_PROGRESS | TASKS-01 |");
    let row1 = format!(
        "| {stamp} | TASKS-01 | IN_PROGRESS | Started; pre-checks verified: verified_req, checked_deps. |"
    );
    let expected = swap(
        &expected,
        "Implemented [Service Name]. |\n",
        &format!("Implemented [Service Name]. |\n{row1}\n"),
    );
    assert_eq!(read(&repo, PLAN), expected);
    assert_eq!(started["task"]["status"], "IN_PROGRESS");
    assert_eq!(started["task"]["started"], stamp.as_str());
    assert_eq!(started["changed"], json!([PLAN]));
    assert_eq!(
        started["session_log"],
        json!({"date": stamp, "task": "TASKS-01", "status": "IN_PROGRESS", "notes": "Started; pre-checks verified: verified_req, checked_deps."})
    );
    // Started once is enough.
    let run = repo.milestone(["plan", "start", "TASKS-01"]).failure(1);
    assert!(run.stderr().contains("`TASKS-01` is already IN_PROGRESS"), "{run}");

    // Done is refused until the post-checks hold.
    let run = repo.milestone(["plan", "done", "TASKS-01"]).failure(1);
    assert!(run.stderr().starts_with("refused: cannot complete `TASKS-01`\n"), "{run}");
    for item in ["tests_passing", "session_logged"] {
        let at = format!("post_check item `{item}` is not true ({PLAN}:{})", line_of(&original, item));
        assert!(run.stderr().contains(&at), "missing `{at}`\n{run}");
    }
    assert_eq!(read(&repo, PLAN), expected, "a refused done wrote something");
    repo.milestone(["plan", "log", "TASKS-01", "Token validation passes its tests"]).success();
    repo.milestone(["plan", "check", "TASKS-01", "post", "tests_passing", "session_logged"]).success();
    let done = repo.milestone(["plan", "done", "TASKS-01", "--json"]).success().json();
    let log_stamp_rows: Vec<String> = read(&repo, PLAN)
        .lines()
        .filter(|l| l.contains("| TASKS-01 |") && l.starts_with("| 20"))
        .map(String::from)
        .collect();
    assert_eq!(log_stamp_rows.len(), 3, "{log_stamp_rows:?}");
    let stamp2 = done["session_log"]["date"].as_str().expect("a date").to_string();
    assert_recent(&stamp2, before);
    let expected = swap(&expected, "- tests_passing: false      #", "- tests_passing: true       #");
    let expected = swap(&expected, "- session_logged: false     #", "- session_logged: true      #");
    let expected = swap(
        &expected,
        "      post_check:\n        status: NOT_STARTED",
        "      post_check:\n        status: COMPLETED",
    );
    let expected = swap(&expected, "        status: IN_PROGRESS\n", "        status: COMPLETED\n");
    let expected =
        swap(&expected, "        completed: null              #", &format!("        completed: {stamp2} #"));
    let expected = swap(&expected, "| IN_PROGRESS | TASKS-01 |", "| COMPLETED   | TASKS-01 |");
    let row2 = log_stamp_rows[1].clone();
    assert!(row2.ends_with("| TASKS-01 | IN_PROGRESS | Token validation passes its tests |"), "{row2}");
    let row3 = format!(
        "| {stamp2} | TASKS-01 | COMPLETED | Completed; post-checks verified: tests_passing, session_logged. |"
    );
    let expected = swap(&expected, &format!("{row1}\n"), &format!("{row1}\n{row2}\n{row3}\n"));
    assert_eq!(read(&repo, PLAN), expected);
    assert_eq!(done["task"]["state"], "complete");

    // TASKS-03 waited for TASKS-01; now it may be taken up.
    let next = next_json(&repo);
    assert!(!next["skipped"].as_array().expect("array").iter().any(|s| s["id"] == "TASKS-03"), "{next:#}");
}

#[test]
fn done_is_refused_for_a_task_not_started() {
    let repo = repo_with_plan();
    let snapshot = repo.snapshot();
    let run = repo.milestone(["plan", "done", "TASKS-04"]).failure(1);
    assert!(
        run.stderr().contains("`TASKS-04` is NOT_STARTED, not in progress: start it first with `git milestone plan start TASKS-04`"),
        "{run}"
    );
    assert_eq!(repo.snapshot(), snapshot);
}

#[test]
fn block_defer_and_log_update_the_tracker_row_and_the_session_log() {
    let repo = repo_with_plan();
    let original = read(&repo, PLAN);
    let run =
        repo.milestone(["plan", "block", "TASKS-04", "--why", "waiting for the metrics | API key"]).success();
    let text = read(&repo, PLAN);
    let row =
        text.lines().rev().find(|l| l.contains("| TASKS-04 | BLOCKED |")).expect("a log row").to_string();
    assert!(row.ends_with("| TASKS-04 | BLOCKED | Blocked: waiting for the metrics \\| API key |"), "{row}");
    let expected = swap(&original, "| NOT_STARTED | TASKS-04 |", "| BLOCKED     | TASKS-04 |");
    let expected = swap(
        &expected,
        "Implemented [Service Name]. |\n",
        &format!("Implemented [Service Name]. |\n{row}\n"),
    );
    assert_eq!(text, expected);
    assert!(run.stdout().starts_with("TASKS-04: BLOCKED\n"), "{run}");

    repo.milestone(["plan", "defer", "TASKS-02"]).success();
    repo.milestone(["plan", "log", "TASKS-03", "Read the session store's docs"]).success();
    let text = read(&repo, PLAN);
    assert!(text.contains("| DEFERRED    | TASKS-02 | Logging        |"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| 20")).collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows[1].ends_with("| TASKS-02 | DEFERRED | Deferred. |"), "{rows:?}");
    assert!(rows[2].ends_with("| TASKS-03 | NOT_STARTED | Read the session store's docs |"), "{rows:?}");
    // Blocked and deferred are left out of next.
    let next = next_json(&repo);
    assert_eq!(next["next"]["id"], "TASKS-01", "{next:#}");
    assert_eq!(next["counts"]["blocked"], 1);
    assert_eq!(next["counts"]["deferred"], 1);
    // A blocked task that is unblocked is started like any other (TASKS-04 has no checklist).
    let started = repo.milestone(["plan", "start", "TASKS-04", "--json"]).success().json();
    assert_eq!(started["task"]["status"], "IN_PROGRESS");
}

#[test]
fn a_table_written_aligned_gets_an_aligned_session_log_row() {
    let plan = plan_text("COMPLETED").replace(
        "| Date | Task ID | Status | Notes |\n|:-----|:--------|:-------|:------|\n| YYYY-MM-DDTHH:MM:SS | TASKS-XX | COMPLETED | Implemented [Service Name]. |\n",
        "| Date                | Task ID  | Status      | Notes                          |\n|:--------------------|:---------|:------------|:-------------------------------|\n| 2026-11-02T09:00:00 | SETUP-01 | COMPLETED   | Poetry project initialised.    |\n",
    );
    let repo = repo_with(&plan);
    let run = repo.milestone(["plan", "log", "TASKS-02", "Chose a logger", "--json"]).success();
    let stamp = run.json()["session_log"]["date"].as_str().expect("date").to_string();
    let text = read(&repo, PLAN);
    let expected = swap(
        &plan,
        "| Poetry project initialised.    |\n",
        &format!(
            "| Poetry project initialised.    |\n| {stamp} | TASKS-02 | NOT_STARTED | Chose a logger                 |\n"
        ),
    );
    assert_eq!(text, expected);
}

#[test]
fn a_task_file_is_edited_first_and_the_plans_copy_follows_it() {
    let repo = repo_with_plan();
    let task_file = "\
# TASKS-01: Auth Service

## Tracking

```yaml
tasks_tracking:
  id: TASKS-01
  workflow:
    pre_check:
      status: NOT_STARTED
      checklist:
        - verified_req: false   # REQ-01
        - checked_deps: false
    implementation:
      status: NOT_STARTED
      started: null
      completed: null
    post_check:
      status: NOT_STARTED
      checklist:
        - tests_passing: false
        - session_logged: false
```
";
    repo.write("tasks/TASKS-01_auth_service.md", task_file);
    let file = "tasks/TASKS-01_auth_service.md";
    repo.milestone(["plan", "verify"]).success();

    // Ticking edits the task file, and the plan's copy follows.
    let run = repo
        .milestone(["plan", "check", "TASKS-01", "pre", "verified_req", "checked_deps", "--json"])
        .success();
    assert_eq!(run.json()["changed"], json!([file, PLAN]), "{run}");
    assert_eq!(run.json()["task"]["task_file"], file);
    let f = read(&repo, file);
    assert!(f.contains("- verified_req: true    # REQ-01\n        - checked_deps: true\n"), "{f}");
    let started = repo.milestone(["plan", "start", "TASKS-01", "--json"]).success().json();
    let stamp = started["session_log"]["date"].as_str().expect("date").to_string();
    let f = read(&repo, file);
    assert!(f.contains(&format!("      status: IN_PROGRESS\n      started: {stamp}\n")), "{f}");
    let plan = read(&repo, PLAN);
    assert!(plan.contains(&format!("        status: IN_PROGRESS\n        started: {stamp} #")), "{plan}");
    assert!(plan.contains("- checked_deps: true        #"), "{plan}");
    repo.milestone(["plan", "verify"]).success();

    // A hand edit of the task file: verify names both places; the next step copies it.
    repo.write(file, swap(&read(&repo, file), "- tests_passing: false", "- tests_passing: true"));
    let run = repo.milestone(["plan", "verify"]).failure(1);
    let plan_line = line_of(&plan, "tests_passing");
    let file_line = line_of(&read(&repo, file), "tests_passing");
    assert!(
        run.stdout().contains(&format!(
            "TASKS-01 post_check.tests_passing: false at {PLAN}:{plan_line}, but true at {file}:{file_line}"
        )),
        "{run}"
    );
    let json = repo.milestone(["plan", "verify", "--json"]).failure(1).json();
    assert_eq!(
        json["disagreements"],
        json!([{"task": "TASKS-01", "field": "post_check.tests_passing", "plan": "false", "plan_at": format!("{PLAN}:{plan_line}"), "other": "true", "other_at": format!("{file}:{file_line}")}])
    );
    assert_eq!(json["task_files"], json!([{"task": "TASKS-01", "path": file}]));
    repo.milestone(["plan", "log", "TASKS-01", "Wrote the token tests"]).success();
    assert!(read(&repo, PLAN).contains("- tests_passing: true       #"));
    repo.milestone(["plan", "verify"]).success();
}

#[test]
fn verify_reports_a_tracker_row_that_disagrees_with_its_yaml_block() {
    let repo = repo_with_plan();
    let plan = swap(&read(&repo, PLAN), "| NOT_STARTED | TASKS-01 |", "| COMPLETED   | TASKS-01 |");
    repo.write(PLAN, &plan);
    let run = repo.milestone(["plan", "verify"]).failure(1);
    let row = line_of(&plan, "| TASKS-01 |");
    let block = line_of(&plan, "- id: TASKS-01");
    assert!(
        run.stdout().contains(&format!(
            "TASKS-01 tracker.status: COMPLETED at {PLAN}:{row}, but NOT_STARTED at {PLAN}:{block}"
        )),
        "{run}"
    );
}

#[test]
fn bad_input_is_an_error_that_says_where_and_changes_nothing() {
    let repo = repo_with_plan();
    let snapshot = repo.snapshot();

    let run = repo.milestone(["plan", "start", "TASKS-99"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().starts_with("error: no task `TASKS-99` in the plan\n"), "{run}");
    run.assert_names(PLAN, None);
    assert!(
        run.stderr().contains(
            "hint: the plan's tasks are: SETUP-01, SETUP-02, TASKS-02, TASKS-04, TASKS-01, TASKS-03"
        ),
        "{run}"
    );

    let run = repo.milestone(["plan", "check", "TASKS-01", "pre", "verified_reqs"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("task `TASKS-01` has no pre_check item `verified_reqs`"), "{run}");
    run.assert_names(PLAN, Some(line_of(TEMPLATE, "verified_req")));
    assert!(run.stderr().contains("hint: the items are: verified_req, checked_deps"), "{run}");

    let run = repo.milestone(["plan", "check", "TASKS-04", "post", "tests_passing"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("task `TASKS-04` has no post_check checklist"), "{run}");

    let run = repo.milestone(["plan", "next", "--plan", "missing.md"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("cannot read `missing.md`: no such file"), "{run}");
    let run = repo.milestone(["plan", "block", "TASKS-01"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("--why"), "{run}");
    assert_eq!(repo.snapshot(), snapshot);

    // Not a plan; a plan without a session log for `log`; no plan at the default path.
    repo.write("notes.md", "# Notes\n\n- [ ] a task list is not a plan\n");
    let run = repo.milestone(["plan", "next", "--plan", "notes.md"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("`notes.md` has no tasks: it is not an implementation plan"), "{run}");
    let cut = TEMPLATE.find("## 3. Session Log").expect("log section");
    repo.write("short.md", &plan_text("COMPLETED")[..cut]);
    let snapshot = repo.snapshot();
    let run = repo.milestone(["plan", "log", "TASKS-02", "x", "--plan", "short.md"]).failure(EXIT_CANNOT_RUN);
    assert!(run.stderr().contains("the plan has no session-log table"), "{run}");
    assert_eq!(repo.snapshot(), snapshot);
    fs::remove_file(repo.path(PLAN)).expect("remove plan");
    let run = repo.milestone(["plan", "next"]).failure(EXIT_CANNOT_RUN);
    assert!(
        run.stderr().contains("no implementation plan: `IMPLEMENTATION_PLAN.md` does not exist"),
        "{run}"
    );
    assert!(run.stderr().contains("plans.implementation"), "{run}");
}

#[test]
fn the_plan_path_comes_from_the_configuration() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write("docs/plan/PLAN.md", plan_text("COMPLETED"));
    repo.write(".milestone.yml", "plans:\n  implementation: docs/plan/PLAN.md\n");
    let next = next_json(&repo);
    assert_eq!(next["plan"], "docs/plan/PLAN.md");
    assert_eq!(next["next"]["id"], "TASKS-04");
}

#[test]
fn the_plan_fixtures_keep_every_other_byte_and_their_line_endings() {
    for fixture in ["plan.filled.md", "plan.filled.crlf.md"] {
        let repo = TestRepo::new();
        repo.init_repo();
        let (name, bytes) = repo.add_fixture(&format!("forms/{fixture}"));
        let original = String::from_utf8(bytes).expect("UTF-8");
        let eol = if fixture.contains("crlf") { "\r\n" } else { "\n" };
        repo.milestone(["plan", "block", "TASKS-02", "--why", "CI runners are down", "--plan", &name])
            .success();
        let text = read(&repo, &name);
        let old: Vec<&str> = original.split_inclusive('\n').collect();
        let new: Vec<&str> = text.split_inclusive('\n').collect();
        assert_eq!(new.len(), old.len() + 1, "{fixture}: one session-log row is added");
        assert!(new.iter().all(|l| l.ends_with(eol)), "{fixture}: a line lost its {eol:?} ending");
        // The added row is right after the session log's last row.
        let added = (0..new.len()).find(|&i| old.get(i) != Some(&new[i])).expect("a difference");
        let (block_start, block_end) =
            (line_of(&original, "- id: TASKS-02"), line_of(&original, "- id: TASKS-03"));
        let status_line = (block_start..block_end)
            .find(|&l| old[l - 1].contains("status: IN_PROGRESS"))
            .expect("a status line");
        assert_eq!(added + 1, status_line, "{fixture}: the first change is TASKS-02's status");
        assert_eq!(new[added], old[added].replace("IN_PROGRESS", "BLOCKED"));
        let rest_old: Vec<&str> =
            old.iter().enumerate().filter(|(i, _)| *i != added).map(|(_, l)| *l).collect();
        let mut rest_new: Vec<&str> =
            new.iter().enumerate().filter(|(i, _)| *i != added).map(|(_, l)| *l).collect();
        let row = rest_new
            .iter()
            .position(|l| l.contains("| TASKS-02 | BLOCKED | Blocked: CI runners are down |"))
            .expect("the row");
        assert!(
            rest_old[row - 1].starts_with('|') && !rest_old.get(row).is_some_and(|l| l.starts_with('|')),
            "{fixture}: the row is not appended to the log table"
        );
        rest_new.remove(row);
        assert_eq!(rest_new, rest_old, "{fixture}: bytes changed outside the task's status and the new row");
    }
}

/// Returns `text` with every `YYYY-MM-DDTHH:MM:SS` time replaced by `<time>`.
fn without_times(text: &str) -> String {
    let shape = |s: &[u8]| {
        s.len() == 19
            && s.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                10 => *b == b'T',
                13 | 16 => *b == b':',
                _ => b.is_ascii_digit(),
            })
    };
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < text.len() {
        if i + 19 <= text.len() && shape(&bytes[i..i + 19]) {
            out.push_str("<time>");
            i += 19;
        } else {
            let c = text[i..].chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Splits a shell command line into words: spaces separate, double quotes group.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

#[test]
fn the_agents_guide_walkthrough_runs_as_documented() {
    let root = env!("CARGO_MANIFEST_DIR");
    let guide = fs::read_to_string(format!("{root}/docs/agents.md")).expect("docs/agents.md");
    let example =
        fs::read_to_string(format!("{root}/docs/examples/IMPLEMENTATION_PLAN.md")).expect("the example plan");
    let start = guide.find("### A worked example").expect("the worked example");
    let block = &guide[start..];
    let block = &block[block.find("```console\n").expect("a console block") + 11..];
    let block = &block[..block.find("```").expect("the block's end")];
    let repo = repo_with(&example);
    let mut steps = 0;
    let mut lines = block.lines().peekable();
    while let Some(line) = lines.next() {
        let command = line.strip_prefix("$ git milestone ").expect("a command line");
        let (command, code) = match command.split_once("   # exit ") {
            Some((c, code)) => (c, code.parse::<i32>().expect("an exit code")),
            None => (command, 0),
        };
        let mut expected = String::new();
        while let Some(out) = lines.next_if(|l| !l.starts_with("$ ")) {
            expected.push_str(out);
            expected.push('\n');
        }
        let run = if code == 0 {
            repo.milestone(words(command)).success()
        } else {
            repo.milestone(words(command)).failure(code)
        };
        let shown = format!("{}{}", run.stdout(), run.stderr());
        assert_eq!(
            without_times(&shown),
            without_times(&expected),
            "`{command}` prints what docs/agents.md shows\n{run}"
        );
        steps += 1;
    }
    assert_eq!(steps, 10, "the walk-through has ten commands");
    // The plan ends as the guide's diff shows, apart from the times.
    let text = without_times(&read(&repo, PLAN));
    for line in [
        "| COMPLETED   | TASKS-01 | Token bucket     | P0       | TASKS-03   |",
        "          - verified_req: true        # Verified against REQ-07",
        "        started: <time> # YYYY-MM-DDTHH:MM:SS when started",
        "        completed: <time> # YYYY-MM-DDTHH:MM:SS when completed",
    ] {
        assert!(text.contains(line), "the plan lacks `{line}`:\n{text}");
        assert!(
            guide.contains(&format!("+{}", line.replace("<time>", "2026-11-21T14:17:49"))),
            "the guide's diff lacks `{line}`"
        );
    }
}

#[test]
fn task_files_are_found_in_the_configured_folder_and_two_for_one_task_are_an_error() {
    let repo = repo_with_plan();
    let block = "```yaml\ntasks_tracking:\n  id: TASKS-01\n  workflow:\n    pre_check:\n      status: NOT_STARTED\n      checklist:\n        - verified_req: true\n        - checked_deps: false\n```\n";
    repo.write("docs/tasks/TASKS-01.md", format!("# TASKS-01\n\n{block}"));
    repo.write("notes/TASKS-01_old.md", format!("# TASKS-01 (old)\n\n{block}"));
    let snapshot = repo.snapshot();
    let run = repo.milestone(["plan", "log", "TASKS-01", "x"]).failure(EXIT_CANNOT_RUN);
    assert!(
        run.stderr().contains(
            "error: task `TASKS-01` has 2 task files\n  at docs/tasks/TASKS-01.md, notes/TASKS-01_old.md\n"
        ),
        "{run}"
    );
    assert!(run.stderr().contains("hint: keep one file per task"), "{run}");
    assert_eq!(repo.snapshot(), snapshot);
    // `TASKS-010.md` is not TASKS-01's file, and the configured folder is the only one searched.
    repo.write("docs/tasks/TASKS-010.md", "# another task\n");
    repo.write(".milestone.yml", "plans:\n  tasks_folder: docs/tasks\n");
    let next = repo.milestone(["plan", "verify", "--json"]).failure(1).json();
    assert_eq!(next["task_files"], json!([{"task": "TASKS-01", "path": "docs/tasks/TASKS-01.md"}]));
    let fields: Vec<&str> =
        next["disagreements"].as_array().expect("array").iter().filter_map(|d| d["field"].as_str()).collect();
    // The file's block has no implementation or post-check: the plan's extra fields are listed.
    assert!(fields.contains(&"pre_check.verified_req"), "{next:#}");
    assert!(fields.contains(&"implementation.status"), "{next:#}");
}

#[cfg(unix)]
#[test]
fn a_plan_that_is_a_symbolic_link_is_read_but_not_replaced() {
    let repo = repo_with_plan();
    fs::rename(repo.path(PLAN), repo.path("real-plan.md")).expect("move the plan");
    std::os::unix::fs::symlink("real-plan.md", repo.path(PLAN)).expect("link");
    assert_eq!(next_json(&repo)["next"]["id"], "TASKS-04");
    let snapshot = repo.snapshot();
    let run = repo.milestone(["plan", "log", "TASKS-04", "x"]).failure(EXIT_CANNOT_RUN);
    assert!(
        run.stderr().contains(
            "`IMPLEMENTATION_PLAN.md` is a symbolic link; git-milestone does not write through links"
        ),
        "{run}"
    );
    assert_eq!(repo.snapshot(), snapshot);
    assert!(fs::symlink_metadata(repo.path(PLAN)).expect("the link").file_type().is_symlink());
}
