//! The block structure of a Markdown text, with byte ranges: headings, list items and their
//! task-list checkboxes, tables, code and HTML blocks.
//!
//! One pass of pulldown-cmark's offset iterator (GFM tables, task lists and strikethrough
//! enabled one by one) fills an [`Outline`]. Offsets are into the whole text, so a caller may
//! parse a suffix (after a BOM or a frontmatter block) and still get offsets it can edit with.
//! This module knows nothing of milestones.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The structure of one Markdown text.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Every heading, in document order.
    pub headings: Vec<Heading>,
    /// Every list, in the order they start.
    pub lists: Vec<List>,
    /// Every list item, in the order they start.
    pub items: Vec<Item>,
    /// Every table, in document order.
    pub tables: Vec<Table>,
    /// Every code block (fenced or indented), in document order.
    pub code_blocks: Vec<CodeBlock>,
    /// Every HTML block (comments that start a line included), in document order.
    pub html_blocks: Vec<Range<usize>>,
    /// Every piece of inline HTML (tags and comments inside paragraphs).
    pub inline_html: Vec<Range<usize>>,
}

/// A heading, ATX (`## Name`) or setext (`Name` underlined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its text as a renderer shows it: markup removed, entities decoded, escapes resolved.
    pub text: String,
    /// The whole heading block, from its first text line (or `#`) to its line ending.
    pub range: Range<usize>,
}

/// A list, ordered or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub range: Range<usize>,
    /// The first item's number for an ordered list.
    pub start: Option<u64>,
    /// Indexes into [`Outline::items`] of this list's own items (not nested ones).
    pub items: Vec<usize>,
    /// How deep the list is nested in other lists (0 at the top).
    pub depth: usize,
}

/// One list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// From the bullet or number to the end of the item (nested content included).
    pub range: Range<usize>,
    /// Index into [`Outline::lists`] of the list holding it.
    pub list: usize,
    /// The task-list checkbox, when the item is a task item.
    pub task: Option<Checkbox>,
    /// The item's own text (first paragraph), as plain text; empty for an empty item.
    pub text: String,
}

/// A GFM task-list checkbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkbox {
    pub checked: bool,
    /// The three bytes `[ ]`, `[x]` or `[X]`.
    pub marker: Range<usize>,
}

/// A GFM table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub range: Range<usize>,
    /// The header row's cells.
    pub header: Vec<Cell>,
    /// The body rows' cells.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Between the pipes, padding included.
    pub range: Range<usize>,
    /// The content without its padding (empty range at the padding's start for an empty cell).
    pub content: Range<usize>,
    /// Its text as plain text.
    pub text: String,
}

/// A code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The whole block, fences included.
    pub range: Range<usize>,
    /// The info string's first word (`yaml` in ```` ```yaml ````), empty for none or indented.
    pub lang: String,
    /// For a fenced block, the lines between the fences as they stand in the source (a block
    /// inside a container keeps the container's prefixes).
    pub content: Range<usize>,
    /// A fenced block that runs to the end of its container because no closing fence came.
    pub unterminated: bool,
}

/// Returns the parser options the whole tool uses, enabled one by one.
pub fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options
}

/// Where inline text is being collected while walking events.
enum Capture {
    None,
    Heading(usize),
    Item(usize),
    Cell,
}

impl Outline {
    /// Returns the outline of `text[start..]`, with offsets into `text`.
    pub fn parse(text: &str, start: usize) -> Outline {
        let mut out = Outline::default();
        let body = &text[start..];
        let mut list_stack: Vec<usize> = Vec::new();
        let mut item_stack: Vec<usize> = Vec::new();
        // While inside an item, whether its first block has ended (later text is not its own).
        let mut item_text_done: Vec<bool> = Vec::new();
        let mut capture = Capture::None;
        let mut image_depth = 0usize;
        let mut cell_text = String::new();
        let mut row: Vec<Cell> = Vec::new();
        let mut in_head = false;

        for (event, r) in Parser::new_ext(body, options()).into_offset_iter() {
            let range = r.start + start..r.end + start;
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    out.headings.push(Heading {
                        level: level as u8,
                        text: String::new(),
                        range,
                    });
                    capture = Capture::Heading(out.headings.len() - 1);
                }
                Event::End(TagEnd::Heading(_)) => capture = Capture::None,
                Event::Start(Tag::List(first)) => {
                    out.lists.push(List {
                        range,
                        start: first,
                        items: Vec::new(),
                        depth: list_stack.len(),
                    });
                    list_stack.push(out.lists.len() - 1);
                }
                Event::End(TagEnd::List(_)) => {
                    list_stack.pop();
                }
                Event::Start(Tag::Item) => {
                    let list = list_stack.last().copied().unwrap_or_default();
                    out.items.push(Item {
                        range,
                        list,
                        task: None,
                        text: String::new(),
                    });
                    let index = out.items.len() - 1;
                    if let Some(l) = out.lists.get_mut(list) {
                        l.items.push(index);
                    }
                    item_stack.push(index);
                    item_text_done.push(false);
                    capture = Capture::Item(index);
                }
                Event::End(TagEnd::Item) => {
                    item_stack.pop();
                    item_text_done.pop();
                    capture = Capture::None;
                }
                Event::End(TagEnd::Paragraph) => {
                    if let (Capture::Item(_), Some(done)) = (&capture, item_text_done.last_mut()) {
                        *done = true;
                        capture = Capture::None;
                    }
                }
                Event::TaskListMarker(checked) => {
                    if let Some(item) = item_stack.last().and_then(|i| out.items.get_mut(*i)) {
                        item.task = Some(Checkbox {
                            checked,
                            marker: range,
                        });
                    }
                }
                Event::Start(Tag::Table(_)) => {
                    out.tables.push(Table {
                        range,
                        header: Vec::new(),
                        rows: Vec::new(),
                    });
                }
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => {
                    in_head = false;
                    if let Some(table) = out.tables.last_mut() {
                        table.header = std::mem::take(&mut row);
                    }
                }
                Event::End(TagEnd::TableRow) => {
                    if let Some(table) = out.tables.last_mut() {
                        table.rows.push(std::mem::take(&mut row));
                    }
                }
                Event::Start(Tag::TableCell) => {
                    cell_text.clear();
                    capture = Capture::Cell;
                }
                Event::End(TagEnd::TableCell) => {
                    capture = Capture::None;
                    let content = trim_range(text, range.clone());
                    row.push(Cell {
                        range,
                        content,
                        text: std::mem::take(&mut cell_text),
                    });
                    let _ = in_head;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (lang, fenced) = match &kind {
                        CodeBlockKind::Fenced(info) => (
                            info.split_whitespace()
                                .next()
                                .unwrap_or_default()
                                .to_string(),
                            true,
                        ),
                        CodeBlockKind::Indented => (String::new(), false),
                    };
                    out.code_blocks.push(code_block(text, range, lang, fenced));
                    // Text inside a code block in an item is not the item's text.
                    if let Some(done) = item_text_done.last_mut() {
                        *done = true;
                    }
                    if matches!(capture, Capture::Item(_)) {
                        capture = Capture::None;
                    }
                }
                Event::Start(Tag::HtmlBlock) => out.html_blocks.push(range),
                Event::InlineHtml(_) => out.inline_html.push(range),
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                Event::Text(t) | Event::Code(t) if image_depth == 0 => {
                    push_text(&mut out, &capture, &mut cell_text, &t);
                }
                Event::SoftBreak | Event::HardBreak if image_depth == 0 => {
                    push_text(&mut out, &capture, &mut cell_text, "\n");
                }
                _ => {}
            }
        }
        out
    }

    /// Returns whether byte `offset` lies inside a code block, an HTML block or inline HTML.
    pub fn in_code_or_html(&self, offset: usize) -> bool {
        let inside = |ranges: &[Range<usize>]| {
            let i = ranges.partition_point(|r| r.end <= offset);
            ranges.get(i).is_some_and(|r| r.start <= offset)
        };
        let i = self.code_blocks.partition_point(|c| c.range.end <= offset);
        self.code_blocks
            .get(i)
            .is_some_and(|c| c.range.start <= offset)
            || inside(&self.html_blocks)
            || inside(&self.inline_html)
    }

    /// Returns the index of the item that starts on the line holding `offset`'s line start.
    pub fn item_starting_in(&self, line: Range<usize>) -> Option<usize> {
        let i = self.items.partition_point(|it| it.range.start < line.start);
        self.items
            .get(i)
            .filter(|it| it.range.start < line.end.max(line.start + 1))
            .map(|_| i)
    }
}

fn push_text(out: &mut Outline, capture: &Capture, cell: &mut String, t: &str) {
    match capture {
        Capture::Heading(i) => {
            if let Some(h) = out.headings.get_mut(*i) {
                h.text.push_str(t);
            }
        }
        Capture::Item(i) => {
            if let Some(item) = out.items.get_mut(*i) {
                item.text.push_str(t);
            }
        }
        Capture::Cell => cell.push_str(t),
        Capture::None => {}
    }
}

/// Returns `range` without the spaces and tabs at either end.
pub fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start_matches([' ', '\t']).len();
    let trail = s.len() - s.trim_end_matches([' ', '\t']).len();
    if lead == s.len() {
        range.start..range.start
    } else {
        range.start + lead..range.end - trail
    }
}

fn code_block(text: &str, range: Range<usize>, lang: String, fenced: bool) -> CodeBlock {
    if !fenced {
        return CodeBlock {
            content: range.clone(),
            range,
            lang,
            unterminated: false,
        };
    }
    let block = &text[range.clone()];
    let first_nl = block.find('\n').map_or(block.len(), |i| i + 1);
    let opening = block[..first_nl].trim_start_matches([' ', '>', '\t']);
    let fence_char = opening.chars().next().unwrap_or('`');
    let fence_len = opening.chars().take_while(|c| *c == fence_char).count();
    // The last line of the block, without its line ending.
    let body = block[first_nl..].trim_end_matches(['\n', '\r']);
    let (last_start, last) = match body.rfind('\n') {
        Some(i) => (first_nl + i + 1, &body[i + 1..]),
        None => (first_nl, body),
    };
    let last_trimmed = last.trim_start_matches([' ', '>', '\t']).trim_end();
    let closes = first_nl < block.len()
        && !last_trimmed.is_empty()
        && last_trimmed.chars().all(|c| c == fence_char)
        && last_trimmed.chars().count() >= fence_len;
    let content_end = if closes {
        range.start + last_start
    } else {
        range.end
    };
    CodeBlock {
        content: (range.start + first_nl).min(content_end)..content_end,
        range,
        lang,
        unterminated: !closes,
    }
}

/// Returns the plain text of a piece of inline Markdown: emphasis and link markup removed,
/// code-span content and image descriptions kept, entities decoded, escapes resolved, line
/// breaks as spaces, trimmed.
pub fn plain_text(inline: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(inline, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::TaskListMarker(checked) => out.push_str(if checked { "[x] " } else { "[ ] " }),
            Event::Html(h) | Event::InlineHtml(h) if !h.trim_start().starts_with("<!--") => {
                out.push_str(&h);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => out.push(' '),
            _ => {}
        }
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_headings_and_cells_have_exact_ranges() {
        let text = "x\n# Title *em*\r\n\r\n- [ ] one\r\n  - [x] nested\r\n\r\n| A | B |\n|---|---|\n| x  |  y |\n";
        let o = Outline::parse(text, 2);
        assert_eq!(o.headings.len(), 1);
        assert_eq!(o.headings[0].text, "Title em");
        assert_eq!(o.headings[0].level, 1);
        assert_eq!(o.items.len(), 2);
        let marker = o.items[0].task.as_ref().map(|t| &text[t.marker.clone()]);
        assert_eq!(marker, Some("[ ]"));
        assert_eq!(o.items[0].text, "one");
        assert_eq!(o.items[1].task.as_ref().map(|t| t.checked), Some(true));
        assert_eq!(o.lists.len(), 2);
        assert_eq!(o.lists[1].depth, 1);
        let t = &o.tables[0];
        assert_eq!(&text[t.rows[0][0].content.clone()], "x");
        assert_eq!(&text[t.rows[0][1].content.clone()], "y");
        assert_eq!(t.header[1].text, "B");
    }

    #[test]
    fn an_unterminated_fence_is_noticed() {
        let closed = "```yaml\na: 1\n```\n";
        let o = Outline::parse(closed, 0);
        assert!(!o.code_blocks[0].unterminated);
        assert_eq!(&closed[o.code_blocks[0].content.clone()], "a: 1\n");
        let open = "```yaml\r\na: 1\r\n";
        let o = Outline::parse(open, 0);
        assert!(o.code_blocks[0].unterminated);
        assert_eq!(&open[o.code_blocks[0].content.clone()], "a: 1\r\n");
        let longer = "````\n```\n````\n";
        let o = Outline::parse(longer, 0);
        assert!(!o.code_blocks[0].unterminated);
        assert_eq!(&longer[o.code_blocks[0].content.clone()], "```\n");
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("**bold** `code` [link](x) \\*esc &amp;  "),
            "bold code link *esc &"
        );
        assert_eq!(plain_text(""), "");
    }

    #[test]
    fn task_markers_inside_code_blocks_are_not_items() {
        let o = Outline::parse("```\n- [ ] no\n```\n<!--\n- [ ] no\n-->\n- [ ] yes\n", 0);
        assert_eq!(o.items.len(), 1);
        assert_eq!(o.code_blocks.len(), 1);
        assert_eq!(o.html_blocks.len(), 1);
    }
}
