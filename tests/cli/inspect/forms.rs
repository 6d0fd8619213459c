//! The form fixtures: a template and a filled-in document of each of the five forms.

use serde_json::{Value, json};

use super::inspect_fixture;
use crate::support::{assert_fields, assert_json_matches, sections};

// ---- form 000: milestone tracking ----------------------------------------------------------

#[test]
fn tracking_template_is_read_exactly() {
    let doc = inspect_fixture("forms/tracking.template.md");
    let status = concat!(
        mojibake!(clipboard),
        " Not Started (switch to ",
        mojibake!(cycle),
        " In Progress once coding starts)"
    );
    assert_fields(
        &doc,
        &[
            ("Note", "Start this log on the day the work branch is cut, not earlier."),
            ("Milestone", concat!("[MILESTONE-KEY] ", mojibake!(em_dash), " [Short milestone title]")),
            ("Started", "[YYYY-MM-DD the branch was cut]"),
            ("Status", status),
            ("Branch", "feature/[area]-[milestone]/[topic] (cut when work starts)"),
            ("Assignee", "[Who owns the work]"),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "tracking",
            "title": "[MILESTONE-KEY] Implementation Tracking",
            "frontmatter": null,
            "checkboxes": {"total": 21, "checked": 0},
            "progress_percent": 0,
            "sections": sections(&[
                ("[MILESTONE-KEY] Implementation Tracking", 1, 1, 21, 0),
                ("Quick Links", 2, 14, 0, 0),
                ("Current Status", 2, 21, 2, 0),
                ("Overall Progress", 3, 23, 2, 0),
                ("Test Status", 3, 27, 0, 0),
                ("Progress Log", 2, 34, 5, 0),
                ("[YYYY-MM-DD] - Kickoff", 3, 36, 4, 0),
                ("[YYYY-MM-DD] - [Session summary]", 3, 48, 1, 0),
                ("Phase 1: [Phase title]", 2, 65, 7, 0),
                ("Task 1.1: [Task title]", 3, 69, 5, 0),
                ("Task 1.2: [Task title]", 3, 85, 0, 0),
                ("Phase 1 Validation", 3, 90, 2, 0),
                ("Phase 2: [Phase title]", 2, 98, 0, 0),
                ("Testing & Validation", 2, 106, 2, 0),
                ("Test Case 1: [Scenario]", 3, 108, 2, 0),
                ("Issues Encountered", 2, 119, 0, 0),
                ("Issue 1: [One-line summary]", 3, 121, 0, 0),
                ("Final Checklist", 2, 130, 5, 0),
                ("Code Complete", 3, 132, 3, 0),
                ("Pre-Merge", 3, 137, 2, 0),
            ]),
            "phases": [
                {"id": "1", "name": "[Phase title]", "line": 65, "checkboxes": {"total": 7, "checked": 0}, "tasks": [
                    // The `[hash]` placeholder is not a commit.
                    {"id": "1.1", "name": "[Task title]", "line": 69, "status": "not_started",
                     "checkboxes": {"total": 5, "checked": 0}, "commits": []},
                    // "[Same layout as Task 1.1]": no status line, no boxes.
                    {"id": "1.2", "name": "[Task title]", "line": 85, "status": null,
                     "checkboxes": {"total": 0, "checked": 0}, "commits": []},
                ]},
                {"id": "2", "name": "[Phase title]", "line": 98, "checkboxes": {"total": 0, "checked": 0}, "tasks": []},
            ],
            "line_ending": "lf",
            "bom": false,
        }),
        "tracking.template.md",
    );
}

#[test]
fn tracking_filled_is_read_exactly() {
    let doc = inspect_fixture("forms/tracking.filled.md");
    assert_fields(
        &doc,
        &[
            ("Note", "Opened together with the work branch; the plan is docs/milestones/M7.md."),
            ("Milestone", concat!("M7 ", mojibake!(em_dash), " Offline drafts for the mobile editor")),
            ("Started", "2026-09-14"),
            ("Status", concat!(mojibake!(cycle), " In Progress")),
            ("Branch", "feature/mobile-m7/offline-drafts"),
            ("Assignee", "Priya Raman"),
        ],
    );
    let commit = |hash: &str, message: &str| json!({"hash": hash, "message": message});
    let draft_table = commit("4be81d2", "feat(drafts): add SQLite draft table");
    let autosave = commit("a07c3f9", "feat(editor): autosave drafts while typing");
    let outbox = commit("e5d0b7a", "feat(sync): replay queued drafts on reconnect");
    assert_json_matches(
        &doc,
        &json!({
            "kind": "tracking",
            "title": "M7 Implementation Tracking",
            "frontmatter": null,
            "checkboxes": {"total": 33, "checked": 22},
            // Phase tasks hold 16 boxes, 12 ticked.
            "progress_percent": 75,
            "sections": sections(&[
                ("M7 Implementation Tracking", 1, 1, 33, 22),
                ("Quick Links", 2, 14, 0, 0),
                ("Current Status", 2, 21, 2, 1),
                ("Overall Progress", 3, 23, 2, 1),
                ("Test Status", 3, 29, 0, 0),
                ("Progress Log", 2, 36, 5, 3),
                ("2026-09-14 - Kickoff", 3, 38, 4, 3),
                ("2026-09-16 - Draft store lands", 3, 50, 1, 0),
                ("2026-09-18 - Reconnect queue", 3, 69, 0, 0),
                ("Phase 1: Local draft store", 2, 79, 11, 10),
                ("Task 1.1: Draft table", 3, 83, 5, 5),
                ("Task 1.2: Autosave", 3, 99, 4, 3),
                ("Phase 1 Validation", 3, 114, 2, 2),
                ("Phase 2: Sync on reconnect", 2, 122, 7, 4),
                ("Task 2.1: Outbox queue", 3, 126, 4, 4),
                ("Task 2.2: Conflict handling", 3, 141, 2, 0),
                ("Task 2.3: Pending-sync badge", 3, 150, 1, 0),
                ("Testing & Validation", 2, 158, 3, 3),
                ("Test Case 1: Restart while offline", 3, 160, 3, 3),
                ("Issues Encountered", 2, 172, 0, 0),
                ("Issue 1: Debounce test is flaky on CI", 3, 174, 0, 0),
                ("Final Checklist", 2, 183, 5, 1),
                ("Code Complete", 3, 185, 3, 1),
                ("Pre-Merge", 3, 190, 2, 0),
            ]),
            "phases": [
                {"id": "1", "name": "Local draft store", "line": 79, "status": "complete",
                 "checkboxes": {"total": 11, "checked": 10}, "tasks": [
                    // "‚úÖ Complete": mis-decoded emoji and a word.
                    {"id": "1.1", "name": "Draft table", "line": 83, "status": "complete",
                     "checkboxes": {"total": 5, "checked": 5}, "commits": [draft_table]},
                    // "‚úÖ" alone: only the mis-decoded emoji says it.
                    {"id": "1.2", "name": "Autosave", "line": 99, "status": "complete",
                     "checkboxes": {"total": 4, "checked": 3}, "commits": [autosave]},
                ]},
                {"id": "2", "name": "Sync on reconnect", "line": 122, "status": "in_progress",
                 "checkboxes": {"total": 7, "checked": 4}, "tasks": [
                    {"id": "2.1", "name": "Outbox queue", "line": 126, "status": "in_progress",
                     "checkboxes": {"total": 4, "checked": 4}, "commits": [outbox]},
                    // Words only, followed by a reason.
                    {"id": "2.2", "name": "Conflict handling", "line": 141, "status": "blocked",
                     "checkboxes": {"total": 2, "checked": 0}, "commits": []},
                    {"id": "2.3", "name": "Pending-sync badge", "line": 150, "status": "not_started",
                     "checkboxes": {"total": 1, "checked": 0}, "commits": []},
                ]},
            ],
            "progress_log": [
                {"date": "2026-09-14", "title": "Kickoff", "line": 38, "commits": []},
                {"date": "2026-09-16", "title": "Draft store lands", "line": 50, "commits": [draft_table, autosave]},
                {"date": "2026-09-18", "title": "Reconnect queue", "line": 69, "commits": [outbox]},
            ],
            "test_status": [
                {"label": "Unit Tests", "passing": 18, "total": 20, "planned": false, "line": 30},
                {"label": "Integration Tests", "passing": 4, "total": 4, "planned": false, "line": 31},
                {"label": "E2E Tests", "passing": 1, "total": 3, "planned": true, "line": 32},
            ],
            "percentages": [{"label": "Overall Progress", "value": 75, "line": 27}],
            "task_counts": [
                {"label": "Phase 1: Local draft store", "done": 2, "total": 2, "line": 24},
                {"label": "Phase 2: Sync on reconnect", "done": 0, "total": 3, "line": 25},
            ],
            "tables": [],
            "yaml_blocks": [],
            "lines": 197,
            "line_ending": "lf",
            "bom": false,
        }),
        "tracking.filled.md",
    );
}

// ---- form 001: feature tracking --------------------------------------------------------------

#[test]
fn feature_tracking_template_is_read_exactly() {
    let doc = inspect_fixture("forms/feature-tracking.template.md");
    assert_fields(
        &doc,
        &[
            ("Feature ID", "FEAT-YYYY-MM-DD-NNN"),
            ("GitHub Issue", "#[number]"),
            ("Status", "Not Started"),
            ("Branch", "feature/issue-[number]-[slug]"),
            ("Started", "YYYY-MM-DD"),
            ("Team", "[Areas taking part]"),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "feature-tracking",
            "title": "Implementation Tracking: [Feature name]",
            "frontmatter": null,
            "checkboxes": {"total": 17, "checked": 0},
            "progress_percent": 0,
            "sections": sections(&[
                ("Implementation Tracking: [Feature name]", 1, 1, 17, 0),
                ("📊 Progress Overview", 2, 10, 0, 0),
                ("Status Summary", 3, 14, 0, 0),
                ("🧪 Test-Driven Development Progress", 2, 19, 7, 0),
                ("TDD Phase: [RED / GREEN / REFACTOR]", 3, 21, 7, 0),
                ("Tests Written (RED Phase)", 4, 23, 3, 0),
                ("Implementation Status (GREEN Phase)", 4, 28, 2, 0),
                ("Refactoring (REFACTOR Phase)", 4, 32, 2, 0),
                ("📋 Acceptance Criteria Progress", 2, 36, 3, 0),
                ("GitHub Issue Checklist Sync", 3, 38, 3, 0),
                ("Primary User Story", 4, 42, 2, 0),
                ("Secondary Features", 4, 51, 1, 0),
                ("🏗️ Architecture Implementation", 2, 54, 0, 0),
                ("Database Changes", 3, 56, 0, 0),
                ("API Implementation", 3, 64, 0, 0),
                ("📁 Generated Files", 2, 70, 0, 0),
                ("New Files Created", 3, 72, 0, 0),
                ("🐛 Issues & Blockers", 2, 81, 0, 0),
                ("Current Blockers", 3, 83, 0, 0),
                ("🚀 Deployment Readiness", 2, 88, 3, 0),
                ("Pre-Deployment Checklist", 3, 90, 3, 0),
                ("🔄 Next Steps", 2, 95, 4, 0),
                ("Immediate (Next 1-2 Days)", 3, 97, 2, 0),
                ("Short Term (This Week)", 3, 101, 1, 0),
                ("Medium Term (Next Sprint)", 3, 104, 1, 0),
                ("Daily Progress Updates", 2, 109, 0, 0),
                ("[Date] - [Team Area]", 3, 111, 0, 0),
            ]),
            // "TDD Phase: [RED / GREEN / REFACTOR]" is not a `Phase N: Name` heading.
            "phases": [],
            "percentages": [{"label": "Overall Progress", "value": null, "line": 12}],
        }),
        "feature-tracking.template.md",
    );
}

#[test]
fn feature_tracking_filled_is_read_exactly() {
    let doc = inspect_fixture("forms/feature-tracking.filled.md");
    assert_fields(
        &doc,
        &[
            ("Feature ID", "FEAT-2026-10-02-014"),
            ("GitHub Issue", "#482"),
            ("Status", "🚧 In Progress"),
            ("Branch", "feature/issue-482-saved-searches"),
            ("Started", "2026-10-02"),
            ("Team", "Backend, Web"),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "feature-tracking",
            "title": "Implementation Tracking: Saved searches",
            "frontmatter": null,
            // The `- [ ]` in the ```markdown block is code, not a box.
            "checkboxes": {"total": 20, "checked": 11},
            // No phases: all boxes count.
            "progress_percent": 55,
            "sections": sections(&[
                ("Implementation Tracking: Saved searches", 1, 1, 20, 11),
                ("📊 Progress Overview", 2, 10, 0, 0),
                ("Status Summary", 3, 14, 0, 0),
                ("🧪 Test-Driven Development Progress", 2, 19, 7, 4),
                ("TDD Phase: GREEN", 3, 21, 7, 4),
                ("Tests Written (RED Phase)", 4, 23, 3, 3),
                ("Implementation Status (GREEN Phase)", 4, 28, 2, 1),
                ("Refactoring (REFACTOR Phase)", 4, 32, 2, 0),
                ("📋 Acceptance Criteria Progress", 2, 36, 3, 2),
                ("GitHub Issue Checklist Sync", 3, 38, 3, 2),
                ("Primary User Story", 4, 46, 2, 1),
                ("Secondary Features", 4, 55, 1, 1),
                ("🏗️ Architecture Implementation", 2, 58, 0, 0),
                ("Database Changes", 3, 60, 0, 0),
                ("API Implementation", 3, 71, 0, 0),
                ("📁 Generated Files", 2, 77, 0, 0),
                ("New Files Created", 3, 79, 0, 0),
                ("🐛 Issues & Blockers", 2, 88, 0, 0),
                ("Current Blockers", 3, 90, 0, 0),
                ("🚀 Deployment Readiness", 2, 95, 3, 1),
                ("Pre-Deployment Checklist", 3, 97, 3, 1),
                ("🔄 Next Steps", 2, 102, 7, 4),
                ("Immediate (Next 1-2 Days)", 3, 104, 2, 1),
                ("Short Term (This Week)", 3, 108, 3, 2),
                ("Medium Term (Next Sprint)", 3, 113, 2, 1),
                ("Daily Progress Updates", 2, 119, 0, 0),
                ("2026-10-06 - Backend", 3, 121, 0, 0),
                ("2026-10-05 - Web", 3, 131, 0, 0),
            ]),
            "phases": [],
            "progress_log": [
                {"date": "2026-10-06", "title": "Backend", "line": 121, "commits": []},
                {"date": "2026-10-05", "title": "Web", "line": 131, "commits": []},
            ],
            "test_status": [],
            "percentages": [{"label": "Overall Progress", "value": 55, "line": 12}],
            "tables": [{
                "line": 91,
                "columns": ["Blocker", "Severity", "Description", "Area", "ETA"],
                "rows": [["Cascade delete", "Med", "Deleting a user leaves saved searches behind", "Backend", "2026-10-08"]],
            }],
            "line_ending": "lf",
            "bom": false,
        }),
        "feature-tracking.filled.md",
    );
}

// ---- form 002: implementation plan -----------------------------------------------------------

/// A YAML task's checklist as the document states it.
fn checklist(status: &str, items: &[(&str, bool)]) -> Value {
    json!({
        "status": status,
        "items": items.iter().map(|(name, value)| json!({"name": name, "value": value})).collect::<Vec<_>>(),
    })
}

#[test]
fn plan_template_is_read_exactly() {
    let doc = inspect_fixture("forms/plan.template.md");
    assert_fields(
        &doc,
        &[
            (
                "Template Purpose",
                "Tracks TASKS documents through their delivery phases, with dependencies and status.",
            ),
            ("Schema Version", "2.0"),
            ("Last Updated", "YYYY-MM-DDTHH:MM:SS"),
        ],
    );
    fn unchecked(names: [&str; 3]) -> [(&str, bool); 3] {
        names.map(|n| (n, false))
    }
    assert_json_matches(
        &doc,
        &json!({
            "kind": "plan",
            "title": "Implementation Plan Tracker",
            "frontmatter": {
                "title": "Delivery Plan Tracker Template",
                "tags": ["plan-tracking", "layer-10-artifact"],
                "custom_fields": {
                    "document_type": "template",
                    "artifact_type": "TASKS",
                    "layer": 10,
                    "schema_version": "2.0",
                    "last_updated": "2026-03-01T09:00:00",
                },
            },
            "checkboxes": {"total": 0, "checked": 0},
            "progress_percent": 0,
            "sections": sections(&[
                ("Implementation Plan Tracker", 1, 14, 0, 0),
                ("1. Implementation Strategy", 2, 21, 0, 0),
                ("2. Mandatory Tracking Rules", 2, 30, 0, 0),
                ("3. Phase Tracker", 2, 42, 0, 0),
                ("3.0 Prerequisites: Tooling", 3, 48, 0, 0),
                ("3.1 Phase 0: [Initialization]", 3, 57, 0, 0),
                ("3.2 Phase 1: [Foundation]", 3, 67, 0, 0),
                ("4. Session Log", 2, 98, 0, 0),
            ]),
            "phases": [
                {"id": "0", "name": "[Initialization]", "line": 57, "tasks": [
                    {"id": "INIT-01", "name": "[Project skeleton]", "line": 62, "status": "not_started",
                     "checkboxes": {"total": 0, "checked": 0}, "commits": []},
                    {"id": "INIT-02", "name": "[CI pipeline]", "line": 63, "status": "not_started",
                     "checkboxes": {"total": 0, "checked": 0}, "commits": []},
                ]},
                {"id": "1", "name": "[Foundation]", "line": 67, "tasks": [
                    {"id": "TASKS-NN", "name": "[Service]", "line": 73, "status": "not_started",
                     "checkboxes": {"total": 6, "checked": 0}, "commits": []},
                ]},
            ],
            "plan_tasks": [
                {"id": "TOOL-01", "status_text": "NOT_STARTED", "status": "not_started", "phase": null},
                {"id": "INIT-01", "status_text": "NOT_STARTED", "status": "not_started", "phase": "0"},
                {"id": "INIT-02", "status_text": "NOT_STARTED", "status": "not_started", "phase": "0"},
                {"id": "TASKS-NN", "name": "[Service]", "priority": "P0", "status_text": "NOT_STARTED",
                 "status": "not_started", "phase": "1",
                 "pre_check": checklist("NOT_STARTED", &unchecked(["verified_req", "verified_spec", "checked_deps"])),
                 "post_check": checklist("NOT_STARTED", &unchecked(["tests_passing", "docs_updated", "session_logged"]))},
            ],
        }),
        "plan.template.md",
    );
}

#[test]
fn plan_filled_is_read_exactly() {
    let doc = inspect_fixture("forms/plan.filled.md");
    assert_fields(
        &doc,
        &[
            ("Template Purpose", "Tracks the billing export TASKS documents through their phases."),
            ("Schema Version", "2.0"),
            ("Last Updated", "2026-10-09T17:45:00"),
        ],
    );
    let pre = |values: [bool; 3]| {
        ["verified_req", "verified_spec", "checked_deps"].into_iter().zip(values).collect::<Vec<_>>()
    };
    let post = |values: [bool; 3]| {
        ["tests_passing", "docs_updated", "session_logged"].into_iter().zip(values).collect::<Vec<_>>()
    };
    let tracker_columns = json!(["Status", "ID", "Task / Service", "Priority", "Dependents"]);
    assert_json_matches(
        &doc,
        &json!({
            "kind": "plan",
            "title": "Implementation Plan Tracker: Billing Export",
            "frontmatter": {
                "title": "Billing Export Plan",
                "tags": ["billing", "layer-10-artifact"],
                "custom_fields": {
                    "document_type": "plan",
                    "artifact_type": "TASKS",
                    "layer": 10,
                    "schema_version": "2.0",
                    "last_updated": "2026-10-09T17:45:00",
                },
            },
            "checkboxes": {"total": 0, "checked": 0},
            // YAML checklists of phase tasks: 24 items, 12 true.
            "progress_percent": 50,
            "sections": sections(&[
                ("Implementation Plan Tracker: Billing Export", 1, 14, 0, 0),
                ("1. Implementation Strategy", 2, 21, 0, 0),
                ("2. Mandatory Tracking Rules", 2, 30, 0, 0),
                ("3. Phase Tracker", 2, 42, 0, 0),
                ("3.0 Prerequisites: Tooling", 3, 48, 0, 0),
                ("3.1 Phase 0: Project Initialization", 3, 57, 0, 0),
                ("3.2 Phase 1: Export Ledger", 3, 67, 0, 0),
                ("3.3 Phase 2: File Writers", 3, 119, 0, 0),
                ("4. Session Log", 2, 171, 0, 0),
            ]),
            "phases": [
                {"id": "0", "name": "Project Initialization", "line": 57, "status": "in_progress", "tasks": [
                    {"id": "INIT-01", "name": "Crate skeleton", "line": 62, "status": "complete",
                     "checkboxes": {"total": 0, "checked": 0}, "commits": []},
                    {"id": "INIT-02", "name": "CI pipeline", "line": 63, "status": "in_progress",
                     "checkboxes": {"total": 0, "checked": 0}, "commits": []},
                ]},
                {"id": "1", "name": "Export Ledger", "line": 67, "status": "in_progress", "tasks": [
                    {"id": "TASKS-01", "name": "Ledger schema", "line": 73, "status": "complete",
                     "checkboxes": {"total": 6, "checked": 6}, "commits": []},
                    {"id": "TASKS-02", "name": "Ledger writer", "line": 94, "status": "in_progress",
                     "checkboxes": {"total": 6, "checked": 4}, "commits": []},
                ]},
                {"id": "2", "name": "File Writers", "line": 119, "tasks": [
                    {"id": "TASKS-03", "name": "CSV writer", "line": 125, "status": "blocked",
                     "checkboxes": {"total": 6, "checked": 2}, "commits": []},
                    {"id": "TASKS-04", "name": "Parquet writer", "line": 146, "status": "deferred",
                     "checkboxes": {"total": 6, "checked": 0}, "commits": []},
                ]},
            ],
            "plan_tasks": [
                {"id": "TOOL-01", "name": "Compose file for Postgres and MinIO", "status_text": "COMPLETED",
                 "status": "complete", "phase": null, "line": 53},
                {"id": "INIT-01", "status_text": "COMPLETED", "status": "complete", "phase": "0", "line": 62},
                {"id": "INIT-02", "status_text": "IN_PROGRESS", "status": "in_progress", "phase": "0", "line": 63},
                {"id": "TASKS-01", "name": "Ledger schema", "priority": "P0", "status_text": "COMPLETED",
                 "status": "complete", "phase": "1", "line": 73,
                 "pre_check": checklist("COMPLETED", &pre([true, true, true])),
                 "post_check": checklist("COMPLETED", &post([true, true, true]))},
                {"id": "TASKS-02", "name": "Ledger writer", "priority": "P1", "status_text": "IN_PROGRESS",
                 "status": "in_progress", "phase": "1", "line": 94,
                 "pre_check": checklist("COMPLETED", &pre([true, true, true])),
                 "post_check": checklist("IN_PROGRESS", &post([true, false, false]))},
                {"id": "TASKS-03", "name": "CSV writer", "priority": "P0", "status_text": "BLOCKED",
                 "status": "blocked", "phase": "2", "line": 125,
                 "pre_check": checklist("BLOCKED", &pre([true, true, false])),
                 "post_check": checklist("NOT_STARTED", &post([false, false, false]))},
                {"id": "TASKS-04", "name": "Parquet writer", "priority": "P2", "status_text": "DEFERRED",
                 "status": "deferred", "phase": "2", "line": 146,
                 "pre_check": checklist("NOT_STARTED", &pre([false, false, false])),
                 "post_check": checklist("NOT_STARTED", &post([false, false, false]))},
            ],
            "tables": [
                {"line": 51, "kind": "phase-tracker", "columns": tracker_columns,
                 "rows": [["COMPLETED", "TOOL-01", "Compose file for Postgres and MinIO", "P0", "All phases"]]},
                {"line": 60, "kind": "phase-tracker", "columns": tracker_columns, "rows": [
                    ["COMPLETED", "INIT-01", "Crate skeleton", "P0", "Everything"],
                    ["IN_PROGRESS", "INIT-02", "CI pipeline", "P1", "Releases"],
                ]},
                {"line": 173, "kind": "session-log", "columns": ["Date", "Task ID", "Status", "Notes"], "rows": [
                    ["2026-10-05T09:30:00", "TASKS-01", "IN_PROGRESS", "Pre-checks done; schema drafted."],
                    ["2026-10-06T16:10:00", "TASKS-01", "COMPLETED", "Ledger schema merged; migration tested on a staging copy."],
                    ["2026-10-07T10:00:00", "TASKS-02", "IN_PROGRESS", "Writer started; tests for the happy path pass."],
                    ["2026-10-09T17:45:00", "TASKS-03", "BLOCKED", "Needs the ledger writer before the CSV writer can start."],
                ]},
            ],
            "yaml_blocks": [
                {"line": 70, "error": null, "value": {"phase_1_tasks": [
                    {"id": "TASKS-01", "priority": "P0", "workflow": {"implementation": {"status": "COMPLETED"}}},
                    {"id": "TASKS-02", "priority": "P1", "workflow": {"implementation": {"status": "IN_PROGRESS", "completed": null}}},
                ]}},
                {"line": 122, "error": null, "value": {"phase_2_tasks": [
                    {"id": "TASKS-03", "workflow": {"pre_check": {"checklist": [
                        {"verified_req": true}, {"verified_spec": true}, {"checked_deps": false},
                    ]}}},
                    {"id": "TASKS-04", "workflow": {"implementation": {"status": "DEFERRED", "started": null}}},
                ]}},
            ],
            "warnings": [],
        }),
        "plan.filled.md",
    );
}

// ---- form 003: milestone plan ----------------------------------------------------------------

#[test]
fn milestone_template_is_read_exactly() {
    let doc = inspect_fixture("forms/milestone.template.md");
    // Nothing before `## Overview` but the title: the header is the Overview section.
    let risk = concat!(mojibake!(green), " Low / ", mojibake!(yellow), " Medium / ", mojibake!(red), " High");
    assert_fields(
        &doc,
        &[
            ("Risk Level", risk),
            ("Estimated Effort", "N hours"),
            ("Status", concat!(mojibake!(hourglass), " Planned")),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "milestone",
            "title": "Milestone [N]: [Milestone title]",
            "frontmatter": {
                "type": "milestone",
                "audience": ["developers"],
                "scope": "project-specific",
                "last-updated": "YYYY-MM-DD",
                "status": "planned",
                "related-docs": ["README.md"],
            },
            "checkboxes": {"total": 16, "checked": 0},
            "progress_percent": 0,
            "sections": sections(&[
                ("Milestone [N]: [Milestone title]", 1, 11, 16, 0),
                ("Overview", 2, 13, 0, 0),
                ("Objectives", 2, 23, 0, 0),
                ("Scope & Deliverables", 2, 30, 2, 0),
                ("In Scope", 3, 32, 0, 0),
                ("Out of Scope", 3, 35, 0, 0),
                ("Deliverables", 3, 38, 2, 0),
                ("Technical Implementation", 2, 44, 0, 0),
                ("Implementation Steps", 3, 46, 0, 0),
                ("Dependencies", 2, 60, 1, 0),
                ("Prerequisites", 3, 62, 1, 0),
                ("Blockers", 3, 65, 0, 0),
                ("Testing Strategy", 2, 70, 6, 0),
                ("Manual Testing", 4, 72, 1, 0),
                ("Verification Checklist", 3, 75, 5, 0),
                ("Pre-Implementation", 4, 77, 2, 0),
                ("Post-Implementation", 4, 81, 3, 0),
                ("Success Criteria", 2, 88, 3, 0),
                ("Rollback Plan", 2, 96, 2, 0),
                ("When to Rollback", 3, 98, 0, 0),
                ("Rollback Procedure", 3, 101, 0, 0),
                ("Post-Rollback Actions", 3, 109, 2, 0),
                ("Progress Tracking", 2, 115, 2, 0),
                ("Task Breakdown", 3, 117, 2, 0),
                ("Time Tracking", 3, 122, 0, 0),
                ("Notes & Decisions", 2, 134, 0, 0),
                ("Design Decisions", 3, 136, 0, 0),
            ]),
            "phases": [],
        }),
        "milestone.template.md",
    );
}

#[test]
fn milestone_filled_is_read_exactly() {
    let doc = inspect_fixture("forms/milestone.filled.md");
    assert_fields(
        &doc,
        &[
            ("Risk Level", concat!(mojibake!(yellow), " Medium")),
            ("Estimated Effort", "16 hours"),
            ("Status", concat!(mojibake!(cycle), " In Progress")),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "milestone",
            "title": "Milestone 3: Search index rebuild",
            "frontmatter": {
                "type": "milestone",
                "audience": ["developers", "operators"],
                "scope": "project-specific",
                "last-updated": "2026-10-12",
                "status": "in-progress",
                "related-docs": ["README.md", "../search/indexing.md"],
            },
            // The `- [ ]` in the fenced block inside step 1 is code.
            "checkboxes": {"total": 18, "checked": 9},
            "progress_percent": 50,
            "sections": sections(&[
                ("Milestone 3: Search index rebuild", 1, 12, 18, 9),
                ("Overview", 2, 14, 0, 0),
                ("Objectives", 2, 25, 0, 0),
                ("Scope & Deliverables", 2, 32, 3, 2),
                ("In Scope", 3, 34, 0, 0),
                ("Out of Scope", 3, 37, 0, 0),
                ("Deliverables", 3, 40, 3, 2),
                ("Technical Implementation", 2, 47, 0, 0),
                ("Implementation Steps", 3, 49, 0, 0),
                ("Dependencies", 2, 64, 1, 1),
                ("Prerequisites", 3, 66, 1, 1),
                ("Blockers", 3, 69, 0, 0),
                ("Testing Strategy", 2, 74, 6, 4),
                ("Manual Testing", 4, 76, 1, 1),
                ("Verification Checklist", 3, 79, 5, 3),
                ("Pre-Implementation", 4, 81, 2, 2),
                ("Post-Implementation", 4, 85, 3, 1),
                ("Success Criteria", 2, 92, 3, 0),
                ("Rollback Plan", 2, 100, 2, 0),
                ("When to Rollback", 3, 102, 0, 0),
                ("Rollback Procedure", 3, 105, 0, 0),
                ("Post-Rollback Actions", 3, 113, 2, 0),
                ("Progress Tracking", 2, 119, 3, 2),
                ("Task Breakdown", 3, 121, 3, 2),
                ("Time Tracking", 3, 127, 0, 0),
                ("Notes & Decisions", 2, 140, 0, 0),
                ("Design Decisions", 3, 142, 0, 0),
            ]),
            "phases": [],
            "tables": [{
                "line": 129,
                "columns": ["Task", "Estimated", "Actual", "Status"],
                "rows": [
                    ["Task 1", "6 hours", "7 hours", concat!(mojibake!(check), " Complete")],
                    ["Task 2", "4 hours", "3 hours", concat!(mojibake!(check), " Complete")],
                    ["Task 3", "2 hours", "-", concat!(mojibake!(hourglass), " Planned")],
                ],
            }],
            "line_ending": "lf",
            "bom": false,
        }),
        "milestone.filled.md",
    );
}

// ---- form 004: assigned milestone brief ------------------------------------------------------

#[test]
fn milestone_brief_template_is_read_exactly() {
    let doc = inspect_fixture("forms/milestone-brief.template.md");
    assert_fields(
        &doc,
        &[
            ("Milestone Name", "[NAME]"),
            ("Component", "[COMPONENT]"),
            ("Priority", "[PRIORITY]"),
            ("Assigned Agent", "[AGENT]"),
            ("Created", "[CREATED_ON]"),
            ("Target Completion", "[TARGET_DATE]"),
            ("Actual Completion", "[DONE_ON]"),
            ("Current Progress", "[PERCENT]%"),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "milestone-brief",
            "title": "Milestone Brief Template",
            "frontmatter": null,
            "checkboxes": {"total": 16, "checked": 1},
            "progress_percent": 0,
            "sections": sections(&[
                ("Milestone Brief Template", 1, 1, 16, 1),
                ("Milestone Overview", 2, 3, 0, 0),
                ("Description", 2, 14, 0, 0),
                ("Acceptance Criteria", 2, 17, 4, 0),
                ("Functional Requirements", 3, 18, 2, 0),
                ("Quality Requirements", 3, 22, 2, 0),
                ("Dependencies", 2, 26, 0, 0),
                ("Prerequisite Milestones", 3, 27, 0, 0),
                ("Implementation Plan", 2, 30, 6, 0),
                ("Phase 1: Planning & Design", 3, 31, 2, 0),
                ("Phase 2: Core Implementation", 3, 37, 2, 0),
                ("Phase 3: Integration & Testing", 3, 43, 2, 0),
                ("Risk Assessment", 2, 49, 0, 0),
                ("High Risk Items", 3, 50, 0, 0),
                ("Progress Tracking", 2, 54, 4, 1),
                ("Current Status", 3, 55, 0, 0),
                ("Completed Tasks", 3, 58, 1, 1),
                ("In Progress Tasks", 3, 61, 1, 0),
                ("Upcoming Tasks", 3, 64, 1, 0),
                ("Blocked Tasks", 3, 67, 1, 0),
                ("Documentation", 2, 70, 2, 0),
                ("Required Documentation", 3, 71, 2, 0),
                ("Lessons Learned", 2, 75, 0, 0),
                ("What Went Well", 3, 76, 0, 0),
            ]),
            "phases": [
                {"id": "1", "name": "Planning & Design", "line": 31, "status": "not_started",
                 "checkboxes": {"total": 2, "checked": 0}, "tasks": []},
                {"id": "2", "name": "Core Implementation", "line": 37, "status": "not_started",
                 "checkboxes": {"total": 2, "checked": 0}, "tasks": []},
                {"id": "3", "name": "Integration & Testing", "line": 43, "status": "not_started",
                 "checkboxes": {"total": 2, "checked": 0}, "tasks": []},
            ],
            "percentages": [
                {"label": "Current Progress", "value": null, "line": 12},
                {"label": "Overall Progress", "value": null, "line": 56},
            ],
        }),
        "milestone-brief.template.md",
    );
}

#[test]
fn milestone_brief_filled_is_read_exactly() {
    let doc = inspect_fixture("forms/milestone-brief.filled.md");
    assert_fields(
        &doc,
        &[
            ("Milestone Name", "Audit log export"),
            ("Component", "Reporting API"),
            ("Priority", "High"),
            ("Assigned Agent", "@reporting-agent"),
            ("Created", "2026-08-03"),
            ("Target Completion", "2026-09-30"),
            // `_pending_`: emphasis removed.
            ("Actual Completion", "pending"),
            ("Current Progress", "50%"),
        ],
    );
    assert_json_matches(
        &doc,
        &json!({
            "kind": "milestone-brief",
            "title": "Milestone: Audit Log Export",
            "frontmatter": null,
            "checkboxes": {"total": 17, "checked": 8},
            // The phases' own checklists are their tasks here: 6 boxes, 3 ticked.
            "progress_percent": 50,
            "sections": sections(&[
                ("Milestone: Audit Log Export", 1, 1, 17, 8),
                ("Milestone Overview", 2, 3, 0, 0),
                ("Description", 2, 14, 0, 0),
                ("Acceptance Criteria", 2, 18, 4, 2),
                ("Functional Requirements", 3, 19, 2, 1),
                ("Quality Requirements", 3, 23, 2, 1),
                ("Dependencies", 2, 27, 0, 0),
                ("Prerequisite Milestones", 3, 28, 0, 0),
                ("Implementation Plan", 2, 31, 6, 3),
                ("Phase 1: Planning & Design", 3, 32, 2, 2),
                ("Phase 2: Core Implementation", 3, 38, 2, 1),
                ("Phase 3: Integration & Testing", 3, 44, 2, 0),
                ("Risk Assessment", 2, 51, 0, 0),
                ("High Risk Items", 3, 52, 0, 0),
                ("Progress Tracking", 2, 56, 5, 2),
                ("Current Status", 3, 57, 0, 0),
                ("Completed Tasks", 3, 60, 2, 2),
                ("In Progress Tasks", 3, 64, 1, 0),
                ("Upcoming Tasks", 3, 67, 1, 0),
                ("Blocked Tasks", 3, 70, 1, 0),
                ("Documentation", 2, 73, 2, 1),
                ("Required Documentation", 3, 74, 2, 1),
                ("Lessons Learned", 2, 78, 0, 0),
                ("What Went Well", 3, 79, 0, 0),
            ]),
            "phases": [
                {"id": "1", "name": "Planning & Design", "line": 32, "status": "complete",
                 "checkboxes": {"total": 2, "checked": 2}, "tasks": []},
                {"id": "2", "name": "Core Implementation", "line": 38, "status": "in_progress",
                 "checkboxes": {"total": 2, "checked": 1}, "tasks": []},
                // Stated in the phase: `**Status**: Deferred`.
                {"id": "3", "name": "Integration & Testing", "line": 44, "status": "deferred",
                 "checkboxes": {"total": 2, "checked": 0}, "tasks": []},
            ],
            "percentages": [
                {"label": "Current Progress", "value": 50, "line": 12},
                {"label": "Overall Progress", "value": 50, "line": 58},
            ],
            "line_ending": "lf",
            "bom": false,
        }),
        "milestone-brief.filled.md",
    );
}
