//! The block structure of a Markdown text, with byte ranges: headings, list items and their
//! task-list checkboxes, tables, code and HTML blocks.
//!
//! pulldown-cmark's offset iterator (GFM tables, task lists and strikethrough enabled one by
//! one) is the one parser and the definition of the result: [`Outline::parse_range`]. For
//! speed, [`Outline::parse`] lets the simple-subset scanner ([`super::simple`]) take what it
//! fully understands, cuts the rest at headings that close every block, and checks each cut;
//! its result is always that of one [`Outline::parse_range`] of the whole. Offsets are into
//! the whole text, so a caller may parse a suffix (after a BOM or a frontmatter block) and
//! still get offsets it can edit with. This module knows nothing of milestones.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use crate::parallel::PARALLEL_FROM;

/// The structure of one Markdown text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline<'a> {
    /// Every heading, in document order.
    pub headings: Vec<Heading<'a>>,
    /// Every list, in the order they start.
    pub lists: Vec<List>,
    /// Every list item, in the order they start.
    pub items: Vec<Item<'a>>,
    /// Every table, in document order.
    pub tables: Vec<Table<'a>>,
    /// Every code block (fenced or indented), in document order.
    pub code_blocks: Vec<CodeBlock>,
    /// Every HTML block (comments that start a line included), in document order.
    pub html_blocks: Vec<Range<usize>>,
    /// Every piece of inline HTML (tags and comments inside paragraphs).
    pub inline_html: Vec<Range<usize>>,
}

/// A heading, ATX (`## Name`) or setext (`Name` underlined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading<'a> {
    /// 1 to 6.
    pub level: u8,
    /// Its text as a renderer shows it: markup removed, entities decoded, escapes resolved
    /// (borrowed from the source when that is the source's text as it stands).
    pub text: Cow<'a, str>,
    /// The whole heading block, from its first text line (or `#`) to its line ending.
    pub range: Range<usize>,
}

/// A list, ordered or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    pub range: Range<usize>,
    /// The first item's number for an ordered list.
    pub start: Option<u64>,
    /// How deep the list is nested in other lists (0 at the top).
    pub depth: usize,
}

/// One list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item<'a> {
    /// From the bullet or number to the end of the item (nested content included).
    pub range: Range<usize>,
    /// Index into [`Outline::lists`] of the list holding it.
    pub list: usize,
    /// The task-list checkbox, when the item is a task item.
    pub task: Option<Checkbox>,
    /// The item's own text (first paragraph), as plain text; empty for an empty item.
    pub text: Cow<'a, str>,
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
pub struct Table<'a> {
    pub range: Range<usize>,
    /// The header row's cells.
    pub header: Vec<Cell<'a>>,
    /// The body rows' cells.
    pub rows: Vec<Vec<Cell<'a>>>,
}

/// One table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell<'a> {
    /// Between the pipes, padding included.
    pub range: Range<usize>,
    /// The content without its padding (empty range at the padding's start for an empty cell).
    pub content: Range<usize>,
    /// Its text as plain text.
    pub text: Cow<'a, str>,
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

impl<'a> Outline<'a> {
    /// Returns the outline of `text[start..]`, with offsets into `text`.
    ///
    /// The simple-subset scanner ([`super::simple`]) takes the text line by line; where it
    /// declines, the text from the last heading before that line to the next cut after it
    /// (see [`split_points`]) is parsed by [`Outline::parse_range`], and the scanner goes on
    /// from there. A large text is first cut into regions scanned on several threads. The
    /// result is the same as one [`Outline::parse_range`] of the whole: a piece found to end
    /// inside a block that runs on past its cut is parsed again up to the next cut.
    pub fn parse(text: &'a str, start: usize) -> Outline<'a> {
        Outline::parse_beside(text, start, || ()).0
    }

    /// Returns [`Outline::parse`] of `text[start..]` and what `beside` returns: for a large
    /// text, `beside` is one more piece of work for the threads that take the regions, so it
    /// costs no thread of its own.
    pub fn parse_beside<R: Send>(
        text: &'a str,
        start: usize,
        beside: impl FnOnce() -> R + Send,
    ) -> (Outline<'a>, R) {
        let threads = if text.len() - start >= PARALLEL_FROM { crate::parallel::threads().min(4) } else { 1 };
        Outline::parse_cut(text, start, threads, REGION_LEN, beside)
    }

    /// Returns the outline of `text[range]`, with offsets into `text`: by the simple-subset
    /// scanner when the piece is in its subset, else by [`Outline::parse_range`]. Both give
    /// the same outline.
    pub fn parse_piece(text: &'a str, range: Range<usize>) -> Outline<'a> {
        super::simple::parse_simple(text, range.clone()).unwrap_or_else(|| Outline::parse_range(text, range))
    }

    /// Returns the outline of `text[start..]`, and what `beside` returns; on `threads` threads
    /// when it is cut into regions of about `region_len` bytes.
    ///
    /// The calling thread takes regions from the front and writes them straight into the
    /// result; the other threads take regions from the back, each into an outline of its own
    /// that is appended at the end, the first of them after running `beside`. When the other
    /// threads get no core in time (a busy machine), the calling thread takes nearly every
    /// region, and `beside` too, and the parse costs about what one thread alone would.
    fn parse_cut<R: Send>(
        text: &'a str,
        start: usize,
        threads: usize,
        region_len: usize,
        beside: impl FnOnce() -> R + Send,
    ) -> (Outline<'a>, R) {
        let no_cuts = memchr::memmem::find(&text.as_bytes()[start..], b"]:").is_some();
        // Regions start at headings found without tracking fences: a region that turns out to
        // start inside a block is caught below, as a region before it that runs on.
        let mut bounds = vec![start];
        while threads > 1
            && !no_cuts
            && let Some(cut) = next_cut(text, bounds[bounds.len() - 1] + region_len.max(1))
        {
            bounds.push(cut);
        }
        if bounds.len() == 1 {
            let whole = || {
                if no_cuts {
                    return Outline::parse_range(text, start..text.len());
                }
                let out = Outline::with_room_for(text.len() - start);
                Outline::parse_region(out, text, start..text.len()).0
            };
            return crate::parallel::join(threads > 1, whole, beside);
        }
        let out = Outline::with_room_for(text.len() - start);
        bounds.push(text.len());
        let regions: Vec<Range<usize>> = bounds.windows(2).map(|w| w[0]..w[1]).collect();
        // The regions not yet taken: `front..back`.
        let left = Mutex::new(0..regions.len());
        let claim = |from_front: bool| {
            let mut left = left.lock().unwrap_or_else(PoisonError::into_inner);
            if from_front { left.next() } else { left.next_back() }
        };
        // `beside`, until a thread takes it.
        let beside = Mutex::new(Some(beside));
        let run_beside = || beside.lock().unwrap_or_else(PoisonError::into_inner).take().map(|f| f());
        let from_back = |first: bool| {
            let side = if first { run_beside() } else { None };
            let mut done = Vec::new();
            while let Some(k) = claim(false) {
                done.push((k, Outline::parse_region(Outline::default(), text, regions[k].clone())));
            }
            (done, side)
        };
        let (mut out, front, front_runs_on, mut back, side) = std::thread::scope(|scope| {
            let workers: Vec<_> = (1..threads).map(|i| scope.spawn(move || from_back(i == 1))).collect();
            let (mut out, mut front, mut runs_on) = (out, 0, false);
            // A region that runs on past its end sends the whole text to one thread below.
            while !runs_on && let Some(k) = claim(true) {
                (out, runs_on) = Outline::parse_region(out, text, regions[k].clone());
                front += 1;
            }
            let mut side = run_beside();
            // A worker's panic is a parser bug: its regions are missing below, so the text is
            // parsed again on this thread, where the panic surfaces; unless it took `beside`,
            // whose result is then missing: its panic goes on from here.
            let mut back: Vec<(usize, (Outline<'a>, bool))> = Vec::new();
            for worker in workers {
                match worker.join() {
                    Ok((done, worker_side)) => {
                        back.extend(done);
                        side = side.or(worker_side);
                    }
                    Err(panic) if side.is_none() => std::panic::resume_unwind(panic),
                    Err(_) => {}
                }
            }
            (out, front, runs_on, back, side)
        });
        let side = side.expect("`beside` was run by this thread or by a worker that returned");
        back.sort_unstable_by_key(|(k, _)| *k);
        // Every region after the calling thread's, each once and in order.
        let complete =
            back.len() + front == regions.len() && back.iter().enumerate().all(|(i, (k, _))| *k == front + i);
        let back_runs_on = back.iter().any(|(k, (_, runs_on))| *runs_on && k + 1 < regions.len());
        if !complete || back_runs_on || (front_runs_on && front < regions.len()) {
            return (Outline::parse_region(Outline::default(), text, start..text.len()).0, side);
        }
        let parts: Vec<Outline<'a>> = back.into_iter().map(|(_, (part, _))| part).collect();
        out.reserve_for(&parts);
        for part in parts {
            out.append(part);
        }
        (out, side)
    }

    /// Returns `out` with the outline of `text[range]` appended, and whether a block runs on
    /// past the range's end.
    ///
    /// The simple-subset scanner takes the text from the start; where it declines a line,
    /// [`Outline::parse_range`] takes the text from the last heading before that line to the
    /// next cut after it, and the scanner goes on from there. The caller has checked that
    /// the text holds no `]:`.
    fn parse_region(mut out: Outline<'a>, text: &'a str, range: Range<usize>) -> (Outline<'a>, bool) {
        let mut at = range.start;
        while at < range.end {
            let Err(declined) = super::simple::scan_prefix(&mut out, text, at..range.end) else {
                break;
            };
            let from = declined.clean;
            let next = |after: usize| next_split(text, from, after, range.end).unwrap_or(range.end);
            let mut end = next(declined.line + 1);
            let mut part = Outline::parse_range(text, from..end);
            // The cut scan guesses; this check on the parsed piece is what makes the result
            // exact. A piece that runs on is parsed again up to the next cut.
            while end < range.end && part.runs_on(text, end) {
                end = next(end + 1);
                part = Outline::parse_range(text, from..end);
            }
            let runs_on = end == range.end && part.runs_on(text, end);
            out.append(part);
            if runs_on {
                return (out, true);
            }
            at = end;
        }
        (out, false)
    }

    /// Returns whether this outline of a piece ending at `end` may differ from the whole
    /// text's outline at that cut: when it ends inside a fenced code block or an HTML block of
    /// a kind that blank lines and headings do not close, or with an empty item followed by a
    /// blank line (pulldown-cmark ends such an item at the blank line when more text follows,
    /// and at the end of the text otherwise).
    pub(crate) fn runs_on(&self, text: &str, end: usize) -> bool {
        let tail_start = text[..end].trim_end_matches(['\n', '\r', ' ', '\t']).len();
        let reaches_end = |r: &Range<usize>| r.end >= tail_start;
        let open_fence =
            self.code_blocks.iter().rev().take(1).any(|c| c.unterminated && reaches_end(&c.range));
        let open_html = self.html_blocks.iter().rev().take(1).any(|r| {
            let block = text[r.clone()].trim_start_matches(' ');
            reaches_end(r)
                && html_block_end(block).is_some_and(|close| !block[2..].to_ascii_lowercase().contains(close))
        });
        let blank_before_end = text[tail_start..end].bytes().filter(|b| *b == b'\n').count() >= 2;
        let empty_item =
            blank_before_end && self.items.iter().any(|i| i.range.end >= end && i.text.is_empty());
        open_fence || open_html || empty_item
    }

    /// Returns an empty outline with room for what a tracking document of `len` bytes
    /// usually holds, and then some: one item per 24 bytes, a list per 96, a heading per 256.
    fn with_room_for(len: usize) -> Outline<'a> {
        Outline {
            headings: Vec::with_capacity(len / 256),
            lists: Vec::with_capacity(len / 96),
            items: Vec::with_capacity(len / 24),
            ..Outline::default()
        }
    }

    /// Makes room for appending all of `parts`: one growth per list instead of a series.
    fn reserve_for(&mut self, parts: &[Outline<'a>]) {
        let total = |len: fn(&Outline<'a>) -> usize| parts.iter().map(len).sum::<usize>();
        self.headings.reserve(total(|o| o.headings.len()));
        self.lists.reserve(total(|o| o.lists.len()));
        self.items.reserve(total(|o| o.items.len()));
        self.tables.reserve(total(|o| o.tables.len()));
        self.code_blocks.reserve(total(|o| o.code_blocks.len()));
        self.html_blocks.reserve(total(|o| o.html_blocks.len()));
        self.inline_html.reserve(total(|o| o.inline_html.len()));
    }

    /// Appends `other`, an outline of the text right after this one's, fixing its indexes.
    fn append(&mut self, other: Outline<'a>) {
        let lists = self.lists.len();
        self.headings.extend(other.headings);
        self.lists.extend(other.lists);
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
    pub fn parse_range(text: &'a str, range: Range<usize>) -> Outline<'a> {
        let start = range.start;
        let mut out = Outline::default();
        let body = &text[range];
        let mut list_stack: Vec<usize> = Vec::new();
        let mut item_stack: Vec<usize> = Vec::new();
        // While inside an item, whether its first block has ended (later text is not its own).
        let mut item_text_done: Vec<bool> = Vec::new();
        let mut capture = Capture::None;
        let mut image_depth = 0usize;
        let mut cell_text: Cow<'a, str> = Cow::Borrowed("");
        let mut row: Vec<Cell> = Vec::new();
        let mut in_head = false;

        for (event, r) in Parser::new_ext(body, options()).into_offset_iter() {
            let range = r.start + start..r.end + start;
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    out.headings.push(Heading { level: level as u8, text: Cow::Borrowed(""), range });
                    capture = Capture::Heading(out.headings.len() - 1);
                }
                Event::End(TagEnd::Heading(_)) => capture = Capture::None,
                Event::Start(Tag::List(first)) => {
                    let range = from_marker(text, range);
                    out.lists.push(List { range, start: first, depth: list_stack.len() });
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
                        text: Cow::Borrowed(""),
                    });
                    let index = out.items.len() - 1;
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
                        // pulldown-cmark may start the marker at a tab that is only partly
                        // indentation (`-\t\t[ ] a`): the marker is the three bytes from `[`.
                        let start = text[range.clone()].find('[').map_or(range.start, |i| range.start + i);
                        item.task = Some(Checkbox { checked, marker: start..start + 3 });
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
                    cell_text = Cow::Borrowed("");
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
                    let piece = match t {
                        pulldown_cmark::CowStr::Borrowed(s) => Cow::Borrowed(s),
                        other => Cow::Owned(other.into_string()),
                    };
                    push_text(&mut out, &capture, &mut cell_text, piece);
                }
                Event::SoftBreak | Event::HardBreak if image_depth == 0 => {
                    push_text(&mut out, &capture, &mut cell_text, Cow::Borrowed("\n"));
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

    /// Returns the indexes into [`Outline::items`] of list `list`'s own items (not those of
    /// lists nested in it), in order.
    pub fn items_of(&self, list: usize) -> impl DoubleEndedIterator<Item = usize> + '_ {
        let range = self.lists.get(list).map_or(0..0, |l| l.range.clone());
        let from = self.items.partition_point(|i| i.range.start < range.start);
        let to = self.items.partition_point(|i| i.range.start < range.end);
        (from..to).filter(move |&i| self.items[i].list == list)
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

/// The size of the regions a large text is cut into for threads to take one at a time.
const REGION_LEN: usize = 64 * 1024;

/// Returns the offsets in `text[start..]` where the text can be cut into pieces that parse
/// exactly as the whole does, each piece at least `piece_len` bytes long (the last may be
/// shorter).
///
/// A cut goes before an ATX heading line at column 0 that follows a blank line and lies
/// outside fenced code and outside HTML blocks that may span blank lines (comments, `<?`,
/// `<!X`, CDATA, `<script>`, `<pre>`, `<style>`, `<textarea>`). Such a line closes every open
/// container and block, so no block crosses the cut. The scan errs one way only: it may see a
/// fence or HTML block that a container has already closed, which just loses a cut. Link
/// reference definitions are global, so a text that may hold one (`]:`) is not cut.
pub fn split_points(text: &str, start: usize, piece_len: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    if memchr::memmem::find(&text.as_bytes()[start..], b"]:").is_some() {
        return cuts;
    }
    let mut from = start;
    while let Some(cut) = next_split(text, from, from + piece_len.max(1), text.len()) {
        cuts.push(cut);
        from = cut;
    }
    cuts
}

/// Returns the first cut of [`split_points`] at or after `at_least` and before `end`, the
/// text scanned from `from` as if it started there.
fn next_split(text: &str, from: usize, at_least: usize, end: usize) -> Option<usize> {
    let body = &text[..end];
    let bytes = body.as_bytes();
    let mut fence: Option<(u8, usize)> = None;
    let mut html_end: Option<&'static str> = None;
    let mut prev_blank = true;
    let mut at = from;
    for nl in memchr::memchr_iter(b'\n', &bytes[from..]).map(|i| from + i).chain([end]) {
        if at >= end {
            break;
        }
        let line_start = at;
        at = (nl + 1).min(end);
        let first = bytes[line_start];
        // Most lines start with neither white space nor a fence, HTML or heading marker, and
        // outside a fence or an HTML block nothing else needs to be seen.
        if fence.is_none()
            && html_end.is_none()
            && !matches!(first, b' ' | b'\t' | b'\r' | b'\n' | b'`' | b'~' | b'<' | b'#')
        {
            prev_blank = false;
            continue;
        }
        let content = body[line_start..at].trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        // Blank as CommonMark means it: spaces and tabs only (a no-break space is text).
        let blank = content.bytes().all(|b| b == b' ' || b == b'\t');
        if let Some((ch, len)) = fence {
            let run = rest.bytes().take_while(|b| *b == ch).count();
            if indent <= 3 && run >= len && rest[run..].bytes().all(|b| b == b' ') {
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
            } else if indent == 0 && prev_blank && line_start >= at_least && is_atx(rest) {
                return Some(line_start);
            }
        }
        prev_blank = blank;
    }
    None
}

/// Returns the start of the first line at or after `from` that is an ATX heading at column 0
/// right after a blank line, the kind of line [`split_points`] cuts before; unlike it, this
/// does not look back for fences or HTML blocks the line may lie in.
fn next_cut(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memmem::find(bytes.get(at..)?, b"\n#") {
        let line = at + i + 1;
        if is_cut(text, line) {
            return Some(line);
        }
        at = line;
    }
    None
}

/// Returns every line after `from` that [`next_cut`] would find, in order: where a text may be
/// cut into pieces whose outlines are the whole text's, unless a piece ends inside a block
/// that runs on past its end (see [`Outline::runs_on`]).
pub(crate) fn cuts(text: &str, from: usize) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes().get(from..).unwrap_or_default();
    memchr::memmem::find_iter(bytes, b"\n#")
        .map(move |i| from + i + 1)
        .filter(move |line| is_cut(text, *line))
}

/// Returns whether the line starting at `line` (after a `\n`) is an ATX heading at column 0
/// right after a blank line.
fn is_cut(text: &str, line: usize) -> bool {
    let bytes = text.as_bytes();
    let prev_end = line - 1;
    let prev_start = memchr::memrchr(b'\n', &bytes[..prev_end]).map_or(0, |j| j + 1);
    let blank = bytes[prev_start..prev_end].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
    blank && is_atx(&text[line..])
}

/// Returns what ends an HTML block that starts `line` and may span blank lines (types 1 to 5).
fn html_block_end(line: &str) -> Option<&'static str> {
    // The longest opening looked for is 12 bytes; cut at a character boundary (a multi-byte
    // character may straddle byte 12).
    let mut cut = 12.min(line.len());
    while !line.is_char_boundary(cut) {
        cut -= 1;
    }
    let lower = line[..cut].to_ascii_lowercase();
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

fn push_text<'a>(out: &mut Outline<'a>, capture: &Capture, cell: &mut Cow<'a, str>, t: Cow<'a, str>) {
    let target = match capture {
        Capture::Heading(i) => out.headings.get_mut(*i).map(|h| &mut h.text),
        Capture::Item(i) => out.items.get_mut(*i).map(|item| &mut item.text),
        Capture::Cell => Some(cell),
        Capture::None => None,
    };
    if let Some(target) = target {
        append_text(target, t);
    }
}

/// Appends `piece` to `text`, borrowing while `text` is empty.
fn append_text<'a>(text: &mut Cow<'a, str>, piece: Cow<'a, str>) {
    if text.is_empty() {
        *text = piece;
    } else {
        text.to_mut().push_str(&piece);
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
    // pulldown-cmark lets only spaces follow a closing fence, not tabs.
    let last_trimmed = last.trim_start_matches([' ', '>', '\t']).trim_end_matches(' ');
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
        assert_eq!(o.items_of(0).collect::<Vec<_>>(), [0], "a list's own items, not the nested ones");
        assert_eq!(o.items_of(1).collect::<Vec<_>>(), [1]);
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
            for piece_len in [1, 64, 200, text.len() / 3] {
                let cuts = split_points(&text, 0, piece_len);
                cut += usize::from(!cuts.is_empty());
                let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain([text.len()]).collect();
                let mut parsed = Outline::default();
                for w in bounds.windows(2) {
                    let part = Outline::parse_range(&text, w[0]..w[1]);
                    // A cut inside a block that runs on past it is what `runs_on` catches.
                    if w[1] < text.len() && part.runs_on(&text, w[1]) {
                        parsed = whole.clone();
                        break;
                    }
                    parsed.append(part);
                }
                assert_eq!(parsed, whole, "round {round}, pieces of {piece_len}:\n{text}");
            }
            for (threads, region_len) in [(1, 1), (2, 1), (2, 100), (3, 300), (2, text.len() / 2)] {
                let parsed = Outline::parse_cut(&text, 0, threads, region_len, || ()).0;
                assert_eq!(
                    parsed, whole,
                    "round {round}, {threads} threads, regions of {region_len}:\n{text}"
                );
            }
            assert!(round % 50 != 49 || split_points(&text, 0, 1).is_empty());
        }
        // Most texts are really cut, so the pieces path is what is being compared.
        assert!(cut > 1000, "only {cut} of 1200 parses were cut into pieces");
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
    fn a_piece_ending_after_an_empty_item_and_a_blank_line_runs_on() {
        for (text, cut) in [("-\n\n# h\n", 3), ("- [ ]\n\n# h\n", 7), ("1.\n\n# h\n", 4)] {
            let piece = Outline::parse_range(text, 0..cut);
            assert!(piece.runs_on(text, cut), "{text:?}");
            assert_eq!(Outline::parse(text, 0), Outline::parse_range(text, 0..text.len()));
        }
        let text = "- a\n\n# h\n";
        assert!(!Outline::parse_range(text, 0..5).runs_on(text, 5));
    }

    #[test]
    fn an_html_block_start_is_seen_before_a_multi_byte_character() {
        // Found in CI: byte 12 inside a no-break space hid the open comment from `runs_on`.
        assert_eq!(html_block_end("<!--\t\r\n- x \u{a0}\n"), Some("-->"));
        let text = "<!--\t\r\n- x \u{a0}\n\n# H\n";
        assert!(Outline::parse_range(text, 0..text.len()).runs_on(text, text.len()));
    }

    #[test]
    fn a_line_of_no_break_spaces_is_not_blank() {
        // The HTML block runs on through the heading: only a blank line ends it.
        let text = "<div>\n \u{a0}\n# h\n\n# i\n";
        assert_eq!(split_points(text, 0, 1), vec![text.len() - 4]);
        assert_eq!(Outline::parse(text, 0), Outline::parse_range(text, 0..text.len()));
    }

    #[test]
    fn a_fence_closed_by_a_line_with_a_tab_stays_open() {
        // pulldown-cmark lets only spaces follow a closing fence.
        let text = "```\nx\n```\t\n";
        let o = Outline::parse_range(text, 0..text.len());
        assert!(o.code_blocks[0].unterminated);
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
