//! Commit-message rules: Conventional Commits 1.0.0 with the repository's types, scopes and
//! header length; the messages git writes itself; and cleaning a message the way git does
//! before it is stored (comment lines, the scissors line, blank lines).
//!
//! The header is checked here, character by character, so that every problem has a column
//! for a caret; the body and footers are parsed by `git-conventional`. This module takes text
//! and returns findings: it never reads files or prints.

use std::fmt::Write as _;

/// The rules a message is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    pub types: Vec<String>,
    /// Allowed scopes; empty allows any.
    pub scopes: Vec<String>,
    /// The longest header allowed, in characters.
    pub header_length: usize,
}

impl Rules {
    /// Returns the rules of a configuration.
    pub fn from_config(config: &crate::config::Config) -> Rules {
        Rules {
            types: config.types.clone(),
            scopes: config.scopes.clone(),
            header_length: config.header_length,
        }
    }
}

/// One thing wrong with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The rule's id.
    pub rule: &'static str,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The 1-based line of the cleaned message.
    pub line: usize,
    /// The 0-based column (in characters) the caret goes under.
    pub column: usize,
}

/// What kind of message git writes itself, which passes as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitMessage {
    Merge,
    Revert,
    Fixup,
    Squash,
    Amend,
}

/// The verdict on one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A Conventional Commit that follows the rules.
    Conventional,
    /// A message git writes itself (`Merge ...`, `Revert "..."`, `fixup! ...`).
    Git(GitMessage),
    /// An empty message: git itself refuses it (unless `--allow-empty-message`).
    Empty,
    /// What is wrong, header problems first.
    Problems(Vec<Problem>),
}

/// Returns the kind of git-written message `header` is, if it is one.
pub fn git_message(header: &str) -> Option<GitMessage> {
    if header.starts_with("Merge ") {
        Some(GitMessage::Merge)
    } else if header.starts_with("Revert \"") || header.starts_with("Reapply \"") {
        Some(GitMessage::Revert)
    } else if header.starts_with("fixup! ") {
        Some(GitMessage::Fixup)
    } else if header.starts_with("squash! ") {
        Some(GitMessage::Squash)
    } else if header.starts_with("amend! ") {
        Some(GitMessage::Amend)
    } else {
        None
    }
}

/// Returns the verdict on a cleaned message (see [`clean`]).
pub fn check(message: &str, rules: &Rules) -> Verdict {
    let header = message.lines().next().unwrap_or_default();
    if message.trim().is_empty() {
        return Verdict::Empty;
    }
    if let Some(kind) = git_message(header) {
        return Verdict::Git(kind);
    }
    let mut problems = check_header(header, rules);
    if problems.is_empty() {
        problems.extend(check_body(message));
    }
    if problems.is_empty() { Verdict::Conventional } else { Verdict::Problems(problems) }
}

/// The parts of a well-formed header.
struct Header<'a> {
    kind: &'a str,
    scope: Option<(&'a str, usize)>,
}

fn problem(rule: &'static str, column: usize, message: impl Into<String>) -> Problem {
    Problem { rule, message: message.into(), line: 1, column }
}

/// Returns the problems of a header `type(scope)!: description`.
fn check_header(header: &str, rules: &Rules) -> Vec<Problem> {
    let mut problems = Vec::new();
    match parse_header(header) {
        Err(p) => problems.push(p),
        Ok(h) => {
            if !rules.types.iter().any(|t| t == h.kind) {
                let hint = closest(h.kind, &rules.types)
                    .map(|t| format!(" (did you mean `{t}`?)"))
                    .unwrap_or_default();
                problems.push(problem(
                    "type",
                    0,
                    format!("`{}` is not an allowed type{hint}; allowed: {}", h.kind, rules.types.join(", ")),
                ));
            }
            if let Some((scope, at)) = h.scope
                && !rules.scopes.is_empty()
                && !rules.scopes.iter().any(|s| s == scope)
            {
                problems.push(problem(
                    "scope",
                    at,
                    format!("`{scope}` is not an allowed scope; allowed: {}", rules.scopes.join(", ")),
                ));
            }
        }
    }
    let length = header.chars().count();
    if length > rules.header_length {
        problems.push(problem(
            "header-length",
            rules.header_length,
            format!("the header is {length} characters long; the limit is {}", rules.header_length),
        ));
    }
    problems
}

/// Returns the parts of `type(scope)!: description`, or the first thing wrong with it.
fn parse_header(header: &str) -> Result<Header<'_>, Problem> {
    let col_of = |byte: usize| header[..byte].chars().count();
    let type_end = header.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(header.len());
    if type_end == 0 {
        return Err(problem("type", 0, "the header must start with a type, e.g. `feat: ` or `fix(scope): `"));
    }
    let kind = &header[..type_end];
    // A word not followed by `(`, `!` or `:` is the start of a description, not a type.
    if !matches!(header[type_end..].chars().next(), Some('(' | '!' | ':')) {
        return Err(problem(
            "type",
            0,
            "the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): `",
        ));
    }
    if !kind.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Err(problem(
            "type",
            0,
            format!("`{kind}` is not a type: a type is a word such as `feat` or `fix`"),
        ));
    }
    if kind.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(problem(
            "type",
            0,
            format!("the type is written in lowercase: `{}`", kind.to_ascii_lowercase()),
        ));
    }
    let mut at = type_end;
    let mut scope = None;
    if header[at..].starts_with('(') {
        let close = header[at..].find(')').map(|c| at + c);
        let Some(close) = close else {
            return Err(problem(
                "scope",
                col_of(at),
                "the scope is not closed: write `type(scope): description`",
            ));
        };
        let inner = &header[at + 1..close];
        if inner.trim().is_empty() {
            return Err(problem(
                "scope",
                col_of(at),
                "the scope is empty: write a scope between the parentheses or leave them out",
            ));
        }
        if let Some(bad) = inner.find(|c: char| c.is_whitespace() || c == '(') {
            return Err(problem(
                "scope",
                col_of(at + 1 + bad),
                "a scope is one word (letters, digits, `-`, `_`, `/`, `.`, `,`), without spaces",
            ));
        }
        scope = Some((inner, col_of(at + 1)));
        at = close + 1;
    }
    if header[at..].starts_with('!') {
        at += 1;
    }
    if !header[at..].starts_with(':') {
        let found = header[at..].chars().next();
        let message = match found {
            None => "the header ends after the type: write `: ` and a description".to_string(),
            Some(c) => format!("expected `: ` after the type, found `{c}`"),
        };
        return Err(problem("separator", col_of(at), message));
    }
    at += 1;
    if !header[at..].starts_with(' ') {
        return Err(problem("separator", col_of(at), "a space must follow the colon: `type: description`"));
    }
    let description = header[at + 1..].trim();
    if description.is_empty() {
        return Err(problem("description", col_of(at + 1), "the description is missing after `: `"));
    }
    if header[at + 1..].starts_with(char::is_whitespace) {
        return Err(problem(
            "separator",
            col_of(at + 1),
            "one space, not more, separates `:` and the description",
        ));
    }
    Ok(Header { kind, scope })
}

/// Returns the problems of the body and footers: a blank line after the header, footers in
/// the `Token: value` / `Token #value` / `BREAKING CHANGE: value` form.
fn check_body(message: &str) -> Vec<Problem> {
    let mut lines = message.lines();
    lines.next();
    if let Some(second) = lines.next()
        && !second.trim().is_empty()
    {
        return vec![Problem {
            rule: "body",
            message: "a blank line must separate the header from the body".into(),
            line: 2,
            column: 0,
        }];
    }
    match git_conventional::Commit::parse(message) {
        Ok(_) => Vec::new(),
        Err(e) => {
            let (rule, line) = match e.kind() {
                git_conventional::ErrorKind::InvalidFooter => ("footer", footer_line(message)),
                _ => ("body", 3),
            };
            vec![Problem { rule, message: e.to_string(), line, column: 0 }]
        }
    }
}

fn footer_line(message: &str) -> usize {
    // The last paragraph holds the footers.
    let lines: Vec<&str> = message.lines().collect();
    let last_blank = lines.iter().rposition(|l| l.trim().is_empty()).unwrap_or(0);
    last_blank + 2
}

/// Returns the allowed type closest to `kind`, when one is close (a prefix either way, or
/// one or two edits away).
fn closest<'t>(kind: &str, types: &'t [String]) -> Option<&'t str> {
    let kind = kind.to_ascii_lowercase();
    types
        .iter()
        .map(|t| {
            (
                t,
                if kind.starts_with(t.as_str()) || t.starts_with(&kind) {
                    0
                } else {
                    edit_distance(&kind, t)
                },
            )
        })
        .filter(|(_, d)| *d <= 2)
        .min_by_key(|(_, d)| *d)
        .map(|(t, _)| t.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// Returns a corrected header for a refused one, when one can be guessed: the type fixed, or
/// guessed from the first word (`Add x` becomes `feat: add x`), the separator made `: `.
pub fn suggestion(header: &str, rules: &Rules) -> Option<String> {
    let header = header.trim();
    let (kind, scope_bang, rest) = match parse_loose(header) {
        Some(parts) => parts,
        None => {
            let first = header.split_whitespace().next()?.to_ascii_lowercase();
            let guess = guess_type(&first, rules)?;
            let mut desc = header.to_string();
            if let Some(c) = desc.chars().next() {
                desc.replace_range(..c.len_utf8(), &c.to_lowercase().to_string());
            }
            return Some(cut(format!("{guess}: {desc}"), rules.header_length));
        }
    };
    let lower = kind.to_ascii_lowercase();
    let kind = if rules.types.contains(&lower) {
        lower
    } else {
        closest(&lower, &rules.types).or_else(|| guess_type(&lower, rules)).unwrap_or("chore").to_string()
    };
    let desc = rest.trim();
    if desc.is_empty() {
        return None;
    }
    // An unclosed scope gets its parenthesis: `feat(api: x` becomes `feat(api): x`.
    let mut scope_bang = scope_bang.replace(' ', "");
    if scope_bang.starts_with('(') && !scope_bang.contains(')') {
        let bang = scope_bang.ends_with('!');
        scope_bang = format!("{})", scope_bang.trim_end_matches('!'));
        if bang {
            scope_bang.push('!');
        }
    }
    Some(cut(format!("{kind}{scope_bang}: {desc}"), rules.header_length))
}

/// Splits `type(scope)!:description` loosely (any spacing around the colon).
fn parse_loose(header: &str) -> Option<(&str, &str, &str)> {
    let colon = header.find(':')?;
    let head = header[..colon].trim_end();
    let kind_end = head.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(head.len());
    if kind_end == 0 || head[kind_end..].contains(' ') {
        return None;
    }
    Some((&head[..kind_end], &head[kind_end..], &header[colon + 1..]))
}

/// Returns a type for a header whose first word is `word`.
fn guess_type<'r>(word: &str, rules: &'r Rules) -> Option<&'r str> {
    let guess = match word {
        "add" | "adds" | "added" | "implement" | "implements" | "implemented" | "introduce" | "support"
        | "new" => "feat",
        "fix" | "fixes" | "fixed" | "repair" | "correct" | "resolve" | "resolves" => "fix",
        "doc" | "docs" | "document" | "documents" | "readme" => "docs",
        "test" | "tests" | "cover" => "test",
        "refactor" | "rename" | "move" | "extract" | "simplify" => "refactor",
        "speed" | "optimize" | "optimise" | "perf" => "perf",
        "bump" | "upgrade" | "deps" => "build",
        "format" | "lint" | "style" => "style",
        "ci" => "ci",
        _ => "chore",
    };
    rules
        .types
        .iter()
        .find(|t| *t == guess)
        .or_else(|| rules.types.iter().find(|t| *t == "chore"))
        .map(String::as_str)
}

fn cut(mut header: String, max: usize) -> String {
    if header.chars().count() > max {
        header = header.chars().take(max).collect::<String>().trim_end().to_string();
    }
    header
}

/// Returns a problem shown as git users expect: the line echoed, a caret under the column,
/// the rule and what is wrong.
pub fn render(message: &str, p: &Problem) -> String {
    let line = message.lines().nth(p.line.saturating_sub(1)).unwrap_or_default();
    let mut s = String::new();
    let _ = writeln!(s, "  {line}");
    let _ = writeln!(s, "  {}^", " ".repeat(p.column));
    let _ = write!(s, "  {} [{}]", p.message, p.rule);
    s
}

/// What comment lines start with, for [`clean`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentChar {
    Char(char),
    /// `core.commentChar = auto`: the character git chose, found from the message's own
    /// comment block.
    Auto,
}

/// How git cleans a message before storing it (`commit.cleanup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleanup {
    /// Comment lines and everything from the scissors line removed, then whitespace.
    Strip,
    /// Blank-line and trailing-space cleanup only (git's choice for `-m` and `-F`).
    Whitespace,
    /// Everything from the scissors line removed, then whitespace.
    Scissors,
    /// Nothing changed.
    Verbatim,
}

impl Cleanup {
    /// Returns the mode `commit.cleanup` names; `default` (or none) is [`Cleanup::Strip`] when
    /// the message went through an editor and [`Cleanup::Whitespace`] otherwise, as in git.
    pub fn from_config(value: Option<&str>, edited: bool) -> Cleanup {
        match value.map(str::to_ascii_lowercase).as_deref() {
            Some("strip") => Cleanup::Strip,
            Some("whitespace") => Cleanup::Whitespace,
            Some("scissors") => Cleanup::Scissors,
            Some("verbatim") => Cleanup::Verbatim,
            _ if edited => Cleanup::Strip,
            _ => Cleanup::Whitespace,
        }
    }
}

const SCISSORS: &str = " ------------------------ >8 ------------------------";

/// The characters git tries, in order, for `core.commentChar = auto`.
const AUTO_CHARS: &str = "#;@!$%^&|:";

/// Returns the comment character of a raw message file, when it shows one: the first
/// character of git's own comment block (`# Please enter the commit message ...`).
pub fn detect_comment_char(raw: &str) -> Option<char> {
    raw.lines().find_map(|line| {
        let c = line.chars().next()?;
        let rest = &line[c.len_utf8()..];
        let ours = rest.starts_with(" Please enter the commit message")
            || rest.starts_with(" Please enter a commit message")
            || rest.starts_with(" Changes to be committed:")
            || rest.starts_with(" On branch ")
            || rest.starts_with(SCISSORS);
        (ours && AUTO_CHARS.contains(c)).then_some(c)
    })
}

/// Returns whether the raw message file looks edited by a person in git's editor: it holds
/// git's comment block or a scissors line. (git strips comments only then.)
pub fn looks_edited(raw: &str) -> bool {
    detect_comment_char(raw).is_some()
}

/// Returns the message git will store for the raw message file `raw`, cleaned with `mode`
/// and comment character `comment` (for `auto`, the one git chose in the file, else `#`).
pub fn clean(raw: &str, mode: Cleanup, comment: &CommentChar) -> String {
    if mode == Cleanup::Verbatim {
        return raw.to_string();
    }
    let c = match comment {
        CommentChar::Char(c) => *c,
        CommentChar::Auto => detect_comment_char(raw).unwrap_or('#'),
    };
    let scissors = format!("{c}{SCISSORS}");
    let mut lines: Vec<&str> = Vec::new();
    for line in raw.lines() {
        if matches!(mode, Cleanup::Strip | Cleanup::Scissors) && line.trim_end() == scissors {
            break;
        }
        if mode == Cleanup::Strip && line.starts_with(c) {
            continue;
        }
        lines.push(line.trim_end());
    }
    // Collapse blank runs, drop leading and trailing blank lines.
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if blank {
            out.push('\n');
            blank = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            types: "feat fix docs style refactor perf test build ci chore revert"
                .split(' ')
                .map(String::from)
                .collect(),
            scopes: Vec::new(),
            header_length: 100,
        }
    }

    fn problems(message: &str) -> Vec<(&'static str, usize, usize)> {
        match check(message, &rules()) {
            Verdict::Problems(p) => p.into_iter().map(|p| (p.rule, p.line, p.column)).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn conventional_messages_pass() {
        for m in [
            "feat: add limiter",
            "feat(api): add limiter\n",
            "feat(api)!: drop v1\n\nBREAKING CHANGE: v1 is gone\n",
            "fix: off by one\n\nThe bucket refilled a tick early.\n\nRefs: #12\nReviewed-by: Dana\n",
            "fix: x\n\nRefs #12\n",
            "docs(api/v2): explain limits\n\nBREAKING-CHANGE: none really\n",
        ] {
            assert_eq!(check(m, &rules()), Verdict::Conventional, "{m:?}");
        }
    }

    #[test]
    fn gits_own_messages_pass() {
        for (m, kind) in [
            ("Merge branch 'feature/x' into main\n", GitMessage::Merge),
            ("Merge remote-tracking branch 'origin/main'\n", GitMessage::Merge),
            ("Revert \"feat: add limiter\"\n\nThis reverts commit abc.\n", GitMessage::Revert),
            ("Reapply \"feat: add limiter\"\n\nThis reverts commit def.\n", GitMessage::Revert),
            ("fixup! feat: add limiter\n", GitMessage::Fixup),
            ("squash! feat: add limiter\n", GitMessage::Squash),
            ("amend! feat: add limiter\n\nfeat: add the limiter\n", GitMessage::Amend),
        ] {
            assert_eq!(check(m, &rules()), Verdict::Git(kind), "{m:?}");
        }
        assert_eq!(check("\n\n", &rules()), Verdict::Empty);
    }

    #[test]
    fn each_problem_has_its_rule_and_column() {
        assert_eq!(problems("add limiter"), [("type", 1, 0)]);
        assert_eq!(problems("Add limiter"), [("type", 1, 0)]);
        assert_eq!(problems("Feat: add"), [("type", 1, 0)]);
        assert_eq!(problems("feature: add"), [("type", 1, 0)]);
        assert_eq!(problems("feat(api: add"), [("scope", 1, 4)]);
        assert_eq!(problems("feat(): add"), [("scope", 1, 4)]);
        assert_eq!(problems("feat(a b): add"), [("scope", 1, 6)]);
        assert_eq!(problems("feat:add"), [("separator", 1, 5)]);
        assert_eq!(problems("feat:  add"), [("separator", 1, 6)]);
        assert_eq!(problems("feat: "), [("description", 1, 6)]);
        assert_eq!(problems("feat"), [("type", 1, 0)]);
        assert_eq!(problems("feat!"), [("separator", 1, 5)]);
        assert_eq!(problems(": add"), [("type", 1, 0)]);
        assert_eq!(problems("feat: add\nbody right away"), [("body", 2, 0)]);
        let long = format!("feat: {}", "x".repeat(120));
        assert_eq!(problems(&long), [("header-length", 1, 100)]);
        let scoped = Rules { scopes: vec!["api".into()], ..rules() };
        match check("feat(cli): x", &scoped) {
            Verdict::Problems(p) => assert_eq!((p[0].rule, p[0].column), ("scope", 5)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn suggestions_fix_what_can_be_guessed() {
        let r = rules();
        assert_eq!(suggestion("Add limiter", &r).as_deref(), Some("feat: add limiter"));
        assert_eq!(suggestion("Fixed the off-by-one", &r).as_deref(), Some("fix: fixed the off-by-one"));
        assert_eq!(suggestion("feature(api): add limiter", &r).as_deref(), Some("feat(api): add limiter"));
        assert_eq!(suggestion("Feat:add limiter", &r).as_deref(), Some("feat: add limiter"));
        assert_eq!(suggestion("feat:", &r), None);
        assert_eq!(suggestion("feat(api: add limiter", &r).as_deref(), Some("feat(api): add limiter"));
    }

    #[test]
    fn the_caret_stands_under_the_problem() {
        let p = Problem { rule: "scope", message: "bad".into(), line: 1, column: 5 };
        assert_eq!(render("feat(a b): x", &p), "  feat(a b): x\n       ^\n  bad [scope]");
    }

    #[test]
    fn messages_are_cleaned_as_git_cleans_them() {
        let raw = "feat: add\n\n\nbody  \n# Please enter the commit message for your changes.\n# On branch main\n# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n";
        assert_eq!(clean(raw, Cleanup::Strip, &CommentChar::Char('#')), "feat: add\n\nbody\n");
        assert_eq!(
            clean(raw, Cleanup::Scissors, &CommentChar::Char('#')),
            "feat: add\n\nbody\n# Please enter the commit message for your changes.\n# On branch main\n"
        );
        let semi = "; Please enter the commit message\nfeat: x\n; comment\n#not a comment\n";
        assert_eq!(clean(semi, Cleanup::Strip, &CommentChar::Auto), "feat: x\n#not a comment\n");
        assert_eq!(clean(semi, Cleanup::Strip, &CommentChar::Char(';')), "feat: x\n#not a comment\n");
        assert_eq!(
            clean("# heading\nfeat: x\n", Cleanup::Whitespace, &CommentChar::Char('#')),
            "# heading\nfeat: x\n"
        );
        assert_eq!(Cleanup::from_config(None, true), Cleanup::Strip);
        assert_eq!(Cleanup::from_config(None, false), Cleanup::Whitespace);
        assert_eq!(Cleanup::from_config(Some("verbatim"), true), Cleanup::Verbatim);
        assert!(looks_edited("x\n# Please enter the commit message for your changes. Lines starting\n"));
        assert!(!looks_edited("feat: x\n"));
    }
}
