//! Conformance of the Markdown outline against the GitHub Flavored Markdown spec 0.29.
//!
//! For each of the spec's examples, the headings (level and text) and the task-list items
//! (checked or not) that [`Outline::parse`] finds must be those of the example's expected
//! HTML: every `<h1>`..`<h6>` element with its DOM `textContent`, and every
//! `<input type="checkbox">` in document order.
//!
//! The spec is test data kept outside the project: it is read at test time from
//! `$GIT_MILESTONE_GFM_SPEC`, else from `<CARGO_MANIFEST_DIR>/../shared/spec/gfm-spec.txt`.
//! When it is missing the test fails under CI and is skipped (with one line saying so)
//! elsewhere.

use std::fmt::Write as _;
use std::path::PathBuf;

mod common;

use common::under_ci;
use git_milestone::markdown::Outline;

/// The line that opens an example (an extension name may follow, as in `example table`).
const FENCE: &str = "````````````````````````````````";

/// How many examples the spec holds, and how many headings and checkboxes their expected
/// HTML holds in all: the test asserts them so that it cannot silently check nothing.
const EXAMPLES: usize = 673;
const HEADINGS: usize = 62;
const TASK_ITEMS: usize = 6;

/// Examples whose mismatch is not the library's fault, each with its reason; an entry whose
/// example agrees with the spec fails the test, so the list stays exact.
///
/// Only two reasons are admissible: (a) the expected `<hN>` comes from raw HTML passed
/// through (the input itself holds the `<hN` tag), which is HTML and not a Markdown heading;
/// (b) a block-structure rule that changed between CommonMark 0.29 (GFM 0.29's base) and
/// CommonMark 0.31 (pulldown-cmark 0.13's), named precisely. None is needed today: no
/// example's input holds a `<h1>`..`<h6>` tag, and none of the 0.30/0.31 block changes (HTML
/// block start conditions, fence and list-item details) alters any example's headings or
/// task items; all 673 examples agree.
const EXCLUDED: &[(usize, &str)] = &[];

/// One example of the spec.
struct Example {
    number: usize,
    section: String,
    input: String,
    output: String,
}

/// What a document holds for the purpose of this test: its headings as (level, text) and
/// its task-list checkboxes as checked or not, both in document order.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    headings: Vec<(u8, String)>,
    tasks: Vec<bool>,
}

/// Returns where the spec is looked for.
fn spec_path() -> PathBuf {
    match std::env::var_os("GIT_MILESTONE_GFM_SPEC") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/gfm-spec.txt"),
    }
}

/// Returns the spec's examples, numbered from 1, with `→` turned back into tabs.
fn examples(spec: &str) -> Vec<Example> {
    enum State {
        Prose,
        Input,
        Output,
    }
    let mut out = Vec::new();
    let mut state = State::Prose;
    let mut section = String::new();
    let (mut input, mut output) = (String::new(), String::new());
    for line in spec.lines() {
        match state {
            State::Prose => {
                if line.strip_prefix(FENCE).is_some_and(|rest| rest.starts_with(" example")) {
                    state = State::Input;
                } else if is_section_heading(line) {
                    section = line.trim_start_matches('#').trim().to_string();
                }
            }
            State::Input if line == "." => state = State::Output,
            State::Input => {
                input.push_str(line);
                input.push('\n');
            }
            State::Output if line == FENCE => {
                out.push(Example {
                    number: out.len() + 1,
                    section: section.clone(),
                    input: std::mem::take(&mut input).replace('→', "\t"),
                    output: std::mem::take(&mut output).replace('→', "\t"),
                });
                state = State::Prose;
            }
            State::Output => {
                output.push_str(line);
                output.push('\n');
            }
        }
    }
    out
}

/// Returns whether a prose line of the spec is one of its own section headings.
fn is_section_heading(line: &str) -> bool {
    let hashes = line.len() - line.trim_start_matches('#').len();
    (1..=6).contains(&hashes) && line[hashes..].starts_with(' ')
}

/// Returns the headings and checkboxes of a piece of HTML as a browser would see them.
fn expected(html: &str) -> Found {
    let mut headings = Vec::new();
    let mut tasks = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let bytes = rest.as_bytes();
        let level = bytes.get(2).filter(|b| (b'1'..=b'6').contains(b)).map(|b| b - b'0');
        let after = bytes.get(3).copied();
        match level {
            Some(level)
                if matches!(bytes.get(1), Some(b'h' | b'H'))
                    && matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'/')) =>
            {
                let open_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let close = format!("</h{level}>");
                let body = &rest[open_end..];
                let end = body.find(&close).unwrap_or(body.len());
                headings.push((level, text_content(&body[..end])));
                rest = &body[end..];
            }
            _ => {
                let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..tag_end];
                if tag.starts_with("<input") && tag.contains("type=\"checkbox\"") {
                    tasks.push(tag.contains("checked=\"\""));
                }
                rest = &rest[1..];
            }
        }
    }
    Found { headings, tasks }
}

/// Returns the `textContent` of a piece of HTML: tags (and so attributes) removed, character
/// references decoded.
fn text_content(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        text.push_str(&rest[..at]);
        rest = rest[at..].find('>').map_or("", |end| &rest[at + end + 1..]);
    }
    text.push_str(rest);
    decode_entities(&text)
}

/// Decodes the character references that occur in the spec's expected HTML: the named ones
/// it uses and any numeric one. An unknown reference is kept as it stands.
fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').and_then(|end| Some((decode_entity(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Returns the character a reference's name (between `&` and `;`) stands for.
fn decode_entity(name: &str) -> Option<char> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else if let Some(dec) = name.strip_prefix('#') {
        dec.parse().ok()?
    } else {
        return match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "ouml" => Some('ö'),
            _ => None,
        };
    };
    Some(char::from_u32(code).filter(|c| *c != '\0').unwrap_or('\u{FFFD}'))
}

/// Returns what the library finds in a Markdown text.
fn found(markdown: &str) -> Found {
    let outline = Outline::parse(markdown, 0);
    Found {
        headings: outline.headings.iter().map(|h| (h.level, h.text.to_string())).collect(),
        tasks: outline.items.iter().filter_map(|i| i.task.as_ref().map(|t| t.checked)).collect(),
    }
}

#[test]
fn every_gfm_example_yields_the_headings_and_task_items_of_its_expected_html() {
    let path = spec_path();
    let spec = match std::fs::read_to_string(&path) {
        Ok(spec) => spec,
        Err(e) if under_ci() => panic!("the GFM spec is needed under CI, looked for {}: {e}", path.display()),
        Err(e) => {
            println!(
                "gfm conformance skipped: no spec at {} ({e}); set GIT_MILESTONE_GFM_SPEC",
                path.display()
            );
            return;
        }
    };
    let examples = examples(&spec);
    let (mut headings, mut tasks) = (0, 0);
    let mut report = String::new();
    let mut unexcused = 0;
    let mut mismatched = Vec::new();
    for example in &examples {
        let want = expected(&example.output);
        let got = found(&example.input);
        headings += want.headings.len();
        tasks += want.tasks.len();
        if want == got {
            continue;
        }
        mismatched.push(example.number);
        let excused = EXCLUDED.iter().any(|(n, _)| *n == example.number);
        if !excused {
            unexcused += 1;
        }
        let _ = writeln!(
            report,
            "example {} ({}){}\n  input:    {:?}\n  expected: {:?}\n  found:    {:?}",
            example.number,
            example.section,
            if excused { " [excluded]" } else { "" },
            example.input,
            want,
            got,
        );
    }
    let stale: Vec<usize> = EXCLUDED.iter().map(|(n, _)| *n).filter(|n| !mismatched.contains(n)).collect();
    println!(
        "gfm conformance: {} examples, {headings} headings, {tasks} task items, {} excluded",
        examples.len(),
        EXCLUDED.len(),
    );
    if !report.is_empty() {
        println!("{report}");
    }
    assert_eq!(unexcused, 0, "{unexcused} example(s) disagree with the spec:\n{report}");
    assert!(stale.is_empty(), "excluded examples that now agree with the spec: {stale:?}");
    assert!(!examples.is_empty() && headings > 0 && tasks > 0, "the spec yielded nothing to check");
    assert_eq!((examples.len(), headings, tasks), (EXAMPLES, HEADINGS, TASK_ITEMS));
}

#[test]
fn the_expected_html_is_read_as_a_browser_reads_it() {
    let html = "<h2>a <em>b</em> &amp; &#35;&#x41;&ouml; <img src=\"x\" alt=\"no\" />c\nd</h2>\n\
                <ul>\n<li><input checked=\"\" disabled=\"\" type=\"checkbox\"> x</li>\n\
                <li><input disabled=\"\" type=\"checkbox\"> y</li>\n</ul>\n<hr />\n<h6>&lt;t&gt;</h6>\n";
    let want = Found {
        headings: vec![(2, "a b & #Aö c\nd".to_string()), (6, "<t>".to_string())],
        tasks: vec![true, false],
    };
    assert_eq!(expected(html), want);
    assert_eq!(decode_entities("&bogus; &#0; & x"), "&bogus; \u{FFFD} & x");
}

#[test]
fn the_spec_is_split_into_numbered_examples_with_tabs_restored() {
    let spec = format!(
        "# Sec\n\n## Tabs\n\n{FENCE} example\n→foo\n.\n<pre><code>foo\n</code></pre>\n{FENCE}\n\n{FENCE} example table\n| a |\n.\n<p>x</p>\n{FENCE}\n"
    );
    let examples = examples(&spec);
    assert_eq!(examples.len(), 2);
    assert_eq!((examples[0].number, examples[0].section.as_str()), (1, "Tabs"));
    assert_eq!(examples[0].input, "\tfoo\n");
    assert_eq!(examples[1].output, "<p>x</p>\n");
}
