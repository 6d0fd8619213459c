//! Bold-label lines (`**Label:** value`, `**Label**: value`, also behind `>`), and which of
//! them make up the header.

use std::ops::Range;

use super::{Document, Field};
use crate::markdown::outline::plain_text;

/// A bold-label line found anywhere in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelLine<'a> {
    /// The label, without its colon, as it stands in the text.
    pub label: &'a str,
    pub line: usize,
    /// The label's bytes, `**` to the colon included.
    pub label_range: Range<usize>,
    /// The value's bytes, without leading spaces, trailing spaces or a hard break.
    pub value_range: Range<usize>,
}

/// Returns the header fields: the bold-label lines before the first level-2 heading, or, when
/// there are none there, those of the first level-2 section that has some.
pub(crate) fn fields(doc: &Document) -> Vec<Field> {
    let first_h2 = doc.sections.iter().find(|s| s.level == 2);
    let before = doc.body_start..first_h2.map_or(doc.text.len(), |s| s.range.start);
    let mut found = label_lines(doc, before);
    if found.is_empty() {
        let sections = doc.sections.iter().filter(|s| s.level == 2);
        found =
            sections.map(|s| label_lines(doc, s.range.clone())).find(|f| !f.is_empty()).unwrap_or_default();
    }
    let mut fields: Vec<Field> = Vec::with_capacity(found.len());
    for l in found {
        if fields.iter().any(|f| f.label == l.label) {
            continue;
        }
        fields.push(Field {
            value: plain_value(&doc.text[l.value_range.clone()]),
            label: l.label.to_string(),
            line: l.line,
            value_range: l.value_range.clone(),
        });
    }
    fields
}

/// Returns the bold-label lines that start in `range` (from the list found once at parse).
pub(crate) fn label_lines<'d, 'a>(doc: &'d Document<'a>, range: Range<usize>) -> &'d [LabelLine<'a>] {
    let all = &doc.labels;
    let from = all.partition_point(|l| l.label_range.start < range.start);
    let to = all.partition_point(|l| l.label_range.start < range.end);
    &all[from..to.max(from)]
}

/// Returns every bold-label line of the document, outside code, HTML and frontmatter, in order.
pub(crate) fn all_label_lines<'a>(doc: &Document<'a>) -> Vec<LabelLine<'a>> {
    let blockers = blocking_ranges(doc);
    let text = doc.text.as_bytes();
    let mut out = Vec::new();
    let mut line = doc.lines.line_of(doc.body_start);
    while let Some(start) = doc.lines.start_of(line) {
        // Cheap test first: after up to 3 spaces and any `>` markers, the line must start `**`.
        let mut at = start;
        while at < text.len() && matches!(text[at], b' ' | b'>' | b'\t') && at - start < 16 {
            at += 1;
        }
        if start >= doc.body_start
            && text.get(at..at + 2) == Some(b"**")
            && let Some(found) = label_line(doc, line)
            && !inside(&blockers, found.label_range.start)
        {
            out.push(found);
        }
        line += 1;
    }
    out
}

/// Returns the sorted, disjoint ranges where a bold label does not start a paragraph line of
/// its own: top-level lists (nested ones lie inside them), headings and tables.
fn blocking_ranges(doc: &Document) -> Vec<Range<usize>> {
    let o = &doc.outline;
    let mut ranges: Vec<Range<usize>> = o
        .lists
        .iter()
        .filter(|l| l.depth == 0)
        .map(|l| l.range.clone())
        .chain(o.headings.iter().map(|h| h.range.clone()))
        .chain(o.tables.iter().map(|t| t.range.clone()))
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

fn inside(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= offset);
    ranges.get(i).is_some_and(|r| r.start <= offset)
}

/// Returns the bold-label line at 1-based `line`, if it is one.
pub(crate) fn label_line<'a>(doc: &Document<'a>, line: usize) -> Option<LabelLine<'a>> {
    let text = doc.text;
    let content = doc.lines.content_range(text, line)?;
    let s = &text[content.clone()];
    // Up to three spaces, then any number of blockquote markers, each with up to one space.
    let mut at = s.len() - s.trim_start_matches(' ').len();
    if at > 3 {
        return None;
    }
    while s[at..].starts_with('>') {
        at += 1;
        if s[at..].starts_with(' ') {
            at += 1;
        }
        at += s[at..].len() - s[at..].trim_start_matches(' ').len();
    }
    let rest = &s[at..];
    let inner = rest.strip_prefix("**")?;
    let close = inner.find("**")?;
    let label_part = &inner[..close];
    let after = &inner[close + 2..];
    let (label, value_off) = if let Some(label) = label_part.strip_suffix(':') {
        (label, at + 2 + close + 2)
    } else if after.starts_with(':') {
        (label_part, at + 2 + close + 3)
    } else {
        return None;
    };
    let label = label.trim();
    if label.is_empty() || label.starts_with(' ') || label.contains('*') {
        return None;
    }
    let label_start = content.start + at;
    if doc.outline.in_code_or_html(label_start) {
        return None;
    }
    let value = &s[value_off..];
    let lead = value.len() - value.trim_start_matches([' ', '\t']).len();
    let mut end = value.trim_end_matches([' ', '\t']).len();
    // A backslash hard break ends the value too.
    if value[..end].ends_with('\\') && !value[..end].ends_with("\\\\") {
        end -= 1;
        end = value[..end].trim_end_matches([' ', '\t']).len();
    }
    let value_start = content.start + value_off + lead.min(end);
    Some(LabelLine {
        label,
        line,
        label_range: label_start..content.start + value_off,
        value_range: value_start..content.start + value_off + end.max(lead.min(end)),
    })
}

/// Returns a field value's plain text: inline markup removed, code-span content kept.
pub(crate) fn plain_value(value: &str) -> String {
    // Escape what would start a block of its own on one line (a heading, a quote, a list
    // bullet, a rule or a fence), so the value stays inline text; emphasis stays emphasis.
    let bytes = value.as_bytes();
    let second_is_space = bytes.get(1).is_none_or(|b| *b == b' ' || *b == b'\t');
    let rule = bytes.len() >= 3
        && (bytes.iter().all(|b| matches!(b, b'-' | b' ')) || bytes.iter().all(|b| matches!(b, b'*' | b' ')));
    let needs_escape = match bytes.first() {
        Some(b'#') => {
            let hashes = bytes.iter().take_while(|b| **b == b'#').count();
            hashes <= 6 && bytes.get(hashes).is_none_or(|b| *b == b' ' || *b == b'\t')
        }
        Some(b'>') => true,
        Some(b'-' | b'+' | b'*') => second_is_space || rule,
        Some(b'`' | b'~') => value.starts_with("```") || value.starts_with("~~~"),
        _ => false,
    };
    let ordered = value.find(['.', ')']).filter(|&i| i > 0 && value[..i].bytes().all(|b| b.is_ascii_digit()));
    if needs_escape {
        plain_text(&format!("\\{value}"))
    } else if let Some(i) = ordered {
        plain_text(&format!("{}\\{}", &value[..i], &value[i..]))
    } else {
        plain_text(value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Document;

    fn fields(text: &str) -> Vec<(String, String, usize)> {
        let doc = Document::parse(text).expect("parses");
        doc.fields.iter().map(|f| (f.label.clone(), f.value.clone(), f.line)).collect()
    }

    #[test]
    fn both_label_styles_and_blockquotes_are_fields() {
        let text = "# T\n\n> **Feature ID**: FEAT-1  \n> **Status**: In *Progress*\n\n**Branch:** `feature/x` (new)  \n**Empty:**\n\n## Next\n**Not:** header\n";
        assert_eq!(
            fields(text),
            vec![
                ("Feature ID".into(), "FEAT-1".into(), 3),
                ("Status".into(), "In Progress".into(), 4),
                ("Branch".into(), "feature/x (new)".into(), 6),
                ("Empty".into(), String::new(), 7),
            ]
        );
    }

    #[test]
    fn the_first_level_two_section_with_fields_is_the_header_when_the_top_has_none() {
        let text = "# T\n\n## Overview\ntext\n\n## Facts\n**Name**: x\n**Priority**: - high\n";
        assert_eq!(
            fields(text),
            vec![("Name".into(), "x".into(), 7), ("Priority".into(), "- high".into(), 8)]
        );
    }

    #[test]
    fn code_comments_lists_and_frontmatter_hold_no_fields() {
        let text = "---\nnote: |\n  **A:** b\n---\n```\n**B:** c\n```\n<!--\n**C:** d\n-->\n- **D:** e\n    **E:** f\n\n**F:** 1. g\\\n";
        assert_eq!(fields(text), vec![("F".into(), "1. g".into(), 14)]);
    }
}
