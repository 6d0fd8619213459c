//! `git-milestone set FILE LABEL VALUE [--frontmatter]`: only the value's bytes change, in
//! either bold-label style, behind a blockquote, or in the frontmatter with its comment kept;
//! an unknown label is refused with exit 2, the available labels listed, nothing written.

use crate::support::{EXIT_CANNOT_RUN, TestRepo, assert_bytes_eq, with_replaced_on_line};

/// Runs `set` with `args` (after the file name) on a copy of fixture `rel` and checks the
/// result is the input with `from` replaced by `to` on `line`, and nothing else changed.
#[track_caller]
fn assert_sets(rel: &str, args: &[&str], line: usize, from: &str, to: &str) {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture(rel);
    let mut all = vec!["set", name.as_str()];
    all.extend_from_slice(args);
    let run = repo.milestone(&all).success();
    let expected = with_replaced_on_line(&before, line, from, to);
    assert_bytes_eq(&repo.read(&name), &expected, &format!("{rel}: set {args:?}\n{run}"));
    assert_eq!(repo.snapshot().len(), 1, "no file besides {name} after the edit");
}

#[test]
fn set_changes_a_bold_colon_inside_field() {
    assert_sets("forms/tracking.filled.md", &["Assignee", "Jonas Berg"], 10, "Priya Raman", "Jonas Berg");
}

#[test]
fn set_keeps_the_hard_break_after_a_field() {
    // `**Status:** üîÑ In Progress  ` keeps its two trailing spaces.
    let old = "\u{f8ff}\u{fc}\u{ee}\u{d1} In Progress";
    assert_sets("forms/tracking.filled.md", &["Status", "Blocked"], 8, old, "Blocked");
    assert_sets("forms/tracking.filled.crlf.md", &["Status", "Blocked"], 8, old, "Blocked");
}

#[test]
fn set_changes_a_bold_colon_outside_field() {
    assert_sets("forms/milestone-brief.filled.md", &["Priority", "Critical"], 6, "High", "Critical");
    assert_sets("forms/milestone-brief.filled.crlf.md", &["Priority", "Critical"], 6, "High", "Critical");
}

#[test]
fn set_changes_a_field_in_a_blockquote() {
    let args = ["Status", "✅ Complete"];
    assert_sets("forms/feature-tracking.filled.md", &args, 5, "🚧 In Progress", "✅ Complete");
    assert_sets("forms/feature-tracking.filled.crlf.md", &args, 5, "🚧 In Progress", "✅ Complete");
}

#[test]
fn set_keeps_a_bom_and_crlf() {
    assert_sets("edge/bom-crlf.md", &["Owner", "Sam Lee"], 4, "Dana Okafor", "Sam Lee");
}

#[test]
fn set_keeps_tabs_spaces_and_mixed_line_endings_around_the_value() {
    assert_sets("edge/tabs.md", &["Status", "Done"], 3, "In Progress", "Done");
    // `**Owner:**   Kim Ito  `: the spaces on both sides are not the value.
    assert_sets("edge/trailing-spaces.md", &["Owner", "Sam Lee"], 4, "Kim Ito", "Sam Lee");
    assert_sets("edge/trailing-spaces.md", &["Status", "Done"], 3, "In Progress", "Done");
    assert_sets("edge/mixed-endings.md", &["Status", "Done"], 3, "Not Started", "Done");
    assert_sets("edge/mixed-endings.md", &["Owner", "Sam Lee"], 4, "Lee Park", "Sam Lee");
}

#[test]
fn set_changes_a_nested_frontmatter_value() {
    let args = ["custom_fields.last_updated", "2026-10-10T08:00:00"];
    assert_sets("forms/plan.filled.md", &args, 11, "2026-10-09T17:45:00", "2026-10-10T08:00:00");
    assert_sets("forms/plan.filled.crlf.md", &args, 11, "2026-10-09T17:45:00", "2026-10-10T08:00:00");
}

#[test]
fn set_changes_the_header_field_and_not_a_later_line_with_the_same_label() {
    // Line 148 repeats `**Status**: ...` after the last section; only the header's changes.
    let old = "\u{f8ff}\u{fc}\u{ee}\u{d1} In Progress";
    assert_sets("forms/milestone.filled.md", &["Status", "Blocked"], 21, old, "Blocked");
}

#[test]
fn set_changes_a_frontmatter_value_and_keeps_its_comment() {
    let args = ["last-updated", "2026-10-20"];
    assert_sets("forms/milestone.filled.md", &args, 5, "2026-10-12", "2026-10-20");
    assert_sets("forms/milestone.filled.crlf.md", &args, 5, "2026-10-12", "2026-10-20");
}

#[test]
fn set_frontmatter_changes_the_key_even_when_a_field_has_that_label() {
    // `status: in-progress        # planned | ...`, while `**Status**:` stays.
    assert_sets("forms/milestone.filled.md", &["--frontmatter", "status", "done"], 6, "in-progress", "done");
}

#[test]
fn set_keeps_the_quotes_of_a_quoted_frontmatter_value() {
    let args = ["title", "Billing Export Plan v2"];
    assert_sets("forms/plan.filled.md", &args, 2, "\"Billing Export Plan\"", "\"Billing Export Plan v2\"");
}

#[test]
fn set_to_the_same_value_changes_nothing() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("forms/tracking.filled.md");
    let run = repo.milestone(["set", &name, "Assignee", "Priya Raman"]).success();
    assert_bytes_eq(&repo.read(&name), &before, &format!("{run}"));
}

/// Runs `set` with `args` on a copy of fixture `rel` and checks it is refused: exit 2, the
/// file named, stderr holding every one of `mentions`, nothing written.
#[track_caller]
fn assert_refused(rel: &str, args: &[&str], mentions: &[&str]) {
    let repo = TestRepo::new();
    let (name, _) = repo.add_fixture(rel);
    let before = repo.snapshot();
    let mut all = vec!["set", name.as_str()];
    all.extend_from_slice(args);
    let run = repo.milestone(&all).failure(EXIT_CANNOT_RUN);
    run.assert_names(&name, None);
    let err = run.stderr();
    for m in mentions {
        assert!(err.contains(m), "stderr does not mention `{m}`\n{run}");
    }
    assert!(repo.snapshot() == before, "{rel}: the directory changed\n{run}");
}

#[test]
fn set_refuses_an_unknown_label_and_lists_the_fields() {
    assert_refused(
        "forms/tracking.filled.md",
        &["Reviewer", "Sam"],
        &["Reviewer", "Note", "Milestone", "Started", "Status", "Branch", "Assignee"],
    );
}

#[test]
fn set_refuses_an_unknown_label_and_lists_fields_and_frontmatter_keys() {
    assert_refused(
        "forms/milestone.filled.md",
        &["Owner", "sam"],
        &[
            "Owner",
            "Risk Level",
            "Estimated Effort",
            "Status",
            "type",
            "audience",
            "last-updated",
            "related-docs",
        ],
    );
}

#[test]
fn set_refuses_a_bold_label_outside_the_header() {
    // `**Goal:**` lines are in phase sections, not in the header.
    assert_refused("forms/tracking.filled.md", &["Goal", "Ship it"], &["Goal", "Assignee"]);
}

#[test]
fn set_refuses_a_value_with_a_line_break() {
    assert_refused("forms/tracking.filled.md", &["Assignee", "Jonas\nBerg"], &[]);
}
