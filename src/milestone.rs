//! Milestones: their ids and slugs, what a plan document says about one (title, surface,
//! phases and tasks), and the phase and task sections of a new tracking document.
//!
//! Pure functions over text; the commands do the reading and writing.

use std::fmt::Write as _;

use crate::document::{Document, Kind, Status};

/// Why an id, slug or surface cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what} `{value}`: {reason}")]
pub struct NameError {
    pub what: &'static str,
    pub value: String,
    pub reason: &'static str,
}

/// Checks a milestone id: letters, digits, `-`, `_` and `.`; no `..`; not starting with `-`
/// or `.`; at most 64 characters.
///
/// # Errors
///
/// Says which rule it breaks.
pub fn check_id(id: &str) -> Result<(), NameError> {
    check_name("milestone id", id, 64)
}

/// Checks a slug or surface by the same rules as an id.
///
/// # Errors
///
/// Says which rule it breaks.
pub fn check_part(what: &'static str, value: &str) -> Result<(), NameError> {
    check_name(what, value, 64)
}

fn check_name(what: &'static str, value: &str, max: usize) -> Result<(), NameError> {
    let fail = |reason| Err(NameError { what, value: value.to_string(), reason });
    if value.is_empty() {
        return fail("it is empty");
    }
    if value.chars().count() > max {
        return fail("it is longer than 64 characters");
    }
    if !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return fail("only letters, digits, `-`, `_` and `.` are allowed");
    }
    if value.starts_with('-') || value.starts_with('.') {
        return fail("it may not start with `-` or `.`");
    }
    if value.contains("..") {
        return fail("it may not contain `..`");
    }
    if value.ends_with(".lock") || value.ends_with('.') {
        return fail("it may not end with `.` or `.lock`");
    }
    Ok(())
}

/// Returns a slug of `title`: lowercase ASCII letters and digits joined by `-`, at most 40
/// characters, cut at a word boundary.
pub fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for word in title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let word = word.to_ascii_lowercase();
        if !slug.is_empty() && slug.len() + 1 + word.len() > 40 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word[..word.len().min(40)]);
    }
    slug
}

/// Returns a branch name from `pattern` (`{surface}`, `{id}`, `{slug}`).
pub fn branch_name(pattern: &str, id: &str, surface: &str, slug: &str) -> String {
    pattern.replace("{surface}", surface).replace("{id}", id).replace("{slug}", slug)
}

/// A phase of a new tracking document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPhase {
    pub name: String,
    pub goal: Option<String>,
    pub tasks: Vec<String>,
}

/// What a plan document says about its milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub title: Option<String>,
    pub surface: Option<String>,
    pub status: Option<Status>,
    pub phases: Vec<PlannedPhase>,
}

/// Returns what the plan `doc` of milestone `id` says: its title (a `Milestone Name` field, a
/// frontmatter `title`, or its first heading without `Milestone ID:` in front), its surface
/// (a `Component` or `Surface` field, or frontmatter `surface` / `component`), its status, and
/// its work: phases with their tasks or activities, else the task breakdown, else the
/// deliverables, as one phase.
pub fn read_plan(doc: &Document, id: &str) -> Plan {
    let fm = |key: &str| {
        doc.frontmatter.as_ref().and_then(|f| f.value.get(key)).and_then(|v| v.as_str()).map(str::to_string)
    };
    let field = |label: &str| doc.field(label).map(|f| f.value.clone()).filter(|v| !is_placeholder(v));
    let title = field("Milestone Name")
        .or_else(|| fm("title"))
        .or_else(|| doc.title.as_deref().map(|t| strip_milestone_prefix(t, id)))
        .filter(|t| !t.is_empty() && !is_placeholder(t));
    let surface = field("Surface")
        .or_else(|| field("Component"))
        .or_else(|| field("Area"))
        .or_else(|| fm("surface"))
        .or_else(|| fm("component"))
        .or_else(|| fm("area"))
        .map(|s| crate::milestone::slugify(&s))
        .filter(|s| !s.is_empty());
    let status = doc
        .field("Status")
        .and_then(|f| crate::document::status::recognize(&f.value))
        .or_else(|| fm("status").and_then(|s| crate::document::status::recognize(&s)));
    Plan { title, surface, status, phases: planned_phases(doc) }
}

fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('[') && t.ends_with(']')) || t.contains("{{") || t.is_empty()
}

/// Returns `title` without a leading `Milestone`, the id and a separator.
fn strip_milestone_prefix(title: &str, id: &str) -> String {
    let mut t = title.trim();
    if let Some(rest) = t.strip_prefix("Milestone").or_else(|| t.strip_prefix("milestone")) {
        t = rest.trim_start();
    }
    if let Some(rest) = t.strip_prefix(id) {
        t = rest.trim_start();
    }
    t.trim_start_matches([':', '—', '–', '-']).trim().to_string()
}

fn planned_phases(doc: &Document) -> Vec<PlannedPhase> {
    let item_texts = |range: std::ops::Range<usize>| -> Vec<String> {
        doc.outline
            .items
            .iter()
            .filter(|i| i.task.is_some() && range.contains(&i.range.start))
            .map(|i| clean_task(&i.text))
            .filter(|t| !t.is_empty() && !is_placeholder(t))
            .collect()
    };
    let phases: Vec<PlannedPhase> = doc
        .phases
        .iter()
        .map(|p| {
            let section = &doc.sections[p.section];
            let tasks: Vec<String> = if p.tasks.is_empty() {
                item_texts(section.range.clone())
            } else {
                p.tasks.iter().map(|t| t.name.to_string()).collect()
            };
            let goal = doc
                .labels_in(section.range.clone())
                .find(|(label, _)| label.eq_ignore_ascii_case("goal"))
                .map(|(_, value)| value)
                .filter(|v| !is_placeholder(v));
            PlannedPhase { name: p.name.to_string(), goal, tasks }
        })
        .filter(|p| !is_placeholder(&p.name))
        .collect();
    if !phases.is_empty() {
        return phases;
    }
    for heading in ["task breakdown", "deliverables"] {
        if let Some(section) =
            doc.sections.iter().find(|s| doc.section_text(s).to_ascii_lowercase().contains(heading))
        {
            let tasks = item_texts(section.range.clone());
            if !tasks.is_empty() {
                return vec![PlannedPhase { name: "Implementation".into(), goal: None, tasks }];
            }
        }
    }
    Vec::new()
}

/// Returns a plan's task text without its `Task N:` number and `(Estimated: ...)` note.
fn clean_task(text: &str) -> String {
    let mut t = text.trim();
    if let Some((num, rest)) = t.strip_prefix("Task ").and_then(|r| r.split_once(':'))
        && num.trim().chars().all(|c| c.is_ascii_digit() || c == '.')
    {
        t = rest.trim();
    }
    if let Some(open) = t.rfind('(') {
        let note = t[open..].to_ascii_lowercase();
        if note.starts_with("(estimated") || note.starts_with("(est.") {
            t = t[..open].trim_end();
        }
    }
    t.to_string()
}

/// Returns the phase and task sections of a new tracking document (form 000 shape), the
/// first task marked In Progress so that the first commits have a home.
pub fn phases_markdown(phases: &[PlannedPhase]) -> String {
    let mut s = String::new();
    for (p, phase) in phases.iter().enumerate() {
        let p = p + 1;
        let _ = write!(s, "## Phase {p}: {}\n\n", phase.name);
        let goal = phase.goal.as_deref().unwrap_or("[what this phase achieves]");
        let _ = write!(s, "**Goal:** {goal}\n\n");
        for (t, task) in phase.tasks.iter().enumerate() {
            let status = if p == 1 && t == 0 { "🔄 In Progress" } else { "⏳ Not Started" };
            let _ = write!(
                s,
                "### Task {p}.{}: {task}\n\n**Checklist:**\n- [ ] {task}\n\n**Commits:**\n\n**Status:** {status}\n\n---\n\n",
                t + 1
            );
        }
        if phase.tasks.is_empty() {
            s.push_str("---\n\n");
        }
    }
    s
}

/// Returns the Overall Progress lines, one per phase.
pub fn overall_progress(phases: &[PlannedPhase]) -> String {
    let lines: Vec<String> = phases
        .iter()
        .enumerate()
        .map(|(i, p)| format!("- [ ] Phase {}: {} (0/{} tasks)", i + 1, p.name, p.tasks.len()))
        .collect();
    lines.join("\n")
}

/// Returns the phases of a milestone that has no plan: one phase with one task, its title.
pub fn phases_without_plan(title: &str) -> Vec<PlannedPhase> {
    vec![PlannedPhase { name: "Implementation".into(), goal: None, tasks: vec![title.to_string()] }]
}

/// Returns the path of `to` relative to the folder `from_dir` (both relative to the same
/// root, `/`-separated), for a Markdown link.
pub fn relative_link(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let to_parts: Vec<&str> = to.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Returns whether a document of `kind` is a plan document that `new` and `list` deal in.
pub fn is_plan_kind(kind: Kind) -> bool {
    matches!(kind, Kind::Milestone | Kind::MilestoneBrief | Kind::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_rules() {
        for good in ["M7", "v1.2", "API_limits-2", "a"] {
            assert_eq!(check_id(good), Ok(()), "{good}");
        }
        let long = "a".repeat(65);
        for bad in ["", "-x", ".x", "a..b", "a/b", "a b", "ä", "x.lock", long.as_str()] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slugs_are_short_lowercase_words() {
        assert_eq!(slugify("Rate limits for the public API!"), "rate-limits-for-the-public-api");
        assert_eq!(slugify("  Ünïcode & stuff  "), "n-code-stuff");
        assert_eq!(
            slugify("a very long title that goes on and on and on forever"),
            "a-very-long-title-that-goes-on-and-on"
        );
        assert_eq!(
            branch_name("feature/{surface}-{id}/{slug}", "M7", "api", "rate-limits"),
            "feature/api-M7/rate-limits"
        );
    }

    #[test]
    fn links_are_relative_to_the_tracking_folder() {
        assert_eq!(relative_link("docs/milestones/tracking", "docs/milestones/M7.md"), "../M7.md");
        assert_eq!(relative_link("", "M7.md"), "M7.md");
        assert_eq!(relative_link("a/b", "c/d.md"), "../../c/d.md");
    }

    #[test]
    fn a_plans_title_surface_and_work_are_read() {
        let text = "---\ntype: milestone\nstatus: planned\ncomponent: Public API\n---\n\n# Milestone M7: Rate limits\n\n## Overview\n**Status**: ⏳ Planned\n\n### Task Breakdown\n\n- [ ] Task 1: Token bucket (Estimated: 3 hours)\n- [ ] Task 2: Headers (Estimated: 1 hour)\n";
        let doc = Document::parse(text).expect("parses");
        let plan = read_plan(&doc, "M7");
        assert_eq!(plan.title.as_deref(), Some("Rate limits"));
        assert_eq!(plan.surface.as_deref(), Some("public-api"));
        assert_eq!(plan.status, Some(Status::Planned));
        assert_eq!(
            plan.phases,
            [PlannedPhase {
                name: "Implementation".into(),
                goal: None,
                tasks: vec!["Token bucket".into(), "Headers".into()]
            }]
        );
    }

    #[test]
    fn a_briefs_phases_and_activities_become_phases_and_tasks() {
        let text = "# Milestone Template\n\n## Milestone Overview\n**Milestone Name**: Search\n**Component**: backend\n\n## Implementation Plan\n### Phase 1: Design\n**Activities**:\n- [ ] Schema\n- [ ] Review\n\n### Phase 2: Build\n**Activities**:\n- [ ] Indexer\n";
        let doc = Document::parse(text).expect("parses");
        let plan = read_plan(&doc, "S1");
        assert_eq!(plan.title.as_deref(), Some("Search"));
        assert_eq!(plan.surface.as_deref(), Some("backend"));
        assert_eq!(plan.phases.len(), 2);
        assert_eq!(plan.phases[0].tasks, ["Schema", "Review"]);
        assert_eq!(plan.phases[1].name, "Build");
    }

    #[test]
    fn generated_phases_read_back_as_phases_and_tasks() {
        let phases = vec![
            PlannedPhase {
                name: "Buckets".into(),
                goal: Some("count requests".into()),
                tasks: vec!["Bucket".into(), "Router".into()],
            },
            PlannedPhase { name: "Docs".into(), goal: None, tasks: vec!["Guide".into()] },
        ];
        let text = format!("# M7\n\n{}\n\n{}", overall_progress(&phases), phases_markdown(&phases));
        let doc = Document::parse(&text).expect("parses");
        type Tasks = Vec<(String, Option<Status>)>;
        let got: Vec<(String, Tasks)> = doc
            .phases
            .iter()
            .map(|p| (p.name.to_string(), p.tasks.iter().map(|t| (t.name.to_string(), t.status)).collect()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Buckets".into(),
                    vec![
                        ("Bucket".into(), Some(Status::InProgress)),
                        ("Router".into(), Some(Status::NotStarted))
                    ]
                ),
                ("Docs".into(), vec![("Guide".into(), Some(Status::NotStarted))]),
            ]
        );
        assert_eq!(doc.task_counts.len(), 2);
    }
}
