//! A tracking document's progress, (tasks done, tasks, percent) as [`crate::report::progress`]
//! gives it, without building the whole [`Document`]; and the progress of the next revision
//! of the same document from the pieces the two revisions share.
//!
//! The text (after a BOM and a frontmatter block) is cut before ATX headings that follow a
//! blank line, where [`Outline::parse`] cuts a large text into regions: such a heading closes
//! every block, so each piece parses alone as it does in the whole, unless a block (a fence,
//! an HTML comment) runs on past the cut, which the piece's own outline shows
//! (`Outline::runs_on`); such a piece takes the next one in. Each piece is summed up on its
//! own: its headings (their levels, and whether they read as a phase or a task heading), its
//! checkboxes, and its `**Status:**` lines with the status each states. The sections, phases,
//! tasks and counts are then found from the pieces' summaries as [`Document::parse`] finds
//! them. A [`ProgressReader`] keeps the pieces of the revision it read last and takes a piece
//! of the next revision from them when its bytes are the same: consecutive revisions of a
//! tracking document differ in a few sections, so most of a revision is not parsed again.
//!
//! What this reader does not follow it leaves to [`Document::parse`]: the tasks of a plan
//! (phase-tracker tables and fenced YAML blocks), and a block that runs on for many pieces.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use crate::document::header::{keep_outside_blocks, label_candidates};
use crate::document::status::recognize;
use crate::document::structure::numbered_heading;
use crate::document::{Counts, Document, Status, yaml};
use crate::markdown::outline::cuts;
use crate::markdown::{LineIndex, Outline};

/// Tasks whose status is complete, all tasks, and the percent of checkboxes ticked.
pub type Progress = (usize, usize, u8);

/// Returns the progress of the tracking document `text`, exactly
/// `report::progress(&Document::parse(text)?)`; None when the text cannot be parsed.
pub fn progress(text: &str) -> Option<Progress> {
    ProgressReader::default().read(text)
}

/// Reads revisions of a document one after another, reusing what the last one shares with
/// the next.
#[derive(Debug, Default)]
pub struct ProgressReader {
    /// The revision read last.
    text: String,
    /// Its pieces, in order, with their summaries.
    pieces: Vec<(Range<usize>, Arc<Piece>)>,
    /// The index in `pieces` of a piece by [`key`].
    index: Index,
    /// The last frontmatter body seen, and whether it is valid YAML.
    frontmatter: Option<(String, bool)>,
}

impl ProgressReader {
    /// Returns the summary of `text[range]`: the last revision's when it had the same piece.
    fn piece(&self, text: &str, range: Range<usize>) -> Arc<Piece> {
        let bytes = &text.as_bytes()[range.clone()];
        match self.index.get(&key(bytes)).and_then(|i| self.pieces.get(*i)) {
            Some((was, piece)) if self.text.as_bytes().get(was.clone()) == Some(bytes) => Arc::clone(piece),
            _ => Arc::new(Piece::of(&text[range])),
        }
    }

    /// Returns the progress of `text`, as [`progress`] does.
    pub fn read(&mut self, text: &str) -> Option<Progress> {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let body_start = match yaml::find_frontmatter(text, start) {
            Some(block) => {
                let body = &text[block.body.clone()];
                let valid = match &self.frontmatter {
                    Some((last, valid)) if last == body => *valid,
                    _ => {
                        let valid = yaml::to_json(body).is_ok();
                        self.frontmatter = Some((body.to_string(), valid));
                        valid
                    }
                };
                if !valid {
                    return None;
                }
                block.range.end
            }
            None => start,
        };
        // Cut before ATX headings that follow a blank line, as `Outline::parse` cuts regions;
        // a piece that turns out to end inside a block that runs on takes the next one in.
        // Link reference definitions are global: a text that may hold one is not cut.
        let mut bounds = vec![body_start];
        if memchr::memmem::find(&text.as_bytes()[body_start..], b"]:").is_none() {
            bounds.extend(cuts(text, body_start));
        }
        bounds.push(text.len());
        let mut pieces: Vec<(Range<usize>, Arc<Piece>)> = Vec::with_capacity(bounds.len() - 1);
        let mut index = Index::with_capacity_and_hasher(bounds.len(), Default::default());
        let mut k = 0;
        while k + 1 < bounds.len() {
            let mut end = k + 1;
            let (range, piece) = loop {
                let range = bounds[k]..bounds[end];
                let piece = self.piece(text, range.clone());
                if !piece.runs_on || end + 1 == bounds.len() {
                    break (range, piece);
                }
                if end - k == MAX_RUN_ON {
                    // Parsing ever longer pieces again would cost more than one whole parse.
                    self.pieces.clear();
                    self.index.clear();
                    return Document::parse(text).ok().map(|doc| crate::report::progress(&doc));
                }
                end += 1;
            };
            index.insert(key(&text.as_bytes()[range.clone()]), pieces.len());
            pieces.push((range, piece));
            k = end;
        }
        let found = assemble(text.len(), &pieces);
        self.text.clear();
        self.text.push_str(text);
        self.pieces = pieces;
        self.index = index;
        match found {
            Some(progress) => Some(progress),
            None => Document::parse(text).ok().map(|doc| crate::report::progress(&doc)),
        }
    }
}

/// How many cuts a piece that runs on may take in before the whole text is parsed instead.
const MAX_RUN_ON: usize = 8;

/// The pieces of a revision by [`key`].
type Index = HashMap<(usize, u64), usize, BuildHasherDefault<KeyHasher>>;

/// A hasher for [`key`]s, which are hashes already.
#[derive(Debug, Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// Returns a key of a piece's bytes for finding it again: its length and a hash of its ends
/// (a piece found by key is compared byte for byte before it is taken).
fn key(bytes: &[u8]) -> (usize, u64) {
    let head = &bytes[..bytes.len().min(64)];
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let mut hash = bytes.len() as u64;
    for chunk in head.chunks(8).chain(tail.chunks(8)) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    }
    (bytes.len(), hash)
}

/// A heading of a piece, as much of it as the progress needs.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// Where it starts, in the piece (in the document, once assembled).
    start: usize,
    level: u8,
    /// Whether its text reads `Phase N: Name`.
    phase: bool,
    /// Whether its text reads `Task N.M: Name`.
    task: bool,
}

/// What one piece of a document holds that its progress depends on, offsets into the piece.
#[derive(Debug)]
struct Piece {
    headings: Vec<Head>,
    /// Each checkbox's marker and whether it is ticked.
    boxes: Vec<(usize, bool)>,
    /// Each `**Status:**` line (where its label starts) and the status it states.
    statuses: Vec<(usize, Option<Status>)>,
    /// Whether a block runs on past the piece's end (see `Outline::runs_on`).
    runs_on: bool,
    /// Whether it holds a phase-tracker table or a fenced YAML block: tasks of a plan.
    plan: bool,
}

impl Piece {
    /// Returns the summary of `text`, a piece of a document that starts it or starts with a
    /// heading that closes every block.
    fn of(text: &str) -> Piece {
        let outline = Outline::parse_piece(text, 0..text.len());
        let runs_on = outline.runs_on(text, text.len());
        let yaml = outline
            .code_blocks
            .iter()
            .any(|b| !b.unterminated && matches!(b.lang.to_ascii_lowercase().as_str(), "yaml" | "yml"));
        let tracker = outline.tables.iter().any(|t| {
            let has = |name: &str| t.header.iter().any(|c| c.text.trim().eq_ignore_ascii_case(name));
            has("status") && has("id")
        });
        let lines = LineIndex::new(text);
        let labels = keep_outside_blocks(&outline, label_candidates(text, &lines, 0));
        let statuses = labels
            .iter()
            .filter(|l| l.label.eq_ignore_ascii_case("status"))
            .map(|l| (l.label_range.start, recognize(&text[l.value_range.clone()])))
            .collect();
        let headings = outline
            .headings
            .iter()
            .map(|h| Head {
                start: h.range.start,
                level: h.level,
                phase: numbered_heading(&h.text, "phase").is_some(),
                task: numbered_heading(&h.text, "task").is_some(),
            })
            .collect();
        let boxes = outline
            .items
            .iter()
            .filter_map(|i| i.task.as_ref())
            .map(|t| (t.marker.start, t.checked))
            .collect();
        Piece { headings, boxes, statuses, runs_on, plan: yaml || tracker }
    }
}

/// Returns the progress of a document of `len` bytes cut into `pieces`, found as
/// [`Document::parse`] and [`crate::report::progress`] find it; None when a piece holds what
/// this reader does not follow.
fn assemble(len: usize, pieces: &[(Range<usize>, Arc<Piece>)]) -> Option<Progress> {
    let last = pieces.len().saturating_sub(1);
    let mut heads: Vec<Head> = Vec::new();
    let mut boxes: Vec<usize> = Vec::new();
    let mut ticked_before: Vec<usize> = vec![0];
    let mut statuses: Vec<(usize, Option<Status>)> = Vec::new();
    for (k, (range, piece)) in pieces.iter().enumerate() {
        // `read` takes the next cut into a piece that runs on; the test is kept here so that
        // this function's result never depends on it.
        if piece.plan || (piece.runs_on && k < last) {
            return None;
        }
        let at = range.start;
        heads.extend(piece.headings.iter().map(|h| Head { start: h.start + at, ..*h }));
        for (marker, checked) in &piece.boxes {
            boxes.push(marker + at);
            let before = ticked_before.last().copied().unwrap_or_default();
            ticked_before.push(before + usize::from(*checked));
        }
        statuses.extend(piece.statuses.iter().map(|(s, status)| (s + at, *status)));
    }
    let counts_in = |range: Range<usize>| {
        let from = boxes.partition_point(|b| *b < range.start);
        let to = boxes.partition_point(|b| *b < range.end).max(from);
        Counts { total: to - from, checked: ticked_before[to] - ticked_before[from] }
    };
    // Sections: from a heading to the next heading of the same or a higher level.
    let mut ends = vec![len; heads.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in heads.iter().enumerate() {
        while let Some(&top) = open.last() {
            if heads[top].level >= h.level {
                ends[top] = h.start;
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    let (mut done, mut total, mut phases, mut has_tasks) = (0, 0, 0, false);
    let (mut task_boxes, mut phase_boxes) = (Counts::default(), Counts::default());
    let mut phase_ends: Vec<usize> = Vec::new();
    for (p, head) in heads.iter().enumerate() {
        // A phase inside another phase's section is not a new phase.
        if !head.phase || phase_ends.iter().any(|end| *end > head.start) {
            continue;
        }
        phase_ends.push(ends[p]);
        phases += 1;
        let boxes = counts_in(head.start..ends[p]);
        phase_boxes.total += boxes.total;
        phase_boxes.checked += boxes.checked;
        for (t, sub) in heads.iter().enumerate().skip(p + 1) {
            if sub.start >= ends[p] {
                break;
            }
            if sub.level <= head.level || !sub.task {
                continue;
            }
            let range = sub.start..ends[t];
            let boxes = counts_in(range.clone());
            let first = statuses.partition_point(|(at, _)| *at < range.start);
            let status = match statuses.get(first) {
                Some((at, status)) if *at < range.end => *status,
                _ => match boxes {
                    Counts { total: 0, .. } => None,
                    Counts { total, checked } if checked == total => Some(Status::Complete),
                    Counts { checked: 0, .. } => Some(Status::NotStarted),
                    _ => Some(Status::InProgress),
                },
            };
            has_tasks = true;
            total += 1;
            done += usize::from(status == Some(Status::Complete));
            task_boxes.total += boxes.total;
            task_boxes.checked += boxes.checked;
        }
    }
    let counts = if phases == 0 {
        counts_in(0..len)
    } else if has_tasks {
        task_boxes
    } else {
        phase_boxes
    };
    Some((done, total, counts.percent()))
}
