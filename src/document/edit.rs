//! Surgical edits of a parsed document: each returns [`Edit`]s that touch only the bytes they
//! must, and writes new text in the document's own conventions (its line ending, bullet,
//! checkbox letter, date format and status style).

use std::ops::Range;

use chrono::NaiveDate;

use super::status::{Status, StatusStyle};
use super::structure::{DATE_FORMATS, parse_date};
use super::{Document, yaml};
use crate::markdown::lines::{dominant_ending, ending_at};
use crate::markdown::{Edit, outline::trim_range};

/// Why an edit cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("line {line} is past the end of the document, which has {lines} lines")]
    NoSuchLine { line: usize, lines: usize },
    #[error("line {line} is not a task-list item: {reason}")]
    NotATaskItem { line: usize, reason: &'static str },
    #[error("no header field or frontmatter key `{label}`")]
    NoSuchField { label: String, available: Vec<String> },
    #[error("no task `{id}`")]
    NoSuchTask { id: String },
    #[error("no section `{heading}`")]
    NoSuchSection { heading: String },
    #[error("no table cell at row {row}, column {column} of table {table}")]
    NoSuchCell { table: usize, row: usize, column: usize },
    #[error("no progress percentage `{label}`")]
    NoSuchPercentage { label: String },
    #[error("no YAML block {block}")]
    NoSuchBlock { block: usize },
    #[error("the document has no frontmatter")]
    NoFrontmatter,
    #[error("a value must be one line, but `{value}` has a line break")]
    MultiLine { value: String },
    #[error("{source} (YAML at line {line})")]
    Yaml { line: usize, source: yaml::SetError },
    #[error("{message}")]
    InvalidPath { message: String },
}

impl Document<'_> {
    /// Returns the edit that ticks (or, with `checked` false, unticks) the task-list item that
    /// starts on 1-based `line`; `None` when it already is so.
    ///
    /// # Errors
    ///
    /// Fails when no task-list item starts on that line, saying what is there instead.
    pub fn tick(&self, line: usize, checked: bool) -> Result<Option<Edit>, EditError> {
        let lines = self.lines.count();
        let content = match self.lines.content_range(self.text, line) {
            Some(r) if line >= 1 => r,
            _ => return Err(EditError::NoSuchLine { line, lines }),
        };
        let not = |reason| Err(EditError::NotATaskItem { line, reason });
        if self.frontmatter.as_ref().is_some_and(|f| content.start < f.range.end) {
            return not("it is in the frontmatter");
        }
        let first = content.start
            + (self.text[content.clone()].len() - self.text[content.clone()].trim_start().len());
        if self.outline.code_blocks.iter().any(|c| c.range.start <= first && first < c.range.end) {
            return not("it is inside a code block");
        }
        if self.outline.html_blocks.iter().any(|r| r.start <= first && first < r.end) {
            return not("it is inside an HTML block or comment");
        }
        let Some(index) = self.outline.item_starting_in(content.clone()) else {
            return not("no list item starts there");
        };
        let Some(task) = &self.outline.items[index].task else {
            return not("the list item has no `[ ]` checkbox");
        };
        if task.checked == checked {
            return Ok(None);
        }
        let mark = if checked { self.check_letter() } else { " " };
        Ok(Some(Edit::replace(task.marker.start + 1..task.marker.start + 2, mark)))
    }

    /// Returns the letter this document ticks with: `X` when every ticked box uses it.
    fn check_letter(&self) -> &'static str {
        let mut ticked =
            self.outline.items.iter().filter_map(|i| i.task.as_ref()).filter(|t| t.checked).peekable();
        if ticked.peek().is_some()
            && ticked.all(|t| &self.text[t.marker.start + 1..t.marker.start + 2] == "X")
        {
            "X"
        } else {
            "x"
        }
    }

    /// Returns the edit that sets header field `label` to `value` (inline Markdown).
    ///
    /// # Errors
    ///
    /// Fails when there is no such field or the value has a line break.
    pub fn set_field(&self, label: &str, value: &str) -> Result<Edit, EditError> {
        one_line(value)?;
        let field = self.field(label).ok_or_else(|| self.no_such_field(label))?;
        Ok(Edit::replace(field.value_range.clone(), value))
    }

    /// Returns the edits that add header field `label` after the last one, written like the
    /// others (`**Label:**` or `**Label**:`, blockquote prefix, hard breaks).
    ///
    /// # Errors
    ///
    /// Fails when the value has a line break.
    pub fn add_field(&self, label: &str, value: &str) -> Result<Vec<Edit>, EditError> {
        one_line(value)?;
        let Some(last) = self.fields.last() else {
            // No header fields: put one after the title, or at the top.
            let title = self.outline.headings.first().filter(|h| h.level == 1);
            let at = title.map_or(self.body_start, |h| h.range.end);
            let lines = ["", &format!("**{label}:** {value}")];
            return Ok(vec![self.insert_block(at, &lines)]);
        };
        let content = self.lines.content_range(self.text, last.line).unwrap_or(0..0);
        let src = &self.text[content.clone()];
        let label_at = src.find("**").unwrap_or(0);
        let prefix = &src[..label_at];
        let colon_inside = src[label_at + 2..].split("**").next().is_some_and(|l| l.ends_with(':'));
        let label_text = if colon_inside { format!("**{label}:**") } else { format!("**{label}**:") };
        let mut edits = Vec::new();
        // When the header's lines end in hard breaks, the last one needs one too now.
        let earlier = &self.fields[..self.fields.len() - 1];
        if !earlier.is_empty()
            && earlier.iter().all(|f| self.ends_with_hard_break(f.line))
            && !self.ends_with_hard_break(last.line)
        {
            edits.push(Edit::insert(content.end, "  "));
        }
        let next_line = self.lines.full_range(last.line).map_or(self.text.len(), |r| r.end);
        edits.push(self.insert_lines(next_line, &[&format!("{prefix}{label_text} {value}")]));
        Ok(edits)
    }

    /// Returns the line ending used around byte `at` (the document's usual one at its end).
    fn eol_near(&self, at: usize) -> &'static str {
        let line = self.line_of(at.saturating_sub(1));
        let start = self.lines.start_of(line).unwrap_or(0);
        ending_at(self.text, start).unwrap_or_else(|| dominant_ending(self.text))
    }

    /// Returns an edit inserting `lines` as whole lines at line start `at` (or at the end of
    /// the text), each ended with the line ending used there.
    pub(crate) fn insert_lines(&self, at: usize, lines: &[&str]) -> Edit {
        // Nothing goes before a BOM or into the frontmatter.
        let at = at.max(self.body_start);
        let eol = self.eol_near(at);
        let mut text = String::new();
        // At the end of a text without a final line ending, start a new line first.
        if at == self.text.len() && !self.text.is_empty() && !self.text.ends_with('\n') {
            text.push_str(eol);
        }
        for line in lines {
            text.push_str(line);
            text.push_str(eol);
        }
        Edit::insert(at, text)
    }

    /// Returns an edit inserting `lines` as a block of their own at line start `at`: a blank
    /// line follows when the next line is not blank, so what follows is neither read as a
    /// continuation of the block nor turns the block into a setext heading.
    pub(crate) fn insert_block(&self, at: usize, lines: &[&str]) -> Edit {
        let next = &self.text[at..];
        let next_line = next.split('\n').next().unwrap_or_default();
        let mut edit = self.insert_lines(at, lines);
        if !next_line.trim().is_empty() {
            edit.text.push_str(self.eol_near(at));
        }
        edit
    }

    fn ends_with_hard_break(&self, line: usize) -> bool {
        self.lines.content_range(self.text, line).is_some_and(|r| {
            let s = &self.text[r];
            s.ends_with("  ") || s.ends_with('\\')
        })
    }

    /// Returns whether the frontmatter has a scalar value at `path`.
    pub fn has_frontmatter_value(&self, path: &str) -> bool {
        let (Some(fm), Ok(segs)) = (&self.frontmatter, yaml::parse_path(path)) else { return false };
        matches!(yaml::scalar_span(&self.text[fm.body.clone()], &segs), Ok(Some(_)))
    }

    /// Returns the error for a label that is neither a header field nor a frontmatter key,
    /// listing those the document has.
    pub fn no_such_field(&self, label: &str) -> EditError {
        let mut available: Vec<String> = self.fields.iter().map(|f| f.label.clone()).collect();
        if let Some(serde_json::Value::Object(map)) = self.frontmatter.as_ref().map(|f| &f.value) {
            available.extend(map.keys().cloned());
        }
        EditError::NoSuchField { label: label.to_string(), available }
    }

    /// Returns the edit that sets the frontmatter value at `path` (`a.b`, `tags[0]`), keeping
    /// comments, order and quoting.
    ///
    /// # Errors
    ///
    /// Fails when there is no frontmatter, the path is malformed or names no scalar.
    pub fn set_frontmatter(&self, path: &str, value: &str) -> Result<Edit, EditError> {
        let fm = self.frontmatter.as_ref().ok_or(EditError::NoFrontmatter)?;
        self.set_yaml_in(fm.body.clone(), path, value)
    }

    /// Returns the edit that sets `path` in the `block`-th fenced YAML block.
    ///
    /// # Errors
    ///
    /// Fails when there is no such block or the path names no scalar.
    pub fn set_yaml(&self, block: usize, path: &str, value: &str) -> Result<Edit, EditError> {
        let b = self.yaml_blocks.get(block).ok_or(EditError::NoSuchBlock { block })?;
        self.set_yaml_in(b.content.clone(), path, value)
    }

    fn set_yaml_in(&self, body: Range<usize>, path: &str, value: &str) -> Result<Edit, EditError> {
        let segs = yaml::parse_path(path).map_err(|message| EditError::InvalidPath { message })?;
        self.set_yaml_segs(body, &segs, value)
    }

    /// Returns the edit that sets the scalar at `segs` in the YAML text at `body`.
    pub(crate) fn set_yaml_segs(
        &self,
        body: Range<usize>,
        segs: &[yaml::Seg],
        value: &str,
    ) -> Result<Edit, EditError> {
        let edit = yaml::set_scalar(&self.text[body.clone()], segs, value)
            .map_err(|source| EditError::Yaml { line: self.line_of(body.start), source })?;
        Ok(Edit::replace(edit.range.start + body.start..edit.range.end + body.start, edit.text))
    }

    /// Returns the style this document writes statuses in.
    pub fn status_style(&self) -> StatusStyle {
        let mut texts: Vec<&str> = Vec::new();
        for l in &self.labels {
            if l.label.eq_ignore_ascii_case("status") {
                texts.push(&self.text[l.value_range.clone()]);
            }
        }
        for t in &self.plan_tasks {
            if let Some(s) = &t.status_text {
                texts.push(s);
            }
        }
        StatusStyle::learn(texts)
    }

    /// Returns the edits that set task `id`'s status: its `**Status:**` line (added when
    /// missing), its phase-tracker cell, or its YAML `implementation.status`.
    ///
    /// # Errors
    ///
    /// Fails when no task has that id.
    pub fn set_task_status(&self, id: &str, status: Status) -> Result<Vec<Edit>, EditError> {
        let style = self.status_style();
        let mut edits = Vec::new();
        // Only the first heading task with that id: a second one is a copy-paste slip.
        let heading_task =
            self.phases.iter().flat_map(|p| &p.tasks).find(|t| t.id == id && t.source == "heading");
        if let Some(si) = heading_task.and_then(|t| t.section) {
            let range = self.sections[si].range.clone();
            let line = super::header::label_lines(self, range.clone())
                .iter()
                .find(|l| l.label.eq_ignore_ascii_case("status"));
            let rendered = style.render(status);
            match line {
                Some(l) => edits.push(Edit::replace(l.value_range.clone(), rendered)),
                None => {
                    let at = self.content_end(range);
                    edits.push(self.insert_block(at, &["", &format!("**Status:** {rendered}")]));
                }
            }
        }
        for task in self.plan_tasks.iter().filter(|t| t.id == id) {
            if let Some((table, row)) = task.row {
                let info = &self.tables[table];
                if let Some(col) = info.column(&["status"]) {
                    // Write it the way the other cells of that column are written.
                    let column = info.rows.iter().filter_map(|r| r.get(col)).map(String::as_str);
                    let word = StatusStyle::learn(column).render(status);
                    edits.push(self.set_table_cell(table, row, col, &word)?);
                }
            }
            if let Some(block) = task.block {
                let others = self.plan_tasks.iter().filter(|t| t.block.is_some());
                let word = StatusStyle::learn(others.filter_map(|t| t.status_text.as_deref())).render(status);
                let body = self.yaml_blocks[block].content.clone();
                let path = |keys: &[&str]| {
                    let mut path = task.path.clone();
                    path.extend(keys.iter().map(|k| yaml::Seg::Key((*k).to_string())));
                    path
                };
                let edit = self
                    .set_yaml_segs(body.clone(), &path(&["workflow", "implementation", "status"]), &word)
                    .or_else(|_| self.set_yaml_segs(body, &path(&["implementation", "status"]), &word))?;
                edits.push(edit);
            }
        }
        if edits.is_empty() {
            return Err(EditError::NoSuchTask { id: id.to_string() });
        }
        Ok(edits)
    }

    /// Returns the offset just after the last line in `range` that is neither blank nor a
    /// thematic break (the start of the range's first line when there is none).
    pub(crate) fn content_end(&self, range: Range<usize>) -> usize {
        let first = self.line_of(range.start);
        let mut line = self.line_of(range.end.saturating_sub(1).max(range.start));
        while line > first {
            let full = self.lines.full_range(line).unwrap_or(0..0);
            let s = &self.text[full.clone()];
            let in_heading =
                self.outline.headings.iter().any(|h| h.range.start <= full.start && full.start < h.range.end);
            if full.end <= range.end && !s.trim().is_empty() && (in_heading || !is_rule_block(s)) {
                return full.end;
            }
            line -= 1;
        }
        self.lines.full_range(first).map_or(range.end, |f| f.end)
    }

    /// Returns the edit that adds a list item with `text` to the list under `label` (a bold
    /// `**Label:**` line) in `section`, or to the section's last list when `label` is None. The
    /// item copies the last item's indentation, bullet and line ending; a list is started right
    /// after the label when there is none.
    ///
    /// # Errors
    ///
    /// Fails when the label is not in the section.
    pub fn add_list_item(
        &self,
        section: Range<usize>,
        label: Option<&str>,
        text: &str,
    ) -> Result<Edit, EditError> {
        self.add_list_items(section, label, &[text])
    }

    /// Returns the edit that adds list items with `texts`, in order, as
    /// [`Document::add_list_item`] adds one.
    ///
    /// # Errors
    ///
    /// Fails when the label is not in the section or a text has a line break.
    pub fn add_list_items(
        &self,
        section: Range<usize>,
        label: Option<&str>,
        texts: &[&str],
    ) -> Result<Edit, EditError> {
        texts.iter().try_for_each(|t| one_line(t))?;
        let (from, anchor_end) = match label {
            Some(label) => {
                let l = super::header::label_lines(self, section.clone())
                    .iter()
                    .find(|l| l.label.eq_ignore_ascii_case(label))
                    .ok_or_else(|| EditError::NoSuchSection { heading: format!("**{label}:**") })?;
                let end = self.lines.full_range(l.line).map_or(section.end, |r| r.end);
                (end, Some(end))
            }
            None => (section.start, None),
        };
        // The list must start before the next label line or heading after the anchor.
        let limit = match label {
            Some(_) => {
                let next_label = super::header::label_lines(self, from..section.end)
                    .first()
                    .map(|l| self.lines.start_of(l.line).unwrap_or(section.end));
                let next_heading = self.outline.headings.iter().map(|h| h.range.start).find(|s| *s >= from);
                next_label.unwrap_or(section.end).min(next_heading.unwrap_or(section.end)).min(section.end)
            }
            None => section.end,
        };
        let mut list = self
            .outline
            .lists
            .iter()
            .enumerate()
            .filter(|(_, l)| l.depth == 0 && l.range.start >= from && l.range.start < limit);
        let list = if label.is_some() { list.next() } else { list.next_back() };
        match list {
            Some((list, _)) => {
                let last = self.outline.items_of(list).next_back().map(|i| &self.outline.items[i]);
                let last = last.ok_or(EditError::NoSuchSection { heading: "list".into() })?;
                let start_line = self.line_of(last.range.start);
                let line_start = self.lines.start_of(start_line).unwrap_or(last.range.start);
                // The item's range may or may not include its indentation: the bullet is the
                // first character after the line's spaces and blockquote markers.
                let line = &self.text[line_start..];
                let bullet_at = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
                let indent = &line[..bullet_at];
                let marker_src = &line[bullet_at..];
                let bullet: String = if marker_src.starts_with(|c: char| c.is_ascii_digit()) {
                    let n: String = marker_src.chars().take_while(char::is_ascii_digit).collect();
                    let delim = marker_src[n.len()..].chars().next().unwrap_or('.');
                    format!("{}{delim}", n.parse::<u64>().unwrap_or(0) + 1)
                } else {
                    marker_src.chars().next().unwrap_or('-').to_string()
                };
                let at = self.content_end(last.range.clone());
                let numbered = bullet.starts_with(|c: char| c.is_ascii_digit());
                let first: u64 = bullet.trim_end_matches(['.', ')']).parse().unwrap_or(1);
                let delim = if numbered { &bullet[bullet.len() - 1..] } else { "" };
                let lines: Vec<String> = texts
                    .iter()
                    .enumerate()
                    .map(|(i, text)| match numbered {
                        true => format!("{indent}{}{delim} {text}", first + i as u64),
                        false => format!("{indent}{bullet} {text}"),
                    })
                    .collect();
                Ok(self.insert_lines(at, &lines.iter().map(String::as_str).collect::<Vec<_>>()))
            }
            None => {
                let at = anchor_end.unwrap_or_else(|| self.content_end(section.clone()));
                let lines: Vec<String> = texts.iter().map(|text| format!("- {text}")).collect();
                Ok(self.insert_block(at, &lines.iter().map(String::as_str).collect::<Vec<_>>()))
            }
        }
    }

    /// Returns the edit that adds a progress-log entry `date - title` with `body` lines to the
    /// progress log: after its last entry, or before the first when the log runs newest first;
    /// in the log's own heading level and date format, with a `---` rule between entries when
    /// the log has them.
    ///
    /// # Errors
    ///
    /// Fails when the document has neither a progress-log section nor log entries.
    pub fn append_log_entry(&self, date: NaiveDate, title: &str, body: &[&str]) -> Result<Edit, EditError> {
        one_line(title)?;
        let log = self.sections.iter().find(|s| {
            let t = self.section_text(s).to_ascii_lowercase();
            t.contains("progress log") || t.contains("progress updates")
        });
        let within = |e: &&super::LogEntry| {
            log.is_none_or(|s| s.range.contains(&self.sections[e.section].range.start))
        };
        let entries: Vec<&super::LogEntry> = self.progress_log.iter().filter(within).collect();
        let section = match (log, entries.first()) {
            (Some(s), _) => s,
            (None, Some(e)) => &self.sections[e.section],
            (None, None) => {
                return Err(EditError::NoSuchSection { heading: "Progress Log".into() });
            }
        };
        let level = entries.first().map_or(section.level + 1, |e| e.level);
        let format = entries
            .iter()
            .find_map(|e| {
                let bare = e.date_text.trim_start_matches('[').trim_end_matches(']');
                DATE_FORMATS.iter().find(|f| NaiveDate::parse_from_str(bare, f).is_ok())
            })
            .copied()
            .unwrap_or("%Y-%m-%d");
        let heading = format!("{} {} - {title}", "#".repeat(usize::from(level)), date.format(format));
        let mut entry: Vec<&str> = vec![&heading];
        if !body.is_empty() {
            entry.push("");
            entry.extend_from_slice(body);
        }
        let ruled = self.log_uses_rules(&entries);
        let dated: Vec<NaiveDate> =
            entries.iter().filter_map(|e| e.date.as_deref().and_then(parse_date)).collect();
        if dated.len() >= 2 && dated.windows(2).all(|w| w[0] >= w[1]) && dated[0] > dated[dated.len() - 1] {
            // Newest first: the new entry goes on top.
            let first = &self.sections[entries[0].section];
            entry.push("");
            if ruled {
                entry.extend(["---", ""]);
            }
            let at = self.lines.start_of(first.line).unwrap_or(first.range.start);
            return Ok(self.insert_lines(at, &entry));
        }
        let last = entries.last().map_or(section, |e| &self.sections[e.section]);
        let at = self.content_end(last.range.clone());
        let mut lines: Vec<&str> = vec![""];
        if ruled {
            lines.extend(["---", ""]);
        }
        lines.extend(entry);
        Ok(self.insert_block(at, &lines))
    }

    /// Returns whether the log's entries are separated by `---` rules.
    fn log_uses_rules(&self, entries: &[&super::LogEntry]) -> bool {
        entries.len() >= 2
            && entries[..entries.len() - 1].iter().all(|e| {
                let r = &self.sections[e.section].range;
                let end = self.content_end(r.clone());
                is_rule_block(&self.text[end..r.end])
            })
    }

    /// Returns the edit that sets a body cell (0-based `row` and `column`) of the `table`-th
    /// table, keeping the cell's padding so columns stay aligned where they were.
    ///
    /// # Errors
    ///
    /// Fails when there is no such cell or the value has a line break or a pipe.
    pub fn set_table_cell(
        &self,
        table: usize,
        row: usize,
        column: usize,
        value: &str,
    ) -> Result<Edit, EditError> {
        one_line(value)?;
        let no_cell = || EditError::NoSuchCell { table, row, column };
        let t = self.outline.tables.get(table).ok_or_else(no_cell)?;
        let cell = t.rows.get(row).and_then(|r| r.get(column)).ok_or_else(no_cell)?;
        let value = value.replace('|', "\\|");
        let old = cell.content.clone();
        let old_width = self.text[old.clone()].chars().count();
        let new_width = value.chars().count();
        let after = trim_range(self.text, cell.range.clone());
        let pad_after = cell.range.end - if after.is_empty() { cell.range.start } else { after.end };
        if new_width < old_width {
            // Keep the cell's width: pad with spaces.
            return Ok(Edit::replace(old, format!("{value}{}", " ".repeat(old_width - new_width))));
        }
        // Take what padding there is to spare, keeping one space before the pipe.
        let spare = pad_after.saturating_sub(1).min(new_width - old_width);
        let text = &self.text[old.end..old.end + spare];
        if text.bytes().all(|b| b == b' ') {
            return Ok(Edit::replace(old.start..old.end + spare, value));
        }
        Ok(Edit::replace(old, value))
    }

    /// Returns the edit that adds a body row after the last row of the `table`-th table
    /// (an index into [`crate::markdown::Outline::tables`]), one cell a column: written like
    /// the last row (its outer pipes and line ending), each cell padded to its column's width
    /// when every row of the table is padded alike, else with one space each side.
    ///
    /// # Errors
    ///
    /// Fails when there is no such table or a cell has a line break (pipes are escaped).
    pub fn append_table_row(&self, table: usize, cells: &[&str]) -> Result<Edit, EditError> {
        for cell in cells {
            one_line(cell)?;
        }
        let no_cell = || EditError::NoSuchCell { table, row: 0, column: 0 };
        let t = self.outline.tables.get(table).ok_or_else(no_cell)?;
        // After the last body row; in a table without one, after the delimiter row.
        let line = match t.rows.last() {
            Some(row) => self.line_of(row.first().map_or(t.range.start, |c| c.range.start)),
            None => self.line_of(t.header.first().map_or(t.range.start, |c| c.range.start)) + 1,
        };
        let content = self.lines.content_range(self.text, line).ok_or_else(no_cell)?;
        let row_text = &self.text[content.clone()];
        let trimmed = row_text.trim_start();
        let indent = &row_text[..row_text.len() - trimmed.len()];
        let outer = trimmed.starts_with('|');
        let trailing = trimmed.trim_end().ends_with('|');
        // Widths between the pipes, when every row (header included) has the same ones.
        let widths = |row: &[crate::markdown::outline::Cell]| -> Vec<usize> {
            row.iter().map(|c| self.text[c.range.clone()].chars().count()).collect()
        };
        let header = widths(&t.header);
        let aligned = t.rows.iter().all(|r| widths(r) == header);
        let mut out = String::from(indent);
        for (i, cell) in cells.iter().enumerate() {
            let value = cell.replace('|', "\\|");
            if i > 0 || outer {
                out.push('|');
            }
            let width = header.get(i).copied().filter(|_| aligned).unwrap_or(0);
            let pad = width.saturating_sub(value.chars().count() + 2);
            out.push_str(&format!(" {value}{} ", " ".repeat(pad)));
        }
        if trailing {
            out.push('|');
        } else {
            out.truncate(out.trim_end().len());
        }
        let eol = ending_at(self.text, content.end).unwrap_or_else(|| dominant_ending(self.text));
        Ok(Edit::insert(content.end, format!("{eol}{out}")))
    }

    /// Returns the edit that sets the progress percentage labelled `label` to `value`.
    ///
    /// # Errors
    ///
    /// Fails when the document has no such percentage.
    pub fn set_percent(&self, label: &str, value: u8) -> Result<Edit, EditError> {
        let p = self
            .percentages
            .iter()
            .find(|p| p.label.eq_ignore_ascii_case(label))
            .ok_or_else(|| EditError::NoSuchPercentage { label: label.to_string() })?;
        Ok(Edit::replace(p.range.clone(), value.min(100).to_string()))
    }

    /// Returns the edit that sets the `index`-th `(done/total tasks)` count.
    ///
    /// # Errors
    ///
    /// Fails when there is no such count.
    pub fn set_task_count(&self, index: usize, done: u64, total: u64) -> Result<Edit, EditError> {
        let c = self
            .task_counts
            .get(index)
            .ok_or_else(|| EditError::NoSuchPercentage { label: format!("task count {index}") })?;
        Ok(Edit::replace(c.range.clone(), format!("{done}/{total}")))
    }
}

/// Returns whether `text` (the tail of a section) holds a thematic break line.
fn is_rule_block(text: &str) -> bool {
    text.lines().any(|l| {
        let t: String = l.chars().filter(|c| !c.is_whitespace()).collect();
        t.len() >= 3
            && (t.chars().all(|c| c == '-') || t.chars().all(|c| c == '*') || t.chars().all(|c| c == '_'))
    })
}

fn one_line(value: &str) -> Result<(), EditError> {
    if value.contains(['\n', '\r']) {
        return Err(EditError::MultiLine { value: value.to_string() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str, f: impl Fn(&Document) -> Vec<Edit>) -> String {
        let doc = Document::parse(text).expect("parses");
        doc.apply(&f(&doc))
    }

    fn date(s: &str) -> NaiveDate {
        parse_date(s).expect("a date")
    }

    #[test]
    fn tick_changes_one_byte_and_keeps_bom_and_crlf() {
        let text = "\u{feff}# T\r\n\r\n- [ ] a  \r\n- [X] b\r\n";
        let out = edited(text, |d| d.tick(3, true).expect("a task item").into_iter().collect());
        assert_eq!(out, "\u{feff}# T\r\n\r\n- [X] a  \r\n- [X] b\r\n");
        let out = edited(text, |d| d.tick(4, false).expect("a task item").into_iter().collect());
        assert_eq!(out, "\u{feff}# T\r\n\r\n- [ ] a  \r\n- [ ] b\r\n");
        let doc = Document::parse(text).expect("parses");
        assert_eq!(doc.tick(4, true), Ok(None));
    }

    #[test]
    fn tick_changes_the_box_when_a_tab_is_only_partly_indentation() {
        // Found by the fuzz target: pulldown-cmark reports this box as starting at the tab.
        for text in ["-\t\t[ ] a", "1.\t\t[ ] a", ">\t-\t\t[ ] a"] {
            let out = edited(text, |d| d.tick(1, true).expect("a task item").into_iter().collect());
            assert_eq!(out, text.replace("[ ]", "[x]"), "{text:?}");
        }
    }

    #[test]
    fn tick_refuses_what_is_not_a_task_item() {
        let text = "# T\n```\n- [ ] code\n```\n<!--\n- [ ] comment\n-->\npara\n\n- plain\n> - [ ] quoted\n";
        let doc = Document::parse(text).expect("parses");
        let reason = |line| match doc.tick(line, true) {
            Err(EditError::NotATaskItem { reason, .. }) => reason,
            other => panic!("line {line}: {other:?}"),
        };
        assert_eq!(reason(3), "it is inside a code block");
        assert_eq!(reason(6), "it is inside an HTML block or comment");
        assert_eq!(reason(8), "no list item starts there");
        assert_eq!(reason(10), "the list item has no `[ ]` checkbox");
        assert!(matches!(doc.tick(11, true), Ok(Some(_))));
        assert_eq!(doc.tick(0, true), Err(EditError::NoSuchLine { line: 0, lines: 11 }));
        assert_eq!(doc.tick(12, true), Err(EditError::NoSuchLine { line: 12, lines: 11 }));
    }

    #[test]
    fn set_field_replaces_only_the_value() {
        let text = "# T\r\n\r\n**Started:** [YYYY-MM-DD]  \r\n**Branch**: `x`\r\n\r\n## A\r\n";
        let out = edited(text, |d| vec![d.set_field("started", "2026-11-21").expect("a field")]);
        assert_eq!(out, "# T\r\n\r\n**Started:** 2026-11-21  \r\n**Branch**: `x`\r\n\r\n## A\r\n");
        let out = edited(text, |d| vec![d.set_field("Branch", "`feature/M7/x`").expect("a field")]);
        assert_eq!(
            out,
            "# T\r\n\r\n**Started:** [YYYY-MM-DD]  \r\n**Branch**: `feature/M7/x`\r\n\r\n## A\r\n"
        );
    }

    #[test]
    fn add_field_follows_the_header_style() {
        let text = "# T\n\n> **A**: 1  \n> **B**: 2\n\n## S\n";
        let out = edited(text, |d| d.add_field("C", "3").expect("added"));
        assert_eq!(out, "# T\n\n> **A**: 1  \n> **B**: 2  \n> **C**: 3\n\n## S\n");
        let out = edited("# T", |d| d.add_field("C", "3").expect("added"));
        assert_eq!(out, "# T\n\n**C:** 3\n");
    }

    #[test]
    fn list_items_are_added_under_their_label_in_the_lists_own_style() {
        let text =
            "### Task 1.1: A\r\n**Commits:**\r\n* `abcdef1` - feat: a\r\n\r\n**Tests:**\r\n- [ ] t\r\n";
        let out = edited(text, |d| {
            let s = d.sections[0].range.clone();
            vec![d.add_list_item(s, Some("Commits"), "`1234567` - fix: b").expect("added")]
        });
        assert_eq!(
            out,
            "### Task 1.1: A\r\n**Commits:**\r\n* `abcdef1` - feat: a\r\n* `1234567` - fix: b\r\n\r\n**Tests:**\r\n- [ ] t\r\n"
        );
        let text = "## S\n**Commits:**\n\n**Next:**\n- x\n";
        let out = edited(text, |d| {
            let s = d.sections[0].range.clone();
            vec![d.add_list_item(s, Some("Commits"), "new").expect("added")]
        });
        assert_eq!(out, "## S\n**Commits:**\n- new\n\n**Next:**\n- x\n");
        let text = "## S\n1. one\n2. two\n";
        let out = edited(text, |d| {
            vec![d.add_list_item(d.sections[0].range.clone(), None, "three").expect("added")]
        });
        assert_eq!(out, "## S\n1. one\n2. two\n3. three\n");
    }

    #[test]
    fn log_entries_follow_the_logs_rules_and_date_format() {
        let text = "## Progress Log\n\n### 2026-10-01 - A\n- a\n\n---\n\n### 2026-10-02 - B\n- b\n\n---\n\n## Phase 1: X\n";
        let out =
            edited(text, |d| vec![d.append_log_entry(date("2026-10-03"), "C", &["- c"]).expect("added")]);
        assert_eq!(
            out,
            "## Progress Log\n\n### 2026-10-01 - A\n- a\n\n---\n\n### 2026-10-02 - B\n- b\n\n---\n\n### 2026-10-03 - C\n\n- c\n\n---\n\n## Phase 1: X\n"
        );
        let text = "## Log updates\n\n#### October 2, 2026 - B\nb\n\n#### October 1, 2026 - A\na\n";
        let out = edited(text, |d| vec![d.append_log_entry(date("2026-10-03"), "C", &[]).expect("added")]);
        assert_eq!(
            out,
            "## Log updates\n\n#### October 03, 2026 - C\n\n#### October 2, 2026 - B\nb\n\n#### October 1, 2026 - A\na\n"
        );
        let text = "## Progress Log\r\n\r\n## Next\r\n";
        let out = edited(text, |d| vec![d.append_log_entry(date("2026-10-03"), "C", &["x"]).expect("added")]);
        assert_eq!(out, "## Progress Log\r\n\r\n### 2026-10-03 - C\r\n\r\nx\r\n\r\n## Next\r\n");
    }

    #[test]
    fn table_cells_keep_their_column_width() {
        let text = "| Status      | ID |\n|-------------|----|\n| NOT_STARTED | A  |\n| x | B |\n";
        let out = edited(text, |d| vec![d.set_table_cell(0, 0, 0, "COMPLETED").expect("a cell")]);
        assert_eq!(out, "| Status      | ID |\n|-------------|----|\n| COMPLETED   | A  |\n| x | B |\n");
        let out = edited(text, |d| vec![d.set_table_cell(0, 0, 1, "ABC").expect("a cell")]);
        assert_eq!(out, "| Status      | ID |\n|-------------|----|\n| NOT_STARTED | ABC |\n| x | B |\n");
        let out = edited(text, |d| vec![d.set_table_cell(0, 1, 0, "IN_PROGRESS").expect("a cell")]);
        assert_eq!(
            out,
            "| Status      | ID |\n|-------------|----|\n| NOT_STARTED | A  |\n| IN_PROGRESS | B |\n"
        );
        let doc = Document::parse(text).expect("parses");
        assert!(doc.set_table_cell(0, 2, 0, "x").is_err());
    }

    #[test]
    fn percentages_and_task_counts_change_only_their_numbers() {
        let text = "# T\n\n**Overall Progress**: [X]% Complete\n\n## S\n\n- [ ] Phase 1: A (0/X tasks)\n";
        let out = edited(text, |d| {
            vec![
                d.set_percent("overall progress", 40).expect("a percentage"),
                d.set_task_count(0, 2, 5).expect("a count"),
            ]
        });
        assert_eq!(
            out,
            "# T\n\n**Overall Progress**: 40% Complete\n\n## S\n\n- [ ] Phase 1: A (2/5 tasks)\n"
        );
    }

    #[test]
    fn a_task_without_a_status_line_gets_one() {
        let text = "## Phase 1: A\n\n### Task 1.1: B\n- [ ] x\n\n---\n\n### Task 1.2: C\n";
        let out = edited(text, |d| d.set_task_status("1.1", Status::InProgress).expect("a task"));
        assert!(out.starts_with("## Phase 1: A\n\n### Task 1.1: B\n- [ ] x\n\n**Status:** "), "{out}");
        assert!(out.ends_with("\n\n---\n\n### Task 1.2: C\n"), "{out}");
    }
}
