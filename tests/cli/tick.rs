//! `git-milestone tick FILE --line N [--undo]`: exactly one byte changes (the character
//! between the brackets), whatever the line endings, BOM, indentation or trailing spaces; a
//! line that is not a task item is refused with exit 2 and the file stays as it was.

use crate::support::{EXIT_CANNOT_RUN, TestRepo, assert_bytes_eq, with_box};

/// Ticks (or, with `undo`, unticks) `line` of a copy of fixture `rel` and checks the result is
/// the input with that line's box set to `mark` and nothing else changed.
#[track_caller]
fn assert_ticks(rel: &str, line: usize, undo: bool, mark: u8) {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture(rel);
    let line_arg = line.to_string();
    let mut args = vec!["tick", name.as_str(), "--line", line_arg.as_str()];
    if undo {
        args.push("--undo");
    }
    let run = repo.milestone(&args).success();
    let after = repo.read(&name);
    assert_bytes_eq(&after, &with_box(&before, line, mark), &format!("{rel} line {line}\n{run}"));
    let changed = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    assert_eq!((before.len(), changed), (after.len(), 1), "exactly one byte changes in {rel}");
    assert_eq!(repo.snapshot().len(), 1, "no file besides {name} after the edit");
}

#[test]
fn tick_changes_one_byte_in_an_lf_file() {
    assert_ticks("forms/tracking.filled.md", 25, false, b'x');
}

#[test]
fn tick_undo_changes_one_byte_in_an_lf_file() {
    assert_ticks("forms/tracking.filled.md", 24, true, b' ');
}

#[test]
fn tick_changes_one_byte_in_a_crlf_file() {
    assert_ticks("forms/tracking.filled.crlf.md", 25, false, b'x');
    assert_ticks("forms/tracking.filled.crlf.md", 24, true, b' ');
}

#[test]
fn tick_works_on_ordered_task_items() {
    assert_ticks("forms/tracking.filled.md", 165, true, b' ');
    assert_ticks("forms/tracking.filled.crlf.md", 165, true, b' ');
}

#[test]
fn tick_keeps_frontmatter_and_mojibake_untouched() {
    assert_ticks("forms/milestone.filled.md", 43, false, b'x');
    assert_ticks("forms/milestone.filled.crlf.md", 41, true, b' ');
}

#[test]
fn tick_keeps_a_bom_and_crlf() {
    assert_ticks("edge/bom-crlf.md", 10, false, b'x');
    assert_ticks("edge/bom-crlf.md", 9, true, b' ');
}

#[test]
fn tick_keeps_mixed_line_endings() {
    assert_ticks("edge/mixed-endings.md", 7, false, b'x');
    assert_ticks("edge/mixed-endings.md", 8, true, b' ');
    assert_ticks("edge/mixed-endings.md", 9, false, b'x');
}

#[test]
fn tick_works_on_a_last_line_without_a_line_ending() {
    assert_ticks("edge/mixed-endings.md", 10, false, b'x');
}

#[test]
fn tick_keeps_tabs() {
    assert_ticks("edge/tabs.md", 7, false, b'x');
    assert_ticks("edge/tabs.md", 8, false, b'x');
}

#[test]
fn tick_works_on_an_item_indented_by_one_tab() {
    // `\t- [x] nested with a tab`: inspect counts it, so tick must find it.
    assert_ticks("edge/tabs.md", 6, true, b' ');
}

#[test]
fn tick_keeps_trailing_spaces_and_hard_breaks() {
    assert_ticks("edge/trailing-spaces.md", 6, false, b'x');
    assert_ticks("edge/trailing-spaces.md", 7, true, b' ');
    assert_ticks("edge/trailing-spaces.md", 9, false, b'x');
    assert_ticks("edge/trailing-spaces.md", 10, true, b' ');
}

#[test]
fn tick_works_on_nested_items() {
    assert_ticks("edge/nested.md", 9, false, b'x');
    assert_ticks("edge/nested.md", 13, false, b'x');
    assert_ticks("edge/nested.md", 15, true, b' ');
}

#[test]
fn tick_works_next_to_code_comments_and_setext_headings() {
    assert_ticks("edge/code-block.md", 9, false, b'x');
    assert_ticks("edge/code-block.md", 21, true, b' ');
    assert_ticks("edge/html-comment.md", 10, false, b'x');
    assert_ticks("edge/setext.md", 9, false, b'x');
    assert_ticks("edge/setext.md", 16, false, b'x');
}

#[test]
fn ticking_a_ticked_item_changes_nothing() {
    for (rel, line, undo) in [("forms/tracking.filled.md", 24, false), ("forms/tracking.filled.md", 25, true)]
    {
        let repo = TestRepo::new();
        let (name, before) = repo.add_fixture(rel);
        let line = line.to_string();
        let mut args = vec!["tick", name.as_str(), "--line", line.as_str()];
        if undo {
            args.push("--undo");
        }
        let run = repo.milestone(&args).success();
        assert_bytes_eq(&repo.read(&name), &before, &format!("{rel} line {line}\n{run}"));
        assert_eq!(repo.snapshot().len(), 1);
    }
}

#[test]
fn tick_then_undo_restores_the_file() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("edge/bom-crlf.md");
    repo.milestone(["tick", &name, "--line", "10"]).success();
    repo.milestone(["tick", &name, "--line", "10", "--undo"]).success();
    assert_bytes_eq(&repo.read(&name), &before, "tick and undo");
}

/// Runs `tick` on `line` of a copy of fixture `rel` (with `--undo` too) and checks both are
/// refused: exit 2, the file and line named, nothing written.
#[track_caller]
fn assert_refused(rel: &str, line: usize) {
    for undo in [false, true] {
        let repo = TestRepo::new();
        let (name, _) = repo.add_fixture(rel);
        let before = repo.snapshot();
        let line_arg = line.to_string();
        let mut args = vec!["tick", name.as_str(), "--line", line_arg.as_str()];
        if undo {
            args.push("--undo");
        }
        let run = repo.milestone(&args).failure(EXIT_CANNOT_RUN);
        run.assert_names(&name, Some(line));
        assert!(repo.snapshot() == before, "{rel}: the directory changed\n{run}");
    }
}

#[test]
fn tick_refuses_a_task_item_inside_a_fenced_code_block() {
    assert_refused("edge/code-block.md", 12);
    assert_refused("edge/code-block.md", 11);
}

#[test]
fn tick_refuses_a_task_item_inside_a_tilde_fence() {
    assert_refused("edge/code-block.md", 16);
}

#[test]
fn tick_refuses_a_task_item_inside_an_indented_code_block() {
    assert_refused("edge/code-block.md", 19);
}

#[test]
fn tick_refuses_a_task_item_inside_a_code_block_in_a_list_item() {
    assert_refused("forms/milestone.filled.md", 54);
}

#[test]
fn tick_refuses_a_task_item_inside_an_html_comment() {
    assert_refused("edge/html-comment.md", 7);
    assert_refused("edge/html-comment.md", 12);
}

#[test]
fn tick_refuses_a_plain_paragraph_line() {
    assert_refused("forms/milestone.filled.md", 16);
    assert_refused("forms/tracking.filled.md", 27);
}

#[test]
fn tick_refuses_a_list_item_without_a_box() {
    assert_refused("forms/tracking.filled.md", 16);
    assert_refused("edge/nested.md", 14);
}

#[test]
fn tick_refuses_the_continuation_line_of_a_task_item() {
    assert_refused("edge/trailing-spaces.md", 8);
}

#[test]
fn tick_refuses_a_heading_and_a_blank_line() {
    assert_refused("forms/tracking.filled.md", 79);
    assert_refused("forms/tracking.filled.md", 2);
}

#[test]
fn tick_refuses_a_yaml_list_item_in_the_frontmatter() {
    assert_refused("forms/milestone.filled.md", 8);
}

#[test]
fn tick_refuses_line_zero() {
    assert_refused("forms/tracking.filled.md", 0);
}

#[test]
fn tick_refuses_a_line_past_the_end() {
    // The file has 197 lines.
    assert_refused("forms/tracking.filled.md", 198);
    assert_refused("forms/tracking.filled.md", 100_000);
}

/// A tick changes one byte, which is written where it stands: the file keeps its inode (no
/// temporary file renamed over it), and nothing else appears beside it.
#[cfg(unix)]
#[test]
fn tick_writes_its_byte_in_place() {
    use std::os::unix::fs::MetadataExt;
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("forms/tracking.filled.md");
    let inode = std::fs::metadata(repo.path(&name)).expect("the document").ino();
    repo.milestone(["tick", name.as_str(), "--line", "25"]).success();
    assert_bytes_eq(&repo.read(&name), &with_box(&before, 25, b'x'), "ticked in place");
    assert_eq!(std::fs::metadata(repo.path(&name)).expect("the document").ino(), inode, "the same file");
    assert_eq!(repo.snapshot().len(), 1, "no file besides {name}");
}

/// A file with a second hard link is written as before, a new file renamed over the name:
/// the other link keeps the old text, as it does for every other edit.
#[cfg(unix)]
#[test]
fn tick_of_a_file_with_two_links_leaves_the_other_link_alone() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("forms/tracking.filled.md");
    std::fs::hard_link(repo.path(&name), repo.path("other.md")).expect("a second link");
    repo.milestone(["tick", name.as_str(), "--line", "25"]).success();
    assert_bytes_eq(&repo.read(&name), &with_box(&before, 25, b'x'), "ticked");
    assert_bytes_eq(&repo.read("other.md"), &before, "the other link keeps the old text");
}

/// Ticking through a symbolic link ticks its target; the link stays a link.
#[cfg(unix)]
#[test]
fn tick_through_a_symbolic_link_ticks_its_target() {
    let repo = TestRepo::new();
    let (name, before) = repo.add_fixture("forms/tracking.filled.md");
    std::os::unix::fs::symlink(&name, repo.path("link.md")).expect("a link");
    repo.milestone(["tick", "link.md", "--line", "25"]).success();
    assert_bytes_eq(&repo.read(&name), &with_box(&before, 25, b'x'), "the target ticked");
    let meta = std::fs::symlink_metadata(repo.path("link.md")).expect("the link");
    assert!(meta.file_type().is_symlink(), "still a link");
}
