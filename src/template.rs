//! Document templates: the built-in ones (`templates/*.md`, embedded in the binary) and a
//! repository's own, and filling their `{{placeholders}}`.
//!
//! This module only finds and fills text; what goes into a placeholder is the caller's
//! business. It reads a repository's template folder when asked to, nothing else.

use std::collections::BTreeMap;
use std::path::Path;

/// The built-in templates, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("tracking", include_str!("../templates/tracking.md")),
    ("feature-tracking", include_str!("../templates/feature-tracking.md")),
    ("plan", include_str!("../templates/plan.md")),
    ("milestone", include_str!("../templates/milestone.md")),
    ("milestone-brief", include_str!("../templates/milestone-brief.md")),
];

/// The placeholders a template may use, with what fills them.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    ("id", "the milestone id, e.g. M7"),
    ("title", "the milestone's title"),
    ("date", "today, YYYY-MM-DD"),
    ("datetime", "now, YYYY-MM-DDTHH:MM:SS"),
    ("assignee", "git's user.name"),
    ("branch", "the feature branch"),
    ("base", "the branch it starts from"),
    ("surface", "the area of the code base (may be empty)"),
    ("slug", "the short name in the branch"),
    ("plan_path", "the plan document's path in the repository"),
    ("links", "the Quick Links list (tracking documents)"),
    ("overall_progress", "one `- [ ] Phase N: Name (0/M tasks)` line per phase (tracking documents)"),
    ("phases", "the phase and task sections made from the plan (tracking documents)"),
    ("first_task", "the first task's heading text (tracking documents)"),
];

/// A template could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("no template `{name}`")]
    Unknown { name: String, available: Vec<String> },
    #[error("cannot read template `{path}`: {message}")]
    Unreadable { path: String, message: String },
}

impl Error {
    /// Returns how to fix it.
    pub fn hint(&self) -> String {
        match self {
            Error::Unknown { available, .. } => format!("the templates are: {}", available.join(", ")),
            Error::Unreadable { .. } => "check the file is readable UTF-8 Markdown".into(),
        }
    }
}

/// Returns the template `name`: `folder/NAME.md` of the repository when it has one, else the
/// built-in one.
///
/// # Errors
///
/// Fails when there is no such template or the repository's file cannot be read.
pub fn find(name: &str, folder: Option<&Path>, shown_folder: Option<&str>) -> Result<String, Error> {
    let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid && let Some(folder) = folder {
        let path = folder.join(format!("{name}.md"));
        if path.is_file() {
            let shown = format!("{}/{name}.md", shown_folder.unwrap_or_default());
            let bytes = std::fs::read(&path)
                .map_err(|e| Error::Unreadable { path: shown.clone(), message: e.to_string() })?;
            return String::from_utf8(bytes)
                .map_err(|_| Error::Unreadable { path: shown, message: "not UTF-8".into() });
        }
    }
    if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
        return Ok((*text).to_string());
    }
    Err(Error::Unknown { name: name.to_string(), available: names(folder) })
}

/// Returns every template name: the built-in ones and the repository's own.
pub fn names(folder: Option<&Path>) -> Vec<String> {
    let mut names: Vec<String> = BUILT_IN.iter().map(|(n, _)| (*n).to_string()).collect();
    if let Some(Ok(entries)) = folder.map(std::fs::read_dir) {
        for entry in entries.flatten() {
            let file = entry.file_name();
            if let Some(stem) = file.to_str().and_then(|f| f.strip_suffix(".md")) {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Returns `template` with every `{{name}}` that `values` has replaced, and the names of the
/// placeholders left in it, in order of first appearance.
pub fn fill(template: &str, values: &BTreeMap<&str, String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(template.len() + 256);
    let mut left = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &after[..close];
        let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        match values.get(name) {
            Some(value) if is_name => out.push_str(value),
            _ => {
                if is_name && !left.iter().any(|l| l == name) {
                    left.push(name.to_string());
                }
                out.push_str(&rest[open..open + 2 + close + 2]);
            }
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    (out, left)
}

/// Returns `template` filled as [`fill`] does, except that values landing in its YAML
/// frontmatter are escaped for a double-quoted YAML string, as the templates write them
/// (`title: "{{title}}"`), so a `"` in a title cannot break the frontmatter.
pub fn fill_document(template: &str, values: &BTreeMap<&str, String>) -> (String, Vec<String>) {
    let Some(fm) = crate::document::yaml::find_frontmatter(template, 0) else {
        return fill(template, values);
    };
    let escaped: BTreeMap<&str, String> =
        values.iter().map(|(k, v)| (*k, v.replace('\\', "\\\\").replace('"', "\\\""))).collect();
    let (mut out, mut left) = fill(&template[..fm.range.end], &escaped);
    let (body, more) = fill(&template[fm.range.end..], values);
    out.push_str(&body);
    for name in more {
        if !left.contains(&name) {
            left.push(name);
        }
    }
    (out, left)
}

/// Returns the placeholders still in the header of a filled document (the text before its
/// first level-2 heading), for a warning.
pub fn unfilled_in_header(text: &str) -> Vec<String> {
    let header_end = text.find("\n## ").map_or(text.len(), |i| i + 1);
    fill(&text[..header_end], &BTreeMap::new()).1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_and_the_rest_reported() {
        let values = BTreeMap::from([("id", "M7".to_string()), ("title", "Rate limits".to_string())]);
        let (out, left) = fill("# {{id}} {{title}} {{assignee}} {{ id }} {{id}} {x", &values);
        assert_eq!(out, "# M7 Rate limits {{assignee}} {{ id }} M7 {x");
        assert_eq!(left, ["assignee"]);
    }

    #[test]
    fn values_in_frontmatter_are_escaped_for_yaml() {
        let values = BTreeMap::from([("title", "Say \"hi\" \\o/".to_string())]);
        let (out, _) = fill_document("---\ntitle: \"{{title}}\"\n---\n# {{title}}\n", &values);
        assert_eq!(out, "---\ntitle: \"Say \\\"hi\\\" \\\\o/\"\n---\n# Say \"hi\" \\o/\n");
        let fm = crate::document::yaml::to_json("title: \"Say \\\"hi\\\" \\\\o/\"").expect("valid");
        assert_eq!(fm["title"], "Say \"hi\" \\o/");
    }

    #[test]
    fn unfilled_placeholders_are_found_in_the_header_only() {
        let text = "# M7\n\n**Assignee:** {{assignee}}\n\n## Phase 1\n{{phases}}\n";
        assert_eq!(unfilled_in_header(text), ["assignee"]);
    }

    #[test]
    fn every_built_in_template_is_found_and_uses_known_placeholders_only() {
        for (name, _) in BUILT_IN {
            let text = find(name, None, None).expect("built in");
            let (_, left) = fill(&text, &BTreeMap::new());
            for placeholder in left {
                assert!(
                    PLACEHOLDERS.iter().any(|(p, _)| *p == placeholder),
                    "{name} uses unknown {{{{{placeholder}}}}}"
                );
            }
        }
        assert!(matches!(find("nope", None, None), Err(Error::Unknown { .. })));
    }
}
