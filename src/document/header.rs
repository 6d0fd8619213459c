//! Bold-label lines (`**Label:** value`, `**Label**: value`, also behind `>`), and which of
//! them make up the header.

use std::ops::Range;

use super::{Document, Field};
use crate::markdown::outline::plain_text;

/// A bold-label line found anywhere in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelLine {
    pub label: String,
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
        for section in doc.sections.iter().filter(|s| s.level == 2) {
            found = label_lines(doc, section.range.clone());
            if !found.is_empty() {
                break;
            }
        }
    }
    let mut fields: Vec<Field> = Vec::with_capacity(found.len());
    for l in found {
        if fields.iter().any(|f| f.label == l.label) {
            continue;
        }
        fields.push(Field {
            value: plain_value(&doc.text[l.value_range.clone()]),
            label: l.label,
            line: l.line,
            value_range: l.value_range,
        });
    }
    fields
}

/// Returns every bold-label line that starts in `range`, outside code, HTML and frontmatter.
pub(crate) fn label_lines(doc: &Document, range: Range<usize>) -> Vec<LabelLine> {
    let text = doc.text;
    let mut out = Vec::new();
    let mut line = doc.lines.line_of(range.start.max(doc.body_start));
    while let Some(start) = doc.lines.start_of(line) {
        if start >= range.end {
            break;
        }
        let candidate = start >= range.start
            && start >= doc.body_start
            && text.as_bytes().get(start) != Some(&b'\n');
        if candidate && let Some(found) = label_line(doc, line) {
            out.push(found);
        }
        line += 1;
    }
    out
}

/// Returns the bold-label line at 1-based `line`, if it is one.
pub(crate) fn label_line(doc: &Document, line: usize) -> Option<LabelLine> {
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
    if doc.outline.in_code_or_html(label_start) || !starts_paragraph_line(doc, label_start) {
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
        label: label.to_string(),
        line,
        label_range: label_start..content.start + value_off,
        value_range: value_start..content.start + value_off + end.max(lead.min(end)),
    })
}

/// Returns whether byte `offset` is not inside a list item, table or heading, so a bold label
/// there starts a paragraph line of its own.
fn starts_paragraph_line(doc: &Document, offset: usize) -> bool {
    let o = &doc.outline;
    let in_range = |r: &Range<usize>| r.start <= offset && offset < r.end;
    let i = o.lists.partition_point(|l| l.range.end <= offset);
    let in_list = o.lists[i..]
        .iter()
        .take_while(|l| l.range.start <= offset)
        .any(|l| in_range(&l.range));
    let j = o.headings.partition_point(|h| h.range.end <= offset);
    let in_heading = o.headings.get(j).is_some_and(|h| in_range(&h.range));
    let k = o.tables.partition_point(|t| t.range.end <= offset);
    let in_table = o.tables.get(k).is_some_and(|t| in_range(&t.range));
    !in_list && !in_heading && !in_table
}

/// Returns a field value's plain text: inline markup removed, code-span content kept.
pub(crate) fn plain_value(value: &str) -> String {
    // Escape what would start a block of its own, so the value stays inline text.
    let first = value.chars().next();
    let inline_start =
        value.starts_with("**") || (value.starts_with('`') && value[1..].contains('`'));
    let needs_escape = matches!(
        first,
        Some('#' | '>' | '-' | '+' | '*' | '=' | '|' | '`' | '~')
    ) && !inline_start;
    let ordered = value
        .find(['.', ')'])
        .filter(|&i| i > 0 && value[..i].bytes().all(|b| b.is_ascii_digit()));
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
        doc.fields
            .iter()
            .map(|f| (f.label.clone(), f.value.clone(), f.line))
            .collect()
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
            vec![
                ("Name".into(), "x".into(), 7),
                ("Priority".into(), "- high".into(), 8)
            ]
        );
    }

    #[test]
    fn code_comments_lists_and_frontmatter_hold_no_fields() {
        let text = "---\nnote: |\n  **A:** b\n---\n```\n**B:** c\n```\n<!--\n**C:** d\n-->\n- **D:** e\n    **E:** f\n\n**F:** 1. g\\\n";
        assert_eq!(fields(text), vec![("F".into(), "1. g".into(), 14)]);
    }
}
