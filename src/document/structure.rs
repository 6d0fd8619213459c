//! Phases, tasks, commits, progress-log entries, test-status lines, percentages, task counts,
//! tables and YAML task blocks: the parts of a document that carry progress.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

use super::status::{Status, recognize};
use super::{Counts, Document, Warning, yaml};
use crate::markdown::lines::partition_point_from;

/// A phase: a heading `Phase N: Name` (optionally numbered, `2.1 Phase 0: Setup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Phase<'a> {
    pub id: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub line: usize,
    pub status: Option<Status>,
    pub checkboxes: Counts,
    pub tasks: Vec<Task<'a>>,
    /// Index into [`Document::sections`].
    #[serde(skip)]
    pub section: usize,
}

/// A task of a phase: a heading `Task N.M: Name`, a phase-tracker table row, or a YAML task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task<'a> {
    pub id: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub line: usize,
    pub status: Option<Status>,
    /// The task's checkboxes; for a YAML task, its `pre_check` and `post_check` items.
    pub checkboxes: Counts,
    pub commits: Vec<Commit<'a>>,
    /// `heading`, `table` or `yaml`.
    pub source: &'static str,
    /// For a heading task, the index into [`Document::sections`].
    #[serde(skip)]
    pub section: Option<usize>,
}

/// A commit recorded in a list: `` `3f9c2ab` - feat(api): add limiter ``.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commit<'a> {
    pub hash: Cow<'a, str>,
    pub message: Cow<'a, str>,
    pub line: usize,
}

/// A task of an implementation plan (form 002): a phase-tracker row or a YAML task block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanTask {
    pub id: String,
    pub name: Option<String>,
    pub priority: Option<String>,
    /// The status as written (`NOT_STARTED`).
    pub status_text: Option<String>,
    pub status: Option<Status>,
    pub line: usize,
    /// `table` or `yaml`.
    pub source: &'static str,
    /// The id of the phase whose section holds it.
    pub phase: Option<String>,
    pub pre_check: Option<CheckList>,
    pub post_check: Option<CheckList>,
    pub started: Option<String>,
    pub completed: Option<String>,
    /// For a YAML task, the index into [`Document::yaml_blocks`].
    #[serde(skip)]
    pub block: Option<usize>,
    /// For a YAML task, the path to its mapping inside the block.
    #[serde(skip)]
    pub path: Vec<yaml::Seg>,
    /// For a YAML task, the path to its `implementation` mapping, when it has one.
    #[serde(skip)]
    pub implementation_path: Option<Vec<yaml::Seg>>,
    /// For a table task, the table and row index.
    #[serde(skip)]
    pub row: Option<(usize, usize)>,
}

/// A `pre_check` or `post_check` checklist of a YAML task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckList {
    pub status: Option<String>,
    pub items: Vec<yaml::CheckItem>,
    /// Path to the check's mapping inside the block; `checklist[i].<name>` under it
    /// addresses item `i`.
    #[serde(skip)]
    pub path: Vec<yaml::Seg>,
}

/// A progress-log entry: a heading `2026-10-03 - Title` (or a date placeholder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry<'a> {
    /// The date as `YYYY-MM-DD`, or null for a placeholder.
    pub date: Option<String>,
    /// The date as written.
    pub date_text: String,
    pub title: String,
    pub line: usize,
    pub level: u8,
    pub commits: Vec<Commit<'a>>,
    #[serde(skip)]
    pub section: usize,
}

/// A test-status line: `**Unit Tests:** 3 passing / 4 total`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestStatus {
    pub label: String,
    pub passing: Option<u64>,
    pub total: Option<u64>,
    /// Whether the second number counts planned tests (`/ 5 planned`) rather than all.
    pub planned: bool,
    pub line: usize,
}

/// A progress percentage: `**Overall Progress**: 40% Complete`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Percentage {
    pub label: String,
    /// Null for a placeholder (`[X]%`).
    pub value: Option<u8>,
    pub line: usize,
    /// The number (or placeholder) before the `%`.
    #[serde(skip)]
    pub range: Range<usize>,
}

/// A task count in a list item: `Phase 1: Setup (3/5 tasks)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskCount {
    /// The item's text before the count.
    pub label: String,
    pub done: Option<u64>,
    pub total: Option<u64>,
    pub line: usize,
    /// `3/5` inside the parentheses.
    #[serde(skip)]
    pub range: Range<usize>,
}

/// A table with what kind of table it looks like.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableInfo {
    pub line: usize,
    /// `phase-tracker`, `session-log`, `time-tracking`, `blockers` or `other`.
    pub kind: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Index into [`crate::markdown::Outline::tables`].
    #[serde(skip)]
    pub index: usize,
}

impl TableInfo {
    /// Returns the index of the first column named one of `names` (compared without regard
    /// to case).
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.columns.iter().position(|c| names.iter().any(|n| c.eq_ignore_ascii_case(n)))
    }
}

/// A fenced YAML block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YamlBlock {
    pub line: usize,
    /// Its value as JSON, null when it is not valid YAML.
    pub value: serde_json::Value,
    pub error: Option<String>,
    /// The YAML text's bytes (the lines between the fences).
    #[serde(skip)]
    pub content: Range<usize>,
}

/// Fills everything this module finds into `doc`.
pub(crate) fn fill(doc: &mut Document) {
    doc.tables = tables(doc);
    doc.yaml_blocks = yaml_blocks(doc);
    doc.plan_tasks = plan_tasks(doc);
    // Phases are most of the work on a large document; the rest goes beside them, on the
    // thread that works the later phases.
    let shared: &Document = doc;
    let (phases, (progress_log, test_status, percentages, task_counts)) = phases_and(shared, || {
        (progress_log(shared), test_status(shared), percentages(shared), task_counts(shared))
    });
    doc.phases = phases;
    doc.progress_log = progress_log;
    doc.test_status = test_status;
    doc.percentages = percentages;
    doc.task_counts = task_counts;
}

/// Returns whether `haystack` contains `needle` (ASCII lowercase) regardless of ASCII case.
pub(crate) fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Splits `Prefix N: Name` (after an optional section number such as `2.1`) into `(N, Name)`.
pub(crate) fn numbered_heading<'t>(text: &'t str, word: &str) -> Option<(&'t str, &'t str)> {
    let mut t = trim(text);
    // Most headings are neither: they start with neither a digit nor the word's first letter.
    let first = t.as_bytes().first()?;
    if first.is_ascii_digit() {
        // A section number: digits and dots up to the first space.
        let end = t.bytes().position(|b| b == b' ')?;
        if !t.as_bytes()[..end].iter().all(|b| b.is_ascii_digit() || *b == b'.') {
            return None;
        }
        t = t[end + 1..].trim_start();
    } else if !first.eq_ignore_ascii_case(word.as_bytes().first()?) {
        return None;
    }
    let head = t.get(..word.len())?;
    if !head.eq_ignore_ascii_case(word) {
        return None;
    }
    let rest = &t[word.len()..];
    let rest_trim = rest.trim_start();
    if rest_trim.len() == rest.len() {
        return None;
    }
    // The id: letters, digits, `.`, `-` and `_` (ASCII ones looked at byte by byte).
    let id_len = match rest_trim.bytes().position(|b| !(b.is_ascii_alphanumeric() || b".-_".contains(&b))) {
        Some(i) if rest_trim.as_bytes()[i].is_ascii() => i,
        _ => rest_trim.find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '_'))?,
    };
    let id = rest_trim[..id_len].trim_end_matches('.');
    if id.is_empty() || !id.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let after = rest_trim[id_len..].trim_start();
    let name = after
        .strip_prefix(':')
        .or_else(|| after.strip_prefix('-'))
        .or_else(|| after.strip_prefix('–'))
        .or_else(|| after.strip_prefix('—'))?;
    Some((id, trim(name)))
}

/// Returns `s` without white space at either end, as [`str::trim`] does; at almost no cost
/// when both ends are visible ASCII characters, as they are in most headings and names.
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Returns the phases, and what `beside` returns, run on a second thread with the later
/// phases for a large document.
fn phases_and<'a, R: Send>(doc: &Document<'a>, beside: impl FnOnce() -> R + Send) -> (Vec<Phase<'a>>, R) {
    // The phase headings first; a phase inside another phase's section is not a new phase.
    let mut found: Vec<(usize, &str, &str)> = Vec::new();
    for (si, section) in doc.sections.iter().enumerate() {
        let heading = &doc.outline.headings[section.heading].text;
        let Some((id, name)) = numbered_heading(heading, "phase") else {
            continue;
        };
        if found.iter().any(|(p, ..)| doc.sections[*p].range.end > section.range.start) {
            continue;
        }
        found.push((si, id, name));
    }
    let work = |part: &[(usize, &str, &str)]| -> Vec<Phase<'a>> {
        let mut statuses = Statuses::default();
        let mut near = Near::default();
        part.iter().map(|(si, id, name)| phase(doc, *si, id, name, &mut statuses, &mut near)).collect()
    };
    if !crate::parallel::worth_it(doc.text.len()) || found.len() < 2 {
        return (work(&found), beside());
    }
    // The other thread also does `beside` (about a third of the phases' work on a tracking
    // document): this one takes the first five eighths of the phases' text.
    let start = doc.sections[found[0].0].range.start;
    let end = doc.sections[found[found.len() - 1].0].range.end;
    let cut_at = start + (end - start) / 8 * 5;
    let cut =
        found.partition_point(|(si, ..)| doc.sections[*si].range.start < cut_at).clamp(1, found.len() - 1);
    let (mut front, (back, other)) =
        crate::parallel::join(true, || work(&found[..cut]), || (work(&found[cut..]), beside()));
    front.extend(back);
    (front, other)
}

/// Returns the phase whose heading starts section `si`, with its tasks.
fn phase<'d, 'a>(
    doc: &'d Document<'a>,
    si: usize,
    id: &str,
    name: &str,
    statuses: &mut Statuses<'d>,
    near: &mut Near,
) -> Phase<'a> {
    let section = &doc.sections[si];
    let heading = &doc.outline.headings[section.heading].text;
    // The phase's own status line, before its tasks': the lookups go in document order.
    let intro_end =
        doc.sections.get(si + 1).map_or(section.range.end, |s| s.range.start.min(section.range.end));
    let stated = status_line(doc, section.range.start..intro_end, near)
        .and_then(|l| recognize(&doc.text[l.value_range.clone()]));
    let mut tasks = Vec::new();
    for (ti, sub) in doc.sections.iter().enumerate().skip(si + 1) {
        if sub.range.start >= section.range.end {
            break;
        }
        if sub.level <= section.level {
            continue;
        }
        let sub_heading = &doc.outline.headings[sub.heading].text;
        if let Some((tid, tname)) = numbered_heading(sub_heading, "task") {
            let (tid, tname) = (keep(sub_heading, tid), keep(sub_heading, tname));
            tasks.push(heading_task(doc, ti, tid, tname, statuses, near));
        }
    }
    for task in doc.plan_tasks.iter().filter(|t| in_range(doc.lines.start_of(t.line), &section.range)) {
        tasks.push(Task {
            id: Cow::Owned(task.id.clone()),
            name: Cow::Owned(task.name.clone().unwrap_or_default()),
            line: task.line,
            status: task.status,
            checkboxes: check_counts(task),
            commits: Vec::new(),
            source: task.source,
            section: None,
        });
    }
    tasks.sort_by_key(|t| t.line);
    let status = stated.or_else(|| derived_status(&tasks, section.checkboxes));
    Phase {
        id: keep(heading, id),
        name: keep(heading, name),
        line: section.line,
        status,
        checkboxes: section.checkboxes,
        tasks,
        section: si,
    }
}

/// The status texts recognised so far. Statuses repeat (`✅ Complete` thousands of times)
/// and come in a few spellings: a short list, searched from the start, finds one in less
/// time than hashing it takes.
#[derive(Default)]
struct Statuses<'d> {
    known: Vec<(&'d str, Option<Status>)>,
}

impl<'d> Statuses<'d> {
    /// How many texts are kept: a document whose statuses are all different does not make
    /// every search a long one.
    const KEPT: usize = 16;

    /// Returns the status `text` states, recognised once while it is among the kept texts.
    fn recognize(&mut self, text: &'d str) -> Option<Status> {
        if let Some((_, status)) = self.known.iter().find(|(t, _)| *t == text) {
            return *status;
        }
        let status = recognize(text);
        if self.known.len() < Self::KEPT {
            self.known.push((text, status));
        }
        status
    }
}

/// Where the lookups of one walk through the document in order last ended: the next ones
/// start there (see [`partition_point_from`]).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Near {
    /// Into [`Document::labels`].
    labels: usize,
    /// Into the outline's items.
    items: usize,
    /// A 1-based line.
    line: usize,
}

/// Returns `part`, a piece of `whole`, borrowed from the document when `whole` is.
fn keep<'a>(whole: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    keep_or(whole, part, |p| Cow::Owned(p.to_string()))
}

/// Returns `part`, a piece of `whole`, borrowed from the document when `whole` is; else
/// what `otherwise` makes of it.
fn keep_or<'a>(whole: &Cow<'a, str>, part: &str, otherwise: impl Fn(&str) -> Cow<'a, str>) -> Cow<'a, str> {
    if let Cow::Borrowed(source) = whole
        && let Some(at) = (part.as_ptr() as usize).checked_sub(source.as_ptr() as usize)
        && let Some(piece) = source.get(at..at + part.len())
    {
        return Cow::Borrowed(piece);
    }
    otherwise(part)
}

fn in_range(offset: Option<usize>, range: &Range<usize>) -> bool {
    offset.is_some_and(|o| range.start <= o && o < range.end)
}

fn check_counts(task: &PlanTask) -> Counts {
    let mut counts = Counts::default();
    for list in [&task.pre_check, &task.post_check].into_iter().flatten() {
        counts.total += list.items.len();
        counts.checked += list.items.iter().filter(|i| i.value).count();
    }
    counts
}

fn heading_task<'d, 'a>(
    doc: &'d Document<'a>,
    si: usize,
    id: Cow<'a, str>,
    name: Cow<'a, str>,
    statuses: &mut Statuses<'d>,
    near: &mut Near,
) -> Task<'a> {
    let section = &doc.sections[si];
    let status = match status_line(doc, section.range.clone(), near) {
        Some(line) => {
            let text = &doc.text[line.value_range.clone()];
            statuses.recognize(text)
        }
        None => derived_status(&[], section.checkboxes),
    };
    Task {
        id,
        name,
        line: section.line,
        status,
        checkboxes: section.checkboxes,
        commits: commits_near(doc, section.range.clone(), near),
        source: "heading",
        section: Some(si),
    }
}

/// Returns the first `**Status:**` line in `range`.
fn status_line<'d, 'a>(
    doc: &'d Document<'a>,
    range: Range<usize>,
    near: &mut Near,
) -> Option<&'d super::header::LabelLine<'a>> {
    // One search for the first line in range; the status line is usually among the next few.
    let from = partition_point_from(&doc.labels, near.labels, |l| l.label_range.start < range.start);
    near.labels = from;
    doc.labels[from..]
        .iter()
        .take_while(|l| l.label_range.start < range.end)
        .find(|l| l.label.eq_ignore_ascii_case("status"))
}

/// Returns the status that tasks (or, without tasks, checkboxes) imply.
fn derived_status(tasks: &[Task], boxes: Counts) -> Option<Status> {
    if !tasks.is_empty() {
        let known: Vec<Status> = tasks.iter().filter_map(|t| t.status).collect();
        if known.is_empty() {
            return None;
        }
        if known.len() == tasks.len() && known.iter().all(|s| s.is_done()) {
            return Some(Status::Complete);
        }
        if known.iter().any(|s| matches!(s, Status::InProgress | Status::Complete)) {
            return Some(Status::InProgress);
        }
        return Some(Status::NotStarted);
    }
    match boxes {
        Counts { total: 0, .. } => None,
        Counts { total, checked } if checked == total => Some(Status::Complete),
        Counts { checked: 0, .. } => Some(Status::NotStarted),
        _ => Some(Status::InProgress),
    }
}

/// Returns the commits recorded by list items in `range`: `hash - message`.
pub(crate) fn commits_in<'a>(doc: &Document<'a>, range: Range<usize>) -> Vec<Commit<'a>> {
    commits_near(doc, range, &mut Near::default())
}

/// Returns [`commits_in`] `range`, looked for from where `near` says, which it moves on.
fn commits_near<'a>(doc: &Document<'a>, range: Range<usize>, near: &mut Near) -> Vec<Commit<'a>> {
    let items = &doc.outline.items;
    let first = partition_point_from(items, near.items, |i| i.range.start < range.start);
    near.items = first;
    items[first..]
        .iter()
        .take_while(|i| i.range.start < range.end)
        .filter_map(|item| {
            // Most items are not commits: a commit starts with a hexadecimal digit, which an
            // ASCII first byte rules out without a trim.
            let first = item.text.as_bytes().first().copied().unwrap_or(b' ');
            let plainly_not =
                first.is_ascii() && !char::from(first).is_whitespace() && !first.is_ascii_hexdigit();
            if plainly_not || !item.text.trim_start().starts_with(|c: char| c.is_ascii_hexdigit()) {
                return None;
            }
            let (hash, message) = parse_commit(&item.text)?;
            // A commit's hash and message usually stand in the item's line as they are.
            let own_line = &doc.text[item.range.clone()];
            // Both parts are trimmed: neither lies in the line's trailing white space.
            let own_line =
                own_line[..memchr::memchr(b'\n', own_line.as_bytes()).unwrap_or(own_line.len())].trim_end();
            let from_source = |part: &str| {
                let at = if own_line.ends_with(part) {
                    Some(own_line.len() - part.len())
                } else {
                    memchr::memchr_iter(part.as_bytes()[0], own_line.as_bytes())
                        .find(|i| own_line.as_bytes()[*i..].starts_with(part.as_bytes()))
                };
                match at {
                    Some(i) => {
                        Cow::Borrowed(&doc.text[item.range.start + i..item.range.start + i + part.len()])
                    }
                    None => Cow::Owned(part.to_string()),
                }
            };
            near.line = doc.lines.line_of_near(item.range.start, near.line);
            Some(Commit {
                hash: keep_or(&item.text, hash, from_source),
                message: keep_or(&item.text, message, from_source),
                line: near.line,
            })
        })
        .collect()
}

/// Splits `3f9c2ab - feat: x` (hash of 7 to 40 hex digits) into hash and message.
pub fn parse_commit(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    let end = text.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(text.len());
    if !(7..=40).contains(&end) {
        return None;
    }
    let rest = text[end..].trim_start();
    let message = rest
        .strip_prefix('-')
        .or_else(|| rest.strip_prefix('–'))
        .or_else(|| rest.strip_prefix('—'))
        .or_else(|| rest.strip_prefix(':'))?;
    if !rest.is_empty() && end < text.len() && !text[end..].starts_with(char::is_whitespace) {
        return None;
    }
    Some((&text[..end], message.trim()))
}

fn progress_log<'a>(doc: &Document<'a>) -> Vec<LogEntry<'a>> {
    doc.sections
        .iter()
        .enumerate()
        .filter_map(|(si, section)| {
            let (date, date_text, title) = parse_log_heading(doc.section_text(section))?;
            Some(LogEntry {
                date,
                date_text: date_text.to_string(),
                title: title.to_string(),
                line: section.line,
                level: section.level,
                commits: commits_in(doc, section.range.clone()),
                section: si,
            })
        })
        .collect()
}

/// Splits a log heading `2026-10-03 - Title` or `[YYYY-MM-DD] - [Title]` into its normalised
/// date (None for a placeholder), the date as written and the title.
pub fn parse_log_heading(text: &str) -> Option<(Option<String>, &str, &str)> {
    let text = trim(text);
    // Dates and date placeholders start with a digit, `[` or a month's name.
    let first = text.chars().next()?;
    if !(first.is_ascii_digit() || first == '[' || first.is_ascii_alphabetic()) {
        return None;
    }
    if first.is_ascii_alphabetic() && parse_date_prefix_is_month(text).is_none() {
        return None;
    }
    let (date_part, title) = [" - ", " – ", " — ", ": "]
        .iter()
        .filter_map(|sep| text.split_once(sep))
        .min_by_key(|(d, _)| d.len())?;
    let date_text = date_part.trim();
    let bare = date_text.trim_start_matches('[').trim_end_matches(']').trim();
    if let Some(date) = parse_date(bare) {
        return Some((Some(date.format("%Y-%m-%d").to_string()), date_text, title.trim()));
    }
    let lower = bare.to_ascii_lowercase();
    let placeholder = date_text.starts_with('[') && (lower.contains("yyyy") || lower.contains("date"));
    placeholder.then_some((None, date_text, title.trim()))
}

/// The date formats a progress log may use, tried in this order.
pub const DATE_FORMATS: [&str; 6] =
    ["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y"];

/// Returns `Some` when `text` starts with a month's name (English, three letters or more).
fn parse_date_prefix_is_month(text: &str) -> Option<()> {
    let m = text.get(..3)?;
    MONTHS.iter().any(|n| m.eq_ignore_ascii_case(n)).then_some(())
}

const MONTHS: [&str; 12] =
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// Returns the date `text` states in one of [`DATE_FORMATS`].
pub fn parse_date(text: &str) -> Option<chrono::NaiveDate> {
    // A cheap look first: every format starts with a digit or a month's name.
    let first = text.bytes().next()?;
    if !first.is_ascii_digit() && parse_date_prefix_is_month(text).is_none() {
        return None;
    }
    DATE_FORMATS.iter().find_map(|f| chrono::NaiveDate::parse_from_str(text, f).ok())
}

fn test_status(doc: &Document) -> Vec<TestStatus> {
    let mut out: Vec<TestStatus> = doc
        .outline
        .items
        .iter()
        .filter(|item| {
            let t = &item.text;
            may_end_in(t, b"ld") && (t.trim_end().ends_with("total") || t.trim_end().ends_with("planned"))
        })
        .filter_map(|item| {
            let (label, value) = item.text.split_once(':')?;
            parse_test_counts(label, value, doc.line_of(item.range.start))
        })
        .collect();
    for l in &doc.labels {
        let value = &doc.text[l.value_range.clone()];
        if !may_end_in(value, b"ld") {
            continue;
        }
        let value = value.trim_end();
        if !(value.ends_with("total") || value.ends_with("planned")) {
            continue;
        }
        if let Some(t) = parse_test_counts(l.label, &doc.text[l.value_range.clone()], l.line) {
            out.push(t);
        }
    }
    out.sort_by_key(|t| t.line);
    out
}

/// Returns false when `text` plainly cannot end, once trimmed, in one of the bytes `last`:
/// its last byte is ASCII, not white space and none of them. Most items and labels are ruled
/// out this way, for less than a trim costs.
fn may_end_in(text: &str, last: &[u8]) -> bool {
    match text.as_bytes().last() {
        Some(b) if b.is_ascii() && !char::from(*b).is_whitespace() => last.contains(b),
        _ => true,
    }
}

fn parse_test_counts(label: &str, value: &str, line: usize) -> Option<TestStatus> {
    let (left, right) = value.split_once('/')?;
    let passing = left.trim().strip_suffix("passing")?.trim();
    let right = right.trim();
    let (total, planned) = if let Some(t) = right.strip_suffix("total") {
        (t.trim(), false)
    } else if let Some(t) = right.strip_suffix("planned") {
        (t.trim(), true)
    } else {
        return None;
    };
    let number = |s: &str| s.parse::<u64>().ok();
    Some(TestStatus {
        label: label.trim().trim_matches('*').trim().to_string(),
        passing: number(passing),
        total: number(total),
        planned,
        line,
    })
}

fn percentages(doc: &Document) -> Vec<Percentage> {
    doc.labels
        .iter()
        .filter(|l| contains_ignore_case(l.label, "progress"))
        .filter_map(|l| {
            let value = &doc.text[l.value_range.clone()];
            let pct = value.find('%')?;
            let before = &value[..pct];
            let start = if before.ends_with(']') {
                before.rfind('[')?
            } else {
                before.trim_end_matches(|c: char| c.is_ascii_digit()).len()
            };
            if start == pct {
                return None;
            }
            let number = &value[start..pct];
            Some(Percentage {
                label: l.label.to_string(),
                value: number.parse::<u8>().ok(),
                line: l.line,
                range: l.value_range.start + start..l.value_range.start + pct,
            })
        })
        .collect()
}

fn task_counts(doc: &Document) -> Vec<TaskCount> {
    let text = doc.text;
    doc.outline
        .items
        .iter()
        // `(3/5 tasks)` ends the item's text.
        .filter(|item| {
            may_end_in(&item.text, b")") && item.text.trim_end().ends_with(')') && item.text.contains("task")
        })
        .filter_map(|item| {
            let line = doc.line_of(item.range.start);
            let content = doc.lines.content_range(text, line)?;
            let s = &text[content.clone()];
            let open = s.rfind('(')?;
            let inner_end = open + s[open..].find(')')?;
            let inner = &s[open + 1..inner_end];
            let (counts, word) = inner.split_once(' ')?;
            if !word.trim().starts_with("task") {
                return None;
            }
            let (done, total) = counts.split_once('/')?;
            let label_end = item.text.rfind('(').unwrap_or(item.text.len());
            Some(TaskCount {
                label: item.text[..label_end].trim().to_string(),
                done: done.parse().ok(),
                total: total.parse().ok(),
                line,
                range: content.start + open + 1..content.start + open + 1 + counts.len(),
            })
        })
        .collect()
}

fn tables(doc: &Document) -> Vec<TableInfo> {
    doc.outline
        .tables
        .iter()
        .enumerate()
        .map(|(index, t)| {
            let columns: Vec<String> = t.header.iter().map(|c| c.text.trim().to_string()).collect();
            let has = |name: &str| columns.iter().any(|c| c.eq_ignore_ascii_case(name));
            let kind = if has("status") && has("id") {
                "phase-tracker"
            } else if has("date") && has("status") {
                "session-log"
            } else if has("estimated") && has("actual") {
                "time-tracking"
            } else if has("blocker") {
                "blockers"
            } else {
                "other"
            };
            TableInfo {
                line: doc.line_of(t.range.start),
                kind,
                rows: t.rows.iter().map(|r| r.iter().map(|c| c.text.trim().to_string()).collect()).collect(),
                columns,
                index,
            }
        })
        .collect()
}

fn yaml_blocks(doc: &mut Document) -> Vec<YamlBlock> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for block in &doc.outline.code_blocks {
        if !matches!(block.lang.to_ascii_lowercase().as_str(), "yaml" | "yml") || block.unterminated {
            continue;
        }
        let src = &doc.text[block.content.clone()];
        let line = doc.lines.line_of(block.range.start);
        let (value, error) = match yaml::to_json(src) {
            Ok(v) => (v, None),
            Err(e) => {
                let at = doc.lines.line_of(block.content.start) + e.line.saturating_sub(1);
                warnings.push(Warning {
                    line: at,
                    message: format!("fenced YAML block is not valid YAML: {}", e.message),
                });
                (serde_json::Value::Null, Some(e.message))
            }
        };
        out.push(YamlBlock { line, value, error, content: block.content.clone() });
    }
    doc.warnings.extend(warnings);
    out
}

fn plan_tasks(doc: &Document) -> Vec<PlanTask> {
    let phase_of = |offset: usize| {
        doc.sections
            .iter()
            .filter(|s| s.range.start <= offset && offset < s.range.end)
            .rev()
            .find_map(|s| numbered_heading(doc.section_text(s), "phase").map(|(id, _)| id.to_string()))
    };
    let mut out = Vec::new();
    for info in doc.tables.iter().filter(|t| t.kind == "phase-tracker") {
        let (Some(id_col), Some(status_col)) = (info.column(&["id"]), info.column(&["status"])) else {
            continue;
        };
        let name_col = info.column(&["task / service", "task", "service", "name", "task name"]);
        let prio_col = info.column(&["priority"]);
        let table = &doc.outline.tables[info.index];
        for (ri, row) in table.rows.iter().enumerate() {
            let cell = |i: Option<usize>| {
                i.and_then(|i| row.get(i)).map(|c| c.text.trim().to_string()).filter(|s| !s.is_empty())
            };
            let Some(id) = cell(Some(id_col)) else {
                continue;
            };
            let status_text = cell(Some(status_col));
            out.push(PlanTask {
                id,
                name: cell(name_col),
                priority: cell(prio_col),
                status: status_text.as_deref().and_then(recognize),
                status_text,
                line: doc.line_of(row.first().map_or(table.range.start, |c| c.range.start)),
                source: "table",
                phase: phase_of(table.range.start),
                pre_check: None,
                post_check: None,
                started: None,
                completed: None,
                block: None,
                path: Vec::new(),
                implementation_path: None,
                row: Some((info.index, ri)),
            });
        }
    }
    for (bi, block) in doc.yaml_blocks.iter().enumerate() {
        if block.error.is_some() {
            continue;
        }
        let Ok(tasks) = yaml::plan_tasks(&doc.text[block.content.clone()]) else {
            continue;
        };
        let base = doc.lines.line_of(block.content.start) - 1;
        let list = |c: Option<yaml::Check>, base: usize| {
            c.map(|c| CheckList {
                status: c.status,
                items: c.items.into_iter().map(|i| yaml::CheckItem { line: i.line + base, ..i }).collect(),
                path: c.path,
            })
        };
        for t in tasks {
            out.push(PlanTask {
                id: t.id,
                name: t.service_name,
                priority: t.priority,
                status: t.status.as_deref().and_then(recognize),
                status_text: t.status,
                line: t.line + base,
                source: "yaml",
                phase: phase_of(block.content.start),
                pre_check: list(t.pre_check, base),
                post_check: list(t.post_check, base),
                started: t.started,
                completed: t.completed,
                block: Some(bi),
                path: t.path,
                implementation_path: t.implementation_path,
                row: None,
            });
        }
    }
    out.sort_by_key(|t| t.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phase_and_task_headings_are_recognised() {
        assert_eq!(numbered_heading("Phase 1: Setup", "phase"), Some(("1", "Setup")));
        assert_eq!(numbered_heading("2.1 Phase 0: Project Init", "phase"), Some(("0", "Project Init")));
        assert_eq!(numbered_heading("Task 1.2: [Task Name]", "task"), Some(("1.2", "[Task Name]")));
        assert_eq!(numbered_heading("Phase 1 Validation", "phase"), None);
        assert_eq!(numbered_heading("Phases: all", "phase"), None);
        assert_eq!(numbered_heading("Task Breakdown", "task"), None);
        assert_eq!(numbered_heading("phase 3 - Ship", "phase"), Some(("3", "Ship")));
        assert_eq!(numbered_heading(" \u{a0}Task 1é: x\u{2003}", "task"), Some(("1é", "x")));
        assert_eq!(numbered_heading("3 Task 1.2.: Name ", "task"), Some(("1.2", "Name")));
        assert_eq!(numbered_heading("3a Task 1: x", "task"), None);
    }

    #[test]
    fn commits_need_a_hash_and_a_message() {
        assert_eq!(parse_commit("3f9c2ab - feat(api): add"), Some(("3f9c2ab", "feat(api): add")));
        assert_eq!(parse_commit("[hash] - [commit message]"), None);
        assert_eq!(parse_commit("cafe - short"), None);
        assert_eq!(parse_commit("3f9c2abz - x"), None);
    }

    #[test]
    fn log_headings_with_dates_and_placeholders() {
        assert_eq!(
            parse_log_heading("2026-10-03 - Wire up limiter"),
            Some((Some("2026-10-03".into()), "2026-10-03", "Wire up limiter"))
        );
        assert_eq!(
            parse_log_heading("[YYYY-MM-DD] - Session Start"),
            Some((None, "[YYYY-MM-DD]", "Session Start"))
        );
        assert_eq!(parse_log_heading("[Date] - [Team Area]"), Some((None, "[Date]", "[Team Area]")));
        assert_eq!(
            parse_log_heading("October 3, 2026 - Review"),
            Some((Some("2026-10-03".into()), "October 3, 2026", "Review"))
        );
        assert_eq!(parse_log_heading("Issue 1: [Short Description]"), None);
    }
}
