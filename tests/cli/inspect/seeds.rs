//! The user's five seed documents, read as counted by hand (skipped when they are absent,
//! except under CI).

use serde_json::{Value, json};

use crate::support::{TestRepo, assert_fields, assert_json_matches, seeds_dir};

/// Runs `inspect --json` on a copy of seed `file`, or returns None when the seeds are absent.
fn inspect_seed(file: &str) -> Option<Value> {
    let dir = seeds_dir()?;
    let repo = TestRepo::new();
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("cannot read seed {file}: {e}"));
    repo.write(file, bytes);
    Some(repo.inspect_json(file))
}

/// A phase as counted by hand: id, name, heading line, its tasks as `(id, total, checked)`,
/// and the checkbox total and checked count of its whole section.
type PhaseRow<'a> = (&'a str, &'a str, u64, &'a [(&'a str, u64, u64)], u64, u64);

/// Returns the `phases` JSON the rows describe (ids, names, lines and counts only).
fn phases(rows: &[PhaseRow]) -> Value {
    let box_counts = |total: u64, checked: u64| json!({"total": total, "checked": checked});
    rows.iter()
        .map(|(id, name, line, tasks, total, checked)| {
            let tasks: Vec<Value> =
                tasks.iter().map(|(t, a, b)| json!({"id": t, "checkboxes": box_counts(*a, *b)})).collect();
            json!({"id": id, "name": name, "line": line, "tasks": tasks, "checkboxes": box_counts(*total, *checked)})
        })
        .collect()
}

#[test]
fn seed_000_tracking_template_is_read_as_counted_by_hand() {
    let Some(doc) = inspect_seed("000_06aa8ba7df0949f2.txt") else {
        return;
    };
    assert_eq!(doc["kind"], "tracking");
    assert_eq!(doc["title"], "[MILESTONE-ID] Implementation Tracking");
    assert_eq!(doc["frontmatter"], Value::Null);
    let status = concat!(
        mojibake!(clipboard),
        " Not Started (update to ",
        mojibake!(cycle),
        " In Progress when work begins)"
    );
    assert_fields(
        &doc,
        &[
            // Only its own line: the blockquote's next lines are not part of the value.
            ("Note", "This tracking document is created when work begins on the feature branch."),
            ("Milestone", concat!("[MILESTONE-ID] ", mojibake!(em_dash), " [Milestone Title]")),
            ("Started", "[YYYY-MM-DD when work branch created]"),
            ("Status", status),
            ("Branch", "feature/[surface]-[milestone]/[short-desc] (create when starting work)"),
            ("Assignee", "[Developer name - assigned when work starts]"),
        ],
    );
    // 3 overall + 8 in the log + 7 in Task 1.1 + 5 validation + 3 test steps + 19 final.
    assert_eq!(doc["checkboxes"], json!({"total": 45, "checked": 0}));
    assert_eq!(doc["sections"].as_array().map(Vec::len), Some(30));
    assert_json_matches(
        &doc["phases"],
        &phases(&[
            ("1", "[Phase Name]", 76, &[("1.1", 7, 0), ("1.2", 0, 0)], 12, 0),
            ("2", "[Phase Name]", 118, &[], 0, 0),
            ("3", "[Phase Name]", 126, &[], 0, 0),
        ]),
        "phases",
    );
    let task = &doc["phases"][0]["tasks"][0];
    assert_eq!(task["status"], "not_started", "`**Status:** ‚è≥ Not Started`");
    assert_eq!(task["commits"], json!([]), "`[hash]` is a placeholder, not a commit");
    assert_eq!(doc["progress_percent"], 0);
}

#[test]
fn seed_001_feature_tracking_template_is_read_as_counted_by_hand() {
    let Some(doc) = inspect_seed("001_ea27f357535ac54f.txt") else {
        return;
    };
    assert_eq!(doc["kind"], "feature-tracking");
    assert_eq!(doc["title"], "Implementation Tracking: [Feature Title]");
    assert_eq!(doc["frontmatter"], Value::Null);
    assert_fields(
        &doc,
        &[
            ("Feature ID", "FEAT-YYYY-MM-DD-XXX"),
            ("GitHub Issue", "#[issue-number]"),
            ("Status", "In Progress"),
            ("Branch", "feature/issue-[number]-[brief-description]"),
            ("Started", "YYYY-MM-DD"),
            ("Team", "[Team areas involved]"),
        ],
    );
    // RED 4 + GREEN 4 + REFACTOR 3 + AC 3 + secondary 2 + deployment 6 + next steps 7.
    assert_eq!(doc["checkboxes"], json!({"total": 29, "checked": 0}));
    assert_eq!(doc["sections"].as_array().map(Vec::len), Some(45));
    assert_eq!(doc["phases"], json!([]));
    assert_eq!(doc["progress_percent"], 0);
}

#[test]
fn seed_002_plan_template_is_read_as_counted_by_hand() {
    let Some(doc) = inspect_seed("002_072a7bba88cd8994.txt") else {
        return;
    };
    assert_eq!(doc["kind"], "plan");
    assert_eq!(doc["title"], "Implementation Plan Tracker");
    assert_eq!(
        doc["frontmatter"],
        json!({
            "title": "Implementation Plan Tracker Template",
            "tags": ["tasks-infrastructure", "layer-10-artifact", "implementation-tracking"],
            "custom_fields": {
                "document_type": "template",
                "artifact_type": "TASKS",
                "layer": 10,
                "priority": "shared",
                "schema_version": "2.0",
                "last_updated": "2026-01-15T10:00:00",
            },
        })
    );
    assert_fields(
        &doc,
        &[
            (
                "Template Purpose",
                "This template provides structured tracking for TASKS (Layer 10) implementation across development \
                 phases. It organizes TASKS documents into executable phases with dependencies and status tracking.",
            ),
            (
                "Document Authority",
                "This becomes the live tracking document for implementation of your system.",
            ),
            ("Schema Version", "2.0"),
            ("Last Updated", "YYYY-MM-DDTHH:MM:SS"),
        ],
    );
    assert_eq!(doc["checkboxes"], json!({"total": 0, "checked": 0}));
    assert_eq!(doc["sections"].as_array().map(Vec::len), Some(10));
    // Each YAML task has 4 pre_check and 4 post_check items, all false.
    assert_json_matches(
        &doc["phases"],
        &phases(&[
            ("0", "Project Initialization", 113, &[("SETUP-01", 0, 0), ("SETUP-02", 0, 0)], 0, 0),
            ("1", "Foundation & Infrastructure", 123, &[("TASKS-XX", 8, 0), ("TASKS-YY", 8, 0)], 0, 0),
            ("2", "[Next Phase Name]", 186, &[("TASKS-ZZ", 8, 0), ("TASKS-AA", 8, 0)], 0, 0),
        ]),
        "phases",
    );
    let statuses: Vec<&Value> = doc["phases"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["tasks"].as_array().into_iter().flatten())
        .map(|t| &t["status"])
        .collect();
    assert!(statuses.iter().all(|s| *s == "not_started"), "every task is NOT_STARTED: {statuses:?}");
    let lines: Vec<&Value> =
        doc["phases"][1]["tasks"].as_array().into_iter().flatten().map(|t| &t["line"]).collect();
    assert_eq!(lines, [&json!(136), &json!(159)]);
    assert_eq!(doc["progress_percent"], 0);
}

#[test]
fn seed_003_milestone_template_is_read_as_counted_by_hand() {
    let Some(doc) = inspect_seed("003_fe3302326d6be13e.txt") else {
        return;
    };
    assert_eq!(doc["kind"], "milestone");
    assert_eq!(doc["title"], "Milestone [X]: [Milestone Name]");
    assert_eq!(
        doc["frontmatter"],
        json!({
            "type": "milestone",
            "audience": ["developers"],
            "scope": "project-specific",
            "last-updated": "YYYY-MM-DD",
            "status": "planned",
            "related-docs": ["README.md", "../../development/README.md"],
        })
    );
    let risk = concat!(mojibake!(green), " Low / ", mojibake!(yellow), " Medium / ", mojibake!(red), " High");
    assert_fields(
        &doc,
        &[
            ("Risk Level", risk),
            ("Estimated Effort", "X hours"),
            ("Status", concat!(mojibake!(hourglass), " Planned")),
        ],
    );
    // 3 deliverables + 2 prerequisites + 3 manual + 4 pre + 8 post + 9 success + 4 rollback + 5 tasks.
    assert_eq!(doc["checkboxes"], json!({"total": 38, "checked": 0}));
    assert_eq!(doc["sections"].as_array().map(Vec::len), Some(38));
    assert_eq!(doc["phases"], json!([]));
    assert_eq!(doc["progress_percent"], 0);
}

#[test]
fn seed_004_milestone_brief_template_is_read_as_counted_by_hand() {
    let Some(doc) = inspect_seed("004_f7c6f0cff86307c4.txt") else {
        return;
    };
    assert_eq!(doc["kind"], "milestone-brief");
    assert_eq!(doc["title"], "Milestone Template");
    assert_eq!(doc["frontmatter"], Value::Null);
    assert_fields(
        &doc,
        &[
            ("Milestone Name", "[MILESTONE_NAME]"),
            ("Component", "[COMPONENT_TYPE]"),
            ("Priority", "[PRIORITY_LEVEL]"),
            ("Assigned Agent", "[AGENT_NAME]"),
            ("Created", "[CREATION_DATE]"),
            ("Target Completion", "[TARGET_DATE]"),
            ("Actual Completion", "[COMPLETION_DATE]"),
            ("Current Progress", "[COMPLETION_PERCENTAGE]%"),
        ],
    );
    // 11 acceptance + 16 in phases + 8 progress (2 ticked) + 5 docs + 12 post-completion.
    assert_eq!(doc["checkboxes"], json!({"total": 52, "checked": 2}));
    assert_eq!(doc["sections"].as_array().map(Vec::len), Some(52));
    assert_json_matches(
        &doc["phases"],
        &phases(&[
            ("1", "Planning & Design", 45, &[], 4, 0),
            ("2", "Core Implementation", 53, &[], 4, 0),
            ("3", "Integration & Testing", 61, &[], 4, 0),
            ("4", "Deployment & Validation", 69, &[], 4, 0),
        ]),
        "phases",
    );
    // The two ticked boxes are outside the phases.
    assert_eq!(doc["progress_percent"], 0);
}
