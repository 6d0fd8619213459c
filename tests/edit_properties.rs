//! Property tests: every edit changes only the bytes it targets, and re-reading the result finds
//! only the targeted thing changed. Documents are generated from the building blocks of the
//! five forms, with random line endings (LF, CRLF, mixed), a BOM, trailing spaces and tabs.

use git_milestone::document::{Document, Status};
use git_milestone::markdown::Edit;
use proptest::prelude::*;

/// Building blocks, one or more lines each (`\n` is replaced by the chosen line endings).
const BLOCKS: &[&str] = &[
    "# Milestone M7 Implementation Tracking",
    "**Milestone:** M7 - Rate limits",
    "**Status**: 🔄 In Progress",
    "> **Branch:** `feature/api-M7/limits`",
    "## Phase 1: Limiter",
    "### Task 1.1: Token bucket",
    "### Task 1.2: Headers",
    "**Status:** ‚è≥ Not Started",
    "- [ ] write the bucket",
    "- [x] benchmark it",
    "  - [X] nested box",
    "1. [ ] ordered box",
    "* plain bullet",
    "Some paragraph text with *emphasis* and `code`.",
    "**Commits:**\n- `3f9c2ab` - feat(api): add limiter",
    "```\n- [ ] not a box\n```",
    "<!--\n- [ ] not a box either\n-->",
    "| Status | ID | Task |\n|--------|----|------|\n| NOT_STARTED | **T-1** | First |",
    "---",
    "",
    "## Progress Log",
    "### 2026-10-03 - Wire up limiter",
    "**Overall Progress**: 40% Complete",
    "\tindented with a tab",
];

#[derive(Debug, Clone)]
struct Spec {
    bom: bool,
    final_newline: bool,
    /// Block index, line-ending choice (0 LF, 1 CRLF), trailing whitespace choice.
    parts: Vec<(usize, u8, u8)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (any::<bool>(), any::<bool>(), prop::collection::vec((0..BLOCKS.len(), 0u8..2, 0u8..4), 1..40)).prop_map(
        |(bom, final_newline, mut parts)| {
            // A document that opens with `---` has frontmatter, which these blocks are not.
            if BLOCKS[parts[0].0] == "---" {
                parts[0].0 = 0;
            }
            Spec { bom, final_newline, parts }
        },
    )
}

/// Documents that hold at least one phase with a task, the task anywhere in the document.
fn spec_with_task() -> impl Strategy<Value = Spec> {
    (spec(), any::<prop::sample::Index>()).prop_map(|(mut spec, at)| {
        let at = at.index(spec.parts.len() + 1);
        spec.parts.insert(at, (5, 0, 0));
        spec.parts.insert(at, (4, 1, 1));
        spec
    })
}

fn render(spec: &Spec) -> String {
    let mut out = String::new();
    if spec.bom {
        out.push('\u{feff}');
    }
    let count = spec.parts.len();
    for (i, (block, eol, trail)) in spec.parts.iter().enumerate() {
        let eol = if *eol == 1 { "\r\n" } else { "\n" };
        let trail = ["", "  ", " \t", " "][usize::from(*trail)];
        let lines: Vec<&str> = BLOCKS[*block].split('\n').collect();
        for (j, line) in lines.iter().enumerate() {
            out.push_str(line);
            if !line.is_empty() && !line.starts_with('|') && !line.starts_with("```") {
                out.push_str(trail);
            }
            let last = i + 1 == count && j + 1 == lines.len();
            if !last || spec.final_newline {
                out.push_str(eol);
            }
        }
    }
    out
}

/// The byte range of `old` that differs from `new`, and what replaced it.
fn changed(old: &str, new: &str) -> (std::ops::Range<usize>, String) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = a.len().min(b.len()) - prefix;
    let mut suffix = a.iter().rev().zip(b.iter().rev()).take(max_suffix).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    (prefix..a.len() - suffix, String::from_utf8_lossy(&b[prefix..b.len() - suffix]).into_owned())
}

fn checkbox_states(doc: &Document) -> Vec<bool> {
    doc.outline.items.iter().filter_map(|i| i.task.as_ref().map(|t| t.checked)).collect()
}

fn headings(doc: &Document) -> Vec<(u8, String)> {
    doc.outline.headings.iter().map(|h| (h.level, h.text.to_string())).collect()
}

/// The line ending of the line holding byte `at` (the previous line for an insertion).
fn ending_of_line_before(text: &str, at: usize) -> Option<&'static str> {
    let start = text[..at.saturating_sub(1)].rfind('\n').map_or(0, |i| i + 1);
    let nl = text[start..].find('\n')? + start;
    Some(if nl > 0 && text.as_bytes()[nl - 1] == b'\r' { "\r\n" } else { "\n" })
}

fn assert_inserted_lines_match(old: &str, at: usize, inserted: &str) {
    if let Some(eol) = ending_of_line_before(old, at) {
        let crlf = inserted.matches("\r\n").count();
        let lf = inserted.matches('\n').count();
        if eol == "\r\n" {
            assert_eq!(crlf, lf, "inserted {inserted:?} mixes line endings in a CRLF place");
        } else {
            assert_eq!(crlf, 0, "inserted {inserted:?} uses CRLF in an LF place");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn ticking_changes_exactly_one_byte_of_the_target_item(spec in spec(), pick in any::<prop::sample::Index>(), undo in any::<bool>()) {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        let boxes: Vec<_> = doc.outline.items.iter().filter_map(|i| i.task.as_ref().map(|t| (i.range.start, t.clone()))).collect();
        prop_assume!(!boxes.is_empty());
        let (start, task) = &boxes[pick.index(boxes.len())];
        let line = doc.line_of(*start);
        let edit = doc.tick(line, !undo).expect("a task item starts on its line");
        let new = doc.apply(&edit.clone().into_iter().collect::<Vec<_>>());
        if task.checked != undo {
            prop_assert!(edit.is_none());
            prop_assert_eq!(&new, &text);
        } else {
            let (range, by) = changed(&text, &new);
            prop_assert_eq!(range.clone(), task.marker.start + 1..task.marker.start + 2);
            prop_assert!(by == "x" || by == "X" || by == " ");
            let after = Document::parse(&new).expect("still parses");
            let mut expected = checkbox_states(&doc);
            let k = boxes.iter().position(|(s, _)| s == start).expect("the picked box");
            expected[k] = !undo;
            prop_assert_eq!(checkbox_states(&after), expected);
            prop_assert_eq!(headings(&after), headings(&doc));
        }
    }

    #[test]
    fn setting_a_field_changes_only_its_value(spec in spec(), pick in any::<prop::sample::Index>(), value in "[A-Za-z0-9][A-Za-z0-9 ./-]{0,20}[A-Za-z0-9]") {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        prop_assume!(!doc.fields.is_empty());
        let field = &doc.fields[pick.index(doc.fields.len())];
        let edit = doc.set_field(&field.label, &value).expect("the field exists");
        let new = doc.apply(&[edit]);
        let (range, _) = changed(&text, &new);
        prop_assert!(range.start >= field.value_range.start && range.end <= field.value_range.end,
            "changed {:?} outside the value {:?}", range, field.value_range);
        let after = Document::parse(&new).expect("still parses");
        let labels: Vec<_> = after.fields.iter().map(|f| f.label.clone()).collect();
        let before: Vec<_> = doc.fields.iter().map(|f| f.label.clone()).collect();
        prop_assert_eq!(labels, before);
        for (a, b) in after.fields.iter().zip(&doc.fields) {
            if a.label == field.label {
                prop_assert_eq!(&a.value, &value);
            } else {
                prop_assert_eq!(&a.value, &b.value);
            }
        }
        prop_assert_eq!(checkbox_states(&after), checkbox_states(&doc));
    }

    #[test]
    fn adding_a_list_item_only_inserts_one_line_in_the_local_line_ending(spec in spec(), pick in any::<prop::sample::Index>()) {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        prop_assume!(!doc.sections.is_empty());
        let section = &doc.sections[pick.index(doc.sections.len())];
        let edit = doc.add_list_item(section.range.clone(), None, "added by the test").expect("can add");
        let new = doc.apply(std::slice::from_ref(&edit));
        let (range, inserted) = changed(&text, &new);
        prop_assert!(range.is_empty(), "replaced {:?} instead of inserting", range);
        prop_assert!(inserted.contains("added by the test"));
        assert_inserted_lines_match(&text, edit.range.start, &edit.text);
        prop_assert_eq!(new.starts_with('\u{feff}'), text.starts_with('\u{feff}'));
        let after = Document::parse(&new).expect("still parses");
        prop_assert_eq!(checkbox_states(&after), checkbox_states(&doc));
        prop_assert!(after.outline.items.iter().any(|i| i.text == "added by the test"));
    }

    #[test]
    fn a_log_entry_is_one_insertion_that_adds_one_heading(spec in spec(), day in 1u32..28) {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, day).expect("a valid day");
        let Ok(edit) = doc.append_log_entry(date, "Generated entry", &["- did a thing"]) else {
            prop_assume!(false);
            unreachable!()
        };
        let new = doc.apply(std::slice::from_ref(&edit));
        let (range, _) = changed(&text, &new);
        prop_assert!(range.is_empty());
        assert_inserted_lines_match(&text, edit.range.start, &edit.text);
        let after = Document::parse(&new).expect("still parses");
        let mut expected = headings(&doc);
        let added: Vec<_> = headings(&after).into_iter().filter(|h| h.1.ends_with("Generated entry")).collect();
        prop_assert_eq!(added.len(), 1);
        expected.retain(|h| !h.1.ends_with("Generated entry"));
        let mut kept = headings(&after);
        kept.retain(|h| !h.1.ends_with("Generated entry"));
        prop_assert_eq!(kept, expected);
        prop_assert_eq!(checkbox_states(&after), checkbox_states(&doc));
        prop_assert_eq!(after.progress_log.len(), doc.progress_log.len() + 1);
    }

    #[test]
    fn a_table_cell_edit_stays_inside_its_cell(spec in spec(), value in "[A-Z]([A-Z_]{0,14}[A-Z])?") {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        prop_assume!(!doc.outline.tables.is_empty());
        let cell = doc.outline.tables[0].rows[0][0].clone();
        let edit = doc.set_table_cell(0, 0, 0, &value).expect("the cell exists");
        let new = doc.apply(&[edit]);
        let (range, _) = changed(&text, &new);
        prop_assert!(range.start >= cell.range.start && range.end <= cell.range.end);
        let after = Document::parse(&new).expect("still parses");
        prop_assert_eq!(after.outline.tables[0].rows[0][0].text.trim(), value.as_str());
        prop_assert_eq!(after.outline.tables[0].rows[0][1].text.clone(), doc.outline.tables[0].rows[0][1].text.clone());
    }

    #[test]
    fn a_task_status_edit_changes_only_status_text(spec in spec_with_task(), status in prop::sample::select(vec![Status::NotStarted, Status::InProgress, Status::Complete, Status::Blocked])) {
        let text = render(&spec);
        let doc = Document::parse(&text).expect("generated documents parse");
        let Some(task) = doc.phases.iter().flat_map(|p| &p.tasks).find(|t| t.source == "heading").cloned() else {
            prop_assume!(false);
            unreachable!()
        };
        let edits: Vec<Edit> = doc.set_task_status(&task.id, status).expect("the task exists");
        let new = doc.apply(&edits);
        // Each edit either replaces bytes on a status line, or inserts a status line. (Judged on
        // the edits themselves: a diff of the texts is ambiguous next to identical bytes.)
        for edit in &edits {
            let line = text[..edit.range.start].rsplit('\n').next().unwrap_or_default();
            let on_status_line = line.trim_start().starts_with("**Status") && !text[edit.range.clone()].contains('\n');
            let inserts_status = edit.range.is_empty() && edit.text.contains("**Status:**");
            prop_assert!(on_status_line || inserts_status, "edit {:?} into {:?}", edit.range, edit.text);
        }
        let after = Document::parse(&new).expect("still parses");
        let found = after.phases.iter().flat_map(|p| &p.tasks).find(|t| t.id == task.id).map(|t| t.status);
        prop_assert_eq!(found, Some(Some(status)));
        prop_assert_eq!(checkbox_states(&after), checkbox_states(&doc));
        prop_assert_eq!(headings(&after), headings(&doc));
    }
}
