//! Exactness of the simple-subset scanner: on any piece it accepts it must return exactly the
//! outline pulldown-cmark gives ([`Outline::parse_range`], the oracle), and [`Outline::parse`],
//! which uses it piece by piece, must equal one [`Outline::parse_range`] of the whole text.
//!
//! Texts are generated from a vocabulary of lines that holds the simple constructs and their
//! near misses, with LF or CRLF per line, trailing spaces or tabs, with or without a final
//! newline; then every fixture and the five seed forms, LF and CRLF.

use std::path::{Path, PathBuf};

mod common;

use common::{documents, under_ci};
use git_milestone::markdown::Outline;
use git_milestone::markdown::simple::parse_simple;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Lines inside the simple subset (alone, or after a blank line).
const SIMPLE: &[&str] = &[
    "# M7 Implementation Tracking",
    "## Phase 1: Limiter",
    "### Task 1.1: Token bucket",
    "#### 2026-10-03 - Log",
    "###### six",
    "#",
    "# #",
    "## x ##",
    "#  spaced  #  ",
    "# a#",
    "## `code` in a heading",
    "## a_b_c",
    "## *emph* heading",
    "## x \\#",
    "---",
    "***",
    "___",
    "* * *",
    "- - -",
    "_ _ _",
    "- [ ] write the bucket",
    "- [x] benchmark it",
    "- [X] Done",
    "- plain item",
    "* star item",
    "+ plus item",
    "- `3f9c2ab` - feat(api): add limiter",
    "- [ ] Commit: `feat(api): add piece 1`",
    "- [x] unit: piece_1_works",
    "- `` a ` b ``",
    "- ` `",
    "- a `b` c ``d``",
    "- https://example.com and www.example.com",
    "- ![img](y) after",
    "- [link](x) text",
    "- *emph* and **strong** and _under_",
    "- &amp; &copy; &#35; &bogus;",
    "- \\* escaped \\` tick",
    "- bold <b>x</b> <!-- c --> <http://a.b>",
    "- a ~~strike~~ ~one~",
    "- x | y",
    "- [ ] # not a heading",
    "- [ ] - not nested",
    "- 2026-10-01 date",
    "- café ünïcode ✅",
    "- `a\u{0}b` nul in code",
    "# \u{a0}nbsp heading \u{a0}",
    "- x \u{a0}",
    "- \u{2003}em space",
    "- mail me@example.com or <me@example.com>",
    "- x ^y^ {z} $m$ [^1] 50% \"q\" 'a'",
    "## Title with <span>x</span> &amp; `c`",
    "**Status:** ✅ Complete",
    "**Label:** value",
    "**File(s):** `src/limiter/piece_1.rs`",
    "Plain paragraph text.",
    "Some *emphasis* and `code` here",
    "text with <b>html</b> inline",
    "![img](y)",
    "[link](x)",
    "https://example.com",
    "2026-10-01 date line",
    "1.5 hours",
    "&amp; entity",
    "\\# not a heading",
    "-foo",
    "+1 vote",
    "*emph*",
    "__bold__",
    "#x",
    "####### x",
    "`code` start",
    "~tilde",
    "",
    "   ",
    "\t",
];

/// Near misses: lines that start other blocks, or that change what the lines around them are.
const NEAR: &[&str] = &[
    "- <b>bold</b> first",
    "1234567890. long number",
    "1.",
    "- [ ]",
    "- [x] ",
    "1. ordered",
    "1) ordered",
    "2. two",
    "  - nested",
    "   - three spaces",
    "    indented code",
    "> quote",
    "```",
    "```rust",
    "~~~",
    "<div>",
    "<!-- comment -->",
    "<!--",
    "-->",
    "| a | b |",
    "|---|---|",
    "a | b",
    "===",
    "--",
    "-",
    "*",
    "+",
    "- ",
    "- [ ]x",
    "-\t[ ] x",
    "- \tx",
    "-  two spaces",
    "-     five spaces",
    "- [ ]  two",
    "- [ ]\ttab",
    "[ref]: /url",
    "[link]",
    "\u{a0}nbsp start",
    "\u{a0}",
    " \u{a0}",
    "- \u{a0}x",
    "- # heading in item",
    "- > quote in item",
    "- 1. ordered in item",
    "- ```",
    "- ***",
    "- <div>",
    "#\ttab heading",
    "- a\u{0}b",
    "a\u{b}vt",
    "\u{c}",
    "lone\rcr",
    "a\tb",
    "*\titem",
    "- \\",
    "- `unclosed",
    "- ``a`b`",
    "\u{feff}bom",
];

/// Blocks of a tracking document, made of simple lines.
const BLOCKS: &[&str] = &[
    "# M7 Implementation Tracking\n\n**Milestone:** M7 — Rate limits  \n**Started:** 2026-10-01  \n**Status:** 🔄 In Progress",
    "## Phase 1: Phase number 1\n\n**Goal:** ship part 1 of the limiter",
    "### Task 1.1: Implement piece 0\n**File(s):** `src/limiter/piece_0.rs`",
    "**Checklist:**\n- [x] Write the failing test for piece 0\n- [x] Make the test pass\n- [ ] Document the public API\n- [ ] Commit: `feat(api): add piece 0`",
    "**Commits:**\n- `1000000` - test(api): cover piece 0\n- `2000000` - feat(api): add piece 0",
    "**Tests:**\n- [x] unit: piece_0_works\n- [ ] integration: piece_0_round_trip",
    "**Status:** ⏳ Not Started",
    "---",
    "## Quick Links\n\n- **Milestone Document:** [`docs/m.md`](../m.md)\n- **Related:** [Link](x)",
    "### Overall Progress\n- [ ] Phase 1: [Phase Name] (0/X tasks)\n* [ ] Phase 2\n+ [x] Phase 3",
    "- Response time: < [TIME_LIMIT]ms\n- CPU usage: &lt; 5%",
    "#### Notes\nA paragraph that runs\nover three lines with `code`\nand *emphasis*.",
];

/// How a generated line ends.
const ENDINGS: &[&str] = &["\n", "\r\n"];

/// What a generated line may carry before its line ending.
const TRAILING: &[&str] = &["", "", "  ", " ", "\t"];

/// Returns the text of `lines`: (line, line ending, trailing) choices, the last line's ending
/// dropped unless `final_newline`.
fn assemble(vocabulary: &[&str], lines: &[(usize, usize, usize)], final_newline: bool) -> String {
    let mut text = String::new();
    for (n, (line, ending, trailing)) in lines.iter().enumerate() {
        text.push_str(vocabulary[*line]);
        text.push_str(TRAILING[*trailing]);
        if n + 1 < lines.len() || final_newline {
            text.push_str(ENDINGS[*ending]);
        }
    }
    text
}

/// Returns how many cases a property runs: `n`, or `PROPTEST_CASES` when set (a long run).
fn cases(n: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n)
}

/// Returns the vocabulary of the mixed generator: simple lines and near misses.
fn mixed() -> Vec<&'static str> {
    SIMPLE.iter().chain(NEAR).copied().collect()
}

/// Lines drawn from `len` choices, with their endings and trailing white space.
fn lines(len: usize, most: usize) -> impl Strategy<Value = Vec<(usize, usize, usize)>> {
    prop::collection::vec((0..len, 0..ENDINGS.len(), 0..TRAILING.len()), 0..most)
}

/// Returns where two outlines first differ, for a readable failure on large texts.
fn first_difference(a: &Outline, b: &Outline) -> String {
    fn first<T: std::fmt::Debug + PartialEq>(name: &str, a: &[T], b: &[T]) -> Option<String> {
        let i = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
        (a.len() != b.len() || i < a.len()).then(|| format!("{name}[{i}]: {:?} != {:?}", a.get(i), b.get(i)))
    }
    first("headings", &a.headings, &b.headings)
        .or_else(|| first("lists", &a.lists, &b.lists))
        .or_else(|| first("items", &a.items, &b.items))
        .or_else(|| first("tables", &a.tables, &b.tables))
        .or_else(|| first("code_blocks", &a.code_blocks, &b.code_blocks))
        .or_else(|| first("html_blocks", &a.html_blocks, &b.html_blocks))
        .or_else(|| first("inline_html", &a.inline_html, &b.inline_html))
        .unwrap_or_default()
}

/// Asserts the two exactness properties on `text[start..]`, and returns whether the scanner
/// accepted it.
fn check(text: &str, start: usize) -> Result<bool, TestCaseError> {
    let oracle = Outline::parse_range(text, start..text.len());
    let simple = parse_simple(text, start..text.len());
    if let Some(simple) = &simple {
        prop_assert_eq!(simple, &oracle, "parse_simple on {:?}", &text[start..]);
    }
    prop_assert_eq!(Outline::parse(text, start), oracle, "Outline::parse on {:?}", &text[start..]);
    Ok(simple.is_some())
}

#[test]
fn the_scanner_agrees_with_pulldown_cmark_on_mixed_lines() {
    let vocabulary = mixed();
    let strategy = (lines(vocabulary.len(), 24), any::<bool>(), 0usize..3);
    let mut runner = TestRunner::new(Config { cases: cases(20_000), ..Config::default() });
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&strategy, |(lines, final_newline, prefix)| {
            // A prefix the parse must skip: offsets stay offsets into the whole text.
            let text = ["", "x\n", "---\na: 1\n---\n"][prefix].to_string()
                + &assemble(&vocabulary, &lines, final_newline);
            let start = ["", "x\n", "---\na: 1\n---\n"][prefix].len();
            if check(&text, start)? {
                accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // Near misses decline most mixed texts; some must still get through the fast path.
    let (accepted, total) = (accepted.into_inner(), cases(20_000) as usize);
    println!("mixed lines: {accepted} of {total} texts accepted");
    assert!(accepted * 20 > total, "only {accepted} of {total} mixed texts were accepted");
}

#[test]
fn the_scanner_accepts_and_agrees_on_simple_lines() {
    let strategy = (lines(SIMPLE.len(), 24), any::<bool>());
    let mut runner = TestRunner::new(Config { cases: cases(10_000), ..Config::default() });
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&strategy, |(lines, final_newline)| {
            if check(&assemble(SIMPLE, &lines, final_newline), 0)? {
                accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // Simple lines in random order often decline: a paragraph line right under an item
    // continues it lazily, `---` right under a paragraph underlines it. The rest must pass.
    let (accepted, total) = (accepted.into_inner(), cases(10_000) as usize);
    println!("simple lines: {accepted} of {total} texts accepted");
    assert!(accepted * 10 > total * 2, "only {accepted} of {total} simple texts were accepted");
}

#[test]
fn the_scanner_accepts_and_agrees_on_tracking_blocks() {
    let strategy = (
        prop::collection::vec((0..BLOCKS.len(), prop::bool::weighted(0.8), 0..ENDINGS.len()), 1..30),
        any::<bool>(),
    );
    let mut runner = TestRunner::new(Config { cases: cases(5_000), ..Config::default() });
    let accepted = std::sync::atomic::AtomicUsize::new(0);
    runner
        .run(&strategy, |(blocks, final_newline)| {
            let mut text = String::new();
            for (n, (block, blank_after, ending)) in blocks.iter().enumerate() {
                text.push_str(&BLOCKS[*block].replace('\n', ENDINGS[*ending]));
                text.push_str(ENDINGS[*ending]);
                // Tracking documents leave a blank line after a list and before `---`; without
                // it the next line would continue the last item or underline a paragraph.
                let last_line = BLOCKS[*block].lines().last().unwrap_or_default();
                let list_above = ["- ", "* ", "+ "].iter().any(|b| last_line.starts_with(b));
                let rule_below = blocks.get(n + 1).is_some_and(|(next, _, _)| BLOCKS[*next] == "---");
                if *blank_after || list_above || rule_below {
                    text.push_str(ENDINGS[*ending]);
                }
            }
            if !final_newline {
                text.truncate(text.trim_end_matches(['\r', '\n']).len());
            }
            if check(&text, 0)? {
                accepted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
    // Laid out as tracking documents are, nearly all must take the fast path.
    let (accepted, total) = (accepted.into_inner(), cases(5_000) as usize);
    println!("tracking blocks: {accepted} of {total} texts accepted");
    assert!(accepted * 10 > total * 9, "only {accepted} of {total} tracking texts were accepted");
}

#[test]
fn large_texts_parsed_in_regions_on_threads_agree() {
    let vocabulary = mixed();
    let strategy =
        (prop::collection::vec((lines(vocabulary.len(), 12), 0..BLOCKS.len()), 600..900), any::<bool>());
    let mut runner = TestRunner::new(Config { cases: 24, ..Config::default() });
    runner
        .run(&strategy, |(parts, crlf)| {
            // Mostly tracking blocks, with stretches of mixed lines that pulldown-cmark takes.
            let mut text = String::new();
            for (n, (lines, block)) in parts.iter().enumerate() {
                text.push_str(BLOCKS[*block]);
                text.push_str("\n\n");
                if n % 40 == 0 {
                    text.push_str(&assemble(&vocabulary, lines, true));
                    text.push('\n');
                }
            }
            while text.len() < 300 * 1024 {
                text = text.clone() + &text;
            }
            if crlf {
                text = text.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            prop_assert!(text.len() >= 300 * 1024);
            let (parsed, oracle) = (Outline::parse(&text, 0), Outline::parse_range(&text, 0..text.len()));
            if parsed != oracle {
                let diff = first_difference(&parsed, &oracle);
                let at =
                    diff.split("range: ").nth(1).and_then(|r| r.split("..").next()?.parse::<usize>().ok());
                let around = at.map(|at| {
                    &text[text.floor_char_boundary(at.saturating_sub(300))
                        ..text.ceil_char_boundary((at + 300).min(text.len()))]
                });
                prop_assert!(false, "{diff}\naround: {around:?}");
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Asserts exactness on `text` with LF and with CRLF line endings, whole and by sections
/// (the scanner on each stretch between headings).
fn check_document(name: &str, text: &str) -> usize {
    let lf = text.replace("\r\n", "\n");
    let mut accepted = 0;
    for text in [lf.clone(), lf.replace('\n', "\r\n")] {
        let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let oracle = Outline::parse_range(&text, start..text.len());
        assert_eq!(Outline::parse(&text, start), oracle, "{name}");
        let sections: Vec<usize> = std::iter::once(start)
            .chain(text.match_indices("\n#").map(|(i, _)| i + 1))
            .chain([text.len()])
            .collect();
        for w in sections.windows(2) {
            if let Some(simple) = parse_simple(&text, w[0]..w[1]) {
                assert_eq!(
                    simple,
                    Outline::parse_range(&text, w[0]..w[1]),
                    "{name}: {:?}",
                    &text[w[0]..w[1]]
                );
                accepted += 1;
            }
        }
    }
    accepted
}

#[test]
fn every_fixture_parses_exactly() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = documents(&dir);
    assert!(files.len() >= 20, "fixtures missing under {}", dir.display());
    let mut accepted = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        accepted += check_document(&path.display().to_string(), &text);
    }
    println!("fixtures: the scanner accepted {accepted} sections (LF and CRLF)");
    assert!(accepted > 100, "the scanner accepted only {accepted} fixture sections");
}

#[test]
fn every_seed_form_parses_exactly() {
    let dir = match std::env::var_os("GIT_MILESTONE_SEEDS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
    };
    if !dir.is_dir() {
        assert!(!under_ci(), "the seed forms are missing: {}", dir.display());
        println!("skipped: the seed forms are not at {} (set GIT_MILESTONE_SEEDS)", dir.display());
        return;
    }
    let files: Vec<PathBuf> =
        documents(&dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "txt")).collect();
    assert_eq!(files.len(), 5, "expected the five seed forms in {}", dir.display());
    let mut accepted = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        accepted += check_document(&path.display().to_string(), &text);
    }
    println!("seed forms: the scanner accepted {accepted} sections (LF and CRLF)");
    assert!(accepted > 20, "the scanner accepted only {accepted} seed sections");
}

#[test]
fn every_gfm_spec_example_parses_exactly() {
    let path = match std::env::var_os("GIT_MILESTONE_GFM_SPEC") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/gfm-spec.txt"),
    };
    let Ok(spec) = std::fs::read_to_string(&path) else {
        assert!(!under_ci(), "the GFM spec is missing: {}", path.display());
        println!("skipped: the GFM spec is not at {} (set GIT_MILESTONE_GFM_SPEC)", path.display());
        return;
    };
    // An example's Markdown runs from its opening fence to a line holding a lone `.`.
    let fence = "`".repeat(32);
    let (mut examples, mut accepted) = (0, 0);
    let mut lines = spec.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with(&fence) || !line.contains("example") {
            continue;
        }
        let mut markdown = String::new();
        for line in lines.by_ref().take_while(|l| *l != ".") {
            markdown.push_str(&line.replace('→', "\t"));
            markdown.push('\n');
        }
        for text in [markdown.clone(), markdown.replace('\n', "\r\n")] {
            let oracle = Outline::parse_range(&text, 0..text.len());
            assert_eq!(Outline::parse(&text, 0), oracle, "{text:?}");
            if let Some(simple) = parse_simple(&text, 0..text.len()) {
                assert_eq!(simple, oracle, "{text:?}");
                accepted += 1;
            }
        }
        examples += 1;
    }
    println!("gfm spec: {accepted} of {} example texts accepted", 2 * examples);
    assert_eq!(examples, 673, "the spec's examples were not all found");
}
