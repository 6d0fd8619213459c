//! A line scanner for the small Markdown subset that tracking documents are mostly made of:
//! it returns exactly the [`Outline`] that [`Outline::parse_range`] (pulldown-cmark, the
//! oracle) returns, without running pulldown-cmark on the whole text, or it declines.
//!
//! The subset, every non-blank line at column 0: blank lines; ATX headings; thematic breaks;
//! single-line bullet items (`-`, `*` or `+`, one space, text that starts no other block,
//! optionally a task box `[ ]`/`[x]`/`[X]` then one space and text) whose next line is blank,
//! a sibling item, a heading or a thematic break; paragraphs of lines that start no other
//! block. It declines: indented lines, setext underlines, lazy continuation lines, nested and
//! ordered lists, empty items, block quotes, fences, HTML blocks, tables (a `|` in a paragraph
//! line), link reference definitions (a `]:` anywhere), a BOM, a lone CR, VT and FF.
//!
//! Inline text (of headings and items) is computed here for plain text, code spans and
//! intraword `_`; for any other markup (emphasis, links, entities, escapes, HTML, tabs) it is
//! taken from pulldown-cmark run on that one line, whose inline parse does not depend on the
//! lines around it. Inline HTML in a paragraph is taken from pulldown-cmark run on that
//! paragraph alone.
//!
//! This module must never guess: whatever it does not fully understand, it declines, and the
//! caller parses that text with [`Outline::parse_range`]. It knows nothing of milestones.

use std::borrow::Cow;
use std::ops::Range;

use super::outline::{Checkbox, Heading, Item, List, Outline};

/// Returns the outline of `text[range]` when that piece is in the simple subset, or None.
///
/// When it returns an outline, that outline equals `Outline::parse_range(text, range)`:
/// same headings, lists, items, ranges, texts and indexes, in the same order.
pub fn parse_simple(text: &str, range: Range<usize>) -> Option<Outline<'_>> {
    let body = text.get(range.clone())?;
    if memchr::memmem::find(body.as_bytes(), b"]:").is_some() {
        return None;
    }
    let mut out = Outline::default();
    scan_prefix(&mut out, text, range).is_ok().then_some(out)
}

/// Where [`scan_prefix`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Declined {
    /// The start of the last ATX heading line before `line` (or of the range): the outline
    /// appended is exactly that of the text up to here, and every block is closed here.
    pub clean: usize,
    /// The start of the line the scanner declined.
    pub line: usize,
}

/// Appends to `out` the outline of `text[range]` (indexes counted from what `out` already
/// holds) and returns Ok when the whole range is in the simple subset; else appends the
/// outline of the text up to [`Declined::clean`] only and says where it stopped.
///
/// The caller has made sure that the text holds no `]:`: a link reference definition
/// anywhere changes how links parse everywhere, so this scan does not look for one.
pub(crate) fn scan_prefix<'a>(
    out: &mut Outline<'a>,
    text: &'a str,
    range: Range<usize>,
) -> Result<(), Declined> {
    let lens = [out.headings.len(), out.lists.len(), out.items.len(), out.inline_html.len()];
    let mut scan = Scanner { text, out: &mut *out, block: Block::None, clean: (range.start, lens) };
    let result = scan.piece(range);
    if let Err(declined) = result {
        let lens = scan.clean.1;
        out.headings.truncate(lens[0]);
        out.lists.truncate(lens[1]);
        out.items.truncate(lens[2]);
        out.inline_html.truncate(lens[3]);
        return Err(declined);
    }
    result
}

/// The block left open by the lines scanned so far.
enum Block {
    /// Nothing open (start, or after a blank line, a heading or a thematic break).
    None,
    /// A paragraph from `start` to `end` (its last line's end); `html` when a line holds `<`.
    Paragraph { start: usize, end: usize, html: bool },
    /// A list whose last item is open; `blank` once a blank line followed that item.
    List { bullet: u8, blank: bool },
}

/// Which rare bytes a line holds (a CR that ends the line not counted), and whether it is an
/// item line whose text holds no byte of [`SPECIAL`].
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    pipe: bool,
    lt: bool,
    lone_cr: bool,
    plain: bool,
}

/// Returns where the line starting at `at` ends (its `\n`, or the end of `bytes`), and
/// whether it is an item line whose text (after the bullet, and the task box if any) holds
/// no byte of [`SPECIAL`]: items are most lines of a tracking document, and their text is
/// looked at anyway, so one pass finds both.
fn line_end(bytes: &[u8], at: usize) -> (usize, bool) {
    let line = &bytes[at..];
    let text_from = match line {
        [b'\n', ..] => return (at, false),
        [b'-' | b'*' | b'+', b' ', b'[', b' ' | b'x' | b'X', b']', b' ', ..] => 6,
        [b'-' | b'*' | b'+', b' ', ..] => 2,
        _ => return (memchr::memchr(b'\n', line).map_or(bytes.len(), |i| at + i), false),
    };
    match first_in(&STOP, &line[text_from..]) {
        Some(i) if line[text_from + i] == b'\n' => (at + text_from + i, true),
        Some(i) if line[text_from + i] == b'\r' && line.get(text_from + i + 1) == Some(&b'\n') => {
            (at + text_from + i + 1, true)
        }
        Some(i) => {
            let from = text_from + i;
            (memchr::memchr(b'\n', &line[from..]).map_or(bytes.len(), |j| at + from + j), false)
        }
        None => (bytes.len(), true),
    }
}

/// What one line is, by its first bytes.
enum Line {
    Blank,
    Heading(u8),
    Break,
    Item(u8),
    Paragraph,
}

/// The scanner's state: the outline so far, the open block, and the last clean point.
struct Scanner<'t, 'o> {
    text: &'t str,
    out: &'o mut Outline<'t>,
    block: Block,
    /// The start of the last heading line and the lengths of the outline's lists before it.
    clean: (usize, [usize; 4]),
}

impl<'t> Scanner<'t, '_> {
    /// Takes the lines of `text[range]`; on a line it declines, says where.
    fn piece(&mut self, range: Range<usize>) -> Result<(), Declined> {
        let bytes = &self.text.as_bytes()[..range.end];
        // A BOM is not skipped by pulldown-cmark, VT and FF are white space to it where
        // CommonMark says otherwise, and a lone CR ends a line: all declined.
        let odd = if bytes[range.start..].starts_with("\u{feff}".as_bytes()) {
            range.start
        } else {
            memchr::memchr2(0x0b, 0x0c, &bytes[range.start..]).map_or(range.end, |i| range.start + i)
        };
        // The next `|`, `<` or CR: rare bytes, found a whole stretch at a time.
        let rare_from =
            |from: usize| memchr::memchr3(b'|', b'<', b'\r', &bytes[from..]).map_or(range.end, |i| from + i);
        let mut rare = rare_from(range.start);
        let mut at = range.start;
        while at < range.end {
            let (nl, plain) = line_end(bytes, at);
            let mut marks = Marks { plain, ..Marks::default() };
            let mut content_end = nl;
            while rare < nl {
                match bytes[rare] {
                    b'\r' if rare + 1 == nl && nl < range.end => content_end = rare,
                    b'\r' => marks.lone_cr = true,
                    b'|' => marks.pipe = true,
                    _ => marks.lt = true,
                }
                rare = rare_from(rare + 1);
            }
            let end = (nl + 1).min(range.end);
            if marks.lone_cr
                || content_end > odd
                || at == odd
                || self.line(at, content_end, end, marks).is_none()
            {
                return Err(Declined { clean: self.clean.0, line: at });
            }
            at = end;
        }
        self.close(range.end).ok_or(Declined { clean: self.clean.0, line: range.end })
    }

    /// Takes the line `start..end` whose content (line ending excluded) ends at
    /// `content_end` and holds the rare bytes `marks`; returns None to decline the piece.
    fn line(&mut self, start: usize, content_end: usize, end: usize, marks: Marks) -> Option<()> {
        let content: &'t str = &self.text[start..content_end];
        match classify(content.as_bytes())? {
            Line::Blank => match &mut self.block {
                Block::Paragraph { .. } => self.close(start)?,
                Block::List { blank, .. } => *blank = true,
                Block::None => {}
            },
            Line::Heading(level) => {
                self.close(start)?;
                let out = &self.out;
                let lens = [out.headings.len(), out.lists.len(), out.items.len(), out.inline_html.len()];
                self.clean = (start, lens);
                let text = self.heading_text(start, end, level, content)?;
                self.out.headings.push(Heading { level, text, range: start..end });
            }
            Line::Break => {
                // `---` under a paragraph line is a setext underline, not a break.
                if matches!(self.block, Block::Paragraph { .. })
                    && content.starts_with('-')
                    && content.trim_start_matches('-').trim_end_matches([' ', '\t']).is_empty()
                {
                    return None;
                }
                self.close(start)?;
            }
            Line::Item(bullet) => self.item(start, end, bullet, content, marks.plain)?,
            Line::Paragraph => {
                // A `|` may make a table; a `<` may be inline HTML, taken when the paragraph
                // closes.
                if marks.pipe {
                    return None;
                }
                match &mut self.block {
                    Block::Paragraph { end: para_end, html, .. } => {
                        *para_end = end;
                        *html |= marks.lt;
                    }
                    // A line right under an item would be its lazy continuation.
                    Block::List { blank: false, .. } => return None,
                    Block::List { blank: true, .. } | Block::None => {
                        self.close(start)?;
                        self.block = Block::Paragraph { start, end, html: marks.lt };
                    }
                }
            }
        }
        Some(())
    }

    /// Closes the open block at `at` (where the next non-blank line starts, or the piece's
    /// end); returns None when a paragraph's inline HTML cannot be taken exactly.
    fn close(&mut self, at: usize) -> Option<()> {
        match std::mem::replace(&mut self.block, Block::None) {
            Block::None => {}
            Block::Paragraph { start, end, html } => {
                if html {
                    let alone = Outline::parse_range(self.text, start..end);
                    if !only_inline(&alone) || !alone.lists.is_empty() || !alone.items.is_empty() {
                        return None;
                    }
                    self.out.inline_html.extend(alone.inline_html);
                }
            }
            Block::List { .. } => {
                if let Some(item) = self.out.items.last_mut() {
                    item.range.end = at;
                }
                if let Some(list) = self.out.lists.last_mut() {
                    list.range.end = at;
                }
            }
        }
        Some(())
    }

    /// Takes the item line `start..end`, its `content` starting with `bullet` and a space;
    /// `plain` when [`line_end`] found no byte of [`SPECIAL`] in its text.
    fn item(&mut self, start: usize, end: usize, bullet: u8, content: &'t str, plain: bool) -> Option<()> {
        let rest = &content[2..];
        if rest.as_bytes().first().is_none_or(|b| *b == b' ' || *b == b'\t') {
            return None;
        }
        let marker = match rest.as_bytes().get(..3) {
            Some(b"[ ]") => Some(false),
            Some(b"[x]" | b"[X]") => Some(true),
            _ => None,
        };
        let (task, inline) = match marker {
            Some(checked) if rest.len() == 3 || rest.as_bytes()[3] == b' ' => {
                let after = rest.get(4..).unwrap_or_default();
                let task = Checkbox { checked, marker: start + 2..start + 5 };
                // A box with no text ends its item before the blank lines after it, unlike
                // any other item; a box followed by more spaces moves the text's column.
                if after.is_empty() || after.starts_with(' ') {
                    return None;
                }
                (Some(task), after)
            }
            _ => {
                if starts_block(rest.as_bytes()) {
                    return None;
                }
                (None, rest)
            }
        };
        let inline = inline.trim_end_matches(' ');
        // The block above closes first: its inline HTML comes before this item's.
        let same_list = matches!(self.block, Block::List { bullet: b, .. } if b == bullet);
        if !same_list {
            self.close(start)?;
        }
        let text = if plain { Some(Cow::Borrowed(inline)) } else { plain_inline(inline) };
        let (task, text) = match text {
            Some(text) => (task, text),
            None => {
                // The item's paragraph is this one line, and inline parsing does not depend
                // on context (link reference definitions decline the piece).
                let mut alone = Outline::parse_range(self.text, start..end);
                let ok = only_inline(&alone)
                    && alone.headings.is_empty()
                    && alone.lists.len() == 1
                    && alone.items.len() == 1
                    && alone.items[0].range.start == start;
                if !ok {
                    return None;
                }
                self.out.inline_html.append(&mut alone.inline_html);
                let item = alone.items.pop()?;
                (item.task, item.text)
            }
        };
        if text.is_empty() {
            // See the task box with no text above.
            return None;
        }
        if same_list {
            if let Some(item) = self.out.items.last_mut() {
                item.range.end = start;
            }
        } else {
            self.out.lists.push(List { range: start..end, start: None, depth: 0 });
        }
        let list = self.out.lists.len() - 1;
        self.out.items.push(Item { range: start..end, list, task, text });
        if let Some(l) = self.out.lists.last_mut() {
            l.range.end = end;
        }
        self.block = Block::List { bullet, blank: false };
        Some(())
    }

    /// Returns the text of the ATX heading line `start..end` of `level`.
    fn heading_text(
        &mut self,
        start: usize,
        end: usize,
        level: u8,
        content: &'t str,
    ) -> Option<Cow<'t, str>> {
        let after = &content[usize::from(level)..];
        let native = if after.is_empty() || after.starts_with(' ') {
            let inner = after.trim_matches(' ');
            let open = inner.trim_end_matches('#');
            // A closing sequence is a run of `#` after a space, or the whole content.
            let inner = if open.is_empty() {
                open
            } else if open.len() < inner.len() && open.ends_with(' ') {
                open.trim_end_matches(' ')
            } else {
                inner
            };
            plain_inline(inner)
        } else {
            None
        };
        if native.is_some() {
            return native;
        }
        // A heading is one line, whose inline parse does not depend on context.
        let mut alone = Outline::parse_range(self.text, start..end);
        let ok = only_inline(&alone)
            && alone.lists.is_empty()
            && alone.headings.len() == 1
            && alone.headings[0].level == level
            && alone.headings[0].range == (start..end);
        if !ok {
            return None;
        }
        self.out.inline_html.append(&mut alone.inline_html);
        alone.headings.pop().map(|h| h.text)
    }
}

/// Returns whether `outline` holds no tables, code or HTML blocks (the caller checks the rest).
fn only_inline(outline: &Outline) -> bool {
    outline.tables.is_empty() && outline.code_blocks.is_empty() && outline.html_blocks.is_empty()
}

/// Returns what the line `content` (line ending excluded) is, or None when it may start a
/// block outside the subset.
fn classify(content: &[u8]) -> Option<Line> {
    let Some(&first) = content.first() else {
        return Some(Line::Blank);
    };
    match first {
        b' ' | b'\t' if content.iter().all(|b| *b == b' ' || *b == b'\t') => Some(Line::Blank),
        b' ' | b'\t' | b'>' | b'<' | b'|' | b'=' => None,
        b'#' => {
            let level = content.iter().take_while(|b| **b == b'#').count();
            let atx = level <= 6 && content.get(level).is_none_or(|b| *b == b' ' || *b == b'\t');
            // `level <= 6` makes the cast exact.
            Some(if atx { Line::Heading(level as u8) } else { Line::Paragraph })
        }
        b'-' | b'*' | b'+' | b'_' => {
            if is_break(content) {
                return Some(Line::Break);
            }
            let dashes = content.iter().take_while(|b| **b == b'-').count();
            if dashes > 0 && content[dashes..].iter().all(|b| *b == b' ' || *b == b'\t') {
                // `-` or `--`: an empty item, or a setext underline under a paragraph.
                return None;
            }
            match (first, content.get(1)) {
                (b'_', _) => Some(Line::Paragraph),
                (_, Some(b' ')) => Some(Line::Item(first)),
                (_, None | Some(b'\t')) => None,
                _ => Some(Line::Paragraph),
            }
        }
        _ if starts_block(content) => None,
        _ => Some(Line::Paragraph),
    }
}

/// Returns whether `line` (at column 0, not blank) is a thematic break: three or more `-`,
/// `*` or `_`, all the same, with only spaces and tabs between.
fn is_break(line: &[u8]) -> bool {
    let c = line[0];
    matches!(c, b'-' | b'*' | b'_')
        && line.iter().all(|b| *b == c || *b == b' ' || *b == b'\t')
        && line.iter().filter(|b| **b == c).count() >= 3
}

/// Returns whether `s` (at the start of a line or of an item's content) may start a block
/// other than a paragraph.
fn starts_block(s: &[u8]) -> bool {
    let Some(&first) = s.first() else {
        return true;
    };
    match first {
        b' ' | b'\t' | b'>' | b'<' | b'|' | b'=' => true,
        b'#' => {
            let level = s.iter().take_while(|b| **b == b'#').count();
            level <= 6 && s.get(level).is_none_or(|b| *b == b' ' || *b == b'\t')
        }
        b'-' | b'*' | b'+' => s.get(1).is_none_or(|b| *b == b' ' || *b == b'\t') || is_break(s),
        b'_' => is_break(s),
        b'`' | b'~' => s.iter().take_while(|b| **b == first).count() >= 3,
        b'0'..=b'9' => {
            // An ordered list marker: up to nine digits, `.` or `)`, then white space or the end.
            let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
            digits <= 9
                && matches!(s.get(digits), Some(b'.' | b')'))
                && s.get(digits + 1).is_none_or(|b| *b == b' ' || *b == b'\t')
        }
        _ => false,
    }
}

/// Bytes that may be markup in inline text; `` ` `` and `_` are looked at more closely.
const SPECIAL: [bool; 256] = table(b"*_[]<&\\~|`\t\0");

/// The bytes of [`SPECIAL`] and the line endings.
const STOP: [bool; 256] = table(b"*_[]<&\\~|`\t\0\n\r");

/// Returns a table of `bytes`.
const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

/// Returns the plain text of one line of inline content (trailing spaces already trimmed)
/// when it holds nothing but text, code spans and intraword `_`; None otherwise.
fn plain_inline(s: &str) -> Option<Cow<'_, str>> {
    let bytes = s.as_bytes();
    let Some(mut at) = first_special(bytes) else {
        return Some(Cow::Borrowed(s));
    };
    let mut out = String::new();
    let mut copied = 0;
    while at < bytes.len() {
        let Some(next) = first_special(&bytes[at..]) else {
            break;
        };
        at += next;
        let b = bytes[at];
        let run = bytes[at..].iter().take_while(|c| **c == b).count();
        match b {
            b'_' => {
                let before = at.checked_sub(1).map(|i| bytes[i]);
                let after = bytes.get(at + run).copied();
                // A `_` run between two letters or digits can neither open nor close emphasis.
                if !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    || !after.is_some_and(|c| c.is_ascii_alphanumeric())
                {
                    return None;
                }
                at += run;
            }
            b'`' => {
                let open_end = at + run;
                let close = closing_backticks(bytes, open_end, run)?;
                out.reserve(s.len());
                out.push_str(&s[copied..at]);
                let mut code = &s[open_end..close];
                if code.len() >= 2
                    && code.starts_with(' ')
                    && code.ends_with(' ')
                    && code.bytes().any(|c| c != b' ')
                {
                    code = &code[1..code.len() - 1];
                }
                out.push_str(code);
                at = close + run;
                copied = at;
            }
            _ => return None,
        }
    }
    if copied == 0 {
        return Some(Cow::Borrowed(s));
    }
    out.push_str(&s[copied..]);
    Some(Cow::Owned(out))
}

/// Returns where the first byte of [`SPECIAL`] in `bytes` is.
fn first_special(bytes: &[u8]) -> Option<usize> {
    first_in(&SPECIAL, bytes)
}

/// Returns where the first byte of `table` in `bytes` is.
fn first_in(table: &[bool; 256], bytes: &[u8]) -> Option<usize> {
    // Eight lookups a step with one branch: most texts hold no such byte at all.
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        if chunk.iter().fold(false, |any, b| any | table[usize::from(*b)]) {
            break;
        }
        at += 8;
    }
    bytes[at..].iter().position(|b| table[usize::from(*b)]).map(|i| at + i)
}

/// Returns where the first run of exactly `run` backticks at or after `from` starts.
fn closing_backticks(s: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = memchr::memchr(b'`', &s[at..]) {
        let start = at + i;
        let len = s[start..].iter().take_while(|c| **c == b'`').count();
        if len == run {
            return Some(start);
        }
        at = start + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the scanner accepts `text` and agrees with pulldown-cmark on it.
    fn accepted(text: &str) {
        let simple = parse_simple(text, 0..text.len());
        assert_eq!(simple, Some(Outline::parse_range(text, 0..text.len())), "{text:?}");
    }

    #[test]
    fn tracking_shapes_are_accepted_and_exact() {
        accepted("# T\n\n**Status:** x  \n**Branch:** `b`\n\n---\n\n## P\n- [x] a_b\n- [ ] `c`\n");
        accepted("### T\r\n**F:** `x`\r\n\r\n- `1a` - feat: y\r\n- [X] **z** [l](u)\r\n\r\ntext");
        accepted("- a\n\n\n* b\n  \n# h #\n- [ ] **x**\n***\n#\n");
        accepted("# h `c` d\n- `1a` - x\n- [x] a `b` c\n## `e`\n- `` f ` ``\n");
    }

    #[test]
    fn constructs_outside_the_subset_decline() {
        for text in [
            "p\n---\n",
            "p\n- \n",
            "- a\nlazy\n",
            "- a\n  - b\n",
            "1. a\n",
            "> q\n",
            "```\nx\n```\n",
            "| a |\n|---|\n",
            "[r]: /u\n",
            "\u{feff}# a\n",
            "a\rb\n",
            "    code\n",
            "<div>\n",
            "p\n===\n",
            "- [ ]\n\n# h\n",
        ] {
            assert_eq!(parse_simple(text, 0..text.len()), None, "{text:?}");
        }
    }

    #[test]
    fn line_ends_are_found_with_plain_item_text_noticed() {
        let text = b"- [x] plain\n- `code`\r\n\n# h\n* a_b\r\n+ last";
        let mut at = 0;
        let mut found = Vec::new();
        while at < text.len() {
            let (nl, plain) = line_end(text, at);
            found.push((&text[at..nl], plain));
            at = nl + 1;
        }
        let expected: Vec<(&[u8], bool)> = vec![
            (b"- [x] plain", true),
            (b"- `code`\r", false),
            (b"", false),
            (b"# h", false),
            (b"* a_b\r", false),
            (b"+ last", true),
        ];
        assert_eq!(found, expected);
    }

    #[test]
    fn a_decline_keeps_the_outline_up_to_the_last_heading() {
        let text = "# a\n- x\n\n## b\n- y\n> quote\n";
        let mut out = Outline::default();
        let declined = scan_prefix(&mut out, text, 0..text.len());
        assert_eq!(declined, Err(Declined { clean: 9, line: 18 }));
        assert_eq!(out, Outline::parse_range(text, 0..9));
    }

    #[test]
    fn plain_inline_resolves_code_spans_and_declines_markup() {
        let plain = plain_inline;
        assert_eq!(plain("a `` b ` `` c").as_deref(), Some("a b ` c"));
        assert_eq!(plain("` `").as_deref(), Some(" "));
        assert_eq!(plain("x_y__z").as_deref(), Some("x_y__z"));
        assert_eq!(plain("_x"), None);
        assert_eq!(plain("``a`b`"), None);
        assert_eq!(plain("*a*"), None);
    }
}
