//! Bold-label lines (`**Label:** value`, `**Label**: value`, also behind `>`), and which of
//! them make up the header.

use std::ops::Range;

use super::{Document, Field};
use crate::markdown::outline::plain_text;
use crate::markdown::{LineIndex, Outline};

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

/// Returns every line of `text` from `body_start` on that reads as a bold-label line, in
/// order, without regard to the blocks around it: the text alone decides, so this can run
/// beside the outline's parse. [`keep_outside_blocks`] then drops those inside other blocks.
pub(crate) fn label_candidates<'a>(
    text: &'a str,
    lines: &LineIndex,
    body_start: usize,
) -> Vec<LabelLine<'a>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let first = lines.line_of(body_start).max(1);
    for line in first..=lines.count() {
        // The first line may start with a byte-order mark, which is not part of it.
        let Some(start) = lines.start_of(line).map(|s| s.max(body_start)) else { break };
        // Cheap tests first: most lines start with neither `*` nor a byte that may come before
        // a label; after up to 3 spaces and any `>` markers, the line must start `**`.
        if !matches!(bytes.get(start), Some(b'*' | b' ' | b'>' | b'\t')) {
            continue;
        }
        let mut at = start;
        while at < bytes.len() && matches!(bytes[at], b' ' | b'>' | b'\t') && at - start < 16 {
            at += 1;
        }
        if bytes.get(at..at + 2) == Some(b"**")
            && let Some(found) = label_at(text, lines, line)
        {
            out.push(found);
        }
    }
    out
}

/// Keeps the candidates that start a paragraph line of their own: outside code and HTML,
/// top-level lists (nested ones lie inside them), headings and tables of the outline `o`,
/// which may be that of a piece of a text, with offsets into it.
pub(crate) fn keep_outside_blocks<'a>(o: &Outline, mut found: Vec<LabelLine<'a>>) -> Vec<LabelLine<'a>> {
    // Each kind of block in document order, disjoint: one walk along each serves every label.
    let mut blocks = [
        Walk::new(o.lists.iter().filter(|l| l.depth == 0).map(|l| l.range.clone())),
        Walk::new(o.headings.iter().map(|h| h.range.clone())),
        Walk::new(o.tables.iter().map(|t| t.range.clone())),
        Walk::new(o.code_blocks.iter().map(|c| c.range.clone())),
        Walk::new(o.html_blocks.iter().cloned()),
        Walk::new(o.inline_html.iter().cloned()),
    ];
    found.retain(|l| !blocks.iter_mut().any(|b| b.covers(l.label_range.start)));
    found
}

/// A walk along disjoint ranges in document order, asked about offsets that only grow.
struct Walk<'r> {
    ranges: std::iter::Peekable<Box<dyn Iterator<Item = Range<usize>> + 'r>>,
}

impl<'r> Walk<'r> {
    fn new(ranges: impl Iterator<Item = Range<usize>> + 'r) -> Self {
        let ranges: Box<dyn Iterator<Item = Range<usize>> + 'r> = Box::new(ranges);
        Walk { ranges: ranges.peekable() }
    }

    /// Returns whether a range holds `offset`, no smaller than the offsets asked before.
    fn covers(&mut self, offset: usize) -> bool {
        while let Some(r) = self.ranges.peek() {
            if r.end > offset {
                return r.start <= offset;
            }
            self.ranges.next();
        }
        false
    }
}

/// Returns the bold-label line at 1-based `line` of `text`, if it reads as one.
fn label_at<'a>(text: &'a str, lines: &LineIndex, line: usize) -> Option<LabelLine<'a>> {
    let mut content = lines.content_range(text, line)?;
    if content.start == 0 && text.starts_with('\u{feff}') {
        content.start = '\u{feff}'.len_utf8();
    }
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
    // A label is short: a scan for `**` costs less than setting up a substring search.
    let close = inner.as_bytes().windows(2).position(|w| w == b"**")?;
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
    fn a_field_on_the_first_line_after_a_byte_order_mark_is_a_field() {
        let text = "\u{feff}**Status:** In Progress\n**Branch:** x\n";
        assert_eq!(
            fields(text),
            vec![("Status".into(), "In Progress".into(), 1), ("Branch".into(), "x".into(), 2)]
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
