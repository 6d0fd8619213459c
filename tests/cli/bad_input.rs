//! Bad input for every command: a missing file, a directory, a binary file, bytes that are
//! not UTF-8, an empty file, an unterminated code fence, invalid frontmatter YAML, a 20 MB
//! document and a line of 1 MB. Each gives a clear error (what, `file:line` where there is a
//! line, a hint; exit 2) or a correct result, never a panic, and writes nothing.

use serde_json::json;

use crate::support::{EXIT_CANNOT_RUN, Run, TestRepo, assert_bytes_eq, assert_json_matches, with_box};

/// The argument lists of every command, for `file`.
fn every_command(file: &str) -> Vec<Vec<String>> {
    [
        vec!["inspect", file],
        vec!["inspect", "--json", file],
        vec!["tick", file, "--line", "1"],
        vec!["tick", file, "--line", "1", "--undo"],
        vec!["set", file, "Status", "Done"],
        vec!["set", file, "--frontmatter", "status", "done"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

/// Checks that `run` failed with exit 2, named `file` (at `line` as `file:line` when given)
/// and gave a hint.
#[track_caller]
fn assert_clear_error(run: &Run, file: &str, line: Option<usize>) {
    assert_eq!(run.code(), Some(EXIT_CANNOT_RUN), "exit code\n{run}");
    assert!(!run.panicked(), "panicked\n{run}");
    let err = run.stderr();
    assert!(err.starts_with("error: "), "stderr starts with `error: `\n{run}");
    let at = line.map_or_else(|| file.to_string(), |l| format!("{file}:{l}"));
    assert!(err.contains(&at), "stderr does not name `{at}`\n{run}");
    assert!(err.contains("hint: "), "stderr gives no hint on how to fix it\n{run}");
    assert!(run.stdout().is_empty(), "nothing on stdout\n{run}");
}

/// Runs every command on `file` in `repo` and checks each fails clearly and writes nothing.
#[track_caller]
fn assert_every_command_refuses(repo: &TestRepo, file: &str) {
    for args in every_command(file) {
        let before = repo.snapshot();
        let run = repo.milestone(&args);
        assert_clear_error(&run, file, None);
        assert!(repo.snapshot() == before, "the directory changed\n{run}");
    }
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let repo = TestRepo::new();
    assert_every_command_refuses(&repo, "missing.md");
    assert_every_command_refuses(&repo, "docs/missing.md");
    assert!(repo.snapshot().is_empty(), "nothing was created");
}

#[test]
fn a_directory_is_a_clear_error() {
    let repo = TestRepo::new();
    repo.write("docs/milestones/keep.md", "# Keep\n");
    assert_every_command_refuses(&repo, "docs/milestones");
}

/// Writes three files that cannot be read as UTF-8 text; returns each name with the line of
/// the first bad byte.
fn write_undecodable(repo: &TestRepo) -> [(&'static str, usize); 3] {
    repo.write("logo.md", b"# Title\n\n\x89PNG\x00\x01\x02\n- [ ] x\n");
    // A Latin-1 `é` on line 4.
    repo.write("latin1.md", b"# Caf\xc3\xa9 launch\n\n**Status:** In Progress\n- [ ] Caf\xe9 menu\n");
    let mut utf16 = vec![0xff, 0xfe];
    for unit in "# Title\n- [ ] item\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    repo.write("utf16.md", utf16);
    [("logo.md", 3), ("latin1.md", 4), ("utf16.md", 1)]
}

#[test]
fn binary_and_non_utf8_files_are_clear_errors() {
    let repo = TestRepo::new();
    for (file, _) in write_undecodable(&repo) {
        assert_every_command_refuses(&repo, file);
    }
}

#[test]
fn binary_and_non_utf8_errors_point_at_file_colon_line() {
    let repo = TestRepo::new();
    for (file, line) in write_undecodable(&repo) {
        let run = repo.milestone(["inspect", file]);
        assert_clear_error(&run, file, Some(line));
    }
}

#[test]
fn an_empty_file_reads_as_an_empty_document_or_is_a_clear_error() {
    let repo = TestRepo::new();
    repo.write("empty.md", "");
    let run = repo.milestone(["inspect", "--json", "empty.md"]);
    match run.code() {
        Some(0) => assert_json_matches(
            &run.json(),
            &json!({
                "kind": "unknown",
                "title": null,
                "frontmatter": null,
                "fields": {},
                "checkboxes": {"total": 0, "checked": 0},
                "sections": [],
                "phases": [],
                "progress_percent": 0,
                "lines": 0,
                "bom": false,
            }),
            "empty.md",
        ),
        _ => assert_clear_error(&run, "empty.md", None),
    }
    // Whatever inspect says, there is no line 1 to tick and no field to set.
    let refused = [vec!["tick", "empty.md", "--line", "1"], vec!["set", "empty.md", "Status", "Done"]];
    for args in refused {
        let run = repo.milestone(&args).failure(EXIT_CANNOT_RUN);
        run.assert_names("empty.md", None);
        assert!(repo.read("empty.md").is_empty(), "empty.md was written\n{run}");
    }
}

#[test]
fn an_unterminated_code_fence_runs_to_the_end_or_is_a_clear_error() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("bad/unterminated-fence.md");
    let run = repo.milestone(["inspect", "--json", &name]);
    match run.code() {
        // CommonMark: the fence opened on line 8 runs to the end, so line 11 is code.
        Some(0) => {
            let doc = run.json();
            assert_json_matches(
                &doc,
                &json!({
                    "title": "Unterminated fence",
                    "fields": {"Status": "In Progress"},
                    "checkboxes": {"total": 2, "checked": 1},
                    "progress_percent": 50,
                }),
                &name,
            );
            let ticked = repo.milestone(["tick", &name, "--line", "6"]).success();
            assert_bytes_eq(&repo.read(&name), &with_box(&before, 6, b'x'), &format!("{ticked}"));
            repo.write(&name, &before);
        }
        _ => assert_clear_error(&run, &name, Some(8)),
    }
    let run = repo.milestone(["tick", &name, "--line", "11"]).failure(EXIT_CANNOT_RUN);
    run.assert_names(&name, Some(11));
    assert_bytes_eq(&repo.read(&name), &before, &format!("{run}"));
}

#[test]
fn invalid_frontmatter_yaml_is_a_clear_error_naming_the_line() {
    let repo = TestRepo::new();
    let (name, _) = repo.add_fixture("bad/invalid-frontmatter.md");
    // `owner: sam: lee` on line 3: a plain value cannot hold `: `.
    for args in [
        vec!["inspect", name.as_str()],
        vec!["inspect", "--json", name.as_str()],
        vec!["tick", name.as_str(), "--line", "10"],
        vec!["set", name.as_str(), "Status", "Done"],
        vec!["set", name.as_str(), "--frontmatter", "title", "Checkout"],
    ] {
        let before = repo.snapshot();
        let run = repo.milestone(&args);
        assert_clear_error(&run, &name, Some(3));
        assert!(run.stderr().contains("YAML") || run.stderr().contains("yaml"), "says it is YAML\n{run}");
        assert!(repo.snapshot() == before, "the directory changed\n{run}");
    }
}

/// Returns a document of at least `size` bytes: a header, one phase with one task, and a
/// task list whose every fourth item is unticked; with the number of items.
fn big_document(size: usize) -> (String, usize) {
    let mut text = String::with_capacity(size + 200);
    text.push_str(
        "# Big document\n\n**Status:** In Progress\n\n## Phase 1: Bulk\n\n### Task 1.1: Many boxes\n\n",
    );
    let mut items = 0;
    while text.len() < size || items % 4 != 0 {
        let mark = if items % 4 == 3 { ' ' } else { 'x' };
        text.push_str(&format!(
            "- [{mark}] item {items:07} of a long generated checklist, padded to look like prose\n"
        ));
        items += 1;
    }
    (text, items)
}

#[test]
fn a_20_mb_document_is_read_and_edited_correctly() {
    let repo = TestRepo::new();
    let (text, items) = big_document(20 * 1024 * 1024);
    repo.write("big.md", &text);
    let doc = repo.inspect_json("big.md");
    let boxes = json!({"total": items, "checked": items / 4 * 3});
    assert_json_matches(
        &doc,
        &json!({
            "title": "Big document",
            "fields": {"Status": "In Progress"},
            "checkboxes": boxes,
            "progress_percent": 75,
            "phases": [{"id": "1", "name": "Bulk", "line": 5, "tasks": [
                {"id": "1.1", "name": "Many boxes", "line": 7, "checkboxes": boxes},
            ]}],
            "lines": 8 + items,
        }),
        "big.md",
    );
    // The last item (unticked) is on the last line.
    let last = 8 + items;
    repo.milestone(["tick", "big.md", "--line", &last.to_string()]).success();
    assert_bytes_eq(&repo.read("big.md"), &with_box(text.as_bytes(), last, b'x'), "big.md after tick");
}

#[test]
fn a_line_of_1_mb_is_read_and_edited_correctly() {
    let repo = TestRepo::new();
    let words = "lorem ipsum dolor sit amet ".repeat(1024 * 1024 / 27 + 1);
    let long = words.trim_end();
    assert!(long.len() >= 1024 * 1024);
    let text =
        format!("# Long lines\n\n**Notes:** {long}\n**Status:** Planned\n\n- [ ] {long}\n- [x] short\n");
    repo.write("long.md", &text);
    let doc = repo.inspect_json("long.md");
    assert_json_matches(
        &doc,
        &json!({
            "title": "Long lines",
            "fields": {"Notes": long, "Status": "Planned"},
            "checkboxes": {"total": 2, "checked": 1},
            "progress_percent": 50,
            "lines": 7,
        }),
        "long.md",
    );
    repo.milestone(["tick", "long.md", "--line", "6"]).success();
    assert_bytes_eq(&repo.read("long.md"), &with_box(text.as_bytes(), 6, b'x'), "long.md after tick");
    repo.milestone(["set", "long.md", "Status", "Done"]).success();
    let expected = text.replacen("- [ ]", "- [x]", 1).replacen("**Status:** Planned", "**Status:** Done", 1);
    assert_bytes_eq(&repo.read("long.md"), expected.as_bytes(), "long.md after set");
}

#[test]
fn an_unknown_command_line_is_a_usage_error() {
    let repo = TestRepo::new();
    repo.write("doc.md", "# Doc\n- [ ] a\n");
    for args in
        [vec!["tick", "doc.md"], vec!["tick", "doc.md", "--line", "two"], vec!["set", "doc.md", "Status"]]
    {
        let run = repo.milestone(&args).failure(EXIT_CANNOT_RUN);
        assert!(run.stderr().starts_with("error: "), "{run}");
        assert_bytes_eq(&repo.read("doc.md"), b"# Doc\n- [ ] a\n", &format!("{run}"));
    }
}
