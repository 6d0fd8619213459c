//! The commit-msg gate through real git: `commit -m`, `-a`, `-- path`, `--amend`, `-v`, merges,
//! reverts, fixups, `--no-verify`; comment characters `;` and `auto`; the repository's own
//! types, scopes and header length; a corrupt configuration; a refused message kept by git;
//! the same gate through a hook installed as a link to the binary.

use std::path::{Path, PathBuf};

use crate::git_support::{assert_unchanged, write_executable};
use crate::support::{Run, TestRepo};

const REFUSED: &str =
    "commit message refused: it does not follow Conventional Commits (`type(scope): description`)\n";

const DEFAULT_TYPES: &str = "feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert";

/// Returns the whole report of a refused message: each problem block (the line, the caret
/// line, the rule), the suggestion when there is one, and how to get the message back.
fn refusal(blocks: &[&str], suggestion: Option<&str>, file: &str) -> String {
    let mut out = REFUSED.to_string();
    for block in blocks {
        out.push('\n');
        out.push_str(block);
    }
    if let Some(s) = suggestion {
        out.push_str(&format!("\nsuggestion: {s}\n"));
    }
    out.push_str(&format!("\nyour message is kept: `git commit -e -F {file}` brings it back to edit\n"));
    out
}

/// Returns a repository with one commit and the hooks installed.
fn installed() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["hooks", "install"]).success();
    repo
}

/// Returns the path of an editor that puts `$GM_MESSAGE` at the top of git's file, right above
/// git's comment block (and, with `-v`, the scissors line and the diff), which stay as git
/// wrote them; it keeps a copy of the file git gave it at [`raw_copy`].
fn editor(repo: &TestRepo) -> PathBuf {
    let script = format!(
        "#!/bin/sh\ncp \"$1\" '{raw}'\n\
         {{ printf '%s\\n' \"$GM_MESSAGE\"; sed -n '/^. Please enter the commit message/,$p' \"$1\"; }} > \"$1.gm\" && mv \"$1.gm\" \"$1\"\n",
        raw = raw_copy(repo).display()
    );
    write_executable(&repo.sibling("editor.sh"), &script)
}

/// Returns where [`editor`] keeps the file git gave it.
fn raw_copy(repo: &TestRepo) -> PathBuf {
    repo.sibling("editor-saw.txt")
}

/// Runs `git args` with [`editor`] writing `message`.
fn git_editing(repo: &TestRepo, args: &[&str], message: &str) -> Run {
    let editor = editor(repo);
    repo.git_with(args, |c| {
        c.env("GIT_EDITOR", &editor).env("GM_MESSAGE", message);
    })
}

/// Returns the message of `rev`, as stored.
fn message(repo: &TestRepo, rev: &str) -> String {
    repo.git(["log", "-1", "--format=%B", rev]).trim_end().to_string()
}

#[test]
fn a_refused_message_exits_1_shows_the_caret_and_git_keeps_the_message() {
    let repo = installed();
    repo.write("README.md", "# Project\n\nMore.\n");
    repo.git(["add", "README.md"]);
    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["commit", "-m", "Add limiter"]).failure(1);
    assert_eq!(
        run.stderr(),
        refusal(
            &[
                "  Add limiter\n  ^\n  the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): ` [type]\n"
            ],
            Some("feat: add limiter"),
            ".git/COMMIT_EDITMSG"
        ),
        "{run}"
    );
    assert_eq!(repo.commit_count(), 1, "no new commit\n{run}");
    assert_unchanged(&before, &repo.state(), &run);
    assert_eq!(repo.read(".git/COMMIT_EDITMSG"), b"Add limiter\n", "the message file is left alone");

    // The advice works: the kept message comes back in the editor.
    let run = repo.git_with(["commit", "--quiet", "-e", "-F", ".git/COMMIT_EDITMSG"], |c| {
        c.env("GIT_EDITOR", "sed -i 1s/^Add/feat:\\ add/");
    });
    run.success();
    assert_eq!(repo.subjects("-1"), ["feat: add limiter"]);
}

#[test]
fn through_a_link_the_gate_refuses_with_the_same_report_and_passes_the_same_messages() {
    let repo = installed();
    repo.write("README.md", "# Project\n\nMore.\n");
    let commit_all = |message: &str| repo.git_run_in(repo.root(), ["commit", "-a", "-m", message]);
    let through_shim = commit_all("Add limiter").failure(1);
    repo.milestone(["hooks", "install", "--link"]).success();
    assert!(
        std::fs::symlink_metadata(repo.path(".git/hooks/commit-msg")).expect("hook").file_type().is_symlink(),
        "commit-msg is a link"
    );
    let before = repo.state();
    let through_link = commit_all("Add limiter").failure(1);
    assert_eq!(through_link.stderr(), through_shim.stderr(), "{through_link}");
    assert_unchanged(&before, &repo.state(), &through_link);
    // git's own messages pass, and a good message is committed with git's temporary index.
    commit_all("feat: add limiter").success();
    repo.git(["revert", "--no-edit", "HEAD"]);
    assert_eq!(repo.subjects("-2"), ["Revert \"feat: add limiter\"", "feat: add limiter"]);
    assert_eq!(repo.status(), "");
}

#[test]
fn the_caret_stands_under_the_problem() {
    let repo = installed();
    let cases = [
        (
            "feat:add limiter",
            "  feat:add limiter\n       ^\n  a space must follow the colon: `type: description` [separator]\n",
            "feat: add limiter",
        ),
        (
            "feat:  add limiter",
            "  feat:  add limiter\n        ^\n  one space, not more, separates `:` and the description [separator]\n",
            "feat: add limiter",
        ),
        (
            "Feat(api): add limiter",
            "  Feat(api): add limiter\n  ^\n  the type is written in lowercase: `feat` [type]\n",
            "feat(api): add limiter",
        ),
        (
            "feature(api)!: drop v1",
            &format!(
                "  feature(api)!: drop v1\n  ^\n  `feature` is not an allowed type (did you mean `feat`?); allowed: {DEFAULT_TYPES} [type]\n"
            ),
            "feat(api)!: drop v1",
        ),
        (
            "fix(a b): off by one",
            "  fix(a b): off by one\n       ^\n  a scope is one word (letters, digits, `-`, `_`, `/`, `.`, `,`), without spaces [scope]\n",
            "",
        ),
    ];
    for (msg, block, suggestion) in cases {
        let run = repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", msg]).failure(1);
        let err = run.stderr();
        assert!(err.starts_with(REFUSED), "{run}");
        assert!(err.contains(&format!("\n{block}")), "expected the block\n{block}\n{run}");
        if !suggestion.is_empty() {
            assert!(err.contains(&format!("\nsuggestion: {suggestion}\n")), "{run}");
        }
        assert_eq!(repo.commit_count(), 1, "{run}");
    }
}

#[test]
fn an_unclosed_scope_gets_a_corrected_suggestion() {
    let repo = installed();
    let run =
        repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", "feat(api: add limiter"]).failure(1);
    assert_eq!(
        run.stderr(),
        refusal(
            &[
                "  feat(api: add limiter\n      ^\n  the scope is not closed: write `type(scope): description` [scope]\n"
            ],
            Some("feat(api): add limiter"),
            ".git/COMMIT_EDITMSG"
        ),
        "the suggestion must be a corrected header, not the refused one\n{run}"
    );
}

#[test]
fn commit_all_is_gated_and_a_refusal_leaves_the_work_tree_and_index_alone() {
    let repo = installed();
    repo.write("README.md", "# Project\n\nChanged.\n");
    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["commit", "-a", "-m", "update readme"]).failure(1);
    assert!(run.stderr().starts_with(REFUSED), "{run}");
    assert!(run.stderr().contains("\nsuggestion: chore: update readme\n"), "{run}");
    assert_unchanged(&before, &repo.state(), &run);
    assert_eq!(repo.commit_count(), 1);
    repo.git(["commit", "--quiet", "-a", "-m", "docs: update readme"]);
    assert_eq!(repo.status(), "");
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn commit_of_named_paths_is_gated_with_gits_temporary_index() {
    let repo = installed();
    repo.write("README.md", "# Project\n\nChanged.\n");
    repo.write("other.txt", "staged\n");
    repo.git(["add", "other.txt"]);
    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["commit", "-m", "Fix readme", "--", "README.md"]).failure(1);
    assert!(run.stderr().starts_with(REFUSED), "{run}");
    assert_unchanged(&before, &repo.state(), &run);
    repo.git(["commit", "--quiet", "-m", "docs: fix readme", "--", "README.md"]);
    assert_eq!(repo.name_status("HEAD"), ["M\tREADME.md"]);
    assert_eq!(repo.status(), "A  other.txt\n", "the other staged file stays staged");
}

#[test]
fn amend_is_gated_and_post_rewrite_gets_the_rewritten_pair() {
    let repo = installed();
    repo.write("a.txt", "a\n");
    repo.git(["add", "a.txt"]);
    repo.git(["commit", "--quiet", "-m", "feat: add a"]);
    let old = repo.rev("HEAD");
    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["commit", "--amend", "-m", "Add a"]).failure(1);
    assert!(run.stderr().starts_with(REFUSED), "{run}");
    assert_unchanged(&before, &repo.state(), &run);

    let spy = repo.spy();
    repo.git_with(["commit", "--quiet", "--amend", "-m", "feat: add the a file"], |c| spy.apply(c)).success();
    let new = repo.rev("HEAD");
    assert_ne!(old, new);
    assert_eq!(repo.subjects("-1"), ["feat: add the a file"]);
    assert_eq!(repo.commit_count(), 2);
    assert_eq!(
        spy.calls(),
        "hook commit-msg .git/COMMIT_EDITMSG\nmessage: feat: add the a file\nhook post-commit\nhook post-rewrite amend\n"
    );
    assert_eq!(spy.stdin(), format!("{old} {new}\n"), "post-rewrite's stdin reached the binary");
}

/// Makes branch `topic` with a commit, and another commit on `main`, so a merge is not a
/// fast-forward.
fn diverged(repo: &TestRepo) {
    repo.git(["switch", "--quiet", "-c", "topic"]);
    repo.write("topic.txt", "topic\n");
    repo.commit_all("feat: topic work");
    repo.git(["switch", "--quiet", "main"]);
    repo.write("main.txt", "main\n");
    repo.commit_all("feat: main work");
}

#[test]
fn a_merge_with_gits_message_passes() {
    let repo = installed();
    diverged(&repo);
    let spy = repo.spy();
    repo.git_with(["merge", "--quiet", "--no-ff", "topic"], |c| spy.apply(c)).success();
    assert_eq!(repo.subjects("-1"), ["Merge branch 'topic'"]);
    assert_eq!(repo.git(["rev-list", "--count", "--merges", "HEAD"]).trim(), "1");
    assert_eq!(
        spy.calls(),
        "hook pre-merge-commit\nhook commit-msg .git/MERGE_MSG\nmessage: Merge branch 'topic'\nhook post-merge 0\n",
        "the gate saw git's merge message (git runs post-merge, not post-commit, for a merge)"
    );
}

#[test]
fn a_merge_with_a_message_that_breaks_the_rules_is_stopped() {
    let repo = installed();
    diverged(&repo);
    let head = repo.rev("HEAD");
    let run =
        repo.git_run_in(repo.root(), ["merge", "--no-ff", "-m", "merged the topic", "topic"]).failure(1);
    assert_eq!(
        run.stderr(),
        format!(
            "{}Not committing merge; use 'git commit' to complete the merge.\n",
            refusal(
                &[
                    "  merged the topic\n  ^\n  the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): ` [type]\n"
                ],
                Some("chore: merged the topic"),
                ".git/MERGE_MSG"
            )
        ),
        "{run}"
    );
    assert_eq!(repo.rev("HEAD"), head, "no merge commit");
    assert!(repo.path(".git/MERGE_HEAD").exists(), "git leaves the merge to finish");
}

#[test]
fn a_revert_with_gits_message_passes() {
    let repo = installed();
    repo.write("a.txt", "a\n");
    repo.commit_all("feat: add a");
    let added = repo.rev("HEAD");
    // `git revert` commits with --no-verify; through `git commit` the gate sees the message.
    repo.git(["revert", "--no-commit", "HEAD"]);
    let spy = repo.spy();
    repo.git_with(["commit", "--quiet"], |c| spy.apply(c)).success();
    let expected = format!("Revert \"feat: add a\"\n\nThis reverts commit {added}.");
    assert_eq!(message(&repo, "HEAD"), expected);
    assert!(spy.calls().contains("message: Revert \"feat: add a\"\n"), "{}", spy.calls());
    repo.git(["revert", "--no-edit", "HEAD"]);
    assert_eq!(repo.commit_count(), 4);
}

#[test]
fn a_reapply_message_git_writes_when_reverting_a_revert_passes() {
    let repo = installed();
    repo.write("a.txt", "a\n");
    repo.commit_all("feat: add a");
    repo.git(["revert", "--no-edit", "HEAD"]);
    repo.git(["revert", "--no-commit", "HEAD"]);
    let run = repo.git_run_in(repo.root(), ["commit", "--quiet"]);
    let run = run.success();
    assert_eq!(repo.subjects("-1"), ["Reapply \"feat: add a\""], "{run}");
}

#[test]
fn fixup_squash_and_amend_messages_pass() {
    let repo = installed();
    repo.write("a.txt", "a\n");
    repo.commit_all("feat: add a");
    let spy = repo.spy();
    for args in [
        &["commit", "--quiet", "--allow-empty", "--fixup", "HEAD~0"][..],
        &["commit", "--quiet", "--allow-empty", "--squash", "HEAD~1", "-m", "more words"][..],
        &["commit", "--quiet", "--allow-empty", "--fixup=amend:HEAD~2"][..],
    ] {
        repo.git_with(args, |c| spy.apply(c)).success();
    }
    assert_eq!(repo.subjects("-3"), ["amend! feat: add a", "squash! feat: add a", "fixup! feat: add a"]);
    let calls = spy.calls();
    let seen: Vec<&str> = calls.lines().filter(|l| l.starts_with("message: ")).collect();
    assert_eq!(
        seen,
        ["message: fixup! feat: add a", "message: squash! feat: add a", "message: amend! feat: add a"],
        "the gate saw each message"
    );
}

#[test]
fn commit_no_verify_bypasses_the_gate() {
    let repo = installed();
    repo.git(["commit", "--quiet", "--allow-empty", "--no-verify", "-m", "Add limiter"]);
    assert_eq!(repo.subjects("-1"), ["Add limiter"]);
}

#[test]
fn commit_verbose_ignores_everything_below_the_scissors_line() {
    let repo = installed();
    // A diff whose lines would break the rules if they were read as the body.
    repo.write("README.md", "# Project\n\nFixes: everything\nBREAKING CHANGE\n");
    repo.git(["add", "README.md"]);
    // The header right above git's comment block: without the comments and the diff it is a
    // one-line message.
    let run = git_editing(&repo, &["commit", "--quiet", "-v"], "docs: show the diff");
    run.success();
    let raw = std::fs::read_to_string(raw_copy(&repo)).expect("the editor saw git's file");
    assert!(raw.contains("\n# ------------------------ >8 ------------------------\n"), "{raw}");
    assert!(raw.contains("\ndiff --git a/README.md b/README.md\n"), "{raw}");
    assert_eq!(message(&repo, "HEAD"), "docs: show the diff");

    repo.write("README.md", "# Project\n");
    repo.git(["add", "README.md"]);
    let run = git_editing(&repo, &["commit", "-v"], "Show the diff").failure(1);
    assert_eq!(
        run.stderr(),
        refusal(
            &[
                "  Show the diff\n  ^\n  the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): ` [type]\n"
            ],
            Some("chore: show the diff"),
            ".git/COMMIT_EDITMSG"
        ),
        "{run}"
    );
    assert_eq!(repo.commit_count(), 2);
}

/// Checks the gate with comment character `setting` (in the repository's config): a header
/// right above git's comment block passes; a `#` line right under a header is a body line
/// (git keeps it), so it is refused.
fn comment_char_case(setting: &str, via_dash_c: bool) {
    let repo = installed();
    let config: Vec<String> =
        if via_dash_c { vec!["-c".into(), format!("core.commentChar={setting}")] } else { Vec::new() };
    if !via_dash_c {
        repo.git(["config", "core.commentChar", setting]);
    }
    let args = |rest: &[&str]| -> Vec<String> {
        config.iter().cloned().chain(rest.iter().map(|s| (*s).to_string())).collect()
    };
    // `-m '#12'` makes `auto` choose `;`: git avoids a character that starts a line.
    let run = git_editing(
        &repo,
        &args(&["commit", "--quiet", "--allow-empty", "-e", "-m", "#12"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        "feat: semicolon comments",
    );
    let raw = std::fs::read_to_string(raw_copy(&repo)).expect("the editor saw git's file");
    assert!(raw.contains("\n; Please enter the commit message"), "git wrote its comments with `;`:\n{raw}");
    run.success();
    assert_eq!(message(&repo, "HEAD"), "feat: semicolon comments");

    let before = repo.commit_count();
    let run = repo.git_run_in(
        repo.root(),
        args(&["commit", "--allow-empty", "-e", "-m", "feat: close the issue\n#12 is fixed"]),
    );
    let run = run.failure(1);
    assert!(
        run.stderr().contains(
            "\n  #12 is fixed\n  ^\n  a blank line must separate the header from the body [body]\n"
        ),
        "{run}"
    );
    assert_eq!(repo.commit_count(), before);
    assert_eq!(
        std::fs::read_to_string(repo.path(".git/COMMIT_EDITMSG")).expect("kept").lines().next(),
        Some("feat: close the issue")
    );
}

#[test]
fn comment_char_semicolon_is_honoured() {
    comment_char_case(";", false);
}

#[test]
fn comment_char_auto_is_honoured() {
    comment_char_case("auto", false);
}

#[test]
fn comment_char_given_with_dash_c_is_honoured() {
    comment_char_case(";", true);
}

const RULES_YML: &str = "commits:\n  types: [feat, fix, sec]\n  scopes: [api, cli]\n  header_length: 40\n";

#[test]
fn types_scopes_and_header_length_come_from_milestone_yml() {
    let repo = installed();
    repo.write(".milestone.yml", RULES_YML);
    repo.git(["commit", "--quiet", "--allow-empty", "-m", "sec(api): rotate keys"]);

    let run = repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", "feat(web): add"]).failure(1);
    assert_eq!(
        run.stderr(),
        refusal(
            &["  feat(web): add\n       ^\n  `web` is not an allowed scope; allowed: api, cli [scope]\n"],
            Some("feat(web): add"),
            ".git/COMMIT_EDITMSG"
        ),
        "{run}"
    );
    let long = format!("fix: {}", "x".repeat(36));
    assert_eq!(long.chars().count(), 41);
    let run = repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", &long]).failure(1);
    assert!(
        run.stderr().contains(&format!(
            "\n  {long}\n  {}^\n  the header is 41 characters long; the limit is 40 [header-length]\n",
            " ".repeat(40)
        )),
        "{run}"
    );
    let run = repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", "docs: explain"]).failure(1);
    assert!(
        run.stderr().contains(
            "\n  docs: explain\n  ^\n  `docs` is not an allowed type; allowed: feat, fix, sec [type]\n"
        ),
        "{run}"
    );
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn git_config_rules_override_milestone_yml() {
    let repo = installed();
    repo.write(".milestone.yml", RULES_YML);
    repo.git(["config", "milestone.commits.types", "feat,sec,ops"]);
    repo.git(["config", "milestone.commits.scopes", "infra"]);
    repo.git(["config", "milestone.commits.headerLength", "30"]);
    repo.git(["commit", "--quiet", "--allow-empty", "-m", "ops(infra): add a runner"]);
    for refused in ["fix: off by one", "sec(api): rotate", "sec: rotate the keys of every service"] {
        let run = repo.git_run_in(repo.root(), ["commit", "--allow-empty", "-m", refused]).failure(1);
        assert!(run.stderr().starts_with(REFUSED), "{run}");
    }
    let run = repo
        .git_run_in(repo.root(), ["commit", "--allow-empty", "-m", "sec: rotate the keys of all now"])
        .failure(1);
    assert!(
        run.stderr().contains("\n  the header is 31 characters long; the limit is 30 [header-length]\n"),
        "{run}"
    );
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn a_corrupt_milestone_yml_is_reported_in_one_line_and_the_commit_goes_on() {
    let repo = installed();
    repo.write(".milestone.yml", "commits:\n  types: [feat\n");
    let run = repo.git_run_in(repo.root(), ["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"]);
    let run = run.success();
    let err = run.stderr();
    // One line from each hook that could not work: the gate, then post-commit.
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "one line a hook\n{run}");
    assert!(lines[0].starts_with("git-milestone: `.milestone.yml` is not valid YAML"), "{run}");
    assert!(lines[0].ends_with("; the commit message was not checked"), "{run}");
    assert!(lines[1].starts_with("git-milestone: `.milestone.yml` is not valid YAML"), "{run}");
    assert!(
        lines[1].ends_with("the tracking document was not updated (`git milestone sync` catches up)"),
        "{run}"
    );
    assert_eq!(repo.commit_count(), 2);
}

#[test]
fn the_gate_follows_git_dir_and_git_work_tree() {
    // The git dir away from the work tree, no `.git` in it: only GIT_DIR and GIT_WORK_TREE
    // join them, and git runs from a third folder.
    let repo = TestRepo::new();
    let store = repo.sibling("store.git");
    let elsewhere = repo.sibling("elsewhere");
    std::fs::create_dir_all(&elsewhere).expect("create folder");
    let env = |c: &mut std::process::Command| {
        c.env("GIT_DIR", &store).env("GIT_WORK_TREE", repo.root()).current_dir(&elsewhere);
    };
    repo.git_with(["init", "--quiet"], env).success();
    repo.write(".milestone.yml", "commits:\n  types: [sec]\n");
    repo.git_with(["commit", "--quiet", "--allow-empty", "--no-verify", "-m", "sec: start"], env).success();
    let run = repo.milestone_with(["hooks", "install"], env).success();
    assert!(Path::new(&store).join("hooks/commit-msg").is_file(), "{run}");

    repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "sec: rotate keys"], env).success();
    let run =
        repo.git_with(["commit", "--quiet", "--allow-empty", "-m", "feat: add limiter"], env).failure(1);
    assert!(run.stderr().contains("`feat` is not an allowed type; allowed: sec [type]"), "{run}");
    let count = repo.git_with(["rev-list", "--count", "HEAD"], env).success().stdout();
    assert_eq!(count.trim(), "2");
}
