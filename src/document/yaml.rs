//! STUB: replaced by the real module.
use crate::markdown::Edit;
use std::ops::Range;
pub struct Frontmatter {
    pub range: Range<usize>,
    pub body: Range<usize>,
}
pub fn find_frontmatter(text: &str, start: usize) -> Option<Frontmatter> {
    let rest = &text[start..];
    let first = rest.find('\n')?;
    if rest[..first].trim_end() != "---" {
        return None;
    }
    let mut at = first + 1;
    while at < rest.len() {
        let end = rest[at..].find('\n').map_or(rest.len(), |i| at + i + 1);
        let line = rest[at..end].trim_end();
        if line == "---" || line == "..." {
            return Some(Frontmatter {
                range: start..start + end,
                body: start + first + 1..start + at,
            });
        }
        at = end;
    }
    None
}
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}
pub fn to_json(src: &str) -> Result<serde_json::Value, YamlError> {
    let _ = src;
    Ok(serde_json::Value::Null)
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}
pub fn parse_path(s: &str) -> Result<Vec<Seg>, String> {
    Ok(s.split('.').map(|k| Seg::Key(k.to_string())).collect())
}
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    #[error(transparent)]
    Yaml(#[from] YamlError),
    #[error("no `{path}`")]
    NotFound { path: String },
    #[error("`{path}` is not a scalar")]
    NotAScalar { path: String, line: usize },
}
pub fn set_scalar(src: &str, path: &[Seg], value: &str) -> Result<Edit, SetError> {
    let _ = (src, value);
    Err(SetError::NotFound {
        path: format!("{path:?}"),
    })
}
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckItem {
    pub name: String,
    pub value: bool,
    pub line: usize,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub status: Option<String>,
    pub items: Vec<CheckItem>,
    pub status_line: Option<usize>,
}
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTask {
    pub path: Vec<Seg>,
    pub line: usize,
    pub id: String,
    pub service_name: Option<String>,
    pub priority: Option<String>,
    pub dependents: Option<String>,
    pub pre_check: Option<Check>,
    pub post_check: Option<Check>,
    pub status: Option<String>,
    pub started: Option<String>,
    pub completed: Option<String>,
}
pub fn plan_tasks(src: &str) -> Result<Vec<PlanTask>, YamlError> {
    let _ = src;
    Ok(Vec::new())
}
