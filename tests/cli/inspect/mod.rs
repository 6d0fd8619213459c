//! `git-milestone inspect --json`: every fixture of the five forms (template and filled in,
//! LF and CRLF), the edge-case fixtures, small documents written by the tests and the user's
//! five seed documents, each held to values counted by hand from the document itself.

use serde_json::Value;

use crate::support::{TestRepo, fixture};

/// Mis-decoded emoji (UTF-8 read as Mac Roman, then saved as UTF-8), byte for byte as they
/// stand in seed forms 000 and 003.
macro_rules! mojibake {
    (em_dash) => {
        "\u{201a}\u{c4}\u{ee}"
    };
    (hourglass) => {
        "\u{201a}\u{e8}\u{2265}"
    };
    (check) => {
        "\u{201a}\u{fa}\u{d6}"
    };
    (clipboard) => {
        "\u{f8ff}\u{fc}\u{ec}\u{e3}"
    };
    (cycle) => {
        "\u{f8ff}\u{fc}\u{ee}\u{d1}"
    };
    (red) => {
        "\u{f8ff}\u{fc}\u{ee}\u{a5}"
    };
    (yellow) => {
        "\u{f8ff}\u{fc}\u{fc}\u{b0}"
    };
    (green) => {
        "\u{f8ff}\u{fc}\u{fc}\u{a2}"
    };
}

mod edge;
mod forms;
mod large;
mod seeds;

/// Runs `inspect --json` on a copy of fixture `rel`.
fn inspect_fixture(rel: &str) -> Value {
    let repo = TestRepo::new();
    let (name, _) = repo.add_fixture(rel);
    repo.inspect_json(&name)
}

/// Runs `inspect --json` on a document with `text`.
fn inspect_text(text: &str) -> Value {
    let repo = TestRepo::new();
    repo.write("doc.md", text);
    repo.inspect_json("doc.md")
}

/// Every form fixture, as (LF file, CRLF file).
const FORM_FIXTURES: [(&str, &str); 10] = [
    ("forms/tracking.template.md", "forms/tracking.template.crlf.md"),
    ("forms/tracking.filled.md", "forms/tracking.filled.crlf.md"),
    ("forms/feature-tracking.template.md", "forms/feature-tracking.template.crlf.md"),
    ("forms/feature-tracking.filled.md", "forms/feature-tracking.filled.crlf.md"),
    ("forms/plan.template.md", "forms/plan.template.crlf.md"),
    ("forms/plan.filled.md", "forms/plan.filled.crlf.md"),
    ("forms/milestone.template.md", "forms/milestone.template.crlf.md"),
    ("forms/milestone.filled.md", "forms/milestone.filled.crlf.md"),
    ("forms/milestone-brief.template.md", "forms/milestone-brief.template.crlf.md"),
    ("forms/milestone-brief.filled.md", "forms/milestone-brief.filled.crlf.md"),
];

#[test]
fn crlf_fixtures_are_the_lf_fixtures_with_crlf_line_endings() {
    for (lf, crlf) in FORM_FIXTURES {
        let lf_bytes = std::fs::read(fixture(lf)).expect("read LF fixture");
        let crlf_bytes = std::fs::read(fixture(crlf)).expect("read CRLF fixture");
        assert!(!lf_bytes.contains(&b'\r'), "{lf} has a carriage return: was it converted on checkout?");
        let converted = String::from_utf8(lf_bytes).expect("UTF-8").replace('\n', "\r\n");
        assert!(converted.as_bytes() == crlf_bytes.as_slice(), "{crlf} is not {lf} with CRLF line endings");
    }
}

#[test]
fn crlf_variants_give_the_same_json_as_lf_but_for_the_line_ending() {
    for (lf, crlf) in FORM_FIXTURES {
        let mut from_lf = inspect_fixture(lf);
        let mut from_crlf = inspect_fixture(crlf);
        assert_eq!(from_lf["line_ending"], "lf", "{lf}");
        assert_eq!(from_crlf["line_ending"], "crlf", "{crlf}");
        from_lf.as_object_mut().expect("object").remove("line_ending");
        from_crlf.as_object_mut().expect("object").remove("line_ending");
        assert_eq!(from_lf, from_crlf, "{lf} and {crlf} read differently");
    }
}

#[test]
fn the_human_summary_names_the_file_the_form_and_the_progress() {
    let repo = TestRepo::new();
    let (name, _) = repo.add_fixture("forms/tracking.filled.md");
    let run = repo.milestone(["inspect", &name]).success();
    let out = run.stdout();
    assert!(out.contains("tracking.filled.md") && out.contains("tracking"), "{run}");
    assert!(out.contains("75%"), "{run}");
    assert!(run.stderr().is_empty(), "{run}");
}
