//! `git milestone status [ID]`: where every milestone stands, or one milestone in detail.

use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::{Failure, Workspace};
use crate::document::{Counts, Document, Status};
use crate::error::Error;
use crate::milestone::read_plan;
use crate::tracking::BranchHistory;
use crate::tracking::record::{self, Elsewhere, History};
use crate::ui::Ui;

/// The width the output fits.
const WIDTH: usize = 80;

/// Show where each milestone stands, or one milestone in detail
///
/// Without ID: one line per milestone (the plans in the plans folder and the tracking
/// documents in the work tree), sorted by status then id. With ID: each phase and task,
/// open blockers, next steps, test status, and the branch's commits the tracking document
/// does not record yet. With --all-branches, a milestone whose tracking document is not in
/// the work tree is read from its branch's tip (nothing is checked out).
///
/// Example: `git milestone status M7 --color never`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The milestone to show in detail
    pub id: Option<String>,
    /// Print one JSON object (documented in docs/json.md)
    #[arg(long, conflicts_with = "id")]
    pub json: bool,
    /// When to colour the output: on a terminal without NO_COLOR (auto), always, or never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Also read the tracking documents from the tips of the other milestone branches
    #[arg(long)]
    pub all_branches: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// One milestone, as `status` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub title: Option<String>,
    pub status: Option<&'static str>,
    pub branch: Option<String>,
    pub percent: u8,
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub commits_recorded: usize,
    pub last_activity: Option<String>,
    pub plan: Option<String>,
    pub tracking: Option<String>,
    /// Where the tracking document was read: `worktree`, `branch` (a branch's tip, with
    /// `--all-branches`) or `plan` (no tracking document: the plan only).
    pub source: &'static str,
    /// The branch and its tip the tracking document was read from, for `source: "branch"`.
    #[serde(skip)]
    pub read_from: Option<(String, git2::Oid)>,
}

impl Row {
    /// A milestone `id` read from `source`, with nothing known of it yet.
    fn new(id: String, source: &'static str) -> Row {
        Row {
            id,
            title: None,
            status: None,
            branch: None,
            percent: 0,
            tasks_done: 0,
            tasks_total: 0,
            commits_recorded: 0,
            last_activity: None,
            plan: None,
            tracking: None,
            source,
            read_from: None,
        }
    }
}

/// Runs `status`.
///
/// # Errors
///
/// Fails for an unknown id, or when output cannot be written.
pub fn run(ui: &mut Ui, ws: &Workspace, args: StatusArgs) -> Result<(), Failure> {
    let paint = Paint(args.color.enabled());
    let rows = rows(ws, args.all_branches);
    if let Some(id) = &args.id {
        let Some(row) = rows.iter().find(|r| &r.id == id) else {
            let known: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
            return Err(Error::Tracking {
                message: format!("no milestone `{id}`: no plan and no tracking document has that id"),
                hint: match known.is_empty() {
                    true => "plan one with `git milestone new ID \"Title\"`".into(),
                    false => format!("the milestones are: {}", known.join(", ")),
                },
            }
            .into());
        };
        return detail(ui, ws, row, paint, args.all_branches);
    }
    if args.json {
        let json = serde_json::json!({ "milestones": rows });
        ui.out(&format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default()))?;
        return Ok(());
    }
    if rows.is_empty() {
        ui.out(&format!(
            "no milestones in {}/; plan one with `git milestone new ID \"Title\"`\n",
            ws.config.plans_folder
        ))?;
        return Ok(());
    }
    ui.out(&overview(&rows, paint))?;
    Ok(())
}

/// Returns every milestone: the plans, then the tracking documents whose milestone has no
/// plan, sorted by status then id. With `all_branches`, a milestone whose tracking document
/// is not in the work tree takes it from its branch's tip (see `branch_documents`).
pub fn rows(ws: &Workspace, all_branches: bool) -> Vec<Row> {
    let mut from_branches = if all_branches { branch_documents(ws) } else { HashMap::new() };
    let mut rows = Vec::new();
    for entry in super::list::milestones(ws) {
        let mut row = Row {
            title: entry.title.clone(),
            status: entry.status,
            plan: Some(entry.plan.clone()),
            tracking: entry.tracking.clone(),
            ..Row::new(entry.id.clone(), "worktree")
        };
        match &entry.tracking {
            Some(path) => fill_from_tracking(ws, &mut row, path),
            None => match from_branches.remove(&entry.id) {
                Some(found) => fill_from_branch(&mut row, found),
                None => {
                    row.source = "plan";
                    // Only planned: the plan's tasks, none done.
                    if let Ok(text) = std::fs::read_to_string(ws.path(&entry.plan))
                        && let Ok(doc) = Document::parse(&text)
                    {
                        row.tasks_total =
                            read_plan(&doc, &entry.id).phases.iter().map(|p| p.tasks.len()).sum();
                    }
                }
            },
        }
        rows.push(row);
    }
    let folder = ws.config.tracking_folder.trim_matches('/');
    if let Ok(dir) = std::fs::read_dir(ws.path(folder)) {
        for entry in dir.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let Some(id) = crate::tracking::id_of_file(&ws.config, name) else { continue };
            if crate::milestone::check_id(id).is_err()
                || rows.iter().any(|r| r.id == id)
                || !entry.path().is_file()
            {
                continue;
            }
            let mut row =
                Row { tracking: Some(format!("{folder}/{name}")), ..Row::new(id.to_string(), "worktree") };
            fill_from_tracking(ws, &mut row, &format!("{folder}/{name}"));
            rows.push(row);
        }
    }
    for (id, found) in from_branches {
        if rows.iter().any(|r| r.id == id) {
            continue;
        }
        let mut row = Row::new(id, "branch");
        fill_from_branch(&mut row, found);
        rows.push(row);
    }
    rows.sort_by(|a, b| rank(a.status).cmp(&rank(b.status)).then_with(|| a.id.cmp(&b.id)));
    rows
}

/// Where a status sorts: in progress first, complete last, unknown after all.
fn rank(status: Option<&str>) -> u8 {
    match status.and_then(Status::from_name) {
        Some(Status::InProgress) => 0,
        Some(Status::Blocked) => 1,
        Some(Status::NotStarted | Status::Planned) => 2,
        Some(Status::Deferred) => 3,
        Some(Status::Complete) => 4,
        Some(Status::RolledBack) => 5,
        None => 6,
    }
}

/// A tracking document read from a branch's tip.
struct BranchDocument {
    branch: String,
    tip: git2::Oid,
    path: String,
    text: String,
}

/// Returns the tracking documents of the local milestone branches other than the one checked
/// out, by milestone id, read from each branch's tip tree (nothing is checked out). A branch
/// is a milestone branch when it has a tracking document that the branch pattern or the
/// document's `Branch` field gives it, as for the hooks ([`crate::tracking::match_branch`]).
/// When two branches have the same milestone, the one with the newer tip wins.
fn branch_documents(ws: &Workspace) -> HashMap<String, BranchDocument> {
    let git = &ws.repo.git;
    let current = ws.repo.current_branch();
    let folder = ws.config.tracking_folder.trim_matches('/');
    let mut found: HashMap<String, (i64, BranchDocument)> = HashMap::new();
    let Ok(branches) = git.branches(Some(git2::BranchType::Local)) else { return HashMap::new() };
    for (branch, _) in branches.flatten() {
        let Ok(Some(name)) = branch.name() else { continue };
        if current.as_deref() == Some(name) {
            continue;
        }
        let Ok(commit) = branch.get().peel_to_commit() else { continue };
        let Ok(tree) = commit.tree() else { continue };
        let Ok(entry) = tree.get_path(std::path::Path::new(folder)) else { continue };
        let Ok(dir) = git.find_tree(entry.id()) else { continue };
        let blob_text = |file: &str| -> Option<String> {
            let entry = dir.get_name(file)?;
            let blob = git.find_blob(entry.id()).ok()?;
            String::from_utf8(blob.content().to_vec()).ok()
        };
        let names: Vec<String> = dir
            .iter()
            .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
            .filter_map(|e| e.name().ok().map(str::to_string))
            .filter(|n| n.ends_with(".md"))
            .collect();
        let Some(file) = crate::tracking::match_branch(&ws.config, &names, name, blob_text) else { continue };
        let Some(id) = crate::tracking::id_of_file(&ws.config, &file) else { continue };
        if crate::milestone::check_id(id).is_err() {
            continue;
        }
        let Some(text) = blob_text(&file) else { continue };
        let time = commit.time().seconds();
        let doc = BranchDocument {
            branch: name.to_string(),
            tip: commit.id(),
            path: format!("{folder}/{file}"),
            text,
        };
        let keep_old =
            found.get(id).is_some_and(|(t, old)| *t > time || (*t == time && old.branch < doc.branch));
        if !keep_old {
            found.insert(id.to_string(), (time, doc));
        }
    }
    found.into_iter().map(|(id, (_, doc))| (id, doc)).collect()
}

/// Fills `row` from a tracking document read from a branch.
fn fill_from_branch(row: &mut Row, found: BranchDocument) {
    row.source = "branch";
    row.tracking = Some(found.path);
    fill_from_text(row, &found.text);
    if row.branch.is_none() {
        row.branch = Some(found.branch.clone());
    }
    row.read_from = Some((found.branch, found.tip));
}

/// Fills `row` from the tracking document at `path` (unreadable documents leave it as is).
fn fill_from_tracking(ws: &Workspace, row: &mut Row, path: &str) {
    let Ok(text) = std::fs::read_to_string(ws.path(path)) else { return };
    fill_from_text(row, &text);
}

/// Fills `row` from a tracking document's text (an invalid document leaves it as is).
fn fill_from_text(row: &mut Row, text: &str) {
    let Ok(doc) = Document::parse(text) else { return };
    if let Some(status) = doc.field("Status").and_then(|f| crate::document::status::recognize(&f.value)) {
        row.status = Some(status.as_str());
    }
    row.branch = branch_of(&doc);
    if row.title.is_none() {
        row.title = tracking_title(&doc, &row.id);
    }
    (row.tasks_done, row.tasks_total, row.percent) = crate::report::progress(&doc);
    row.commits_recorded = recorded_hashes(&doc).len();
    row.last_activity = newest_entry(&doc).and_then(|e| e.date.clone());
}

/// Returns the `Branch` field's value, without code markup.
pub(super) fn branch_of(doc: &Document) -> Option<String> {
    let value = doc.field("Branch")?.value.trim().trim_matches('`').trim().to_string();
    (!value.is_empty()).then_some(value)
}

/// Returns the title a tracking document gives: its `Milestone` field without the id, else
/// the plan's.
pub(super) fn tracking_title(doc: &Document, id: &str) -> Option<String> {
    if let Some(field) = doc.field("Milestone") {
        let value = field.value.trim();
        let rest = value.strip_prefix(id).map_or(value, |r| r.trim_start_matches([' ', '—', '-', ':']));
        if !rest.trim().is_empty() {
            return Some(rest.trim().to_string());
        }
    }
    read_plan(doc, id).title
}

/// Returns the distinct hashes (lower case) recorded under tasks.
fn recorded_hashes(doc: &Document) -> HashSet<String> {
    record::recorded(doc)
        .into_iter()
        .filter(|(domain, _)| *domain == record::Domain::Tasks)
        .map(|(_, r)| r.hash.to_ascii_lowercase())
        .collect()
}

/// Returns the progress-log entry with the newest date (the later one of equal dates).
fn newest_entry<'d, 'a>(doc: &'d Document<'a>) -> Option<&'d crate::document::LogEntry<'a>> {
    doc.progress_log.iter().filter(|e| e.date.is_some()).max_by(|a, b| a.date.cmp(&b.date))
}

// ---- output ----

/// Whether to colour, and how.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        match self.0 && !text.is_empty() {
            true => format!("\x1b[{code}m{text}\x1b[0m"),
            false => text.to_string(),
        }
    }

    /// Colours a status word (already padded: the padding is coloured too, harmlessly).
    fn status(self, status: Option<&str>, shown: &str) -> String {
        let code = match status.and_then(Status::from_name) {
            Some(Status::InProgress) => "33",
            Some(Status::Blocked) => "31",
            Some(Status::Complete) => "32",
            Some(Status::Deferred | Status::RolledBack) => "35",
            Some(Status::NotStarted | Status::Planned) | None => "2",
        };
        self.wrap(code, shown)
    }

    /// Returns `[#####-----]  50%`: 10 cells, the percentage right-aligned in 4.
    fn bar(self, percent: u8) -> String {
        let filled = usize::from(percent.min(100)) / 10;
        format!(
            "[{}{}] {:>4}",
            self.wrap("32", &"#".repeat(filled)),
            "-".repeat(10 - filled),
            format!("{percent}%")
        )
    }
}

/// Returns `text` cut to `width` characters, ending in `…` when cut.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(width - 1).collect();
    out.push('…');
    out
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.chars().count())))
}

/// Returns the overview: a header line and one line per milestone, each at most [`WIDTH`]
/// columns (the title cut to fit; the branch is in `--json` and `status ID`, there is no
/// room for it).
fn overview(rows: &[Row], paint: Paint) -> String {
    let id_w = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(0).max(2);
    let status_w = rows.iter().map(|r| r.status.unwrap_or("-").len()).max().unwrap_or(0).max(6);
    let tasks: Vec<String> = rows.iter().map(|r| format!("{}/{}", r.tasks_done, r.tasks_total)).collect();
    let tasks_w = tasks.iter().map(String::len).max().unwrap_or(0).max(5);
    let commits_w = 7;
    let last_w = 10;
    let bar_w = 17;
    let fixed = id_w + status_w + bar_w + tasks_w + commits_w + last_w + 6 * 2;
    let title_w = WIDTH.saturating_sub(fixed);
    let mut out = format!(
        "{}  {}  {}  {:>tasks_w$}  {:>commits_w$}  {}  TITLE\n",
        pad("ID", id_w),
        pad("STATUS", status_w),
        pad("PROGRESS", bar_w),
        "TASKS",
        "COMMITS",
        pad("LAST", last_w),
    );
    for (row, tasks) in rows.iter().zip(&tasks) {
        let status = row.status.unwrap_or("-");
        let line = format!(
            "{}  {}  {}  {tasks:>tasks_w$}  {:>commits_w$}  {}  {}",
            pad(&row.id, id_w),
            paint.status(row.status, &pad(status, status_w)),
            paint.bar(row.percent),
            row.commits_recorded,
            pad(row.last_activity.as_deref().unwrap_or("-"), last_w),
            truncate(row.title.as_deref().unwrap_or("-"), title_w),
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Prints one milestone in detail.
fn detail(ui: &mut Ui, ws: &Workspace, row: &Row, paint: Paint, all_branches: bool) -> Result<(), Failure> {
    let mut out = String::new();
    let title = row.title.as_deref().unwrap_or("(no title)");
    out.push_str(&format!("{}\n", truncate(&format!("{}  {title}", row.id), WIDTH)));
    out.push_str(&format!("status:   {}\n", paint.status(row.status, row.status.unwrap_or("-"))));
    if let Some(branch) = &row.branch {
        out.push_str(&format!("branch:   {}\n", truncate(branch, WIDTH - 10)));
    }
    let Some(path) = &row.tracking else {
        match all_branches {
            true => out.push_str(&format!(
                "no tracking document in this work tree or on a milestone branch (not started)\n\
                 start it with `git milestone start {}`\n",
                row.id
            )),
            false => out.push_str(&format!(
                "no tracking document in this work tree (not started, or on another branch)\n\
                 (`--all-branches` reads the tracking documents of the milestone branches)\n\
                 start it with `git milestone start {}`\n",
                row.id
            )),
        }
        ui.out(&out)?;
        return Ok(());
    };
    let (shown, text) = match &row.read_from {
        Some((branch, tip)) => {
            let shown = format!("{branch}:{path}");
            let bytes = ws.repo.file_at(*tip, path).unwrap_or_default();
            let text = String::from_utf8(bytes).map_err(|_| Error::Tracking {
                message: format!("{shown}: the tracking document is not UTF-8"),
                hint: "check the branch out and fix its encoding".into(),
            })?;
            (shown, text)
        }
        None => super::read(&ws.path(path))?,
    };
    let location = if row.read_from.is_some() { shown.clone() } else { path.clone() };
    out.push_str(&format!("tracking: {}\n", truncate(&location, WIDTH - 10)));
    out.push_str(&format!(
        "progress: {}  {}/{} tasks  {} {} recorded\n",
        paint.bar(row.percent),
        row.tasks_done,
        row.tasks_total,
        row.commits_recorded,
        plural(row.commits_recorded, "commit", "commits"),
    ));
    out.push_str(&format!("last activity: {}\n", row.last_activity.as_deref().unwrap_or("-")));
    let doc = super::parse(&shown, &text)?;

    for phase in &doc.phases {
        let mut counts = Counts::default();
        phase.tasks.iter().for_each(|t| {
            counts.total += t.checkboxes.total;
            counts.checked += t.checkboxes.checked;
        });
        if phase.tasks.is_empty() {
            counts = phase.checkboxes;
        }
        let done = phase.tasks.iter().filter(|t| t.status == Some(Status::Complete)).count();
        let suffix = format!("  {}  {done}/{} tasks", paint.bar(counts.percent()), phase.tasks.len());
        let plain_suffix = 2 + 17 + 2 + format!("{done}/{} tasks", phase.tasks.len()).len();
        let name = format!("Phase {}: {}", phase.id, phase.name);
        out.push_str(&format!("\n{}{suffix}\n", truncate(&name, WIDTH.saturating_sub(plain_suffix))));
        let id_w = phase.tasks.iter().map(|t| t.id.chars().count()).max().unwrap_or(0);
        for task in &phase.tasks {
            let status = task.status.map_or("-", Status::as_str);
            let room = WIDTH.saturating_sub(2 + id_w + 2 + 2 + status.len());
            out.push_str(&format!(
                "  {}  {}  {}\n",
                pad(&task.id, id_w),
                pad(&truncate(&task.name, room), room.min(name_width(phase))),
                paint.status(task.status.map(Status::as_str), status),
            ));
        }
    }

    let blockers = blockers(&doc);
    out.push_str("\nblockers:");
    if blockers.is_empty() {
        out.push_str(" none\n");
    } else {
        out.push('\n');
        blockers.iter().for_each(|b| out.push_str(&format!("  - {}\n", truncate(b, WIDTH - 4))));
    }
    let next = next_steps(&doc);
    out.push_str("next steps:");
    if next.is_empty() {
        out.push_str(" none\n");
    } else {
        out.push('\n');
        next.iter().for_each(|n| out.push_str(&format!("  - {}\n", truncate(n, WIDTH - 4))));
    }
    out.push_str("tests:");
    if doc.test_status.is_empty() {
        out.push_str(" none recorded\n");
    } else {
        out.push('\n');
        for t in &doc.test_status {
            let n = |v: Option<u64>| v.map_or("?".to_string(), |v| v.to_string());
            let line = format!(
                "{}: {} passing / {} {}",
                t.label,
                n(t.passing),
                n(t.total),
                if t.planned { "planned" } else { "total" }
            );
            out.push_str(&format!("  {}\n", truncate(&line, WIDTH - 2)));
        }
    }

    match unrecorded(ws, &doc, row, path) {
        Ok(Some(commits)) if commits.is_empty() => {
            out.push_str("not recorded: none (every commit of the branch is recorded)\n");
        }
        Ok(Some(commits)) => {
            out.push_str(&format!(
                "not recorded: {} {} on the branch (`git milestone sync` records them)\n",
                commits.len(),
                plural(commits.len(), "commit", "commits")
            ));
            for (short, subject) in commits {
                out.push_str(&format!("  {}\n", truncate(&format!("{short}  {subject}"), WIDTH - 2)));
            }
        }
        Ok(None) => out.push_str("not recorded: unknown (the branch is not in this repository)\n"),
        Err(e) => out.push_str(&format!("not recorded: unknown ({e})\n")),
    }
    ui.out(&out)?;
    Ok(())
}

fn name_width(phase: &crate::document::Phase) -> usize {
    phase.tasks.iter().map(|t| t.name.chars().count()).max().unwrap_or(0)
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}

/// Returns the open blockers: the unticked list items of a `Blockers` section, and a
/// `Blockers` label's value and the list items under it, leaving out "None".
pub(super) fn blockers(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for section in doc.sections.iter().filter(|s| doc.section_text(s).trim().eq_ignore_ascii_case("blockers"))
    {
        out.extend(items_in(doc, section.range.clone(), false));
    }
    let labels = crate::document::header::label_lines(doc, 0..doc.text.len());
    for (i, label) in labels.iter().enumerate() {
        if !label.label.trim().eq_ignore_ascii_case("blockers") {
            continue;
        }
        let value = crate::document::header::plain_value(&doc.text[label.value_range.clone()]);
        if !value.trim().is_empty() {
            out.push(value.trim().to_string());
        }
        out.extend(items_in(doc, under_label(doc, labels, i), false));
    }
    out.retain(|b| !is_none(b));
    out.dedup();
    out
}

/// Returns the unticked items under the `Next Steps` label of the newest progress-log entry.
fn next_steps(doc: &Document) -> Vec<String> {
    let Some(entry) = newest_entry(doc) else { return Vec::new() };
    let section = &doc.sections[entry.section];
    let labels = crate::document::header::label_lines(doc, section.range.clone());
    let Some(i) = labels.iter().position(|l| l.label.trim().eq_ignore_ascii_case("next steps")) else {
        return Vec::new();
    };
    let mut range = under_label(doc, labels, i);
    range.end = range.end.min(section.range.end);
    // Only up to the next heading: the entry's own part.
    if let Some(next) = doc.outline.headings.iter().find(|h| h.range.start > section.range.start) {
        range.end = range.end.min(next.range.start);
    }
    items_in(doc, range, true).into_iter().filter(|s| !is_none(s)).collect()
}

/// Returns the bytes under label `labels[i]`: to the next label, heading, or the end.
fn under_label(
    doc: &Document,
    labels: &[crate::document::header::LabelLine],
    i: usize,
) -> std::ops::Range<usize> {
    let start = labels[i].value_range.end;
    let mut end = labels.get(i + 1).map_or(doc.text.len(), |l| l.label_range.start);
    if let Some(h) = doc.outline.headings.iter().find(|h| h.range.start >= start) {
        end = end.min(h.range.start);
    }
    start..end.max(start)
}

/// Returns the text of the list items that start in `range`: unticked task items, and plain
/// items unless `tasks_only`.
fn items_in(doc: &Document, range: std::ops::Range<usize>, tasks_only: bool) -> Vec<String> {
    doc.outline
        .items
        .iter()
        .filter(|item| range.contains(&item.range.start))
        .filter(|item| match &item.task {
            Some(task) => !task.checked,
            None => !tasks_only,
        })
        .map(|item| item.text.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether a blocker or step reads as "none".
fn is_none(text: &str) -> bool {
    let lower = text.trim().trim_end_matches('.').to_lowercase();
    lower == "none"
        || lower.starts_with("none ")
        || lower.starts_with("none,")
        || lower == "-"
        || lower == "n/a"
}

/// Returns the branch's commits the document does not record under a task, as (short id,
/// subject), oldest first; None when the branch cannot be found.
fn unrecorded(
    ws: &Workspace,
    doc: &Document,
    row: &Row,
    path: &str,
) -> Result<Option<Vec<(String, String)>>, Error> {
    let Some(branch) = &row.branch else { return Ok(None) };
    let tip = if let Some((_, tip)) = &row.read_from {
        *tip
    } else if ws.repo.current_branch().as_deref() == Some(branch.as_str()) {
        ws.repo.head_commit()?.id()
    } else {
        match ws.repo.resolve(&format!("refs/heads/{branch}")) {
            Ok(tip) => tip,
            Err(_) => return Ok(None),
        }
    };
    let history = BranchHistory::read_at(&ws.repo, &ws.config, path, tip, HashMap::new())?;
    let elsewhere = |_: &str| Elsewhere::Keep;
    let index = History::new(&history.commits, &elsewhere, true);
    let recorded: HashSet<usize> = recorded_hashes(doc).iter().filter_map(|h| index.by_hash(h)).collect();
    Ok(Some(
        history
            .commits
            .iter()
            .enumerate()
            .filter(|(i, _)| !recorded.contains(i))
            .map(|(_, c)| (c.short.clone(), c.subject.clone()))
            .collect(),
    ))
}
