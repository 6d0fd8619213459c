//! The milestone document model: one reader for all five forms, and surgical edits.
//!
//! [`Document::parse`] takes the text of a Markdown document (template or filled in by hand)
//! and finds what the tool cares about, each with its line and byte range: the title, the
//! frontmatter, the header's bold-label fields, sections and their checkboxes, phases and
//! tasks with their commits and statuses, progress-log entries, test-status lines,
//! percentages and task counts, tables, and fenced YAML task blocks. The edit methods in
//! [`edit`] turn a request ("tick line 14") into [`Edit`]s on the original bytes. This module
//! does no I/O: it takes `&str` and returns data.

pub mod edit;
pub(crate) mod header;
mod json;
mod kind;
pub mod status;
pub(crate) mod structure;
pub mod yaml;

use std::ops::Range;

use serde::Serialize;

pub use kind::Kind;
pub use status::Status;
pub use structure::{
    Commit, LogEntry, Percentage, Phase, PlanTask, TableInfo, Task, TaskCount, TestStatus, YamlBlock,
};

use crate::markdown::lines::partition_point_from;
use crate::markdown::{Edit, LineIndex, Outline};

/// A parsed document: the text and everything found in it.
#[derive(Debug)]
pub struct Document<'a> {
    /// The whole text, BOM included.
    pub text: &'a str,
    pub lines: LineIndex,
    /// Where the Markdown proper starts: after a BOM and a frontmatter block.
    pub body_start: usize,
    pub frontmatter: Option<FrontmatterBlock>,
    pub outline: Outline<'a>,
    pub title: Option<String>,
    pub fields: Vec<Field>,
    pub sections: Vec<Section>,
    pub phases: Vec<Phase<'a>>,
    pub plan_tasks: Vec<PlanTask>,
    pub progress_log: Vec<LogEntry<'a>>,
    pub test_status: Vec<TestStatus>,
    pub percentages: Vec<Percentage>,
    pub task_counts: Vec<TaskCount>,
    pub tables: Vec<TableInfo>,
    pub yaml_blocks: Vec<YamlBlock>,
    pub warnings: Vec<Warning>,
    pub kind: Kind,
    /// Every bold-label line, in order (fields, statuses, test counts, percentages).
    pub(crate) labels: Vec<header::LabelLine<'a>>,
    /// The byte offset of every checkbox marker, in order.
    boxes: Vec<usize>,
    /// How many of the first `i` checkboxes are ticked, for `i` in `0..=boxes.len()`.
    ticked_before: Vec<usize>,
}

/// The YAML frontmatter block.
#[derive(Debug, Clone)]
pub struct FrontmatterBlock {
    /// From the opening `---` to the end of the closing line.
    pub range: Range<usize>,
    /// The YAML between the delimiter lines.
    pub body: Range<usize>,
    /// Its value as JSON.
    pub value: serde_json::Value,
}

/// A header field: a `**Label:** value` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub label: String,
    /// The value as plain text.
    pub value: String,
    pub line: usize,
    /// The value's bytes in the source: after the label, without trailing spaces or a hard
    /// break.
    #[serde(skip)]
    pub value_range: Range<usize>,
}

/// Checked and total task-list checkboxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub checked: usize,
}

impl Counts {
    /// Returns `checked` over `total` as a whole percentage, 0 when there is nothing to count.
    pub fn percent(self) -> u8 {
        // At most 100, so the narrowing cannot lose anything.
        (self.checked * 100).checked_div(self.total).map_or(0, |p| u8::try_from(p).unwrap_or(100))
    }

    fn add(&mut self, other: Counts) {
        self.total += other.total;
        self.checked += other.checked;
    }
}

/// One heading and the part of the document it heads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Index into [`Outline::headings`].
    pub heading: usize,
    pub level: u8,
    pub line: usize,
    /// From the heading to the next heading of the same or a higher level.
    pub range: Range<usize>,
    pub checkboxes: Counts,
}

/// Something odd about a document that does not stop it being read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub line: usize,
    pub message: String,
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("invalid YAML frontmatter: {message}")]
    Frontmatter { line: usize, column: usize, message: String },
}

impl ParseError {
    /// Returns the 1-based line in the document where the problem is.
    pub fn line(&self) -> usize {
        match self {
            ParseError::Frontmatter { line, .. } => *line,
        }
    }
}

impl<'a> Document<'a> {
    /// Returns the document model of `text`.
    ///
    /// # Errors
    ///
    /// Fails only when the text has a frontmatter block that is not valid YAML.
    pub fn parse(text: &'a str) -> Result<Document<'a>, ParseError> {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let block = yaml::find_frontmatter(text, start);
        let body_start = block.as_ref().map_or(start, |b| b.range.end);
        // The outline, and the line index with the bold-label candidates, need nothing of
        // each other: on a large text, the second is one more piece of the outline's work for
        // its threads.
        let (outline, (lines, labels)) = Outline::parse_beside(text, body_start, || {
            let lines = LineIndex::new(text);
            let labels = header::label_candidates(text, &lines, body_start);
            (lines, labels)
        });
        let frontmatter = match block {
            Some(block) => {
                let value =
                    yaml::to_json(&text[block.body.clone()]).map_err(|e| ParseError::Frontmatter {
                        line: lines.line_of(block.body.start) + e.line.saturating_sub(1),
                        column: e.column,
                        message: e.message,
                    })?;
                Some(FrontmatterBlock { range: block.range, body: block.body, value })
            }
            None => None,
        };
        // The checkboxes and sections, and which label candidates stand in a paragraph of
        // their own, need the outline and nothing of each other.
        let parallel = crate::parallel::worth_it(text.len() - body_start);
        let (labels, (boxes, ticked_before, sections)) = crate::parallel::join(
            parallel,
            || header::keep_outside_blocks(&outline, labels),
            || {
                let (boxes, ticked_before) = checkboxes_of(&outline);
                let sections = sections_of(&outline, &lines, text.len(), &boxes, &ticked_before);
                (boxes, ticked_before, sections)
            },
        );
        let mut doc = Document {
            text,
            lines,
            body_start,
            frontmatter,
            outline,
            title: None,
            fields: Vec::new(),
            sections,
            phases: Vec::new(),
            plan_tasks: Vec::new(),
            progress_log: Vec::new(),
            test_status: Vec::new(),
            percentages: Vec::new(),
            task_counts: Vec::new(),
            tables: Vec::new(),
            yaml_blocks: Vec::new(),
            warnings: Vec::new(),
            kind: Kind::Unknown,
            labels,
            boxes,
            ticked_before,
        };
        doc.title = doc.outline.headings.iter().find(|h| h.level == 1).map(|h| h.text.to_string());
        doc.fields = header::fields(&doc);
        structure::fill(&mut doc);
        doc.kind = kind::recognize(&doc);
        for block in &doc.outline.code_blocks {
            if block.unterminated {
                doc.warnings.push(Warning {
                    line: doc.lines.line_of(block.range.start),
                    message: "code fence is never closed: everything after it is code".into(),
                });
            }
        }
        if start + 3 <= text.len() && text[start..].starts_with("---") && doc.frontmatter.is_none() {
            let first = &text[start..text[start..].find('\n').map_or(text.len(), |i| start + i)];
            if first.trim_end() == "---" {
                doc.warnings.push(Warning {
                    line: 1,
                    message: "the document starts with `---` but no closing `---` follows: \
                              read as Markdown, not as frontmatter"
                        .into(),
                });
            }
        }
        Ok(doc)
    }

    /// Returns the 1-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.line_of(offset)
    }

    /// Returns the checkboxes whose marker lies in `range`.
    pub fn counts_in(&self, range: Range<usize>) -> Counts {
        counts_in(&self.boxes, &self.ticked_before, range)
    }

    /// Returns every checkbox of the document.
    pub fn checkboxes(&self) -> Counts {
        self.counts_in(0..self.text.len())
    }

    /// Returns the progress over the checkboxes of phase tasks (of phases when no phase has
    /// tasks; of the whole document when it has no phases), 0 to 100.
    pub fn progress_percent(&self) -> u8 {
        self.progress_counts().percent()
    }

    /// Returns the checkboxes [`Document::progress_percent`] counts.
    pub fn progress_counts(&self) -> Counts {
        let mut counts = Counts::default();
        let has_tasks = self.phases.iter().any(|p| !p.tasks.is_empty());
        for phase in &self.phases {
            if has_tasks {
                phase.tasks.iter().for_each(|t| counts.add(t.checkboxes));
            } else {
                counts.add(phase.checkboxes);
            }
        }
        if self.phases.is_empty() {
            counts = self.checkboxes();
        }
        counts
    }

    /// Returns the value of the header field `label` (compared without regard to case).
    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .or_else(|| self.fields.iter().find(|f| f.label.eq_ignore_ascii_case(label)))
    }

    /// Returns the bold-label lines that start in `range`, as (label, value as plain text).
    pub fn labels_in(&self, range: Range<usize>) -> impl Iterator<Item = (&'a str, String)> + '_ {
        header::label_lines(self, range)
            .iter()
            .map(|l| (l.label, header::plain_value(&self.text[l.value_range.clone()])))
    }

    /// Returns a section's heading text (as [`Outline`] read it).
    pub fn section_text(&self, section: &Section) -> &str {
        &self.outline.headings[section.heading].text
    }

    /// Returns the section whose heading text is `text` (compared without regard to case).
    pub fn section(&self, text: &str) -> Option<&Section> {
        self.sections.iter().find(|s| self.section_text(s).eq_ignore_ascii_case(text))
    }

    /// Returns `edits` applied to this document's text.
    pub fn apply(&self, edits: &[Edit]) -> String {
        crate::markdown::apply(self.text, edits)
    }

    /// Returns the pieces of this document's text with `edits` applied, to write out without
    /// building the whole new text (see [`crate::markdown::edit::pieces`]).
    pub fn pieces<'e>(&'e self, edits: &'e [Edit]) -> Vec<&'e str> {
        crate::markdown::edit::pieces(self.text, edits)
    }
}

/// Returns the checkboxes whose marker lies in `range`, from `boxes` (the markers' offsets, in
/// order) and `ticked_before` (`ticked_before[i]`: how many of the first `i` boxes are ticked).
fn counts_in(boxes: &[usize], ticked_before: &[usize], range: Range<usize>) -> Counts {
    let from = boxes.partition_point(|b| *b < range.start);
    let to = boxes.partition_point(|b| *b < range.end).max(from);
    boxes_between(ticked_before, from, to)
}

/// Returns the counts of boxes `from..to` (indexes into the document's boxes).
fn boxes_between(ticked_before: &[usize], from: usize, to: usize) -> Counts {
    Counts { total: to - from, checked: ticked_before[to] - ticked_before[from] }
}

/// Returns where the outline's task-list boxes are, and how many are ticked before each.
fn checkboxes_of(outline: &Outline) -> (Vec<usize>, Vec<usize>) {
    let mut boxes = Vec::with_capacity(outline.items.len());
    let mut ticked_before = Vec::with_capacity(outline.items.len() + 1);
    ticked_before.push(0);
    let mut ticked = 0;
    for task in outline.items.iter().filter_map(|i| i.task.as_ref()) {
        boxes.push(task.marker.start);
        ticked += usize::from(task.checked);
        ticked_before.push(ticked);
    }
    (boxes, ticked_before)
}

/// Returns a section for each heading of the outline: up to the next heading of its level
/// or a higher one, with its checkboxes.
fn sections_of(
    outline: &Outline,
    lines: &LineIndex,
    len: usize,
    boxes: &[usize],
    ticked_before: &[usize],
) -> Vec<Section> {
    let headings = &outline.headings;
    let mut ends = vec![len; headings.len()];
    // A stack of headings still open; a heading closes every open one of its level or deeper.
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        while let Some(&top) = open.last() {
            if headings[top].level >= h.level {
                ends[top] = h.range.start;
                open.pop();
            } else {
                break;
            }
        }
        open.push(i);
    }
    // The headings come in document order: each lookup starts where the last one ended.
    let (mut line, mut first_box) = (0, 0);
    headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let range = h.range.start..ends[i];
            line = lines.line_of_near(h.range.start, line);
            first_box = partition_point_from(boxes, first_box, |b| *b < range.start);
            let end_box = partition_point_from(boxes, first_box, |b| *b < range.end);
            Section {
                heading: i,
                level: h.level,
                line,
                checkboxes: boxes_between(ticked_before, first_box, end_box),
                range,
            }
        })
        .collect()
}
