//! Fuzz target `parse_edit`: parse a document, make a few surgical edits to things that exist
//! in it, and check the contract of `git_milestone::document`:
//!
//! - nothing panics, whatever the text (a `Result` error is fine);
//! - an edit changes only the bytes it targets (a tick: the one byte inside the brackets; a
//!   field: its value range; a table cell: the cell; YAML: the frontmatter or block body;
//!   additions: pure insertions after the BOM and frontmatter);
//! - the edited text still parses (the input parsed, so a frontmatter error afterwards is a
//!   finding too).
//!
//! Input layout (see docs/fuzzing.md):
//!
//! ```text
//! byte 0       variant: bit 0 = prepend a BOM; bits 1-2 = line endings
//!              (0 as given, 1 all CRLF, 2 all LF, 3 mixed: every other line CRLF)
//! byte 1       number of operations, 1 + (byte % MAX_OPS)
//! bytes 2..18  MAX_OPS operations of 4 bytes: kind, a, b, c
//! bytes 18..   the document text (only its longest valid UTF-8 prefix is used)
//! ```
#![no_main]

use std::ops::Range;

use chrono::NaiveDate;
use git_milestone::document::yaml::{Seg, format_path};
use git_milestone::document::{Document, ParseError, Status, status};
use git_milestone::markdown::Edit;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const MAX_OPS: usize = 4;
const HEADER: usize = 2 + 4 * MAX_OPS;

/// Values written by the edits: ordinary ones, Markdown and YAML that could break structure,
/// non-ASCII, and a line break (which every one-line edit must refuse).
const VALUES: &[&str] = &[
    "2026-11-21",
    "",
    "done",
    "`feature/M7/x`",
    "ünï ✅ code",
    "a | b",
    "**bold**",
    "# not a heading",
    "- [ ] x",
    "  padded  ",
    "\\",
    "x  ",
    "'quoted'",
    "\"dq\"",
    "key: v",
    "- item",
    "[link](x)",
    "<!-- c -->",
    "*",
    "---",
    "true",
    "42",
    "1.50",
    "null",
    "~",
    "&anchor",
    "*alias",
    "#comment",
    "a # b",
    "{flow: 1}",
    "[1, 2]",
    "multi\nline",
    "cr\rhere",
    "```",
    "\t",
    "| x |",
];

const LABELS: &[&str] = &["Fuzz", "Status", "Commits", "Tests", "Notes", "Overall Progress", "A:B", ""];

fn pick<T>(items: &[T], b: u8) -> Option<&T> {
    if items.is_empty() { None } else { Some(&items[usize::from(b) % items.len()]) }
}

fn value(b: u8) -> &'static str {
    VALUES[usize::from(b) % VALUES.len()]
}

/// Returns the document text the input describes.
fn document_text(variant: u8, raw: &[u8]) -> String {
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t,
        // Only valid UTF-8 is a document: take the longest valid prefix.
        Err(e) => std::str::from_utf8(&raw[..e.valid_up_to()]).unwrap_or_default(),
    };
    let mut out = String::with_capacity(text.len() * 2 + 3);
    if variant & 1 == 1 && !text.starts_with('\u{feff}') {
        out.push('\u{feff}');
    }
    match (variant >> 1) & 3 {
        0 => out.push_str(text),
        1 => out.push_str(&text.replace("\r\n", "\n").replace('\n', "\r\n")),
        2 => out.push_str(&text.replace("\r\n", "\n")),
        _ => {
            for (i, line) in text.replace("\r\n", "\n").split_inclusive('\n').enumerate() {
                match line.strip_suffix('\n') {
                    Some(l) if i % 2 == 1 => {
                        out.push_str(l);
                        out.push_str("\r\n");
                    }
                    _ => out.push_str(line),
                }
            }
        }
    }
    out
}

/// Collects up to 64 paths into a YAML value (scalars and containers), as `parse_path` text.
fn yaml_paths(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<String>) {
    if out.len() >= 64 {
        return;
    }
    if !path.is_empty() {
        out.push(format_path(path));
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Seg::Key(k.clone()));
                yaml_paths(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                yaml_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn paths_of(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    yaml_paths(value, &mut Vec::new(), &mut out);
    // Paths that do not exist yet: a new top-level key, a new nested key, a bad path.
    out.extend(["fuzz_new".to_string(), "status".to_string(), "a.b[0]".to_string(), "x[".to_string()]);
    out
}

/// What one operation expects of its edits, checked after they are applied.
enum Expect {
    /// Tick or untick: only the byte at this offset changes.
    OneByte(usize),
    /// Only bytes inside this range change (the range itself may be replaced).
    Within(Range<usize>),
    /// Only insertions, none before this offset (the BOM and frontmatter stay as they are).
    InsertAfter(usize),
    /// Edits anywhere after this offset (set_task_status touches status lines, cells and YAML
    /// blocks at once, never the BOM or the frontmatter).
    InBody(usize),
}

fn check_edits(old: &str, new: &str, edits: &[Edit], expect: &Expect, op: &str) {
    match expect {
        Expect::OneByte(at) => {
            assert_eq!(old.len(), new.len(), "{op}: a tick changed the length");
            let diff: Vec<usize> =
                old.bytes().zip(new.bytes()).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect();
            assert_eq!(diff, vec![*at], "{op}: a tick must change exactly the bracket byte");
            let (old_b, new_b) = (old.as_bytes(), new.as_bytes());
            assert!(
                *at > 0 && old_b[*at - 1] == b'[' && old_b.get(*at + 1) == Some(&b']'),
                "{op}: the changed byte is not between the brackets of a checkbox"
            );
            // pulldown-cmark reads any ASCII white space between the brackets as unticked
            // (`[\t]`, `[\x0c]`), so that is what may be replaced.
            assert!(b" \t\x0b\x0cxX".contains(&old_b[*at]), "{op}: old bracket byte {:?}", old_b[*at]);
            assert!(b" xX".contains(&new_b[*at]), "{op}: new bracket byte {:?}", new_b[*at]);
        }
        Expect::Within(range) => {
            for e in edits {
                assert!(
                    range.start <= e.range.start && e.range.end <= range.end,
                    "{op}: edit {:?} outside its target {range:?}",
                    e.range
                );
            }
            assert_eq!(old[..range.start], new[..range.start], "{op}: bytes before the target changed");
            let tail = old.len() - range.end;
            assert_eq!(old[range.end..], new[new.len() - tail..], "{op}: bytes after the target changed");
        }
        Expect::InsertAfter(start) => {
            for e in edits {
                assert!(e.range.is_empty(), "{op}: an addition replaced bytes {:?}", e.range);
                assert!(e.range.start >= *start, "{op}: inserted at {} before the body ({start})", e.range.start);
            }
        }
        Expect::InBody(start) => {
            for e in edits {
                assert!(e.range.start >= *start, "{op}: edit {:?} before the body ({start})", e.range);
            }
        }
    }
}

/// Runs one operation on `text`; returns the edited text, or `None` when the edit was refused.
fn run_op(text: &str, kind: u8, a: u8, b: u8, c: u8) -> Option<String> {
    let doc = match Document::parse(text) {
        Ok(doc) => doc,
        Err(ParseError::Frontmatter { .. }) => return None,
    };
    // Read-only queries that the commands make.
    let _ = doc.summary();
    let _ = doc.progress_percent();
    let _ = doc.status_style();
    let checked_before = doc.checkboxes();

    let (op, edits, expect): (&str, Vec<Edit>, Expect) = match kind % 12 {
        // Tick the checkbox of an existing task item, on the line the item starts.
        0 | 1 => {
            let tasks: Vec<_> = doc.outline.items.iter().filter(|i| i.task.is_some()).collect();
            let item = pick(&tasks, a)?;
            let line = doc.line_of(item.range.start);
            let checked = if b & 1 == 1 { true } else { !item.task.as_ref()?.checked };
            let edit = doc.tick(line, checked).ok()??;
            let at = item.task.as_ref()?.marker.start + 1;
            ("tick", vec![edit], Expect::OneByte(at))
        }
        // Tick any line (mostly errors: not a task item, no such line).
        2 => {
            let line = usize::from(a) % (doc.lines.count() + 2);
            let edit = doc.tick(line, b & 1 == 1).ok()??;
            let at = edit.range.start;
            assert_eq!(edit.range.len(), 1, "tick of line {line}: {edit:?}");
            ("tick-any-line", vec![edit], Expect::OneByte(at))
        }
        3 => {
            let field = pick(&doc.fields, a).map(|f| f.label.clone()).unwrap_or_else(|| "Status".into());
            let f = doc.field(&field)?.clone();
            let v = value(b);
            let edit = doc.set_field(&field, v).ok()?;
            let out = doc.apply(std::slice::from_ref(&edit));
            let expected = format!("{}{v}{}", &text[..f.value_range.start], &text[f.value_range.end..]);
            assert_eq!(out, expected, "set_field({field:?}, {v:?}) must replace only the value range");
            ("set_field", vec![edit], Expect::Within(f.value_range.clone()))
        }
        4 => {
            let labels: Vec<&str> = doc.fields.iter().map(|f| f.label.as_str()).chain(LABELS.iter().copied()).collect();
            let label = *pick(&labels, a)?;
            let edits = doc.add_field(label, value(b)).ok()?;
            ("add_field", edits, Expect::InsertAfter(doc.body_start))
        }
        5 => {
            let fm = doc.frontmatter.as_ref()?;
            let paths = paths_of(&fm.value);
            let path = &paths[usize::from(a) % paths.len()];
            let edit = doc.set_frontmatter(path, value(b)).ok()?;
            ("set_frontmatter", vec![edit], Expect::Within(fm.body.clone()))
        }
        6 => {
            if doc.yaml_blocks.is_empty() {
                return None;
            }
            let block = usize::from(c) % doc.yaml_blocks.len();
            let yb = &doc.yaml_blocks[block];
            let paths = paths_of(&yb.value);
            let path = &paths[usize::from(a) % paths.len()];
            let edit = doc.set_yaml(block, path, value(b)).ok()?;
            ("set_yaml", vec![edit], Expect::Within(yb.content.clone()))
        }
        7 => {
            let ids: Vec<&str> = doc
                .phases
                .iter()
                .flat_map(|p| p.tasks.iter().map(|t| t.id.as_ref()))
                .chain(doc.plan_tasks.iter().map(|t| t.id.as_str()))
                .chain(["1.1", "nope"])
                .collect();
            let id = *pick(&ids, a)?;
            let status = Status::ALL[usize::from(b) % Status::ALL.len()];
            let edits = doc.set_task_status(id, status).ok()?;
            ("set_task_status", edits, Expect::InBody(doc.body_start))
        }
        8 => {
            let section = pick(&doc.sections, a)?.range.clone();
            let labels: Vec<&str> = doc.fields.iter().map(|f| f.label.as_str()).chain(LABELS.iter().copied()).collect();
            let label = if c & 1 == 0 { None } else { pick(&labels, c >> 1).copied() };
            let edit = doc.add_list_item(section, label, value(b)).ok()?;
            ("add_list_item", vec![edit], Expect::InsertAfter(doc.body_start))
        }
        9 => {
            let date = NaiveDate::from_ymd_opt(1990 + i32::from(a % 80), u32::from(b % 12) + 1, u32::from(c % 31) + 1)
                .unwrap_or_default();
            let body: Vec<&str> = (0..usize::from(c >> 5) % 3).map(|i| value(b.wrapping_add(i as u8 * 7))).collect();
            let edit = doc.append_log_entry(date, value(a.wrapping_add(c)), &body).ok()?;
            ("append_log_entry", vec![edit], Expect::InsertAfter(doc.body_start))
        }
        10 => {
            let t = usize::from(a) % doc.outline.tables.len().max(1);
            let table = doc.outline.tables.get(t);
            let rows = table.map_or(0, |t| t.rows.len());
            let row = usize::from(b & 0x3f) % (rows + 1);
            let cols = table.and_then(|t| t.rows.get(row)).map_or(0, Vec::len);
            let col = usize::from(c & 0x0f) % (cols + 1);
            let target = table.and_then(|t| t.rows.get(row)).and_then(|r| r.get(col)).map(|cell| cell.range.clone());
            let edit = doc.set_table_cell(t, row, col, value(c >> 4 ^ b)).ok()?;
            let target = target.expect("set_table_cell succeeded on a cell that does not exist");
            ("set_table_cell", vec![edit], Expect::Within(target))
        }
        _ => {
            if b & 1 == 0 {
                let label = &pick(&doc.percentages, a)?.label;
                // A label may be written twice: the first one (in any case) is the target.
                let p = doc.percentages.iter().find(|p| p.label.eq_ignore_ascii_case(label))?;
                let edit = doc.set_percent(label, c).ok()?;
                ("set_percent", vec![edit], Expect::Within(p.range.clone()))
            } else {
                let i = usize::from(a) % (doc.task_counts.len() + 1);
                let target = doc.task_counts.get(i).map(|t| t.range.clone());
                let edit = doc.set_task_count(i, u64::from(b), u64::from(c)).ok()?;
                ("set_task_count", vec![edit], Expect::Within(target.expect("count exists")))
            }
        }
    };

    let new = doc.apply(&edits);
    check_edits(text, &new, &edits, &expect, op);
    let doc2 = match Document::parse(&new) {
        Ok(d) => d,
        Err(e) => panic!("{op}: the edited text no longer parses: {e} (edits {edits:?})"),
    };
    let _ = doc2.summary();
    if let Expect::OneByte(_) = expect {
        let after = doc2.checkboxes();
        assert_eq!(after.total, checked_before.total, "{op}: a tick changed the number of checkboxes");
        assert_eq!(
            after.checked.abs_diff(checked_before.checked),
            1,
            "{op}: a tick must change exactly one checkbox's state"
        );
    }
    Some(new)
}

fuzz_target!(|data: &[u8]| {
    let mut header = [0u8; HEADER];
    let n = data.len().min(HEADER);
    header[..n].copy_from_slice(&data[..n]);
    let mut text = document_text(header[0], &data[n..]);

    // Pure functions the parser relies on, on the raw text.
    let mut cut = text.len().min(256);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let _ = status::recognize(&text[..cut]);
    let _ = status::demojibake(&text);

    let ops = 1 + usize::from(header[1]) % MAX_OPS;
    for i in 0..ops {
        let op = &header[2 + 4 * i..6 + 4 * i];
        if let Some(new) = run_op(&text, op[0], op[1], op[2], op[3]) {
            text = new;
        }
    }
});
