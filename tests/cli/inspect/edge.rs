//! Edge cases: BOM, line endings, trailing spaces, tabs, code, comments, nesting, setext
//! headings; titles, field values and status words in small documents.

use serde_json::{Value, json};

use super::{inspect_fixture, inspect_text};
use crate::support::{assert_fields, assert_json_matches, sections};

// ---- edge cases ------------------------------------------------------------------------------

#[test]
fn a_bom_and_crlf_change_nothing_that_is_read() {
    let doc = inspect_fixture("edge/bom-crlf.md");
    assert_fields(&doc, &[("Status", "In Progress"), ("Owner", "Dana Okafor")]);
    assert_json_matches(
        &doc,
        &json!({
            "kind": "unknown",
            "title": "Release checklist",
            "frontmatter": null,
            "checkboxes": {"total": 2, "checked": 1},
            "progress_percent": 50,
            "sections": sections(&[
                ("Release checklist", 1, 1, 2, 1),
                ("Phase 1: Prepare", 2, 6, 2, 1),
                ("Task 1.1: Freeze the branch", 3, 8, 2, 1),
            ]),
            "phases": [{"id": "1", "name": "Prepare", "line": 6, "status": "in_progress",
                "checkboxes": {"total": 2, "checked": 1}, "tasks": [
                    {"id": "1.1", "name": "Freeze the branch", "line": 8, "status": "in_progress",
                     "checkboxes": {"total": 2, "checked": 1}, "commits": []},
                ]}],
            "lines": 12,
            "line_ending": "crlf",
            "bom": true,
        }),
        "bom-crlf.md",
    );
}

#[test]
fn mixed_line_endings_are_read_line_by_line() {
    let doc = inspect_fixture("edge/mixed-endings.md");
    assert_fields(&doc, &[("Status", "Not Started"), ("Owner", "Lee Park")]);
    assert_json_matches(
        &doc,
        &json!({
            "kind": "unknown",
            "title": "Mixed line endings",
            "checkboxes": {"total": 4, "checked": 1},
            "progress_percent": 25,
            "sections": sections(&[("Mixed line endings", 1, 1, 4, 1), ("Checklist", 2, 6, 4, 1)]),
            "phases": [],
            "lines": 10,
            "line_ending": "mixed",
            "bom": false,
        }),
        "mixed-endings.md",
    );
}

#[test]
fn trailing_spaces_are_not_part_of_titles_or_values() {
    let doc = inspect_fixture("edge/trailing-spaces.md");
    assert_fields(&doc, &[("Status", "In Progress"), ("Owner", "Kim Ito")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "Trailing spaces",
            "checkboxes": {"total": 4, "checked": 2},
            "progress_percent": 50,
            "sections": sections(&[("Trailing spaces", 1, 1, 4, 2)]),
        }),
        "trailing-spaces.md",
    );
}

#[test]
fn tabs_indent_nested_items_and_separate_values() {
    let doc = inspect_fixture("edge/tabs.md");
    assert_fields(&doc, &[("Status", "In Progress")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "Tabs",
            "checkboxes": {"total": 4, "checked": 1},
            "progress_percent": 25,
            "sections": sections(&[("Tabs", 1, 1, 4, 1)]),
        }),
        "tabs.md",
    );
}

#[test]
fn task_items_and_fields_inside_code_blocks_are_not_read() {
    let doc = inspect_fixture("edge/code-block.md");
    assert_fields(&doc, &[("Status", "Not Started")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "Code blocks",
            "checkboxes": {"total": 2, "checked": 1},
            "progress_percent": 50,
            "sections": sections(&[("Code blocks", 1, 1, 2, 1)]),
            "warnings": [],
        }),
        "code-block.md",
    );
}

#[test]
fn task_items_and_fields_inside_html_comments_are_not_read() {
    let doc = inspect_fixture("edge/html-comment.md");
    assert_fields(&doc, &[("Status", "Draft")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "HTML comments",
            "checkboxes": {"total": 1, "checked": 0},
            "progress_percent": 0,
            "sections": sections(&[("HTML comments", 1, 1, 1, 0)]),
        }),
        "html-comment.md",
    );
}

#[test]
fn nested_task_items_all_count() {
    let doc = inspect_fixture("edge/nested.md");
    // No bold-label line before the first `##`: the header is the first level-2 section
    // that has one.
    assert_fields(&doc, &[("Status", "In Progress")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "Nested task items",
            "checkboxes": {"total": 8, "checked": 4},
            "progress_percent": 50,
            "sections": sections(&[
                ("Nested task items", 1, 1, 8, 4),
                ("Phase 1: Outline", 2, 3, 8, 4),
                ("Task 1.1: Tree", 3, 5, 8, 4),
            ]),
            "phases": [{"id": "1", "name": "Outline", "line": 3, "status": "in_progress",
                "checkboxes": {"total": 8, "checked": 4}, "tasks": [
                    {"id": "1.1", "name": "Tree", "line": 5, "status": "in_progress",
                     "checkboxes": {"total": 8, "checked": 4}, "commits": []},
                ]}],
        }),
        "nested.md",
    );
}

#[test]
fn setext_headings_are_titles_sections_and_phases() {
    let doc = inspect_fixture("edge/setext.md");
    assert_fields(&doc, &[("Status", "Not Started")]);
    assert_json_matches(
        &doc,
        &json!({
            "title": "Setext title",
            "checkboxes": {"total": 4, "checked": 2},
            "progress_percent": 50,
            "sections": sections(&[
                ("Setext title", 1, 1, 4, 2),
                ("Phase 1: Gather", 2, 6, 2, 1),
                ("Phase 2: Ship", 2, 12, 2, 1),
            ]),
            "phases": [
                {"id": "1", "name": "Gather", "line": 6, "status": "in_progress",
                 "checkboxes": {"total": 2, "checked": 1}, "tasks": []},
                {"id": "2", "name": "Ship", "line": 12, "status": "in_progress",
                 "checkboxes": {"total": 2, "checked": 1}, "tasks": []},
            ],
        }),
        "setext.md",
    );
}

// ---- titles, fields and statuses in small documents ------------------------------------------

#[test]
fn the_title_is_the_first_level_one_heading_anywhere_as_plain_text() {
    let doc = inspect_text("## Intro\n\nSome text.\n\n# The `tick` *command*\n\n# A second title\n");
    assert_eq!(doc["title"], "The tick command");
    assert_eq!(inspect_text("## Only a level two\n\ntext\n")["title"], Value::Null);
}

#[test]
fn field_values_are_plain_text_without_breaks_or_trailing_spaces() {
    let doc = inspect_text(
        "# T\n\n**Branch:** `feature/x` (new)\\\n**Owner**: _Sam_  \n> **Reviewer:** **Lee**\n**Empty:**\n\n## Next\n\n**Later:** not header\n",
    );
    assert_fields(
        &doc,
        &[("Branch", "feature/x (new)"), ("Owner", "Sam"), ("Reviewer", "Lee"), ("Empty", "")],
    );
}

#[test]
fn a_field_value_that_starts_with_emphasis_loses_the_emphasis() {
    let doc = inspect_text("# T\n\n**Status:** *In Progress*\n**Owner**: *Sam* and Lee\n");
    assert_fields(&doc, &[("Status", "In Progress"), ("Owner", "Sam and Lee")]);
}

#[test]
fn bold_labels_in_frontmatter_lists_and_code_are_not_fields() {
    let doc = inspect_text(
        "---\nnote: |\n  **Owner:** hidden in YAML\n---\n# T\n\n- **Listed:** in a list item\n\n    **Indented:** code\n\n**Status:** Draft\n",
    );
    assert_fields(&doc, &[("Status", "Draft")]);
    assert_eq!(doc["frontmatter"], json!({"note": "**Owner:** hidden in YAML\n"}));
}

#[test]
fn statuses_are_recognised_by_words_emoji_and_mis_decoded_emoji() {
    let cases: &[(&str, &str)] = &[
        ("Not Started", "not_started"),
        ("not started", "not_started"),
        ("NOT_STARTED", "not_started"),
        (concat!(mojibake!(hourglass), " Not Started"), "not_started"),
        (concat!(mojibake!(clipboard), " Not Started"), "not_started"),
        ("Planned", "planned"),
        (concat!(mojibake!(hourglass), " Planned"), "planned"),
        ("In Progress", "in_progress"),
        ("IN_PROGRESS", "in_progress"),
        ("in-progress", "in_progress"),
        ("🔄 In Progress", "in_progress"),
        ("🚧 In Progress", "in_progress"),
        (concat!(mojibake!(cycle), " In Progress"), "in_progress"),
        (mojibake!(cycle), "in_progress"),
        ("🔄", "in_progress"),
        ("Blocked", "blocked"),
        ("BLOCKED", "blocked"),
        ("Blocked - waiting for review", "blocked"),
        ("Deferred", "deferred"),
        ("DEFERRED", "deferred"),
        ("Complete", "complete"),
        ("Completed", "complete"),
        ("COMPLETED", "complete"),
        ("Done", "complete"),
        ("✅ Complete", "complete"),
        ("✅", "complete"),
        (concat!(mojibake!(check), " Complete"), "complete"),
        (mojibake!(check), "complete"),
        ("Rolled Back", "rolled_back"),
        ("ROLLED_BACK", "rolled_back"),
    ];
    let mut text = String::from("# Statuses\n\n## Phase 1: Every style\n");
    for (i, (status, _)) in cases.iter().enumerate() {
        text.push_str(&format!("\n### Task 1.{}: Case {i}\n- [ ] work\n\n**Status:** {status}\n", i + 1));
    }
    let doc = inspect_text(&text);
    let found: Vec<(&str, &Value)> = cases
        .iter()
        .zip(doc["phases"][0]["tasks"].as_array().into_iter().flatten())
        .map(|((s, _), t)| (*s, &t["status"]))
        .collect();
    let expected: Vec<(&str, Value)> = cases.iter().map(|(s, want)| (*s, json!(want))).collect();
    let found: Vec<(&str, Value)> = found.into_iter().map(|(s, v)| (s, v.clone())).collect();
    assert_eq!(found, expected);
}
