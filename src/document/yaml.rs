//! YAML inside milestone documents: frontmatter blocks and fenced task blocks.
//!
//! This module owns reading YAML (with saphyr's span-annotated loader, [`MarkedYaml`]) and
//! *surgical* edits of it. A change to one value is a single [`Edit`] that replaces exactly the
//! bytes of that value's scalar, or inserts one new `key: value` line. It must never
//! re-serialize a user's YAML: comments, key order, indentation, quoting and line endings
//! outside the edited scalar stay byte for byte as they were. It takes `&str` and returns
//! data; it never reads files and knows nothing of Markdown beyond the frontmatter
//! delimiters.
//!
//! What saphyr 0.3 spans look like (checked by the tests here), and how this module copes:
//! - `Marker::index` counts characters, not bytes: every index goes through a char-to-byte
//!   table (skipped for ASCII input). Lines are 1-based, columns 0-based characters.
//! - Plain scalars: the span is exact, without trailing spaces or a trailing comment.
//! - Quoted scalars: the span starts at the opening quote but may run past the closing one,
//!   over trailing spaces and even a trailing comment, so the end is found by scanning the
//!   quotes here.
//! - Block scalars (`|`, `>`): the span starts at the first content character (or at the
//!   node's anchor/tag when it has one) and ends at the next token, trailing blank lines
//!   and that token's indentation included, so the header is found by scanning forward from
//!   the `:` or `-` that introduces the node and the content end by scanning back.
//! - Anchors and tags are inside a node's span; an alias's span is the `*name` text while its
//!   children keep the anchored node's spans. An empty value (`key:`) has an empty span at
//!   the end of its key, before the `:`.
//! - Scan errors at the end of input point one line past it; they are reported at the end of
//!   the last non-blank character instead. A duplicated key is an error.
//!
//! saphyr does not re-export its event parser (`saphyr_parser::Parser`), so this module
//! uses the [`MarkedYaml`] loader, whose nodes carry the event spans.

use std::borrow::Cow;
use std::ops::Range;

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, ScanError, YamlData};
use serde_json::{Map, Value};

use crate::markdown::Edit;

/// A YAML frontmatter block at the start of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frontmatter {
    /// From the start of the opening `---` line to the end of the closing delimiter line,
    /// including that line's line ending.
    pub range: Range<usize>,
    /// The YAML between the delimiter lines; may be empty.
    pub body: Range<usize>,
}

/// Finds a frontmatter block whose opening `---` line starts at byte `start`.
///
/// `start` is where the document proper begins (after a UTF-8 BOM, if any). The opening
/// line must be exactly `---` (trailing spaces and tabs allowed) ended by LF or CRLF; the
/// block ends at the first later line that is `---` or `...` (trailing spaces and tabs
/// allowed). Returns `None` without a closing line. Does not parse the YAML.
pub fn find_frontmatter(text: &str, start: usize) -> Option<Frontmatter> {
    let rest = text.get(start..)?;
    let first_break = rest.find('\n')?;
    if !is_delimiter(&rest[..first_break], "---") {
        return None;
    }
    let body_start = start + first_break + 1;
    let mut line_start = body_start;
    while line_start < text.len() {
        let (content_end, next) = match text[line_start..].find('\n') {
            Some(i) => (line_start + i, line_start + i + 1),
            None => (text.len(), text.len()),
        };
        let line = &text[line_start..content_end];
        if is_delimiter(line, "---") || is_delimiter(line, "...") {
            return Some(Frontmatter { range: start..next, body: body_start..line_start });
        }
        line_start = next;
    }
    None
}

/// Whether `line` (without its `\n`) is `marker` followed only by spaces, tabs and a `\r`.
fn is_delimiter(line: &str, marker: &str) -> bool {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.strip_prefix(marker).is_some_and(|tail| tail.bytes().all(|b| b == b' ' || b == b'\t'))
}

/// Malformed YAML, with the position of the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (line {line}, column {column})")]
pub struct YamlError {
    /// 1-based line in the source given.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What the parser found wrong.
    pub message: String,
}

/// Why [`set_scalar`] could not make its edit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetError {
    /// The source is not valid YAML.
    #[error(transparent)]
    Yaml(#[from] YamlError),
    /// A key or index before the last segment of the path does not exist.
    #[error("`{path}` does not exist")]
    NotFound {
        /// The path up to and including the first segment that is missing.
        path: String,
    },
    /// The path names a mapping or a sequence, not a scalar.
    #[error("`{path}` (line {line}) is a mapping or sequence, not a single value")]
    NotAScalar {
        /// The path asked for.
        path: String,
        /// 1-based line where that node starts.
        line: usize,
    },
    /// The last key is missing and its parent cannot take a new key line.
    #[error("cannot add `{path}`: its parent (line {line}) is {reason}")]
    CannotInsert {
        /// The path asked for.
        path: String,
        /// 1-based line of the parent node.
        line: usize,
        /// What the parent is instead of a block mapping.
        reason: String,
    },
    /// The path goes through an alias (`*name`), whose bytes are not the value's own.
    #[error("`{path}` goes through the alias at line {line}; edit the anchored node instead")]
    ThroughAlias {
        /// The path asked for.
        path: String,
        /// 1-based line of the alias.
        line: usize,
    },
}

/// One step of a path into a YAML document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index (also matches a mapping key written as that number).
    Index(usize),
}

/// Parses a dotted path such as `a.b`, `tags[0]`, `tags.0` or `custom_fields.last_updated`.
///
/// Keys are any characters but `.`, `[` and `]` (so `last-updated` works); a segment made
/// only of ASCII digits is an index. The error text says what is wrong and where.
pub fn parse_path(s: &str) -> Result<Vec<Seg>, String> {
    if s.is_empty() {
        return Err("empty path".to_owned());
    }
    let bytes = s.as_bytes();
    let mut segs = Vec::new();
    let mut i = 0;
    loop {
        // One dot-separated part: an optional key, then any number of `[N]`.
        let key_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'.' | b'[' | b']') {
            i += 1;
        }
        let key = &s[key_start..i];
        if !key.is_empty() {
            segs.push(number_or_key(key));
        } else if key_start > 0 || bytes.get(i) != Some(&b'[') {
            let what = match bytes.get(i) {
                None if key_start > 0 => "path ends with '.'".to_owned(),
                Some(b']') => format!("unexpected ']' at byte {i}"),
                _ => format!("empty key at byte {key_start}"),
            };
            return Err(format!("invalid path `{s}`: {what}"));
        }
        while bytes.get(i) == Some(&b'[') {
            let close = s[i..]
                .find(']')
                .map(|j| i + j)
                .ok_or_else(|| format!("invalid path `{s}`: unclosed '[' at byte {i}"))?;
            let inner = &s[i + 1..close];
            let index = inner.parse::<usize>().ok().filter(|_| inner.bytes().all(|b| b.is_ascii_digit()));
            match index {
                Some(n) => segs.push(Seg::Index(n)),
                None => {
                    return Err(format!(
                        "invalid path `{s}`: index `{inner}` at byte {} is not a non-negative integer",
                        i + 1
                    ));
                }
            }
            i = close + 1;
        }
        match bytes.get(i) {
            None => return Ok(segs),
            Some(b'.') => i += 1,
            Some(_) => {
                return Err(format!(
                    "invalid path `{s}`: expected '.' or '[' at byte {i}, found `{}`",
                    &s[i..].chars().next().map_or(String::new(), String::from)
                ));
            }
        }
    }
}

/// A key made only of ASCII digits is an index; anything else is a key.
fn number_or_key(key: &str) -> Seg {
    if key.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = key.parse()
    {
        return Seg::Index(n);
    }
    Seg::Key(key.to_owned())
}

/// Formats a path the way [`parse_path`] reads it, e.g. `phase_1_tasks[0].workflow`.
pub fn format_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// How a scalar is written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted (also used for an empty value and for an alias `*name`).
    Plain,
    /// `'...'`
    SingleQuoted,
    /// `"..."`
    DoubleQuoted,
    /// `|` block scalar.
    Literal,
    /// `>` block scalar.
    Folded,
}

/// Where a scalar is written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarSpan {
    /// Byte offsets of the scalar as written: quotes included; for a block scalar from the
    /// `|` or `>` to the end of its last non-blank content line (line break excluded); for a
    /// plain scalar without trailing spaces or comment; empty (just after the `:` or `-`)
    /// for an empty value. An anchor or tag before the scalar is not included.
    pub range: Range<usize>,
    /// How it is written.
    pub style: ScalarStyle,
    /// 1-based line of `range.start`.
    pub line: usize,
}

/// Returns the first document of `src` as JSON.
///
/// Mappings keep their order; non-string keys become their source text (`1.50`, `true`);
/// aliases are resolved; timestamps stay strings; infinities and NaN become `.inf`, `-.inf`
/// and `.nan` strings. Empty or comment-only `src` gives `Null`.
pub fn to_json(src: &str) -> Result<Value, YamlError> {
    let doc = Doc::parse(src)?;
    match &doc.root {
        None => Ok(Value::Null),
        Some(root) => doc.json(root),
    }
}

/// Returns every mapping key of the first document, depth first in document order, with
/// its path and its 1-based line: where a reader of `src` points at a key.
pub fn key_lines(src: &str) -> Result<Vec<(Vec<Seg>, usize)>, YamlError> {
    let doc = Doc::parse(src)?;
    let mut out = Vec::new();
    if let Some(root) = &doc.root {
        doc.collect_keys(root, &mut Vec::new(), &mut out);
    }
    Ok(out)
}

/// Returns where the scalar at `path` is written.
///
/// `Ok(None)` when the path does not exist, names a mapping or sequence, or goes through an
/// alias (the bytes there belong to the anchored node, not to this path).
pub fn scalar_span(src: &str, path: &[Seg]) -> Result<Option<ScalarSpan>, YamlError> {
    let doc = Doc::parse(src)?;
    let Resolved::Found(at) = doc.resolve(path) else {
        return Ok(None);
    };
    if at.through_alias.is_some() {
        return Ok(None);
    }
    Ok(doc.locate(&at).map(|loc| {
        let (range, style) = match loc {
            Located::Scalar { range, style } => (range, style),
            Located::Block(b) => (b.range, b.style),
            Located::Empty { at, .. } => (at..at, ScalarStyle::Plain),
        };
        ScalarSpan { line: doc.src.line(range.start), range, style }
    }))
}

/// Returns the one edit that makes the value at `path` equal to `value`.
///
/// An existing scalar is replaced in place, keeping its style when it can: double-quoted
/// stays double-quoted (escaped), single-quoted stays single-quoted, plain stays plain when
/// `value` read back as a plain scalar there gives exactly `value` (`true`, `42`,
/// `2026-01-15T10:00:00`, `in-progress`), and a block scalar keeps its `|`/`>` indicator,
/// header comment and indentation when `value` fits the style (a folded scalar only takes
/// one line); everything else, and any `value` with a line break, is written double-quoted.
/// An empty value (`key:`) gets ` value` after its `:`.
///
/// A missing last key is added as a `key: value` line after the last line of its parent
/// block mapping, with that mapping's indentation and line ending; under an empty
/// `parent:` it goes on the next line, indented two more spaces; in an empty `src` it is
/// `key: value` plus a line ending at offset 0.
pub fn set_scalar(src: &str, path: &[Seg], value: &str) -> Result<Edit, SetError> {
    let doc = Doc::parse(src)?;
    let text = path_text(path);
    match doc.resolve(path) {
        Resolved::NoRoot => match path {
            [Seg::Key(key)] => Ok(doc.append_top_level(key, value)),
            _ => Err(SetError::NotFound { path: format_path(&path[..1.min(path.len())]) }),
        },
        Resolved::Found(at) => {
            if let Some(alias) = at.through_alias {
                return Err(doc.alias_error(path, alias));
            }
            match doc.locate(&at) {
                None => Err(SetError::NotAScalar { path: text, line: doc.line_of(at.node) }),
                Some(loc) => Ok(doc.replace(loc, value, at.in_flow, matches!(at.lead, Lead::Root))),
            }
        }
        Resolved::Missing { index, parent } => {
            if let Some(alias) =
                parent.through_alias.or_else(|| doc.is_alias(parent.node).then_some(parent.node))
            {
                return Err(doc.alias_error(path, alias));
            }
            match &path[index..] {
                [Seg::Key(key)] => doc.insert_key(&parent, key, value, text),
                _ => Err(SetError::NotFound { path: format_path(&path[..=index]) }),
            }
        }
    }
}

/// `format_path`, with the root shown as `.`.
fn path_text(path: &[Seg]) -> String {
    if path.is_empty() { ".".to_owned() } else { format_path(path) }
}

/// One item of a task checklist: `- verified_req: false  # comment`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckItem {
    /// The item's key (or its text, for a bare scalar item).
    pub name: String,
    /// `true` only for the boolean `true`; anything else counts as not done.
    pub value: bool,
    /// 1-based line of the item's key.
    pub line: usize,
}

/// A task's `pre_check` or `post_check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// Its `status` value, if any and not null.
    pub status: Option<String>,
    /// Its `checklist` items in order.
    pub items: Vec<CheckItem>,
    /// 1-based line of the `status` key.
    pub status_line: Option<usize>,
    /// Path to the check's mapping; `checklist[i].<name>` under it addresses item `i`.
    pub path: Vec<Seg>,
}

/// One task of a form-002 task block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanTask {
    /// Path to the task's mapping, e.g. `[Key("phase_1_tasks"), Index(0)]`.
    pub path: Vec<Seg>,
    /// 1-based line of the task's first key (`- id: ...`).
    pub line: usize,
    /// The `id` value.
    pub id: String,
    /// The `service_name` value.
    pub service_name: Option<String>,
    /// The `priority` value.
    pub priority: Option<String>,
    /// The `dependents` value.
    pub dependents: Option<String>,
    /// `workflow.pre_check` (or `pre_check` directly on the task).
    pub pre_check: Option<Check>,
    /// `workflow.post_check` (or `post_check` directly on the task).
    pub post_check: Option<Check>,
    /// `implementation.status`.
    pub status: Option<String>,
    /// `implementation.started`; `null` gives `None`.
    pub started: Option<String>,
    /// `implementation.completed`; `null` gives `None`.
    pub completed: Option<String>,
    /// Path to the `implementation` mapping, when there is one.
    pub implementation_path: Option<Vec<Seg>>,
}

/// Returns every task of a form-002 YAML block, in document order.
///
/// A task is a mapping with an `id` key and a `workflow`, `pre_check`, `implementation` or
/// `post_check` key: an item of a sequence or the value of a key, at any depth, or the whole
/// block (a task file's tracking block). The checks and the
/// implementation are read under `workflow`, or directly on the task.
pub fn plan_tasks(src: &str) -> Result<Vec<PlanTask>, YamlError> {
    let doc = Doc::parse(src)?;
    let mut tasks = Vec::new();
    if let Some(root) = &doc.root {
        if doc.is_task(root) {
            tasks.push(doc.task(root, Vec::new()));
        } else {
            doc.collect_tasks(root, &mut Vec::new(), &mut tasks);
        }
    }
    Ok(tasks)
}

// ---------------------------------------------------------------------------------------
// Source positions

/// The source text with its char-to-byte and line tables.
struct Source<'a> {
    text: &'a str,
    /// Byte offset of every char index, then `text.len()`; `None` for ASCII text.
    char_bytes: Option<Vec<usize>>,
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Self {
        let char_bytes = (!text.is_ascii())
            .then(|| text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect());
        let line_starts = std::iter::once(0)
            .chain(text.bytes().enumerate().filter(|&(_, b)| b == b'\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, char_bytes, line_starts }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    /// Byte offset of saphyr's char index, clamped to the text.
    fn byte(&self, char_index: usize) -> usize {
        match &self.char_bytes {
            None => char_index.min(self.text.len()),
            Some(table) => table.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    /// 1-based line of a byte offset.
    fn line(&self, byte: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= byte)
    }

    /// Byte offset where the line holding `byte` starts.
    fn line_start(&self, byte: usize) -> usize {
        self.line_starts[self.line(byte) - 1]
    }

    /// Byte offset of the line break ending the line holding `byte` (or the text's end).
    fn line_end(&self, byte: usize) -> usize {
        let b = self.bytes();
        match b.get(byte..).and_then(|rest| rest.iter().position(|&c| c == b'\n')) {
            Some(i) if byte + i > 0 && b[byte + i - 1] == b'\r' => byte + i - 1,
            Some(i) => byte + i,
            None => b.len(),
        }
    }

    /// Byte offset just after the line break ending the line holding `byte`.
    fn next_line(&self, byte: usize) -> usize {
        let b = self.bytes();
        match b.get(byte..).and_then(|rest| rest.iter().position(|&c| c == b'\n')) {
            Some(i) => byte + i + 1,
            None => b.len(),
        }
    }

    /// The line break ending the line holding `byte`, if it has one.
    fn eol_at(&self, byte: usize) -> Option<&'static str> {
        let end = self.line_end(byte);
        match self.bytes().get(end) {
            Some(b'\r') => Some("\r\n"),
            Some(b'\n') => Some("\n"),
            _ => None,
        }
    }

    /// The text's first line break, or `\n`.
    fn first_eol(&self) -> &'static str {
        self.eol_at(0).unwrap_or("\n")
    }

    /// The text between the line start and `byte`, from which a new line's indentation is
    /// measured; None when it holds a lone carriage return, where YAML starts a line that
    /// nothing else in a document does.
    fn indent_prefix(&self, byte: usize) -> Option<&'a str> {
        let prefix = &self.text[self.line_start(byte)..byte];
        (!prefix.contains('\r')).then_some(prefix)
    }

    /// Width in characters of the text between the line start and `byte`.
    fn column0(&self, byte: usize) -> usize {
        self.text[self.line_start(byte)..byte].chars().count()
    }

    /// A [`YamlError`] for saphyr's scan error.
    fn error(&self, e: &ScanError) -> YamlError {
        let mut at = self.byte(e.marker().index());
        if at >= self.text.len() {
            // Errors at the end of input: report them after the last non-blank character.
            at = self.text.trim_end().len();
        }
        YamlError { line: self.line(at), column: self.column0(at) + 1, message: e.info().to_owned() }
    }
}

/// Skips spaces, tabs, line breaks and comments from `i`.
fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\r' | b'\n') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    i
}

/// Skips space (as [`skip_space`]) and node properties (`&anchor`, `!tag`) from `i`.
fn skip_props(b: &[u8], mut i: usize) -> usize {
    loop {
        i = skip_space(b, i);
        match b.get(i) {
            Some(b'!') if b.get(i + 1) == Some(&b'<') => {
                while i < b.len() && b[i] != b'>' {
                    i += 1;
                }
                i = (i + 1).min(b.len());
            }
            Some(b'&' | b'!') => {
                while i < b.len()
                    && !matches!(b[i], b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
                {
                    i += 1;
                }
            }
            _ => return i,
        }
    }
}

/// Byte offset just after the quoted scalar opening at `start` (`"` or `'`).
fn quoted_end(b: &[u8], start: usize) -> usize {
    let quote = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

// ---------------------------------------------------------------------------------------
// The parsed document

type Node = MarkedYaml<'static>;

/// A parsed source: its text and its first document.
struct Doc<'a> {
    src: Source<'a>,
    /// The first document; `None` when there is none or it is empty.
    root: Option<Node>,
}

/// How a node is introduced, to find what comes before its own span.
#[derive(Clone, Copy)]
enum Lead<'n> {
    /// The document's root node.
    Root,
    /// A mapping value, after this key.
    Value(&'n Node),
    /// A sequence item; its `-` (or flow separator) is at or after this byte.
    Item(usize),
}

/// A node reached by a path.
#[derive(Clone, Copy)]
struct At<'n> {
    node: &'n Node,
    lead: Lead<'n>,
    /// Some ancestor is a flow collection (or the node is one).
    in_flow: bool,
    /// The nearest strict ancestor that is an alias: the node's spans are then the anchor's.
    through_alias: Option<&'n Node>,
}

/// The outcome of following a path.
enum Resolved<'n> {
    /// The document is empty.
    NoRoot,
    /// The node at the path.
    Found(At<'n>),
    /// `path[index]` is missing under `parent`.
    Missing { index: usize, parent: At<'n> },
}

/// Where a scalar is written, as [`Doc::locate`] finds it.
enum Located {
    /// A plain, quoted or alias scalar at `range`.
    Scalar { range: Range<usize>, style: ScalarStyle },
    /// A block scalar.
    Block(Block),
    /// An empty value: text goes at `at`, after a space when `space` is set.
    Empty { at: usize, space: bool },
}

/// A block scalar as written.
struct Block {
    /// From the indicator to the end of the last non-blank content line.
    range: Range<usize>,
    style: ScalarStyle,
    /// The header after the indicator characters (spaces and a comment), kept as is.
    tail: String,
    /// The header line's line ending.
    eol: &'static str,
    /// Content indentation in spaces.
    indent: usize,
    /// Whitespace-only lines after the content that would be read as content again.
    ragged_tail: bool,
    /// Keep chomping (`+`): trailing blank lines are part of the value.
    keep: bool,
    /// Where the block's lines end, after trailing blank lines.
    region_end: usize,
}

/// The data of a node, looking through tags.
fn data(node: &Node) -> &YamlData<'static, Node> {
    let mut data = &node.data;
    while let YamlData::Tagged(_, inner) = data {
        data = &inner.data;
    }
    data
}

/// The JSON form of a scalar (infinities and NaN as YAML-style strings).
fn scalar_json(s: &Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(*b),
        Scalar::Integer(i) => Value::from(*i),
        Scalar::FloatingPoint(f) => {
            let f = f.into_inner();
            serde_json::Number::from_f64(f).map_or_else(
                || {
                    let text = if f.is_nan() {
                        ".nan"
                    } else if f > 0.0 {
                        ".inf"
                    } else {
                        "-.inf"
                    };
                    Value::String(text.to_owned())
                },
                Value::Number,
            )
        }
        Scalar::String(s) => Value::String(s.to_string()),
    }
}

/// The text a JSON scalar stands for: a string's own text, else its JSON text.
fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Why a key cannot be added after a lone carriage return (see `Doc::insert_key`).
const LONE_CR: &str = "a mapping with a lone carriage return (\\r) before its last key, which YAML reads as a \
                       line break; make that line end in \\n or \\r\\n first";

impl<'a> Doc<'a> {
    fn parse(text: &'a str) -> Result<Self, YamlError> {
        let src = Source::new(text);
        let docs = MarkedYaml::load_from_str(text).map_err(|e| src.error(&e))?;
        let mut doc = Doc { src, root: None };
        doc.root = docs.into_iter().next().filter(|root| !doc.is_empty_node(root));
        Ok(doc)
    }

    /// Byte range of a node's span.
    fn raw(&self, node: &Node) -> Range<usize> {
        let start = self.src.byte(node.span.start.index());
        let end = self.src.byte(node.span.end.index());
        start..end.max(start)
    }

    fn line_of(&self, node: &Node) -> usize {
        self.src.line(self.raw(node).start)
    }

    /// A null with nothing written (`key:`, `- `, an empty document).
    fn is_empty_node(&self, node: &Node) -> bool {
        let raw = self.raw(node);
        matches!(node.data, YamlData::Value(Scalar::Null) | YamlData::BadValue)
            && (raw.is_empty() || skip_props(self.src.bytes(), raw.start) >= raw.end)
    }

    fn is_alias(&self, node: &Node) -> bool {
        self.src.bytes().get(self.raw(node).start) == Some(&b'*')
    }

    /// Whether a collection is written in flow style (`[...]`, `{...}`).
    fn is_flow(&self, node: &Node) -> bool {
        let first_child = match data(node) {
            YamlData::Sequence(items) => items.first(),
            YamlData::Mapping(map) => map.keys().next(),
            _ => return false,
        };
        let raw = self.raw(node);
        let at = skip_props(self.src.bytes(), raw.start);
        matches!(self.src.bytes().get(at), Some(b'[' | b'{'))
            && first_child.is_none_or(|child| self.raw(child).start > at)
    }

    /// The text of a mapping key as paths and JSON see it.
    fn key_text<'n>(&self, key: &'n Node) -> Cow<'n, str> {
        match data(key) {
            YamlData::Value(Scalar::String(s)) => Cow::Borrowed(s.as_ref()),
            YamlData::Sequence(_) | YamlData::Mapping(_) => {
                Cow::Owned(self.json(key).map(|v| v.to_string()).unwrap_or_default())
            }
            _ => {
                let raw = self.raw(key);
                let start = skip_props(self.src.bytes(), raw.start).min(raw.end);
                Cow::Owned(self.src.text[start..raw.end].to_owned())
            }
        }
    }

    fn json(&self, node: &Node) -> Result<Value, YamlError> {
        match data(node) {
            YamlData::Value(s) => Ok(scalar_json(s)),
            YamlData::Sequence(items) => {
                items.iter().map(|item| self.json(item)).collect::<Result<_, _>>().map(Value::Array)
            }
            YamlData::Mapping(map) => {
                let mut out = Map::with_capacity(map.len());
                for (k, v) in map {
                    out.insert(self.key_text(k).into_owned(), self.json(v)?);
                }
                Ok(Value::Object(out))
            }
            _ => {
                let at = self.raw(node).start;
                Err(YamlError {
                    line: self.src.line(at),
                    column: self.src.column0(at) + 1,
                    message: "value does not match its tag".to_owned(),
                })
            }
        }
    }

    fn collect_keys(&self, node: &Node, path: &mut Vec<Seg>, out: &mut Vec<(Vec<Seg>, usize)>) {
        match data(node) {
            YamlData::Mapping(map) => {
                for (k, v) in map {
                    path.push(Seg::Key(self.key_text(k).into_owned()));
                    out.push((path.clone(), self.line_of(k)));
                    self.collect_keys(v, path, out);
                    path.pop();
                }
            }
            YamlData::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    self.collect_keys(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// The value of `key` in a mapping node, with its key node.
    fn get<'n>(&self, node: &'n Node, key: &str) -> Option<(&'n Node, &'n Node)> {
        match data(node) {
            YamlData::Mapping(map) => map.iter().find(|(k, _)| self.key_text(k) == key),
            _ => None,
        }
    }

    fn resolve(&self, path: &[Seg]) -> Resolved<'_> {
        let Some(root) = &self.root else {
            return Resolved::NoRoot;
        };
        let mut at = At { node: root, lead: Lead::Root, in_flow: self.is_flow(root), through_alias: None };
        for (index, seg) in path.iter().enumerate() {
            let next = match (data(at.node), seg) {
                (YamlData::Mapping(map), _) => map
                    .iter()
                    .find(|(k, _)| match seg {
                        Seg::Key(s) => self.key_text(k) == s.as_str(),
                        Seg::Index(n) => self.key_text(k) == n.to_string(),
                    })
                    .map(|(k, v)| (v, Lead::Value(k))),
                (YamlData::Sequence(items), Seg::Index(n)) => items.get(*n).map(|item| {
                    let from = match n.checked_sub(1) {
                        None => self.raw(at.node).start,
                        Some(prev) => self.raw(&items[prev]).end,
                    };
                    (item, Lead::Item(from))
                }),
                _ => None,
            };
            let Some((node, lead)) = next else {
                return Resolved::Missing { index, parent: at };
            };
            at = At {
                node,
                lead,
                in_flow: at.in_flow || self.is_flow(node),
                through_alias: at.through_alias.or_else(|| self.is_alias(at.node).then_some(at.node)),
            };
        }
        Resolved::Found(at)
    }

    fn alias_error(&self, path: &[Seg], alias: &Node) -> SetError {
        SetError::ThroughAlias { path: path_text(path), line: self.line_of(alias) }
    }

    /// Finds the indicator that introduces a node (`:`, `-`) and the first token after it.
    ///
    /// Returns the byte just after the indicator, if one was found, and the offset of the
    /// first token after it and after any anchor or tag.
    fn lead_scan(&self, at: &At<'_>) -> (Option<usize>, usize) {
        let b = self.src.bytes();
        match at.lead {
            Lead::Root => {
                let mut i = if self.src.text.starts_with('\u{feff}') { 3 } else { 0 };
                loop {
                    i = skip_space(b, i);
                    let at_line_start = i == 0 || b[i - 1] == b'\n';
                    if at_line_start && b.get(i) == Some(&b'%') {
                        i = self.src.next_line(i);
                    } else if at_line_start
                        && b[i..].starts_with(b"---")
                        && b.get(i + 3).is_none_or(|c| c.is_ascii_whitespace())
                    {
                        i += 3;
                    } else {
                        break;
                    }
                }
                (None, skip_props(b, i))
            }
            Lead::Value(key) => {
                let raw = self.raw(key);
                let start = skip_props(b, raw.start).min(raw.end);
                let end = match b.get(start) {
                    Some(b'"' | b'\'') => quoted_end(b, start),
                    _ => raw.end,
                };
                let i = skip_space(b, end);
                if b.get(i) == Some(&b':') { (Some(i + 1), skip_props(b, i + 1)) } else { (None, i) }
            }
            Lead::Item(from) => {
                let i = skip_props(b, from);
                match b.get(i) {
                    Some(b'-' | b',' | b'[') => (Some(i + 1), skip_props(b, i + 1)),
                    _ => (None, i),
                }
            }
        }
    }

    /// Where the scalar at `at` is written; `None` for a mapping or sequence.
    fn locate(&self, at: &At<'_>) -> Option<Located> {
        if matches!(data(at.node), YamlData::Sequence(_) | YamlData::Mapping(_)) {
            return None;
        }
        let b = self.src.bytes();
        let raw = self.raw(at.node);
        let (indicator_end, first) = self.lead_scan(at);
        if self.is_empty_node(at.node) {
            let mut spot = if raw.is_empty() { indicator_end.unwrap_or(raw.start) } else { raw.end };
            if b.get(spot) == Some(&b' ') {
                spot += 1;
            }
            let space = spot > 0 && !matches!(b[spot - 1], b' ' | b'\t');
            return Some(Located::Empty { at: spot, space });
        }
        if !at.in_flow && matches!(b.get(first), Some(b'|' | b'>')) {
            return Some(Located::Block(self.block(at, first, raw.end)));
        }
        let start = skip_props(b, raw.start).min(raw.end);
        let (end, style) = match b.get(start) {
            Some(b'"') => (quoted_end(b, start), ScalarStyle::DoubleQuoted),
            Some(b'\'') => (quoted_end(b, start), ScalarStyle::SingleQuoted),
            _ => (raw.end, ScalarStyle::Plain),
        };
        Some(Located::Scalar { range: start..end, style })
    }

    /// Reads a block scalar whose header indicator is at `header`; its span ends at `raw_end`.
    fn block(&self, at: &At<'_>, header: usize, raw_end: usize) -> Block {
        let b = self.src.bytes();
        let src = &self.src;
        let style = if b[header] == b'|' { ScalarStyle::Literal } else { ScalarStyle::Folded };
        let mut tail_start = header + 1;
        while tail_start < b.len() && matches!(b[tail_start], b'-' | b'+' | b'1'..=b'9') {
            tail_start += 1;
        }
        let header_end = src.line_end(header);
        let content_start = src.next_line(header);
        let span_end = raw_end.max(content_start);
        // The span may end at the next token, after its indentation: stop at that line.
        let last_line = src.line_start(span_end);
        let region_end = if src.text[last_line..span_end].trim().is_empty() {
            last_line.max(content_start)
        } else {
            span_end
        };
        let mut content_end = header_end;
        let mut indent: Option<usize> = None;
        let mut blank_widths = Vec::new();
        let mut line = content_start;
        while line < region_end {
            let end = src.line_end(line).min(region_end);
            let text = &src.text[line..end];
            let spaces = text.len() - text.trim_start_matches(' ').len();
            if text.trim().is_empty() {
                blank_widths.push(text.chars().count());
            } else {
                content_end = end;
                indent = Some(indent.map_or(spaces, |i| i.min(spaces)));
                blank_widths.clear();
            }
            line = src.next_line(line);
        }
        let indent = indent.unwrap_or_else(|| match at.lead {
            Lead::Root => 2,
            Lead::Value(key) => src.column0(skip_props(b, self.raw(key).start)) + 2,
            Lead::Item(_) => src.column0(header).max(2),
        });
        Block {
            range: header..content_end,
            style,
            tail: src.text[tail_start..header_end].to_owned(),
            eol: src.eol_at(header).unwrap_or_else(|| src.first_eol()),
            indent,
            ragged_tail: blank_widths.iter().any(|&w| w > indent),
            keep: src.text[header + 1..tail_start].contains('+'),
            region_end,
        }
    }

    /// The edit writing `value` where `loc` is.
    fn replace(&self, loc: Located, value: &str, in_flow: bool, root: bool) -> Edit {
        match loc {
            Located::Empty { at, space } => {
                let text = plain_or_double(value, in_flow, root);
                Edit { range: at..at, text: if space { format!(" {text}") } else { text } }
            }
            Located::Scalar { range, style } => {
                let text = match style {
                    ScalarStyle::SingleQuoted => single_quoted(value).unwrap_or_else(|| double_quoted(value)),
                    ScalarStyle::DoubleQuoted => double_quoted(value),
                    _ => plain_or_double(value, in_flow, root),
                };
                Edit { range, text }
            }
            Located::Block(block) => {
                let text = render_block(value, &block).unwrap_or_else(|| double_quoted(value));
                Edit { range: block.range, text }
            }
        }
    }

    /// The edit adding `key: value` to an empty document.
    fn append_top_level(&self, key: &str, value: &str) -> Edit {
        let text = self.src.text;
        let eol = self.src.first_eol();
        let line = entry(key, value);
        let insert = if text.is_empty() || text.ends_with('\n') {
            format!("{line}{eol}")
        } else {
            format!("{eol}{line}")
        };
        Edit { range: text.len()..text.len(), text: insert }
    }

    /// The edit adding `key: value` under `parent`, where `key` is missing.
    ///
    /// The new line's indentation is measured from the line start before the key
    /// ([`Source::indent_prefix`]): a key after a lone carriage return is refused, not
    /// indented by a guess that would break the YAML.
    fn insert_key(&self, parent: &At<'_>, key: &str, value: &str, path: String) -> Result<Edit, SetError> {
        let line = self.line_of(parent.node);
        let cannot =
            |reason: &str| SetError::CannotInsert { path: path.clone(), line, reason: reason.to_owned() };
        match data(parent.node) {
            YamlData::Mapping(map) => {
                if parent.in_flow {
                    return Err(cannot("a flow mapping ({...})"));
                }
                let Some((last_key, last_value)) = map.iter().next_back() else {
                    return Err(cannot("an empty mapping"));
                };
                let key_start = skip_props(self.src.bytes(), self.raw(last_key).start);
                let prefix = self.src.indent_prefix(key_start).ok_or_else(|| cannot(LONE_CR))?;
                let indent: String = prefix.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
                let last =
                    self.last_pos(last_value, Some(Lead::Value(last_key))).max(self.last_pos(last_key, None));
                Ok(self.insert_line_after(last, &indent, &entry(key, value)))
            }
            YamlData::Sequence(_) => Err(cannot("a sequence")),
            _ if self.is_empty_node(parent.node) => match parent.lead {
                Lead::Root => Ok(self.append_top_level(key, value)),
                Lead::Value(parent_key) if !parent.in_flow => {
                    let start = skip_props(self.src.bytes(), self.raw(parent_key).start);
                    let prefix = self.src.indent_prefix(start).ok_or_else(|| cannot(LONE_CR))?;
                    let indent = " ".repeat(prefix.chars().count() + 2);
                    let last = self.last_pos(parent_key, None);
                    Ok(self.insert_line_after(last, &indent, &entry(key, value)))
                }
                _ => Err(cannot("an empty value outside a block mapping")),
            },
            _ => Err(cannot("a scalar")),
        }
    }

    /// The edit inserting `indent` + `line` as a new line after the line holding `pos`.
    fn insert_line_after(&self, pos: usize, indent: &str, line: &str) -> Edit {
        let at = self.src.next_line(pos);
        let eol = self.src.eol_at(pos).unwrap_or_else(|| self.src.first_eol());
        let text = if at == self.src.text.len() && !self.src.text.ends_with('\n') {
            format!("{eol}{indent}{line}")
        } else {
            format!("{indent}{line}{eol}")
        };
        Edit { range: at..at, text }
    }

    /// A byte offset on the last line a node occupies (`lead` is `None` for keys).
    fn last_pos(&self, node: &Node, lead: Option<Lead<'_>>) -> usize {
        let raw = self.raw(node);
        if !self.is_alias(node) {
            match data(node) {
                YamlData::Mapping(map) if !self.is_flow(node) => {
                    if let Some((k, v)) = map.iter().next_back() {
                        return self.last_pos(k, None).max(self.last_pos(v, Some(Lead::Value(k))));
                    }
                }
                YamlData::Sequence(items) if !self.is_flow(node) => {
                    if let Some(item) = items.last() {
                        let from = match items.len().checked_sub(2) {
                            Some(prev) => self.raw(&items[prev]).end,
                            None => raw.start,
                        };
                        return self.last_pos(item, Some(Lead::Item(from))).max(raw.start);
                    }
                }
                // A flow collection's span ends at its closing bracket.
                YamlData::Mapping(_) | YamlData::Sequence(_) => return raw.end,
                _ => {}
            }
        }
        if let Some(lead) = lead {
            let at = At { node, lead, in_flow: false, through_alias: None };
            if let Some(Located::Block(block)) = self.locate(&at) {
                // Trailing blank lines belong to a keep (`|+`) block scalar: stay after them.
                if block.keep {
                    return block.region_end.saturating_sub(1).max(block.range.end);
                }
            }
        }
        // Scalars: their last non-blank byte (spans may end after a line break or comment).
        let b = self.src.bytes();
        let mut end = raw.end;
        while end > 0 && b[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        end.saturating_sub(1)
    }

    fn collect_tasks(&self, node: &Node, path: &mut Vec<Seg>, out: &mut Vec<PlanTask>) {
        if self.is_alias(node) {
            return;
        }
        match data(node) {
            YamlData::Sequence(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Seg::Index(i));
                    if self.is_task(item) {
                        out.push(self.task(item, path.clone()));
                    } else {
                        self.collect_tasks(item, path, out);
                    }
                    path.pop();
                }
            }
            YamlData::Mapping(map) => {
                for (k, v) in map {
                    path.push(Seg::Key(self.key_text(k).into_owned()));
                    // A task file's own block: `tasks_tracking:` holding one task mapping.
                    if self.is_task(v) {
                        out.push(self.task(v, path.clone()));
                    } else {
                        self.collect_tasks(v, path, out);
                    }
                    path.pop();
                }
            }
            _ => {}
        }
    }

    fn is_task(&self, node: &Node) -> bool {
        self.get(node, "id").is_some()
            && ["workflow", "pre_check", "implementation", "post_check"]
                .iter()
                .any(|key| self.get(node, key).is_some())
    }

    /// The text of a scalar value; `None` for null and collections.
    fn text(&self, node: Option<(&Node, &Node)>) -> Option<String> {
        match data(node?.1) {
            YamlData::Value(Scalar::Null) => None,
            YamlData::Value(s) => Some(json_text(&scalar_json(s))),
            _ => None,
        }
    }

    fn task(&self, node: &Node, path: Vec<Seg>) -> PlanTask {
        let workflow = self.get(node, "workflow").filter(|(_, w)| matches!(data(w), YamlData::Mapping(_)));
        // A part under `workflow`, else directly on the task; with its path.
        let part = |name: &str| -> Option<(&Node, Vec<Seg>)> {
            let mut p = path.clone();
            let found = match workflow.and_then(|(_, w)| self.get(w, name)) {
                Some((_, v)) => {
                    p.push(Seg::Key("workflow".to_owned()));
                    v
                }
                None => self.get(node, name)?.1,
            };
            p.push(Seg::Key(name.to_owned()));
            Some((found, p))
        };
        let implementation = part("implementation").filter(|(n, _)| matches!(data(n), YamlData::Mapping(_)));
        let impl_field = |name: &str| implementation.as_ref().and_then(|(n, _)| self.text(self.get(n, name)));
        let first_key = match data(node) {
            YamlData::Mapping(map) => map.keys().next(),
            _ => None,
        };
        PlanTask {
            line: self.line_of(first_key.unwrap_or(node)),
            id: self.text(self.get(node, "id")).unwrap_or_default(),
            service_name: self.text(self.get(node, "service_name")),
            priority: self.text(self.get(node, "priority")),
            dependents: self.text(self.get(node, "dependents")),
            pre_check: part("pre_check").and_then(|(n, p)| self.check(n, p)),
            post_check: part("post_check").and_then(|(n, p)| self.check(n, p)),
            status: impl_field("status"),
            started: impl_field("started"),
            completed: impl_field("completed"),
            implementation_path: implementation.map(|(_, p)| p),
            path,
        }
    }

    fn check(&self, node: &Node, path: Vec<Seg>) -> Option<Check> {
        let (status, status_line, list) = match data(node) {
            YamlData::Mapping(_) => {
                let status = self.get(node, "status");
                (
                    self.text(status),
                    status.map(|(k, _)| self.line_of(k)),
                    self.get(node, "checklist").map(|(_, v)| v),
                )
            }
            YamlData::Sequence(_) => (None, None, Some(node)),
            _ => return None,
        };
        let item = |k: &Node, v: Option<&Node>| CheckItem {
            name: self.key_text(k).into_owned(),
            value: v.is_some_and(|v| matches!(data(v), YamlData::Value(Scalar::Boolean(true)))),
            line: self.line_of(k),
        };
        let items = match list.map(data) {
            Some(YamlData::Sequence(entries)) => entries
                .iter()
                .filter_map(|entry| match data(entry) {
                    YamlData::Mapping(map) => map.iter().next().map(|(k, v)| item(k, Some(v))),
                    YamlData::Value(_) => Some(item(entry, None)),
                    _ => None,
                })
                .collect(),
            Some(YamlData::Mapping(map)) => map.iter().map(|(k, v)| item(k, Some(v))).collect(),
            _ => Vec::new(),
        };
        Some(Check { status, items, status_line, path })
    }
}

// ---------------------------------------------------------------------------------------
// Writing scalars

/// `key: value`, each part plain when it reads back as itself, else double-quoted.
fn entry(key: &str, value: &str) -> String {
    format!("{}: {}", plain_or_double(key, false, false), plain_or_double(value, false, false))
}

/// `value` as a plain scalar when that reads back as exactly `value`, else double-quoted.
fn plain_or_double(value: &str, in_flow: bool, root: bool) -> String {
    if plain_ok(value, in_flow, root) { value.to_owned() } else { double_quoted(value) }
}

/// Whether `value` written plain as a mapping value reads back as exactly `value`.
///
/// Parses the tiny document `k: <value>`: it must hold one plain scalar, without anchor or
/// tag, whose value as text (a string's text, else its JSON text) is `value`. So `true`,
/// `42`, `null` and `2026-01-15T10:00:00` stay plain, while `042`, `~`, `a: b`, `x # y`,
/// ` padded` and `- item` do not.
fn plain_ok(value: &str, in_flow: bool, root: bool) -> bool {
    if value.is_empty()
        || value.contains(['\n', '\r'])
        || in_flow && value.contains([',', '[', ']', '{', '}'])
        || root && (value.starts_with("---") || value.starts_with("..."))
        || !value.chars().all(printable)
    {
        return false;
    }
    let tiny = format!("k: {value}");
    let Ok(docs) = MarkedYaml::load_from_str(&tiny) else {
        return false;
    };
    let Some(YamlData::Mapping(map)) = docs.first().map(|d| &d.data) else {
        return false;
    };
    let Some((_, node)) = map.iter().next().filter(|_| map.len() == 1) else {
        return false;
    };
    match &node.data {
        YamlData::Value(s) => {
            !value.starts_with(['&', '!', '*', '"', '\'', '|', '>']) && json_text(&scalar_json(s)) == value
        }
        _ => false,
    }
}

/// Whether YAML can write `c` without an escape (YAML 1.2 `c-printable`).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// `value` double-quoted, with escapes for `"`, `\`, line breaks and unprintable characters.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xff => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// `value` single-quoted, or `None` when it needs escapes (line breaks, unprintables).
fn single_quoted(value: &str) -> Option<String> {
    if value.contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
        || !value.chars().all(printable)
    {
        return None;
    }
    Some(format!("'{}'", value.replace('\'', "''")))
}

/// `value` in the block scalar's style, or `None` when the style cannot hold it.
///
/// The header keeps its indicator and comment; its chomping becomes clip (`value` ends with
/// one line break) or strip (none); content lines take the block's indentation. A folded
/// scalar only takes a one-line value.
fn render_block(value: &str, block: &Block) -> Option<String> {
    let (body, chomp) = match value.strip_suffix('\n') {
        Some(body) => (body, ""),
        None => (value, "-"),
    };
    if body.is_empty() || body.ends_with('\n') || block.ragged_tail || block.indent == 0 {
        return None;
    }
    let folded = block.style == ScalarStyle::Folded;
    let lines: Vec<&str> = body.split('\n').collect();
    if folded && (lines.len() > 1 || body.trim() != body) {
        return None;
    }
    for line in &lines {
        if line.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}', '\u{feff}'])
            || !line.chars().all(printable)
            || !line.is_empty() && line.trim().is_empty()
        {
            return None;
        }
    }
    let first = lines.iter().find(|l| !l.is_empty())?;
    if first.starts_with([' ', '\t']) {
        return None;
    }
    let mut out = String::from(if folded { ">" } else { "|" });
    out.push_str(chomp);
    out.push_str(&block.tail);
    let pad = " ".repeat(block.indent);
    for line in lines {
        out.push_str(block.eol);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
}

#[cfg(test)]
mod key_line_tests {
    use super::*;

    #[test]
    fn every_key_has_its_path_and_line() {
        let src = "a: 1\r\nb:\r\n  # c\r\n  c: [1]\r\n  d:\r\n    - e: x\r\n";
        let keys: Vec<(String, usize)> =
            key_lines(src).expect("valid").into_iter().map(|(p, l)| (format_path(&p), l)).collect();
        let want = [("a", 1), ("b", 2), ("b.c", 4), ("b.d", 5), ("b.d[0].e", 6)];
        assert_eq!(keys, want.map(|(p, l)| (p.to_string(), l)));
        assert_eq!(key_lines("").expect("valid"), vec![]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::apply;
    use proptest::prelude::*;
    use serde_json::json;

    /// The first fenced YAML block of seed 002 (implementation plan tracker), verbatim.
    const SEED_002_BLOCK: &str = r#"# v2.0 YAML format
phase_1_tasks:
  - id: TASKS-XX
    service_name: "[P0 Service Name]"
    priority: P0
    dependents: "[Critical Dependents]"
    workflow:
      pre_check:
        status: NOT_STARTED
        checklist:
          - verified_req: false       # Verified against REQ-NN
          - verified_spec: false      # Verified against SPEC-NN
          - confirmed_arch: false     # Confirmed architecture pattern
          - checked_deps: false       # All dependencies available
      implementation:
        status: NOT_STARTED
        started: null                # YYYY-MM-DDTHH:MM:SS when started
        completed: null              # YYYY-MM-DDTHH:MM:SS when completed
      post_check:
        status: NOT_STARTED
        checklist:
          - tests_passing: false      # All tests pass
          - coverage_met: false       # Coverage thresholds met
          - docs_updated: false       # Documentation updated
          - session_logged: false     # Detailed 'COMPLETED' entry in Session Log
  - id: TASKS-YY
    service_name: "[P1 Service Name]"
    priority: P1
    dependents: "[Dependents]"
    workflow:
      pre_check:
        status: NOT_STARTED
        checklist:
          - verified_req: false
          - verified_spec: false
          - confirmed_arch: false
          - checked_deps: false
      implementation:
        status: NOT_STARTED
        started: null
        completed: null
      post_check:
        status: NOT_STARTED
        checklist:
          - tests_passing: false
          - coverage_met: false
          - docs_updated: false
          - session_logged: false
"#;

    /// The frontmatter of seed 003 (milestone plan doc), verbatim, with the first body line.
    const SEED_003_HEAD: &str = "---\ntype: milestone\naudience: [developers]\nscope: project-specific\nlast-updated: YYYY-MM-DD\nstatus: planned\nrelated-docs:\n  - README.md\n  - ../../development/README.md\n---\n\n# Milestone [X]: [Milestone Name]\n";

    fn path(s: &str) -> Vec<Seg> {
        parse_path(s).expect("test paths are valid")
    }

    fn set(src: &str, p: &str, value: &str) -> String {
        let edit = set_scalar(src, &path(p), value).expect("set_scalar succeeds");
        apply(src, &[edit])
    }

    /// Replaces the one occurrence of `from` in `src`, asserting it is unique.
    fn replaced(src: &str, from: &str, to: &str) -> String {
        assert_eq!(src.matches(from).count(), 1, "`{from}` must occur once");
        src.replacen(from, to, 1)
    }

    fn pointer(path: &[Seg]) -> String {
        path.iter()
            .map(|seg| match seg {
                Seg::Key(k) => format!("/{k}"),
                Seg::Index(n) => format!("/{n}"),
            })
            .collect()
    }

    #[test]
    fn frontmatter_is_found_by_its_delimiter_lines() {
        type Case = (&'static str, usize, Option<(Range<usize>, Range<usize>)>);
        let cases: &[Case] = &[
            ("---\na: 1\n---\nrest", 0, Some((0..13, 4..9))),
            ("---  \r\na: 1\r\n... \r\nrest", 0, Some((0..19, 7..13))),
            ("\u{feff}---\n---\n# T\n", 3, Some((3..11, 7..7))),
            ("---\na: 1\n---", 0, Some((0..12, 4..9))),
            ("---\t\n---\t\n", 0, Some((0..10, 5..5))),
            ("---\na: 1\n", 0, None),
            ("---\na: 1\n----\n  ---\n", 0, None),
            ("---x\n---\n", 0, None),
            ("# T\n---\na\n---\n", 0, None),
            ("---", 0, None),
            ("", 0, None),
        ];
        for (text, start, want) in cases {
            let got = find_frontmatter(text, *start).map(|f| (f.range, f.body));
            assert_eq!(&got, want, "{text:?}");
        }
    }

    #[test]
    fn paths_parse_into_segments() {
        let k = |s: &str| Seg::Key(s.to_owned());
        let cases = [
            ("a.b", vec![k("a"), k("b")]),
            ("tags[0]", vec![k("tags"), Seg::Index(0)]),
            ("tags.0", vec![k("tags"), Seg::Index(0)]),
            ("custom_fields.last_updated", vec![k("custom_fields"), k("last_updated")]),
            ("last-updated", vec![k("last-updated")]),
            ("a[1][22].b c", vec![k("a"), Seg::Index(1), Seg::Index(22), k("b c")]),
            ("[3].x", vec![Seg::Index(3), k("x")]),
            ("0a", vec![k("0a")]),
        ];
        for (text, want) in cases {
            assert_eq!(parse_path(text), Ok(want), "{text}");
        }
        let errors = [
            ("", "empty path"),
            ("a.", "path ends with '.'"),
            ("a..b", "empty key at byte 2"),
            (".a", "empty key at byte 0"),
            ("a.[0]", "empty key at byte 2"),
            ("a[0", "unclosed '[' at byte 1"),
            ("a[x]", "index `x` at byte 2 is not a non-negative integer"),
            ("a[-1]", "index `-1`"),
            ("a[]", "index ``"),
            ("a]", "expected '.' or '[' at byte 1, found `]`"),
            ("a.]", "unexpected ']' at byte 2"),
            ("a[0]b", "expected '.' or '[' at byte 4, found `b`"),
        ];
        for (text, want) in errors {
            let err = parse_path(text).expect_err(text);
            assert!(err.contains(want), "{text}: {err}");
        }
        assert_eq!(format_path(&path("a[1][22].b.c")), "a[1][22].b.c");
        assert_eq!(format_path(&path("tags.0")), "tags[0]");
    }

    #[test]
    fn to_json_maps_yaml_values() {
        let cases = [
            ("", json!(null)),
            ("# only a comment\n", json!(null)),
            (
                "a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf:\n",
                json!({"a": 1, "b": -2.5, "c": true, "d": null, "e": null, "f": null}),
            ),
            ("z: 1\na: 2\nm: 3\n", json!({"z": 1, "a": 2, "m": 3})),
            (
                "t: 2026-01-15T10:00:00\nd: 2026-01-15\nv: \"2.0\"\n",
                json!({"t": "2026-01-15T10:00:00", "d": "2026-01-15", "v": "2.0"}),
            ),
            ("1: a\ntrue: b\n1.50: c\n~: d\n", json!({"1": "a", "true": "b", "1.50": "c", "~": "d"})),
            ("a: &x [1, {k: v}]\nb: *x\n", json!({"a": [1, {"k": "v"}], "b": [1, {"k": "v"}]})),
            (
                "i: .inf\nn: -.inf\nh: 0x1F\ns: !!str 12\nf: !foo bar\n",
                json!({"i": ".inf", "n": "-.inf", "h": 31, "s": "12", "f": "bar"}),
            ),
            ("lit: |\n  a\n  b\nfold: >-\n  a\n  b\n", json!({"lit": "a\nb\n", "fold": "a b"})),
            ("- a\n- b: 1\n", json!(["a", {"b": 1}])),
            ("a: 1\r\nb: 'x # y'  # c\r\n", json!({"a": 1, "b": "x # y"})),
            ("first: 1\n---\nsecond: 2\n", json!({"first": 1})),
        ];
        for (src, want) in cases {
            let got = to_json(src).expect(src);
            assert_eq!(got.to_string(), want.to_string(), "{src:?}");
        }
    }

    #[test]
    fn invalid_yaml_reports_its_line_and_column() {
        let cases = [
            ("a: [1, 2", 1, 9, "flow sequence"),
            ("a: [1, 2\n\n", 1, 9, "flow sequence"),
            ("a:\n\tb: 1\n", 2, 2, "tabs"),
            ("ok: 1\nbad: \"open\n", 2, 6, "quoted scalar"),
            ("a: 1\na: 2\n", 2, 1, "duplicated key"),
            ("# 😀 é\nk: v\n  x: 1\n", 3, 4, "mapping values"),
            ("a: !!int abc\n", 1, 4, "does not match its tag"),
        ];
        for (src, line, column, message) in cases {
            let err = to_json(src).expect_err(src);
            assert_eq!((err.line, err.column), (line, column), "{src:?}: {err}");
            assert!(err.message.contains(message), "{src:?}: {err}");
        }
        let err = set_scalar("a: [1, 2", &path("a"), "x").expect_err("invalid");
        assert!(matches!(err, SetError::Yaml(YamlError { line: 1, .. })), "{err:?}");
        assert!(matches!(plan_tasks("a:\n\tb: 1\n"), Err(YamlError { line: 2, .. })));
        assert!(matches!(scalar_span("a: [", &path("a")), Err(YamlError { line: 1, .. })));
    }

    #[test]
    fn scalar_spans_cover_exactly_the_written_scalar() {
        use ScalarStyle::*;
        type Case = (&'static str, &'static str, Option<(&'static str, ScalarStyle, usize)>);
        let cases: &[Case] = &[
            ("a: plain   # c\n", "a", Some(("plain", Plain, 1))),
            ("a: plain   \nb: x", "b", Some(("x", Plain, 2))),
            ("a: \"dq\"   # c\n", "a", Some(("\"dq\"", DoubleQuoted, 1))),
            ("a: \"x\\\"y\" # c\n", "a", Some(("\"x\\\"y\"", DoubleQuoted, 1))),
            ("a: 'it''s'   # c\n", "a", Some(("'it''s'", SingleQuoted, 1))),
            ("a: \"multi\n  line\"  # c\n", "a", Some(("\"multi\n  line\"", DoubleQuoted, 1))),
            ("a: multi\r\n  line # c\r\nb: 1\r\n", "a", Some(("multi\r\n  line", Plain, 1))),
            ("a: \"dq\"\r\nb: 'sq'  \r\nc: pl\r\n", "b", Some(("'sq'", SingleQuoted, 2))),
            ("x: 1\nd: |  # c\n  l1\n  l2\n\ne: 1\n", "d", Some(("|  # c\n  l1\n  l2", Literal, 2))),
            ("d: >-\r\n  fold\r\n", "d", Some((">-\r\n  fold", Folded, 1))),
            ("d: |\n  x", "d", Some(("|\n  x", Literal, 1))),
            ("d: |\ne: 1\n", "d", Some(("|", Literal, 1))),
            ("a: &an \"v\"\nb: *an\nc: !!str 12\n", "a", Some(("\"v\"", DoubleQuoted, 1))),
            ("a: &an \"v\"\nb: *an\nc: !!str 12\n", "b", Some(("*an", Plain, 2))),
            ("a: &an \"v\"\nb: *an\nc: !!str 12\n", "c", Some(("12", Plain, 3))),
            ("a: &x |\n  t\n", "a", Some(("|\n  t", Literal, 1))),
            ("x: [a, \"b\" , c ]\n", "x[1]", Some(("\"b\"", DoubleQuoted, 1))),
            ("x: {k: v , j: 'w'}\n", "x.j", Some(("'w'", SingleQuoted, 1))),
            ("a:\nb: 1\n", "a", Some(("", Plain, 1))),
            ("- x\n- |\n  block\n", "[1]", Some(("|\n  block", Literal, 2))),
            ("a:\n  b: 1\n", "a", None),
            ("a: 1\n", "b", None),
            ("a: &m {k: v}\nb: *m\n", "b.k", None),
            ("", "a", None),
        ];
        for (src, p, want) in cases {
            let got = scalar_span(src, &path(p)).expect(src);
            let got = got.map(|s| (&src[s.range.clone()], s.style, s.line));
            assert_eq!(&got, want, "{src:?} at {p}");
        }
        let empty = scalar_span("a:  # c\n", &path("a")).expect("parses").expect("exists");
        assert_eq!(empty.range, 3..3);
    }

    #[test]
    fn spans_are_byte_offsets_after_multibyte_text() {
        let src = "# 😀 emoji comment ⏳\nname: \"héllo 📋\"  # ✅ done\nnext: plain ü  # 😀\nlast: 'x'";
        let span = scalar_span(src, &path("name")).expect("parses").expect("exists");
        let start = src.find("\"héllo").expect("present");
        assert_eq!(span.range, start..start + "\"héllo 📋\"".len());
        assert_eq!(span.line, 2);
        let span = scalar_span(src, &path("next")).expect("parses").expect("exists");
        assert_eq!(&src[span.range], "plain ü");
        assert_eq!(set(src, "next", "😀 ok"), replaced(src, "plain ü", "😀 ok"));
        assert_eq!(set(src, "last", "é'"), replaced(src, "'x'", "'é'''"));
        assert_eq!(set(src, "new", "1"), format!("{src}\nnew: 1"));
    }

    #[test]
    fn set_scalar_replaces_or_inserts_exactly() {
        let cases = [
            // Existing scalars keep their style when they can.
            ("schema_version: \"2.0\"\n", "schema_version", "2.1", "schema_version: \"2.1\"\n"),
            ("a: \"x\"  # c\n", "a", "say \"hi\" \\ ok", "a: \"say \\\"hi\\\" \\\\ ok\"  # c\n"),
            ("a: \"x\"\n", "a", "two\nlines\t\u{7}", "a: \"two\\nlines\\t\\x07\"\n"),
            ("a: 'x'  # c\n", "a", "it's", "a: 'it''s'  # c\n"),
            ("a: 'x'\n", "a", "line\nbreak", "a: \"line\\nbreak\"\n"),
            ("a: x   # c\n", "a", "true", "a: true   # c\n"),
            ("a: x\n", "a", "42", "a: 42\n"),
            ("a: x\n", "a", "null", "a: null\n"),
            ("a: x\n", "a", "in-progress", "a: in-progress\n"),
            ("a: x\n", "a", "2026-11-21T10:00:00", "a: 2026-11-21T10:00:00\n"),
            ("a: x\n", "a", "042", "a: \"042\"\n"),
            ("a: x\n", "a", "~", "a: \"~\"\n"),
            ("a: x\n", "a", "1e3", "a: \"1e3\"\n"),
            ("a: x\n", "a", "a: b", "a: \"a: b\"\n"),
            ("a: x\n", "a", "x # y", "a: \"x # y\"\n"),
            ("a: x\n", "a", " lead", "a: \" lead\"\n"),
            ("a: x\n", "a", "- item", "a: \"- item\"\n"),
            ("a: x\n", "a", "", "a: \"\"\n"),
            ("a: x\n", "a", "multi\nline", "a: \"multi\\nline\"\n"),
            ("a: multi\n  line  # c\nb: 1\n", "a", "one", "a: one  # c\nb: 1\n"),
            ("a: [x, y]\n", "a[1]", "b, c", "a: [x, \"b, c\"]\n"),
            ("a: [x, y]\n", "a.0", "z", "a: [z, y]\n"),
            ("a: {k: v}\n", "a.k", "w", "a: {k: w}\n"),
            ("a: &an v\nb: *an\n", "b", "w", "a: &an v\nb: w\n"),
            ("a: &an v\nb: *an\n", "a", "z", "a: &an z\nb: *an\n"),
            ("c: !!str 12\n", "c", "13", "c: !!str 13\n"),
            ("\"q k\": 1\n", "q k", "2", "\"q k\": 2\n"),
            ("2: x\n", "2", "y", "2: y\n"),
            ("- a\n- b\n", "[1]", "c", "- a\n- c\n"),
            ("a: x", "a", "y", "a: y"),
            // Empty values get the value after their indicator.
            ("a:\nb: 1\n", "a", "5", "a: 5\nb: 1\n"),
            ("a:   # c\n", "a", "5", "a: 5  # c\n"),
            ("a:", "a", "5", "a: 5"),
            ("- \n- x\n", "[0]", "v", "- v\n- x\n"),
            ("-\n- x\n", "[0]", "v", "- v\n- x\n"),
            ("k:\n  - \n", "k[0]", "a b", "k:\n  - a b\n"),
            // Block scalars keep indicator, header comment and indentation.
            ("a: |\n  old\n  text\nb: 1\n", "a", "new\nlines\n", "a: |\n  new\n  lines\nb: 1\n"),
            ("a: |\n  old\nb: 1\n", "a", "one", "a: |-\n  one\nb: 1\n"),
            (
                "a: |+  # keep\r\n    old\r\n\r\nb: 1\r\n",
                "a",
                "x\n\ny",
                "a: |-  # keep\r\n    x\r\n\r\n    y\r\n\r\nb: 1\r\n",
            ),
            ("a: &x |\n  t\n", "a", "u\n", "a: &x |\n  u\n"),
            ("- |\n  t\n", "[0]", "u", "- |-\n  u\n"),
            ("a: |\nb: 1\n", "a", "x", "a: |-\n  x\nb: 1\n"),
            ("a: |\n  t\n", "a", " lead", "a: \" lead\"\n"),
            ("a: >\n  some\n  words\nb: 1\n", "a", "short", "a: >-\n  short\nb: 1\n"),
            ("a: >\n  some\n  words\nb: 1\n", "a", "two\nlines", "a: \"two\\nlines\"\nb: 1\n"),
            // A missing last key becomes a new line in its block mapping.
            ("a: 1\nb: 2\n", "c", "3", "a: 1\nb: 2\nc: 3\n"),
            ("a: 1", "c", "3", "a: 1\nc: 3"),
            ("a: 1\r\nb: 2\r\n", "c", "x y", "a: 1\r\nb: 2\r\nc: x y\r\n"),
            ("a: 1  # c\n# tail\n", "z", "1", "a: 1  # c\nz: 1\n# tail\n"),
            ("x:\n  a: 1\n  b: 2\ny: 3\n", "x.c", "hi", "x:\n  a: 1\n  b: 2\n  c: hi\ny: 3\n"),
            ("x:\n  d: |\n    text\n\ny: 1\n", "x.e", "2", "x:\n  d: |\n    text\n  e: 2\n\ny: 1\n"),
            ("x:\n  l:\n    - 1\n    - 2\ny: 1\n", "x.m", "v", "x:\n  l:\n    - 1\n    - 2\n  m: v\ny: 1\n"),
            ("a: [1,\n  2]\n", "b", "x", "a: [1,\n  2]\nb: x\n"),
            ("a: \"q\"  # c\n", "b", "x", "a: \"q\"  # c\nb: x\n"),
            ("- id: T\n  x: 1\n- id: U\n", "[0].y", "v", "- id: T\n  x: 1\n  y: v\n- id: U\n"),
            ("a: 1\n", "x: y", "a: b", "a: 1\n\"x: y\": \"a: b\"\n"),
            ("meta:\nother: 1\n", "meta.k", "v", "meta:\n  k: v\nother: 1\n"),
            ("- meta:  # c\n", "[0].meta.k", "v", "- meta:  # c\n    k: v\n"),
            ("", "status", "in-progress", "status: in-progress\n"),
            ("# only\n", "k", "v", "# only\nk: v\n"),
            ("# only", "k", "v", "# only\nk: v"),
        ];
        for (src, p, value, want) in cases {
            assert_eq!(set(src, p, value), want, "{src:?} set {p} = {value:?}");
            let back = to_json(want).expect(want);
            let got = back.pointer(&pointer(&path(p))).map(json_text);
            assert_eq!(got.as_deref(), Some(value), "{want:?} reads back at {p}");
        }
    }

    #[test]
    fn set_scalar_on_an_empty_text_inserts_at_zero() {
        let edit = set_scalar("", &path("status"), "planned").expect("inserts");
        assert_eq!(edit, Edit { range: 0..0, text: "status: planned\n".to_owned() });
    }

    #[test]
    fn set_scalar_errors_carry_the_path() {
        let insert = |path: &str, line, reason: &str| SetError::CannotInsert {
            path: path.to_owned(),
            line,
            reason: reason.to_owned(),
        };
        let cases = [
            ("a: 1\n", "b.c", SetError::NotFound { path: "b".to_owned() }),
            ("a:\n  b: 1\n", "a.x.y", SetError::NotFound { path: "a.x".to_owned() }),
            ("a: [1]\n", "a[3]", SetError::NotFound { path: "a[3]".to_owned() }),
            ("", "a.b", SetError::NotFound { path: "a".to_owned() }),
            ("a:\n  b: 1\n", "a", SetError::NotAScalar { path: "a".to_owned(), line: 2 }),
            ("a: 1\n", "a.b", insert("a.b", 1, "a scalar")),
            ("a: {b: 1}\n", "a.c", insert("a.c", 1, "a flow mapping ({...})")),
            ("a:\n  - 1\n", "a.k", insert("a.k", 2, "a sequence")),
            ("a: 1\rb: 2\n", "c", insert("c", 1, LONE_CR)),
            ("x: 1\ra:\n", "a.b", insert("a.b", 1, LONE_CR)),
            ("a: &x\n  b: 1\nc: *x\n", "c.b", SetError::ThroughAlias { path: "c.b".to_owned(), line: 3 }),
            ("a: &x\n  b: 1\nc: *x\n", "c.z", SetError::ThroughAlias { path: "c.z".to_owned(), line: 3 }),
        ];
        for (src, p, want) in cases {
            assert_eq!(set_scalar(src, &path(p), "v"), Err(want), "{src:?} at {p}");
        }
        let err = set_scalar("a: 1\n", &path("b.c"), "v").expect_err("missing");
        assert_eq!(err.to_string(), "`b` does not exist");
    }

    #[test]
    fn seed_002_block_yields_its_tasks() {
        let tasks = plan_tasks(SEED_002_BLOCK).expect("seed parses");
        let summary: Vec<_> = tasks
            .iter()
            .map(|t| {
                (t.id.as_str(), t.line, format_path(&t.path), t.priority.as_deref(), t.status.as_deref())
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("TASKS-XX", 3, "phase_1_tasks[0]".to_owned(), Some("P0"), Some("NOT_STARTED")),
                ("TASKS-YY", 26, "phase_1_tasks[1]".to_owned(), Some("P1"), Some("NOT_STARTED")),
            ]
        );
        let first = &tasks[0];
        assert_eq!(first.service_name.as_deref(), Some("[P0 Service Name]"));
        assert_eq!(first.dependents.as_deref(), Some("[Critical Dependents]"));
        assert_eq!((first.started.as_deref(), first.completed.as_deref()), (None, None));
        let impl_path = first.implementation_path.as_deref().map(format_path);
        assert_eq!(impl_path.as_deref(), Some("phase_1_tasks[0].workflow.implementation"));
        let item = |name: &str, line| CheckItem { name: name.to_owned(), value: false, line };
        for (task, base) in [(&tasks[0], 0), (&tasks[1], 23)] {
            let pre = task.pre_check.as_ref().expect("pre_check");
            let post = task.post_check.as_ref().expect("post_check");
            assert_eq!(pre.status.as_deref(), Some("NOT_STARTED"));
            assert_eq!(post.status.as_deref(), Some("NOT_STARTED"));
            assert_eq!((pre.status_line, post.status_line), (Some(9 + base), Some(20 + base)));
            assert_eq!(format_path(&pre.path), format!("{}.workflow.pre_check", format_path(&task.path)));
            let want_pre = [
                item("verified_req", 11 + base),
                item("verified_spec", 12 + base),
                item("confirmed_arch", 13 + base),
                item("checked_deps", 14 + base),
            ];
            assert_eq!(pre.items, want_pre);
            let want_post = [
                item("tests_passing", 22 + base),
                item("coverage_met", 23 + base),
                item("docs_updated", 24 + base),
                item("session_logged", 25 + base),
            ];
            assert_eq!(post.items, want_post);
        }
        let crlf = SEED_002_BLOCK.replace('\n', "\r\n");
        assert_eq!(plan_tasks(&crlf).expect("crlf parses"), tasks);
    }

    #[test]
    fn seed_002_checklist_and_started_edits_touch_one_value() {
        for eol in ["\n", "\r\n"] {
            let src = SEED_002_BLOCK.replace('\n', eol);
            let got = set(&src, "phase_1_tasks[0].workflow.pre_check.checklist[1].verified_spec", "true");
            let want = replaced(
                &src,
                "          - verified_spec: false      # Verified against SPEC-NN",
                "          - verified_spec: true      # Verified against SPEC-NN",
            );
            assert_eq!(got, want);
            let tasks = plan_tasks(&got).expect("edited block parses");
            let values: Vec<bool> =
                tasks[0].pre_check.as_ref().expect("pre").items.iter().map(|i| i.value).collect();
            assert_eq!(values, [false, true, false, false]);

            let got = set(&src, "phase_1_tasks[0].workflow.implementation.started", "2026-11-21T10:00:00");
            let want = replaced(
                &src,
                "        started: null                # YYYY-MM-DDTHH:MM:SS when started",
                "        started: 2026-11-21T10:00:00                # YYYY-MM-DDTHH:MM:SS when started",
            );
            assert_eq!(got, want);
            let tasks = plan_tasks(&got).expect("edited block parses");
            assert_eq!(tasks[0].started.as_deref(), Some("2026-11-21T10:00:00"));
            assert_eq!(tasks[1].started, None);

            // The second task's implementation status is its second `status:` line.
            let got = set(&src, "phase_1_tasks.1.workflow.implementation.status", "IN_PROGRESS");
            let second = src.find("TASKS-YY").expect("second task");
            let status = "status: NOT_STARTED";
            let first_status = second + src[second..].find(status).expect("pre status");
            let target =
                first_status + status.len() + src[first_status + status.len()..].find(status).expect("impl");
            let want = format!("{}status: IN_PROGRESS{}", &src[..target], &src[target + status.len()..]);
            assert_eq!(got, want);
        }
    }

    #[test]
    fn plan_tasks_reads_flat_tasks_and_odd_values() {
        let src = "tasks:\n  - id: 7\n    pre_check:\n      checklist:\n        - done: true\n        - maybe: yes\n        - bare item\n    implementation:\n      status: IN_PROGRESS\n      started: 2026-01-02T03:04:05\n      completed: ~\n  - id: skip-me\n    name: not a task\nother:\n  nested:\n    - id: N\n      workflow:\n        implementation: {status: DONE}\n";
        let tasks = plan_tasks(src).expect("parses");
        assert_eq!(tasks.len(), 2);
        let flat = &tasks[0];
        assert_eq!((flat.id.as_str(), flat.line, format_path(&flat.path)), ("7", 2, "tasks[0]".to_owned()));
        let pre = flat.pre_check.as_ref().expect("pre_check");
        assert_eq!(format_path(&pre.path), "tasks[0].pre_check");
        let items: Vec<_> = pre.items.iter().map(|i| (i.name.as_str(), i.value, i.line)).collect();
        assert_eq!(items, [("done", true, 5), ("maybe", false, 6), ("bare item", false, 7)]);
        assert_eq!((pre.status.as_deref(), pre.status_line), (None, None));
        assert_eq!(flat.post_check, None);
        assert_eq!(flat.status.as_deref(), Some("IN_PROGRESS"));
        assert_eq!(flat.started.as_deref(), Some("2026-01-02T03:04:05"));
        assert_eq!(flat.completed, None);
        let impl_path = flat.implementation_path.as_deref().map(format_path);
        assert_eq!(impl_path.as_deref(), Some("tasks[0].implementation"));
        let nested = &tasks[1];
        assert_eq!(
            (nested.id.as_str(), nested.line, format_path(&nested.path)),
            ("N", 16, "other.nested[0]".to_owned())
        );
        assert_eq!(nested.status.as_deref(), Some("DONE"));
        assert_eq!(plan_tasks("").expect("empty"), []);
    }

    #[test]
    fn seed_003_frontmatter_reads_and_edits() {
        let fm = find_frontmatter(SEED_003_HEAD, 0).expect("frontmatter");
        assert_eq!(&SEED_003_HEAD[fm.range.end..], "\n# Milestone [X]: [Milestone Name]\n");
        let body = &SEED_003_HEAD[fm.body.clone()];
        let want = json!({
            "type": "milestone",
            "audience": ["developers"],
            "scope": "project-specific",
            "last-updated": "YYYY-MM-DD",
            "status": "planned",
            "related-docs": ["README.md", "../../development/README.md"],
        });
        assert_eq!(to_json(body).expect("parses").to_string(), want.to_string());
        assert_eq!(
            set(body, "status", "in-progress"),
            replaced(body, "status: planned", "status: in-progress")
        );
        assert_eq!(
            set(body, "last-updated", "2026-01-20"),
            replaced(body, "last-updated: YYYY-MM-DD", "last-updated: 2026-01-20")
        );
        assert_eq!(set(body, "audience[0]", "all"), replaced(body, "[developers]", "[all]"));
        assert_eq!(set(body, "assignee", "me"), format!("{body}assignee: me\n"));
        let edit = set_scalar(body, &path("status"), "done").expect("edit");
        let start = fm.body.start;
        let shifted = Edit { range: edit.range.start + start..edit.range.end + start, text: edit.text };
        assert_eq!(
            apply(SEED_003_HEAD, &[shifted]),
            replaced(SEED_003_HEAD, "status: planned", "status: done")
        );
    }

    // ----- property tests: generated mappings, one value changed or added -----

    #[derive(Debug, Clone)]
    enum Written {
        Plain(&'static str),
        Single(String),
        Double(String),
        /// A block scalar: header (`|`, `>-`, ...), content lines, a blank line after it.
        Block(&'static str, Vec<String>, bool),
    }

    impl Written {
        /// The scalar as written, with `\n` line breaks and content indented by `indent`.
        fn text(&self, indent: &str) -> String {
            match self {
                Written::Plain(s) => (*s).to_owned(),
                Written::Single(s) => format!("'{}'", s.replace('\'', "''")),
                Written::Double(s) => double_quoted(s),
                Written::Block(header, lines, blank) => {
                    let body: String = lines.iter().map(|l| format!("\n{indent}{l}")).collect();
                    format!("{header}{body}{}", if *blank { "\n" } else { "" })
                }
            }
        }
    }

    #[derive(Debug, Clone)]
    enum Entry {
        Scalar(Written, bool),
        Nested(Vec<(Written, bool)>),
    }

    fn written() -> impl Strategy<Value = Written> {
        let plain = vec![
            "abc",
            "42",
            "true",
            "null",
            "2026-01-15T10:00:00",
            "in-progress",
            "x y",
            "é😀",
            "-1.5",
            "a:b",
        ];
        prop_oneof![
            prop::sample::select(plain).prop_map(Written::Plain),
            "[a-z '😀é#:]{0,8}".prop_map(Written::Single),
            "[a-z \"\\\\😀é#:\n\t]{0,8}".prop_map(Written::Double),
            (
                prop::sample::select(vec!["|", "|-", "|+", ">", ">-", "|  # c 😀"]),
                prop::collection::vec("[a-z😀#]([a-z😀 #]{0,5}[a-z😀])?", 1..4),
                any::<bool>(),
            )
                .prop_map(|(h, lines, blank)| Written::Block(h, lines, blank)),
        ]
    }

    fn entry() -> impl Strategy<Value = Entry> {
        prop_oneof![
            (written(), any::<bool>()).prop_map(|(w, c)| Entry::Scalar(w, c)),
            prop::collection::vec((written(), any::<bool>()), 1..4).prop_map(Entry::Nested),
        ]
    }

    fn new_value() -> impl Strategy<Value = String> {
        let special = vec![
            "true",
            "42",
            "null",
            "",
            "- x",
            "a: b",
            "x # y",
            "042",
            "~",
            "2026-11-21T10:00:00",
            " lead",
            "trail ",
            "[1]",
            "{}",
            "*a",
            "&a b",
            "'q'",
            "\"dq\"",
            "1.50",
            ".inf",
        ];
        prop_oneof![
            "[ -~]{0,10}",
            "[a-z😀é\n\"'#: -]{0,10}",
            prop::sample::select(special).prop_map(str::to_owned),
        ]
    }

    /// Builds a document; returns it, the paths of its scalars and the paths of its mappings.
    fn build(entries: &[Entry], crlf: &[bool], final_eol: bool) -> (String, Vec<Vec<Seg>>, Vec<Vec<Seg>>) {
        let mut out = String::from("# header ⏳");
        let mut line = 0;
        let mut eol = |out: &mut String| {
            out.push_str(if crlf[line % crlf.len()] { "\r\n" } else { "\n" });
            line += 1;
        };
        let comment = |c: bool| if c { "   # note 😀" } else { "" };
        let (mut scalars, mut maps) = (Vec::new(), vec![Vec::new()]);
        for (i, e) in entries.iter().enumerate() {
            eol(&mut out);
            let key = format!("k{i}");
            match e {
                Entry::Scalar(w, c) => {
                    let text =
                        format!("{key}: {}{}", w.text("  "), comment(*c && !matches!(w, Written::Block(..))));
                    for (n, part) in text.split('\n').enumerate() {
                        if n > 0 {
                            eol(&mut out);
                        }
                        out.push_str(part);
                    }
                    scalars.push(vec![Seg::Key(key)]);
                }
                Entry::Nested(items) => {
                    out.push_str(&format!("{key}:{}", comment(i % 2 == 0)));
                    maps.push(vec![Seg::Key(key.clone())]);
                    for (j, (w, c)) in items.iter().enumerate() {
                        eol(&mut out);
                        let text = format!(
                            "  n{j}: {}{}",
                            w.text("    "),
                            comment(*c && !matches!(w, Written::Block(..)))
                        );
                        for (n, part) in text.split('\n').enumerate() {
                            if n > 0 {
                                eol(&mut out);
                            }
                            out.push_str(part);
                        }
                        scalars.push(vec![Seg::Key(key.clone()), Seg::Key(format!("n{j}"))]);
                    }
                }
            }
        }
        if final_eol {
            eol(&mut out);
        }
        (out, scalars, maps)
    }

    proptest! {
        #[test]
        fn set_scalar_changes_only_the_target(
            entries in prop::collection::vec(entry(), 1..6),
            crlf in prop::collection::vec(any::<bool>(), 1..5),
            final_eol in any::<bool>(),
            pick in any::<prop::sample::Index>(),
            value in new_value(),
        ) {
            let (src, scalars, _) = build(&entries, &crlf, final_eol);
            let target = pick.get(&scalars);
            let old = to_json(&src).expect("generated YAML parses");
            let span = scalar_span(&src, target).expect("parses").expect("target exists");
            let edit = set_scalar(&src, target, &value).expect("edit");
            prop_assert_eq!(&edit.range, &span.range);
            let new_src = apply(&src, std::slice::from_ref(&edit));
            prop_assert_eq!(&new_src[..span.range.start], &src[..span.range.start]);
            prop_assert_eq!(&new_src[span.range.start + edit.text.len()..], &src[span.range.end..]);
            let new = to_json(&new_src).expect("edited YAML parses");
            let at = pointer(target);
            let got = new.pointer(&at).expect("target still there");
            prop_assert_eq!(json_text(got), value.clone());
            let mut want = old;
            *want.pointer_mut(&at).expect("target was there") = got.clone();
            prop_assert_eq!(new.to_string(), want.to_string());
        }

        #[test]
        fn set_scalar_inserts_a_missing_key_last(
            entries in prop::collection::vec(entry(), 1..6),
            crlf in prop::collection::vec(any::<bool>(), 1..5),
            final_eol in any::<bool>(),
            pick in any::<prop::sample::Index>(),
            value in new_value(),
        ) {
            let (src, _, maps) = build(&entries, &crlf, final_eol);
            let mut target = pick.get(&maps).clone();
            target.push(Seg::Key("zz new".to_owned()));
            let edit = set_scalar(&src, &target, &value).expect("insert");
            prop_assert!(edit.range.is_empty());
            let new_src = apply(&src, &[edit]);
            let new = to_json(&new_src).expect("edited YAML parses");
            let mut want = to_json(&src).expect("generated YAML parses");
            let parent = want.pointer_mut(&pointer(&target[..target.len() - 1])).expect("parent");
            let got = new.pointer(&pointer(&target)).expect("inserted").clone();
            prop_assert_eq!(json_text(&got), value.clone());
            parent.as_object_mut().expect("mapping").insert("zz new".to_owned(), got);
            prop_assert_eq!(new.to_string(), want.to_string());
        }
    }
}
