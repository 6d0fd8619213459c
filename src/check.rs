//! The pre-merge check: the rules a milestone's tracking document and its branch's history
//! must pass before the branch is merged (`git milestone check`, the merge and push gates).
//!
//! Every rule has an id (documented in docs/check.md) and reports each problem with where it
//! is (a line of the document, or a commit) and how to fix it. The check reads the document
//! and the history as given, from a work tree or from the object database alone.

use std::collections::HashSet;

use serde::Serialize;

use crate::conventional::{self, Rules, Verdict};
use crate::document::{Document, Status};
use crate::tracking::record::{self, BranchCommit, Elsewhere, History};

/// One problem the check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The rule's id: `checklist`, `placeholders`, `commits-recorded`, `conventional`,
    /// `up-to-date`, `status`, `tests`.
    pub rule: &'static str,
    pub message: String,
    /// The document, when the problem is in it.
    pub path: Option<String>,
    /// The document's line (1-based).
    pub line: Option<usize>,
    /// The commit (full id), when the problem is a commit.
    pub commit: Option<String>,
    /// How to fix it.
    pub hint: String,
}

/// What the check looks at.
pub struct Subject<'a> {
    /// The tracking document's path in the repository, and its text.
    pub path: &'a str,
    pub text: &'a str,
    /// The branch's commits (merge base with the base branch..tip), oldest first, without
    /// merges and bookkeeping commits, and what became of other recorded hashes.
    pub commits: &'a [BranchCommit],
    pub elsewhere: &'a dyn Fn(&str) -> Elsewhere,
    /// Every commit message on the branch (merges and bookkeeping commits too): id, message.
    pub messages: &'a [(String, String)],
    /// The base branch's name, and whether the branch contains its tip.
    pub base: &'a str,
    pub up_to_date: bool,
    /// Whether the base branch was found at all (without it, `up-to-date` fails).
    pub base_found: bool,
    /// The headings of the gating sections (`check.sections`).
    pub sections: &'a [String],
    /// The template the document was made from, whose `[placeholders]` must be gone.
    pub template: &'a str,
    /// The commit-message rules.
    pub rules: &'a Rules,
    /// Whether the document's status must say complete (`--final`).
    pub last: bool,
    /// The test command's run, when the check ran it.
    pub tests: Option<&'a TestRun>,
}

/// What the test command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRun {
    pub command: String,
    /// Whether it exited 0.
    pub success: bool,
    /// The counts its summary gives (passed, failed), when one was found.
    pub counts: Option<(u64, u64)>,
}

/// Returns (passed, failed) from a test run's output: libtest's `test result:` lines (summed
/// over every test binary), nextest's `Summary`, pytest's closing line, jest's `Tests:` line,
/// or go test's `--- PASS` / `--- FAIL` lines (with `-v`).
pub fn test_summary(output: &str) -> Option<(u64, u64)> {
    let number_before = |line: &str, word: &str| -> Option<u64> {
        let at = line.find(word)?;
        line[..at].trim_end().rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
    };
    let mut found = false;
    let (mut passed, mut failed) = (0, 0);
    // libtest: `test result: ok. 12 passed; 0 failed; ...`, once a binary.
    for line in output.lines().filter(|l| l.trim_start().starts_with("test result:")) {
        passed += number_before(line, " passed").unwrap_or(0);
        failed += number_before(line, " failed").unwrap_or(0);
        found = true;
    }
    if found {
        return Some((passed, failed));
    }
    // nextest: `Summary [ 0.1s] 12 tests run: 11 passed, 1 failed, 0 skipped`.
    if let Some(line) = output.lines().rev().find(|l| l.contains("Summary [") && l.contains("tests run:")) {
        return Some((
            number_before(line, " passed").unwrap_or(0),
            number_before(line, " failed").unwrap_or(0),
        ));
    }
    // jest: `Tests:       1 failed, 11 passed, 12 total`.
    if let Some(line) =
        output.lines().rev().find(|l| l.trim_start().starts_with("Tests:") && l.contains(" total"))
    {
        return Some((
            number_before(line, " passed").unwrap_or(0),
            number_before(line, " failed").unwrap_or(0),
        ));
    }
    // pytest: `==== 11 passed, 1 failed in 0.12s ====`.
    if let Some(line) = output.lines().rev().find(|l| {
        l.trim_start().starts_with('=')
            && (l.contains(" passed") || l.contains(" failed"))
            && l.contains(" in ")
    }) {
        return Some((
            number_before(line, " passed").unwrap_or(0),
            number_before(line, " failed").unwrap_or(0),
        ));
    }
    // go test -v: `--- PASS: TestX` and `--- FAIL: TestX`.
    let go_pass = output.lines().filter(|l| l.trim_start().starts_with("--- PASS:")).count() as u64;
    let go_fail = output.lines().filter(|l| l.trim_start().starts_with("--- FAIL:")).count() as u64;
    (go_pass + go_fail > 0).then_some((go_pass, go_fail))
}

/// What the check reads of the document's text alone: the document, parsed, and the commits
/// it records. [`parse`] makes it apart from the history (on another thread while the
/// history is read, for a long document).
pub struct Parsed<'a> {
    doc: Document<'a>,
    recorded: Vec<(record::Domain, record::Recorded)>,
}

/// Parses the document's `text` for [`check_parsed`].
///
/// # Errors
///
/// Fails when the document cannot be parsed.
pub fn parse(text: &str) -> Result<Parsed<'_>, crate::document::ParseError> {
    let doc = Document::parse(text)?;
    let recorded = record::recorded(&doc);
    Ok(Parsed { doc, recorded })
}

/// Returns every problem, rule by rule.
///
/// # Errors
///
/// Fails when the document cannot be parsed.
pub fn check(s: &Subject) -> Result<Vec<Problem>, crate::document::ParseError> {
    Ok(check_parsed(s, &parse(s.text)?))
}

/// Returns every problem, rule by rule, the document being `parsed` (from `s.text`).
pub fn check_parsed(s: &Subject, parsed: &Parsed) -> Vec<Problem> {
    let doc = &parsed.doc;
    let mut out = Vec::new();
    checklist(s, doc, &mut out);
    placeholders(s, doc, &mut out);
    commits_recorded(s, &parsed.recorded, &mut out);
    conventional(s, &mut out);
    if !s.up_to_date {
        out.push(Problem {
            rule: "up-to-date",
            message: match s.base_found {
                true => format!("the branch does not contain the tip of `{}`", s.base),
                false => format!("the base branch `{}` is not in this repository", s.base),
            },
            path: None,
            line: None,
            commit: None,
            hint: format!("rebase the branch on `{}` (`git rebase {}`) or merge it in", s.base, s.base),
        });
    }
    if s.last {
        status(s, doc, &mut out);
    }
    if let Some(run) = s.tests {
        tests(s, doc, run, &mut out);
    }
    out
}

fn at(s: &Subject, rule: &'static str, line: usize, message: String, hint: String) -> Problem {
    Problem { rule, message, path: Some(s.path.to_string()), line: Some(line), commit: None, hint }
}

/// Lowercase words of a heading without numbers: `Phase 1 Validation` is `phase validation`.
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// `checklist`: every checkbox in a gating section (and its subsections) is ticked.
fn checklist(s: &Subject, doc: &Document, out: &mut Vec<Problem>) {
    let wanted: Vec<String> = s.sections.iter().map(|w| words(w)).collect();
    let mut seen: HashSet<usize> = HashSet::new();
    for section in &doc.sections {
        let heading = words(doc.section_text(section));
        if !wanted.contains(&heading) {
            continue;
        }
        for item in doc.outline.items.iter().filter(|i| section.range.contains(&i.range.start)) {
            let Some(task) = &item.task else { continue };
            if task.checked || !seen.insert(task.marker.start) {
                continue;
            }
            let line = doc.line_of(item.range.start);
            out.push(at(
                s,
                "checklist",
                line,
                format!("`{}` is not ticked (in \"{}\")", item.text.trim(), doc.section_text(section)),
                format!("do it, then tick it: `git milestone tick {} --line {line}`", s.path),
            ));
        }
    }
}

/// The placeholders of a template: bracketed text (`[hash]`, `[YYYY-MM-DD]`, `[Task Name]`),
/// not a task box, a link or a footnote, plus counts with an `X` (`0/X tasks`).
pub fn template_placeholders(template: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = template.as_bytes();
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'[', &bytes[at..]).map(|i| at + i) {
        let Some(close) = memchr::memchr2(b']', b'\n', &bytes[open..]).map(|i| open + i) else { break };
        at = open + 1;
        if bytes[close] != b']' {
            continue;
        }
        let inner = &template[open + 1..close];
        let is_box = matches!(inner, " " | "x" | "X");
        let is_link =
            matches!(bytes.get(close + 1), Some(b'(' | b'[')) || (open > 0 && bytes[open - 1] == b']');
        if inner.trim().is_empty() || is_box || is_link || inner.starts_with('^') || inner.contains("{{") {
            continue;
        }
        let token = template[open..=close].to_string();
        if !out.contains(&token) {
            out.push(token);
        }
    }
    for token in ["/X tasks", "/X)", "[X]%", "X passing", "/ X total", "/ X planned"] {
        if template.contains(token) && !out.iter().any(|t| t == token) {
            out.push(token.to_string());
        }
    }
    out
}

/// The placeholders of the forms people fill by hand, checked whatever the template.
const COMMON: &[&str] = &[
    "[hash]",
    "[YYYY-MM-DD]",
    "[Task Name]",
    "[Phase Name]",
    "[commit message]",
    "/X tasks",
    // What `start` writes for a phase whose plan gives no goal.
    "[what this phase achieves]",
];

/// `placeholders`: no placeholder of the template is left in the document.
fn placeholders(s: &Subject, doc: &Document, out: &mut Vec<Problem>) {
    let mut tokens = template_placeholders(s.template);
    for t in COMMON {
        if !tokens.iter().any(|x| x == t) {
            tokens.push((*t).to_string());
        }
    }
    let body = &s.text[doc.body_start..];
    let mut found: Vec<(usize, &str)> = Vec::new();
    for token in &tokens {
        for (i, _) in body.match_indices(token.as_str()) {
            let offset = doc.body_start + i;
            if doc.outline.in_code_or_html(offset) {
                continue;
            }
            found.push((offset, token));
        }
    }
    found.sort_unstable();
    let mut last_line = 0;
    for (offset, token) in found {
        let line = doc.line_of(offset);
        if line == last_line {
            continue;
        }
        last_line = line;
        out.push(at(
            s,
            "placeholders",
            line,
            format!("the template's placeholder `{token}` is still there"),
            "fill it in, or remove the line if it does not apply".into(),
        ));
    }
}

/// `commits-recorded`: every branch commit is recorded under a task, and every recorded hash
/// names a commit of the branch.
fn commits_recorded(s: &Subject, items: &[(record::Domain, record::Recorded)], out: &mut Vec<Problem>) {
    let history = History::new(s.commits, s.elsewhere, true);
    let mut recorded: HashSet<usize> = HashSet::new();
    for (domain, item) in items {
        let hash = item.hash.to_ascii_lowercase();
        let on_branch = history.by_hash(&hash);
        if *domain == record::Domain::Tasks
            && let Some(c) = on_branch
        {
            recorded.insert(c);
        }
        if on_branch.is_none() && matches!((history.elsewhere)(&hash), Elsewhere::Gone | Elsewhere::Now(_)) {
            out.push(at(
                s,
                "commits-recorded",
                item.line,
                format!(
                    "`{}` is recorded, but the branch has no such commit (rewritten or dropped)",
                    item.hash
                ),
                "bring the document up to date: `git milestone sync`".into(),
            ));
        }
    }
    for (i, c) in s.commits.iter().enumerate() {
        if !recorded.contains(&i) {
            out.push(Problem {
                rule: "commits-recorded",
                message: format!("commit {} `{}` is not recorded under any task", c.short, c.subject),
                path: Some(s.path.to_string()),
                line: None,
                commit: Some(c.id.clone()),
                hint: "record it: `git milestone sync`".into(),
            });
        }
    }
}

/// `conventional`: every commit message on the branch passes the commit-msg rules.
fn conventional(s: &Subject, out: &mut Vec<Problem>) {
    // Checked on two threads for a long branch, reported in the branch's order.
    let parallel = s.messages.len() >= 2048 && crate::parallel::threads() > 1;
    let check = |from: usize, part: &[(String, String)]| -> Vec<(usize, Vec<conventional::Problem>)> {
        part.iter()
            .enumerate()
            .filter_map(|(i, (_, message))| match conventional::check(message, s.rules) {
                Verdict::Problems(problems) => Some((from + i, problems)),
                _ => None,
            })
            .collect()
    };
    let middle = s.messages.len() / 2;
    let (front, back) = s.messages.split_at(middle);
    let (mut failing, rest) = crate::parallel::join(parallel, || check(0, front), || check(middle, back));
    failing.extend(rest);
    let failing = failing.into_iter().map(|(i, problems)| (&s.messages[i].0, &s.messages[i].1, problems));
    for (id, message, problems) in failing {
        {
            let header = message.lines().next().unwrap_or_default();
            let first = problems.first().map(|p| p.message.clone()).unwrap_or_default();
            out.push(Problem {
                rule: "conventional",
                message: format!("commit {} `{header}`: {first}", &id[..id.len().min(7)]),
                path: None,
                line: None,
                commit: Some(id.clone()),
                hint: format!(
                    "reword it (`git rebase -i` with `reword`); `git milestone lint {}` shows every rule it breaks",
                    &id[..id.len().min(7)]
                ),
            });
        }
    }
}

/// `tests`: the test command passes, and its counts are what the document's test-status
/// lines say (summed over them).
fn tests(s: &Subject, doc: &Document, run: &TestRun, out: &mut Vec<Problem>) {
    let mut problem = |line: Option<usize>, message: String, hint: String| {
        out.push(Problem {
            rule: "tests",
            message,
            path: Some(s.path.to_string()),
            line,
            commit: None,
            hint,
        });
    };
    let Some((passed, failed)) = run.counts else {
        problem(
            None,
            format!(
                "`{}` printed no test summary git-milestone knows (libtest, nextest, pytest, jest, go test -v)",
                run.command
            ),
            "set `check.test_command` to the test runner itself".into(),
        );
        return;
    };
    if !run.success || failed > 0 {
        problem(
            None,
            format!("`{}` fails: {failed} failed, {passed} passed", run.command),
            "make the tests pass, then check again".into(),
        );
    }
    let lines: Vec<_> = doc.test_status.iter().filter(|t| !t.planned).collect();
    if lines.is_empty() {
        return;
    }
    let said_passing: u64 = lines.iter().filter_map(|t| t.passing).sum();
    let said_total: u64 = lines.iter().filter_map(|t| t.total).sum();
    let total = passed + failed;
    if (said_passing, said_total) != (passed, total) {
        let which: Vec<String> = lines.iter().map(|t| format!("{} (line {})", t.label, t.line)).collect();
        problem(
            lines.first().map(|t| t.line),
            format!(
                "the document says {said_passing} passing / {said_total} total in {}; the tests say {passed} passing / {total} total",
                which.join(", ")
            ),
            "update the test-status lines to what the tests say".into(),
        );
    }
}

/// `status` (`--final`): the document's status says complete.
fn status(s: &Subject, doc: &Document, out: &mut Vec<Problem>) {
    let field = doc.field("Status");
    let complete =
        field.is_some_and(|f| crate::document::status::recognize(&f.value) == Some(Status::Complete));
    if !complete {
        let (line, said) = field.map_or((1, "no status".to_string()), |f| (f.line, format!("`{}`", f.value)));
        out.push(at(
            s,
            "status",
            line,
            format!("the document's status is {said}, not complete"),
            format!(
                "finish it: `git milestone finish` (or set it: `git milestone set {} Status Complete`)",
                s.path
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_come_from_brackets_that_are_not_boxes_or_links() {
        let t = "- [ ] [Task Name]\n`[hash]` - [commit message]\n[a link](x) [ref][r] [^1]\n- [x] done {{id}} [{{title}}]\nPhase 1 (0/X tasks)\n";
        assert_eq!(template_placeholders(t), ["[Task Name]", "[hash]", "[commit message]", "/X tasks"]);
    }

    #[test]
    fn test_summaries_of_five_runners_are_read() {
        let libtest =
            "test result: ok. 3 passed; 0 failed; 0 ignored\n\ntest result: FAILED. 2 passed; 1 failed;\n";
        assert_eq!(test_summary(libtest), Some((5, 1)));
        assert_eq!(
            test_summary("     Summary [   0.120s] 12 tests run: 11 passed, 1 failed, 0 skipped\n"),
            Some((11, 1))
        );
        assert_eq!(test_summary("Tests:       1 failed, 11 passed, 12 total\n"), Some((11, 1)));
        assert_eq!(test_summary("============ 11 passed, 2 failed in 0.12s ============\n"), Some((11, 2)));
        assert_eq!(
            test_summary("=== RUN TestA\n--- PASS: TestA (0.00s)\n--- FAIL: TestB (0.00s)\n"),
            Some((1, 1))
        );
        assert_eq!(test_summary("nothing here\n"), None);
    }

    #[test]
    fn headings_compare_by_their_words_without_numbers() {
        assert_eq!(words("Phase 1 Validation"), "phase validation");
        assert_eq!(words("  Final Checklist "), "final checklist");
    }
}
