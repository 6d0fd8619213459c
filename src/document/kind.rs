//! Which of the five forms a document is.

use serde::Serialize;

use super::Document;

/// The form of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A milestone tracking document (form 000).
    Tracking,
    /// A feature tracking document with TDD phases (form 001).
    FeatureTracking,
    /// An implementation plan with YAML task blocks (form 002).
    Plan,
    /// A milestone plan (form 003).
    Milestone,
    /// An assigned milestone brief (form 004).
    MilestoneBrief,
    Unknown,
}

impl Kind {
    /// Returns the name used in JSON, configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Tracking => "tracking",
            Kind::FeatureTracking => "feature-tracking",
            Kind::Plan => "plan",
            Kind::Milestone => "milestone",
            Kind::MilestoneBrief => "milestone-brief",
            Kind::Unknown => "unknown",
        }
    }

    /// Returns the kind named `name`.
    pub fn from_name(name: &str) -> Option<Kind> {
        ALL.into_iter().chain([Kind::Unknown]).find(|k| k.as_str() == name)
    }
}

/// Every known form.
pub const ALL: [Kind; 5] =
    [Kind::Tracking, Kind::FeatureTracking, Kind::Plan, Kind::Milestone, Kind::MilestoneBrief];

/// Returns the form `doc` is in: a `git-milestone: KIND` marker comment or a frontmatter
/// `kind:` decides; otherwise the form whose telltale headings, fields and blocks it has most
/// of, when that is at least three of them.
pub(crate) fn recognize(doc: &Document) -> Kind {
    if let Some(kind) = marker(doc) {
        return kind;
    }
    // Phases, tasks and log entries say nothing of the form, and a large document is mostly them.
    let mut structural = vec![false; doc.sections.len()];
    let phase_parts = doc
        .phases
        .iter()
        .flat_map(|p| std::iter::once(p.section).chain(p.tasks.iter().filter_map(|t| t.section)));
    for i in phase_parts.chain(doc.progress_log.iter().map(|e| e.section)) {
        structural[i] = true;
    }
    let headings: Vec<String> = doc
        .sections
        .iter()
        .zip(&structural)
        .filter(|(_, skip)| !**skip)
        .map(|(s, _)| doc.section_text(s).to_ascii_lowercase())
        .collect();
    let has_heading = |needle: &str| headings.iter().any(|h| h.contains(needle));
    let has_field = |label: &str| doc.fields.iter().any(|f| f.label.eq_ignore_ascii_case(label));
    let title = doc.title.as_deref().unwrap_or_default().to_ascii_lowercase();
    let fm = |key: &str| {
        doc.frontmatter
            .as_ref()
            .and_then(|f| f.value.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_ascii_lowercase)
    };
    let heading_tasks = doc.phases.iter().flat_map(|p| &p.tasks).any(|t| t.source == "heading");
    let yaml_tasks = doc.plan_tasks.iter().any(|t| t.source == "yaml");
    let scores = [
        (
            Kind::Tracking,
            [
                title.contains("implementation tracking") && !title.contains("tracking:"),
                has_field("milestone"),
                has_heading("progress log"),
                has_heading("final checklist"),
                heading_tasks,
                has_field("branch") && has_field("started"),
            ],
        ),
        (
            Kind::FeatureTracking,
            [
                title.starts_with("implementation tracking:"),
                has_field("feature id"),
                has_heading("test-driven development") || has_heading("tdd phase"),
                has_heading("daily progress"),
                has_heading("acceptance criteria progress"),
                has_field("github issue"),
            ],
        ),
        (
            Kind::Plan,
            [
                title.contains("implementation plan"),
                has_heading("phase tracker"),
                has_heading("session log"),
                yaml_tasks,
                doc.tables.iter().any(|t| t.kind == "phase-tracker"),
                doc.tables.iter().any(|t| t.kind == "session-log"),
            ],
        ),
        (
            Kind::Milestone,
            [
                fm("type").as_deref() == Some("milestone"),
                has_heading("objectives"),
                has_heading("scope & deliverables") || has_heading("deliverables"),
                has_heading("rollback plan"),
                has_heading("task breakdown"),
                has_heading("success criteria"),
            ],
        ),
        (
            Kind::MilestoneBrief,
            [
                has_heading("milestone overview"),
                has_field("milestone name"),
                has_field("assigned agent") || has_field("assignee"),
                has_heading("acceptance criteria") && !has_heading("acceptance criteria progress"),
                has_heading("progress tracking") && has_heading("completed tasks"),
                has_field("current progress"),
            ],
        ),
    ];
    let (kind, score) = scores
        .iter()
        .map(|(k, hits)| (*k, hits.iter().filter(|h| **h).count()))
        .max_by_key(|(_, n)| *n)
        .unwrap_or((Kind::Unknown, 0));
    if score >= 3 { kind } else { Kind::Unknown }
}

/// Returns the kind an explicit marker names: `<!-- git-milestone: tracking -->` in the text,
/// or `kind: tracking` in the frontmatter.
fn marker(doc: &Document) -> Option<Kind> {
    let from_fm = doc
        .frontmatter
        .as_ref()
        .and_then(|f| f.value.get("kind"))
        .and_then(|v| v.as_str())
        .and_then(Kind::from_name);
    from_fm.or_else(|| {
        doc.outline.html_blocks.iter().find_map(|r| {
            let html = doc.text[r.clone()].trim();
            let inner = html.strip_prefix("<!--")?.trim_start().strip_prefix("git-milestone:")?;
            let name = inner.split_whitespace().next()?.trim_end_matches("-->");
            Kind::from_name(name)
        })
    })
}
