//! STUB: replaced by the real module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status { NotStarted, Planned, InProgress, Blocked, Deferred, Complete, RolledBack }
impl Status {
    pub fn as_str(self) -> &'static str { match self { Status::NotStarted => "not_started", Status::Planned => "planned", Status::InProgress => "in_progress", Status::Blocked => "blocked", Status::Deferred => "deferred", Status::Complete => "complete", Status::RolledBack => "rolled_back" } }
    pub fn from_name(s: &str) -> Option<Status> { recognize(s) }
    pub fn is_done(self) -> bool { self == Status::Complete }
}
pub fn recognize(text: &str) -> Option<Status> {
    let t = text.to_lowercase();
    if t.contains("not started") || t.contains("not_started") { return Some(Status::NotStarted) }
    if t.contains("in progress") || t.contains("in_progress") { return Some(Status::InProgress) }
    if t.contains("complete") || t.contains("done") { return Some(Status::Complete) }
    if t.contains("planned") { return Some(Status::Planned) }
    if t.contains("blocked") { return Some(Status::Blocked) }
    None
}
pub fn demojibake(text: &str) -> std::borrow::Cow<'_, str> { std::borrow::Cow::Borrowed(text) }
#[derive(Debug, Clone, Default)]
pub struct StatusStyle;
impl StatusStyle {
    pub fn learn<'a>(_texts: impl IntoIterator<Item = &'a str>) -> StatusStyle { StatusStyle }
    pub fn render(&self, status: Status) -> String { status.as_str().to_string() }
}
