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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
    ///
    /// A large text is cut at headings that close every open block and the pieces are parsed
    /// on several threads; the result is the same as one parse of the whole (see
    /// [`split_points`]).
    pub fn parse(text: &str, start: usize) -> Outline {
        let threads = std::thread::available_parallelism().map_or(1, usize::from).min(4);
        if text.len() - start >= PARALLEL_FROM && threads > 1 {
            Outline::parse_in_pieces(text, start, threads)
        } else {
            Outline::parse_range(text, start..text.len())
        }
    }

    /// Returns the outline of `text[start..]`, cut into up to `pieces` pieces parsed on as
    /// many threads; parsed whole when no safe cut is found.
    pub fn parse_in_pieces(text: &str, start: usize, pieces: usize) -> Outline {
        Outline::try_pieces(text, start, pieces)
            .unwrap_or_else(|| Outline::parse_range(text, start..text.len()))
    }

    /// Returns the outline of `text[start..]` parsed in pieces, or None when there is no cut or
    /// a piece turns out to end inside a block that would run on past its cut (the cut scan
    /// guesses; this check on the parsed pieces is what makes the result exact).
    fn try_pieces(text: &str, start: usize, pieces: usize) -> Option<Outline> {
        let cuts = split_points(text, start, pieces);
        if cuts.is_empty() {
            return None;
        }
        let bounds: Vec<usize> = std::iter::once(start).chain(cuts).chain([text.len()]).collect();
        let ranges: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
        let parts: Vec<Outline> = std::thread::scope(|scope| {
            let handles: Vec<_> = ranges[1..]
                .iter()
                .map(|r| scope.spawn(move || Outline::parse_range(text, r.clone())))
                .collect();
            let first = Outline::parse_range(text, ranges[0].clone());
            // A worker's panic is a parser bug: parsing that piece again here lets it surface.
            std::iter::once(first)
                .chain(
                    handles
                        .into_iter()
                        .zip(&ranges[1..])
                        .map(|(h, r)| h.join().unwrap_or_else(|_| Outline::parse_range(text, r.clone()))),
                )
                .collect()
        });
        let open_at_cut =
            parts.iter().zip(&ranges).take(parts.len() - 1).any(|(part, r)| part.runs_on(text, r.end));
        if open_at_cut {
            return None;
        }
        let mut out = Outline::default();
        for part in parts {
            out.append(part);
        }
        Some(out)
    }

    /// Returns whether this outline of a piece ending at `end` ends inside a fenced code block
    /// or an HTML block of a kind that blank lines and headings do not close.
    fn runs_on(&self, text: &str, end: usize) -> bool {
        let tail_start = text[..end].trim_end_matches(['\n', '\r', ' ', '\t']).len();
        let reaches_end = |r: &Range<usize>| r.end >= tail_start;
        let open_fence =
            self.code_blocks.iter().rev().take(1).any(|c| c.unterminated && reaches_end(&c.range));
        let open_html = self.html_blocks.iter().rev().take(1).any(|r| {
            let block = text[r.clone()].trim_start_matches(' ');
            reaches_end(r)
                && html_block_end(block).is_some_and(|close| !block[2..].to_ascii_lowercase().contains(close))
        });
        open_fence || open_html
    }

    /// Appends `other`, an outline of the text right after this one's, fixing its indexes.
    fn append(&mut self, other: Outline) {
        let (lists, items) = (self.lists.len(), self.items.len());
        self.headings.extend(other.headings);
        self.lists.extend(other.lists.into_iter().map(|mut l| {
            l.items.iter_mut().for_each(|i| *i += items);
            l
        }));
        self.items.extend(other.items.into_iter().map(|mut i| {
            i.list += lists;
            i
        }));
        self.tables.extend(other.tables);
        self.code_blocks.extend(other.code_blocks);
        self.html_blocks.extend(other.html_blocks);
        self.inline_html.extend(other.inline_html);
    }

    /// Returns the outline of `text[range]`, parsed in one piece, with offsets into `text`.
    pub fn parse_range(text: &str, range: Range<usize>) -> Outline {
        let start = range.start;
        let mut out = Outline::default();
        let body = &text[range];
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
                    out.headings.push(Heading { level: level as u8, text: String::new(), range });
                    capture = Capture::Heading(out.headings.len() - 1);
                }
                Event::End(TagEnd::Heading(_)) => capture = Capture::None,
                Event::Start(Tag::List(first)) => {
                    let range = from_marker(text, range);
                    out.lists.push(List { range, start: first, items: Vec::new(), depth: list_stack.len() });
                    list_stack.push(out.lists.len() - 1);
                }
                Event::End(TagEnd::List(_)) => {
                    list_stack.pop();
                }
                Event::Start(Tag::Item) => {
                    let list = list_stack.last().copied().unwrap_or_default();
                    out.items.push(Item {
                        range: from_marker(text, range),
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
                        item.task = Some(Checkbox { checked, marker: range });
                    }
                }
                Event::Start(Tag::Table(_)) => {
                    out.tables.push(Table { range, header: Vec::new(), rows: Vec::new() });
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
                    row.push(Cell { range, content, text: std::mem::take(&mut cell_text) });
                    let _ = in_head;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let (lang, fenced) = match &kind {
                        CodeBlockKind::Fenced(info) => {
                            (info.split_whitespace().next().unwrap_or_default().to_string(), true)
                        }
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
        self.code_blocks.get(i).is_some_and(|c| c.range.start <= offset)
            || inside(&self.html_blocks)
            || inside(&self.inline_html)
    }

    /// Returns the index of the item that starts on the line holding `offset`'s line start.
    pub fn item_starting_in(&self, line: Range<usize>) -> Option<usize> {
        let i = self.items.partition_point(|it| it.range.start < line.start);
        self.items.get(i).filter(|it| it.range.start < line.end.max(line.start + 1)).map(|_| i)
    }
}

/// Returns `range` starting at its first character that is not white space: pulldown-cmark
/// may start a tab-indented list or item at the end of the line before.
fn from_marker(text: &str, range: Range<usize>) -> Range<usize> {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start_matches([' ', '\t', '\r', '\n']).len();
    range.start + lead..range.end
}

/// Texts shorter than this are parsed in one piece: threads cost more than they save.
const PARALLEL_FROM: usize = 256 * 1024;

/// Returns up to `pieces - 1` offsets in `text[start..]` where the text can be cut into pieces
/// that parse exactly as the whole does, each near an equal share of the text.
///
/// A cut goes before an ATX heading line at column 0 that follows a blank line and lies
/// outside fenced code and outside HTML blocks that may span blank lines (comments, `<?`,
/// `<!X`, CDATA, `<script>`, `<pre>`, `<style>`, `<textarea>`). Such a line closes every open
/// container and block, so no block crosses the cut. The scan errs one way only: it may see a
/// fence or HTML block that a container has already closed, which just loses a cut. Link
/// reference definitions are global, so a text that may hold one (`]:`) is not cut.
pub fn split_points(text: &str, start: usize, pieces: usize) -> Vec<usize> {
    let body = &text[start..];
    if pieces < 2 || body.contains("]:") {
        return Vec::new();
    }
    let share = body.len() / pieces;
    let mut cuts = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    let mut html_end: Option<&'static str> = None;
    let mut prev_blank = true;
    let mut at = 0;
    while at < body.len() && cuts.len() + 1 < pieces {
        let end = body[at..].find('\n').map_or(body.len(), |i| at + i + 1);
        let line = &body[at..end];
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        let blank = content.trim().is_empty();
        if let Some((ch, len)) = fence {
            let run = rest.bytes().take_while(|b| *b == ch).count();
            if indent <= 3 && run >= len && rest[run..].trim().is_empty() {
                fence = None;
            }
        } else if let Some(close) = html_end {
            if content.to_ascii_lowercase().contains(close) {
                html_end = None;
            }
        } else if indent <= 3 {
            let bytes = rest.as_bytes();
            let run = bytes.iter().take_while(|b| **b == b'`' || **b == b'~').count();
            let fence_char = bytes.first().copied().unwrap_or(0);
            if run >= 3
                && bytes[..run].iter().all(|b| *b == fence_char)
                && !(fence_char == b'`' && rest[run..].contains('`'))
            {
                fence = Some((fence_char, run));
            } else if rest.starts_with('<')
                && let Some(close) = html_block_end(rest)
            {
                if !content.to_ascii_lowercase()[indent + 2..].contains(close) {
                    html_end = Some(close);
                }
            } else if indent == 0
                && prev_blank
                && start + at >= start + share * (cuts.len() + 1)
                && is_atx(rest)
            {
                cuts.push(start + at);
            }
        }
        prev_blank = blank;
        at = end;
    }
    cuts
}

/// Returns what ends an HTML block that starts `line` and may span blank lines (types 1 to 5).
fn html_block_end(line: &str) -> Option<&'static str> {
    let lower = line.get(..12.min(line.len()))?.to_ascii_lowercase();
    let starts = |tag: &str| {
        lower.starts_with(tag)
            && lower[tag.len()..].chars().next().is_none_or(|c| c == '>' || c.is_whitespace())
    };
    if lower.starts_with("<!--") {
        Some("-->")
    } else if lower.starts_with("<?") {
        Some("?>")
    } else if lower.starts_with("<![cdata[") {
        Some("]]>")
    } else if lower.starts_with("<!") && lower.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic) {
        Some(">")
    } else if starts("<script") {
        Some("</script>")
    } else if starts("<pre") {
        Some("</pre>")
    } else if starts("<style") {
        Some("</style>")
    } else if starts("<textarea") {
        Some("</textarea>")
    } else {
        None
    }
}

/// Returns whether `line` (at column 0) is an ATX heading: 1 to 6 `#`, then a space, a tab or
/// the end of the line.
fn is_atx(line: &str) -> bool {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
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
    if lead == s.len() { range.start..range.start } else { range.start + lead..range.end - trail }
}

fn code_block(text: &str, range: Range<usize>, lang: String, fenced: bool) -> CodeBlock {
    if !fenced {
        return CodeBlock { content: range.clone(), range, lang, unterminated: false };
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
    let content_end = if closes { range.start + last_start } else { range.end };
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
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_headings_and_cells_have_exact_ranges() {
        let text =
            "x\n# Title *em*\r\n\r\n- [ ] one\r\n  - [x] nested\r\n\r\n| A | B |\n|---|---|\n| x  |  y |\n";
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
    fn a_text_parsed_in_pieces_gives_the_outline_of_the_whole() {
        const BLOCKS: &[&str] = &[
            "# Title\n",
            "## Phase 1: A\n\n- [ ] one\n- [x] two\n  - [ ] nested\n",
            "### Task 1.1: B\n**Status:** Done\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            "```\n\n# not a heading inside a fence\n\n```\n",
            "~~~~\n\n## fenced too\n~~~\n\n~~~~\n",
            "<!--\n\n# inside a comment\n\n-->\n",
            "<div>\n# inside an HTML block\n</div>\n",
            "<pre>\n\n# inside pre\n\n</pre>\n",
            "> quoted\n> ```\n> code\n",
            "- item\n\n  ```\n\n# after an open fence in an item\n",
            "Paragraph with `code` and *emphasis*.\n",
            "\n",
            "\n\n",
            "#### 2026-10-03 - Log\n- `3f9c2ab` - feat: x\n",
            "    indented code\n    # not a heading\n",
            "Setext\n===\n",
            "#\n",
        ];
        let mut seed = 7u64;
        let mut cut = 0;
        for round in 0..300 {
            let mut text = String::new();
            for _ in 0..(20 + round % 40) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                text.push_str(BLOCKS[(seed >> 33) as usize % BLOCKS.len()]);
                text.push('\n');
            }
            if round % 50 == 49 {
                text.push_str("[ref]: https://example.com\n");
            }
            let whole = Outline::parse_range(&text, 0..text.len());
            for pieces in 2..5 {
                let parsed = Outline::try_pieces(&text, 0, pieces);
                cut += usize::from(parsed.is_some());
                let parsed = parsed.unwrap_or_else(|| whole.clone());
                assert_eq!(parsed, whole, "round {round}, {pieces} pieces:\n{text}");
            }
            assert!(round % 50 != 49 || split_points(&text, 0, 4).is_empty());
        }
        // Most texts are really cut, so the pieces path is what is being compared.
        assert!(cut > 200, "only {cut} of 900 parses were cut into pieces");
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
        assert_eq!(plain_text("**bold** `code` [link](x) \\*esc &amp;  "), "bold code link *esc &");
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
