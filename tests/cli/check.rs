//! `git milestone check` (issue #6, part 1, and `--ref` of part 2), through the real `git`
//! binary and the installed hooks: each rule failing, then passing once the user has fixed
//! what it names; a milestone where every rule passes; `--json`; the exit codes; and
//! `--ref` in a bare repository, which must report what the work tree reports for the
//! committed state.
//!
//! Most tests start from [`ready`]: milestone M1 started as a user would, one feature commit
//! recorded by the hooks, every box of the final checklist ticked with `tick`, the template's
//! placeholders filled, all committed; `check` passes there. Each test then breaks one rule.
//! The setup lines come from tests/cli/tracking.rs (copied, not shared: its helpers stay
//! private to that module).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::git_support::{assert_refused, assert_unchanged};
use crate::support::{Run, TestRepo};

/// The tracking document of milestone M1.
const DOC: &str = "docs/milestones/tracking/M1-tracking.md";
/// Milestone M1's branch, as `start M1 --title "Rate limits"` names it.
const BRANCH: &str = "feature/M1/rate-limits";
/// The same, as `--ref` takes it.
const REF: &str = "refs/heads/feature/M1/rate-limits";
/// The first problem `conventional` names for a header without a type.
const NO_TYPE: &str = "the header must start with a type and `: `, e.g. `feat: ` or `fix(scope): `";
/// The placeholders the built-in tracking template leaves for people to fill.
const GOAL: &str = "[what this phase achieves]";
const DECISIONS: &str = "[each decision worth remembering, and why it was made]";
const LESSONS: &str = "[what to keep doing, and what to change next time]";

// ---- setting up like a user ----

/// Returns a repository set up as a user would: `init`, its `.milestone.yml` committed on
/// `main`, `tracking.update` set to `mode`, then `start M1 --title "Rate limits"`, HEAD on
/// [`BRANCH`] whose one commit creates [`DOC`].
fn started_in(mode: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.git(["config", "milestone.tracking.update", mode]);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "HEAD after start");
    assert_eq!(repo.status(), "", "git status after start");
    repo
}

/// [`started_in`] the default mode, `stage`.
fn started() -> TestRepo {
    started_in("stage")
}

/// Returns [`started_in`] `mode` brought to where every rule passes: a commit `feat: add
/// limiter` the hooks record, every box of the Final Checklist ticked with `git milestone
/// tick`, the template's placeholders filled, the document committed.
fn ready_in(mode: &str) -> TestRepo {
    let repo = started_in(mode);
    commit(&repo, "feat: add limiter");
    fill_in(&repo);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): complete the final checklist"]);
    assert_eq!(repo.status(), "", "git status once the document is committed");
    repo
}

/// [`ready_in`] the default mode, `stage`.
fn ready() -> TestRepo {
    ready_in("stage")
}

/// Ticks every box of the Final Checklist with `tick` and fills the built-in template's
/// placeholders, in the work tree.
fn fill_in(repo: &TestRepo) {
    for (line, _) in unticked(&doc(repo), "## Final Checklist") {
        tick(repo, line);
    }
    edit_doc(repo, |t| {
        t.replace(GOAL, "Limit requests per client")
            .replace(DECISIONS, "A token bucket per client, refilled each second")
            .replace(LESSONS, "Measure before choosing the limits")
    });
}

/// Runs `git milestone tick DOC --line LINE`.
#[track_caller]
fn tick(repo: &TestRepo, line: usize) {
    repo.milestone(["tick", DOC, "--line", &line.to_string()]).success();
}

/// Runs `git milestone tick DOC --line LINE --undo`.
#[track_caller]
fn untick(repo: &TestRepo, line: usize) {
    repo.milestone(["tick", DOC, "--line", &line.to_string(), "--undo"]).success();
}

/// Returns the name of the file the commit with `subject` writes: its own, so that every
/// commit has its own tree and hash.
fn file_for(subject: &str) -> String {
    let slug: String = subject
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("src/{slug}.txt")
}

/// Writes the file of `subject` and stages it.
fn stage_file_for(repo: &TestRepo, subject: &str) {
    let file = file_for(subject);
    repo.write(&file, format!("{subject}\n"));
    repo.git(["add", file.as_str()]);
}

/// Commits the file of `subject` alone with `git commit -m`, hooks and all.
#[track_caller]
fn commit(repo: &TestRepo, subject: &str) {
    stage_file_for(repo, subject);
    repo.git(["commit", "--quiet", "-m", subject]);
}

/// Returns `-c core.hooksPath=EMPTY` for a git command no hook sees (`--no-verify` still runs
/// `post-commit`).
fn no_hooks(repo: &TestRepo) -> [String; 2] {
    let empty = repo.sibling("no-hooks");
    fs::create_dir_all(&empty).expect("create the empty hooks folder");
    ["-c".to_string(), format!("core.hooksPath={}", empty.display())]
}

/// Commits what is staged with message `subject`, no hook running.
#[track_caller]
fn commit_staged_unseen(repo: &TestRepo, subject: &str) {
    let mut args = no_hooks(repo).to_vec();
    args.extend(["commit", "--quiet", "-m", subject].map(String::from));
    repo.git(args);
}

/// Commits the file of `subject` alone, no hook running: a commit the document does not
/// record.
#[track_caller]
fn commit_unseen(repo: &TestRepo, subject: &str) {
    stage_file_for(repo, subject);
    commit_staged_unseen(repo, subject);
}

/// Commits a file on `main` (hooks and all: `main` is no milestone branch), then switches
/// back to [`BRANCH`]: the base has moved on.
#[track_caller]
fn move_main(repo: &TestRepo, subject: &str) {
    repo.git(["switch", "--quiet", "main"]);
    commit(repo, subject);
    repo.git(["switch", "--quiet", BRANCH]);
}

/// Returns the text of [`DOC`] in the work tree.
fn doc(repo: &TestRepo) -> String {
    String::from_utf8(repo.read(DOC)).expect("the tracking document is UTF-8")
}

/// Rewrites [`DOC`] in the work tree through `edit` (a hand edit), which must change it.
#[track_caller]
fn edit_doc(repo: &TestRepo, edit: impl FnOnce(&str) -> String) {
    let before = doc(repo);
    let after = edit(&before);
    assert_ne!(after, before, "the edit changed nothing\n{before}");
    repo.write(DOC, after);
}

/// Returns `text` with `insert` put right after the first line after `anchor` that is
/// `line` (both whole lines, without their line ending).
#[track_caller]
fn insert_after(text: &str, anchor: &str, line: &str, insert: &str) -> String {
    // From the line ending before the anchor, so that `line` may be the anchor itself.
    let from = text.find(anchor).unwrap_or_else(|| panic!("no `{anchor}` in\n{text}")).saturating_sub(1);
    let needle = format!("\n{line}\n");
    let at = text[from..].find(&needle).unwrap_or_else(|| panic!("no `{line}` after `{anchor}`\n{text}"))
        + from
        + needle.len();
    format!("{}{insert}{}", &text[..at], &text[at..])
}

/// Returns the 1-based line of the one line of `text` that contains `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> usize {
    let found: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.contains(needle)).map(|(i, _)| i + 1).collect();
    assert_eq!(found.len(), 1, "one line contains `{needle}`\n{text}");
    found[0]
}

/// Returns the unticked boxes of the section headed by the line `heading` (with its
/// subsections): `(line, item text)`.
#[track_caller]
fn unticked(text: &str, heading: &str) -> Vec<(usize, String)> {
    let level = heading.bytes().take_while(|b| *b == b'#').count();
    let start = line_of(text, heading);
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(start) {
        let hashes = line.bytes().take_while(|b| *b == b'#').count();
        if hashes > 0 && hashes <= level && line.as_bytes().get(hashes) == Some(&b' ') {
            break;
        }
        if let Some(item) = line.strip_prefix("- [ ] ") {
            out.push((i + 1, item.to_string()));
        }
    }
    assert!(!out.is_empty(), "no unticked box under `{heading}`\n{text}");
    out
}

/// Makes a bare repository beside the work directory and pushes `main` and [`BRANCH`] to it.
fn bare_remote(repo: &TestRepo) -> PathBuf {
    let bare = repo.sibling("remote.git");
    repo.git(["init", "--quiet", "--bare", bare.to_str().expect("UTF-8 path")]);
    push(repo, &bare);
    bare
}

/// Pushes `main` and [`BRANCH`] to `bare`, forced (the branch may have been rewritten).
fn push(repo: &TestRepo, bare: &Path) {
    repo.git(["push", "--quiet", "--force", bare.to_str().expect("UTF-8 path"), "main", BRANCH]);
}

// ---- what a report says ----

/// One problem as the report must show it.
struct Problem {
    rule: &'static str,
    message: String,
    path: Option<&'static str>,
    line: Option<usize>,
    commit: Option<String>,
    hint: String,
}

impl Problem {
    fn human(&self) -> String {
        let mut out = format!("{}: {}\n", self.rule, self.message);
        match (self.line, &self.commit) {
            (Some(line), _) => {
                out.push_str(&format!("  at {}:{line}\n", self.path.expect("a line has a path")))
            }
            (None, Some(commit)) => out.push_str(&format!("  at commit {commit}\n")),
            (None, None) => {}
        }
        out.push_str(&format!("  hint: {}\n", self.hint));
        out
    }

    fn json(&self) -> Value {
        json!({
            "rule": self.rule,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "commit": self.commit,
            "hint": self.hint,
        })
    }
}

/// `checklist`: the box `item` on `line`, in the gating section `section`.
fn unticked_box(item: &str, section: &str, line: usize) -> Problem {
    Problem {
        rule: "checklist",
        message: format!("`{item}` is not ticked (in \"{section}\")"),
        path: Some(DOC),
        line: Some(line),
        commit: None,
        hint: format!("do it, then tick it: `git milestone tick {DOC} --line {line}`"),
    }
}

/// `placeholders`: `token` left on `line`.
fn placeholder(token: &str, line: usize) -> Problem {
    Problem {
        rule: "placeholders",
        message: format!("the template's placeholder `{token}` is still there"),
        path: Some(DOC),
        line: Some(line),
        commit: None,
        hint: "fill it in, or remove the line if it does not apply".into(),
    }
}

/// `commits-recorded`: commit `id` with `subject` recorded under no task.
fn unrecorded(id: &str, subject: &str) -> Problem {
    Problem {
        rule: "commits-recorded",
        message: format!("commit {} `{subject}` is not recorded under any task", &id[..7]),
        path: Some(DOC),
        line: None,
        commit: Some(id.to_string()),
        hint: "record it: `git milestone sync`".into(),
    }
}

/// `commits-recorded`: `hash` recorded on `line`, no commit of the branch.
fn stale(hash: &str, line: usize) -> Problem {
    Problem {
        rule: "commits-recorded",
        message: format!("`{hash}` is recorded, but the branch has no such commit (rewritten or dropped)"),
        path: Some(DOC),
        line: Some(line),
        commit: None,
        hint: "bring the document up to date: `git milestone sync`".into(),
    }
}

/// `conventional`: commit `id` whose header is `header` breaks a rule, the first `first`.
fn unconventional(id: &str, header: &str, first: &str) -> Problem {
    let short = &id[..7];
    Problem {
        rule: "conventional",
        message: format!("commit {short} `{header}`: {first}"),
        path: None,
        line: None,
        commit: Some(id.to_string()),
        hint: format!(
            "reword it (`git rebase -i` with `reword`); `git milestone lint {short}` shows every rule it breaks"
        ),
    }
}

/// `up-to-date`: `main` has moved on.
fn behind_main() -> Problem {
    Problem {
        rule: "up-to-date",
        message: "the branch does not contain the tip of `main`".into(),
        path: None,
        line: None,
        commit: None,
        hint: "rebase the branch on `main` (`git rebase main`) or merge it in".into(),
    }
}

/// `status`: the Status field on `line` says `value`.
fn not_complete(value: &str, line: usize) -> Problem {
    Problem {
        rule: "status",
        message: format!("the document's status is `{value}`, not complete"),
        path: Some(DOC),
        line: Some(line),
        commit: None,
        hint: format!(
            "finish it: `git milestone finish` (or set it: `git milestone set {DOC} Status Complete`)"
        ),
    }
}

/// The whole human report of `problems`, its last line included.
fn report(problems: &[Problem]) -> String {
    let mut out: String = problems.iter().map(Problem::human).collect();
    match problems.len() {
        0 => out.push_str(&format!("{DOC} on {BRANCH}: every check passes\n")),
        1 => out.push_str(&format!("{DOC} on {BRANCH}: 1 problem before this milestone can be merged\n")),
        n => out.push_str(&format!("{DOC} on {BRANCH}: {n} problems before this milestone can be merged\n")),
    }
    out
}

/// The `--json` object of `problems`.
fn report_json(problems: &[Problem]) -> Value {
    json!({ "ok": problems.is_empty(), "problems": problems.iter().map(Problem::json).collect::<Vec<_>>() })
}

/// Runs `git milestone check ARGS` in `dir`, then again with `--json`, and asserts both
/// report exactly `problems` (in this order), exit 0 when there is none and 1 otherwise, and
/// print nothing on standard error. Returns the human run.
#[track_caller]
fn assert_check_in(repo: &TestRepo, dir: &Path, args: &[&str], problems: &[Problem]) -> Run {
    let code = if problems.is_empty() { 0 } else { 1 };
    let mut argv = vec!["check"];
    argv.extend_from_slice(args);
    let run = repo.milestone_in(dir, &argv);
    assert_eq!(run.code(), Some(code), "exit code\n{run}");
    assert_eq!(run.stdout(), report(problems), "the report\n{run}");
    assert_eq!(run.stderr(), "", "standard error\n{run}");
    argv.push("--json");
    let json_run = repo.milestone_in(dir, &argv);
    assert_eq!(json_run.code(), Some(code), "exit code with --json\n{json_run}");
    assert_eq!(json_run.json(), report_json(problems), "the JSON report\n{json_run}");
    assert_eq!(json_run.stderr(), "", "standard error with --json\n{json_run}");
    run
}

/// [`assert_check_in`] the work directory.
#[track_caller]
fn assert_check(repo: &TestRepo, args: &[&str], problems: &[Problem]) -> Run {
    assert_check_in(repo, repo.root(), args, problems)
}

/// Asserts `check` passes on the work tree and, with `--ref`, on the committed state.
#[track_caller]
fn assert_passes(repo: &TestRepo) {
    assert_check(repo, &[], &[]);
    assert_check(repo, &["--ref", REF], &[]);
}

// ---- a milestone where every rule passes ----

#[test]
fn a_finished_milestone_passes_every_rule() {
    let repo = ready();
    let run = assert_check(&repo, &[], &[]);
    assert_eq!(
        run.stdout().lines().last(),
        Some(format!("{DOC} on {BRANCH}: every check passes").as_str()),
        "the last line\n{run}"
    );
    assert_check(&repo, &["M1"], &[]);
    assert_check(&repo, &["--ref", REF], &[]);
    assert_check(&repo, &["--ref", BRANCH], &[]);
    assert_check_in(&repo, &repo.path("src"), &[], &[]);

    // The check changes nothing.
    let before = repo.state();
    let run = repo.milestone(["check", "--final"]);
    assert_unchanged(&before, &repo.state(), &run);
}

#[test]
fn a_finished_milestone_passes_in_commit_mode_with_its_bookkeeping_commits() {
    let repo = ready_in("commit");
    commit(&repo, "feat: add burst limits");
    commit(&repo, "test: cover the limiter");
    let subjects = repo.subjects("main..HEAD");
    assert!(
        subjects.iter().filter(|s| s.starts_with("chore: record ")).count() >= 3,
        "commit mode makes bookkeeping commits\n{subjects:?}"
    );
    assert_eq!(repo.status(), "", "commit mode leaves a clean tree");
    assert_passes(&repo);
}

#[test]
fn a_new_milestone_lists_every_gating_box_and_placeholder() {
    let repo = started();
    let text = doc(&repo);
    let mut problems: Vec<Problem> = unticked(&text, "## Final Checklist")
        .iter()
        .map(|(line, item)| unticked_box(item, "Final Checklist", *line))
        .collect();
    assert_eq!(problems.len(), 14, "the template's final checklist has 14 boxes\n{text}");
    // Boxes outside the gating sections do not count: the task's checklist, Next Steps, the
    // overall progress.
    assert_eq!(unticked(&text, "### Task 1.1: Rate limits").len(), 1, "the task's own box");
    for token in [GOAL, DECISIONS, LESSONS] {
        problems.push(placeholder(token, line_of(&text, token)));
    }
    assert_eq!(line_of(&text, GOAL), line_of(&text, "**Goal:**"), "the phase's goal is a placeholder");
    assert_check(&repo, &[], &problems);
}

// ---- checklist ----

#[test]
fn checklist_reports_a_box_of_the_final_checklist_and_of_its_subsection_until_ticked() {
    let repo = ready();
    // A box right under the section's heading, and one in its subsection `### Pre-Merge`.
    edit_doc(&repo, |t| {
        insert_after(t, "## Final Checklist", "## Final Checklist", "\n- [ ] Demo recorded\n")
    });
    let text = doc(&repo);
    let demo = line_of(&text, "Demo recorded");
    let conflicts = line_of(&text, "Conflicts resolved");
    untick(&repo, conflicts);
    assert_check(
        &repo,
        &[],
        &[
            unticked_box("Demo recorded", "Final Checklist", demo),
            unticked_box("Conflicts resolved", "Final Checklist", conflicts),
        ],
    );

    tick(&repo, demo);
    assert_check(&repo, &[], &[unticked_box("Conflicts resolved", "Final Checklist", conflicts)]);
    tick(&repo, conflicts);
    assert_check(&repo, &[], &[]);
}

#[test]
fn checklist_gates_phase_validation_and_success_criteria_by_their_words() {
    let repo = ready();
    edit_doc(&repo, |t| {
        let t = insert_after(
            t,
            "### Task 1.1: Rate limits",
            "**Status:** 🔄 In Progress",
            "\n### Phase 1 Validation\n- [ ] Load test at 10k requests a second\n\n#### Soak\n- [ ] One hour at full load\n",
        );
        t.replace(
            "## Issues Encountered",
            "## Success Criteria\n\n- [ ] p99 latency under 5 ms\n\n## Issues Encountered",
        )
    });
    let text = doc(&repo);
    let load = line_of(&text, "Load test");
    let soak = line_of(&text, "One hour at full load");
    let p99 = line_of(&text, "p99 latency");
    assert_check(
        &repo,
        &[],
        &[
            unticked_box("Load test at 10k requests a second", "Phase 1 Validation", load),
            unticked_box("One hour at full load", "Phase 1 Validation", soak),
            unticked_box("p99 latency under 5 ms", "Success Criteria", p99),
        ],
    );
    for line in [load, soak, p99] {
        tick(&repo, line);
    }
    assert_check(&repo, &[], &[]);
}

#[test]
fn checklist_gates_the_sections_check_sections_names() {
    let repo = ready();
    let settings = String::from_utf8(repo.read(".milestone.yml")).expect("UTF-8");
    let default = "  # sections: [Final Checklist, Phase Validation, Success Criteria]";
    assert!(settings.contains(default), "init writes the default commented out\n{settings}");
    repo.write(".milestone.yml", settings.replace(default, "  sections: [Release Gate]"));
    edit_doc(&repo, |t| format!("{t}\n## Release Gate\n\n- [ ] Ops signed off\n"));
    let text = doc(&repo);
    let ops = line_of(&text, "Ops signed off");
    // The Final Checklist no longer gates.
    untick(&repo, line_of(&text, "Conflicts resolved"));
    assert_check(&repo, &[], &[unticked_box("Ops signed off", "Release Gate", ops)]);

    // `--ref` reads `.milestone.yml` from the branch, in a bare repository too: committed
    // (hooks and all, so the settings' commit is recorded), it gates the same.
    repo.git(["add", ".milestone.yml"]);
    repo.git(["commit", "--quiet", "-m", "chore: gate on the release section"]);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): add the release gate"]);
    assert_eq!(repo.status(), "", "everything committed");
    // The settings' commit is recorded above the box, which moves down.
    let ops = line_of(&doc(&repo), "Ops signed off");
    let bare = bare_remote(&repo);
    let expected = [unticked_box("Ops signed off", "Release Gate", ops)];
    assert_check(&repo, &[], &expected);
    assert_check_in(&repo, &bare, &["--ref", REF], &expected);

    tick(&repo, ops);
    assert_check(&repo, &[], &[]);

    // git config overrides the file, comma-separated.
    repo.git(["config", "milestone.check.sections", "Release Gate, Final Checklist"]);
    let conflicts = line_of(&doc(&repo), "Conflicts resolved");
    assert_check(&repo, &[], &[unticked_box("Conflicts resolved", "Final Checklist", conflicts)]);
}

// ---- placeholders ----

#[test]
fn placeholders_are_reported_with_their_line_but_not_in_code_or_comments() {
    let repo = ready();
    edit_doc(&repo, |t| {
        format!(
            "{t}\n### Release\n\n**Released:** [YYYY-MM-DD]\n- `[hash]` - the release commit\n\n\
             ```markdown\n- `[hash]` - [commit message]\n**Shipped:** [YYYY-MM-DD]\n```\n\n\
             <!-- [hash] [YYYY-MM-DD] -->\n"
        )
    });
    let text = doc(&repo);
    let released = line_of(&text, "**Released:** [YYYY-MM-DD]");
    let release = line_of(&text, "the release commit");
    assert_check(&repo, &[], &[placeholder("[YYYY-MM-DD]", released), placeholder("[hash]", release)]);

    let hash = repo.rev("HEAD");
    edit_doc(&repo, |t| {
        t.replacen("**Released:** [YYYY-MM-DD]", "**Released:** 2026-01-02", 1).replacen(
            "- `[hash]` - the release commit",
            &format!("- `{}` - the release commit", &hash[..7]),
            1,
        )
    });
    // Only the code block and the comment keep them.
    assert_eq!(doc(&repo).matches("[hash]").count(), 2);
    assert_check(&repo, &[], &[]);
}

#[test]
fn placeholders_of_the_template_left_in_a_phase_goal_and_the_notes() {
    let repo = ready();
    edit_doc(&repo, |t| {
        t.replace("**Goal:** Limit requests per client", &format!("**Goal:** {GOAL}"))
            .replace("- Measure before choosing the limits", &format!("- {LESSONS}"))
    });
    let text = doc(&repo);
    assert_check(
        &repo,
        &[],
        &[placeholder(GOAL, line_of(&text, GOAL)), placeholder(LESSONS, line_of(&text, LESSONS))],
    );
}

// ---- commits-recorded ----

#[test]
fn commits_recorded_reports_a_commit_the_hooks_did_not_see_until_synced_and_committed() {
    let repo = ready();
    commit_unseen(&repo, "feat: add burst limits");
    assert_eq!(repo.status(), "", "no hook ran");
    let id = repo.rev("HEAD");
    let run = assert_check(&repo, &[], &[unrecorded(&id, "feat: add burst limits")]);
    assert!(run.stdout().contains(&format!("  at commit {id}\n")), "the full id\n{run}");

    repo.milestone(["sync"]).success();
    assert!(doc(&repo).contains(&format!("- `{}` - feat: add burst limits", &id[..7])), "sync records it");
    // The work tree's document records it; the committed one does not yet.
    assert_check(&repo, &[], &[]);
    assert_check(&repo, &["--ref", REF], &[unrecorded(&id, "feat: add burst limits")]);

    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the burst limits"]);
    assert_passes(&repo);
}

#[test]
fn commits_recorded_reports_a_hash_that_is_not_on_the_branch_at_its_line() {
    let repo = ready();
    // A hash from before the branch started (main's first commit) is fine.
    let before = repo.rev("main~1");
    edit_doc(&repo, |t| {
        insert_after(
            t,
            "### Task 1.1: Rate limits",
            "**Commits:**",
            &format!("- `{}` - chore: initial commit\n", &before[..7]),
        )
    });
    assert_check(&repo, &[], &[]);

    edit_doc(&repo, |t| {
        insert_after(t, "### Task 1.1: Rate limits", "**Commits:**", "- `abcdef1` - feat: ghost\n")
    });
    let ghost = line_of(&doc(&repo), "feat: ghost");
    assert!(ghost > line_of(&doc(&repo), "### Task 1.1: Rate limits"), "under the task");
    assert_check(&repo, &[], &[stale("abcdef1", ghost)]);

    repo.milestone(["sync"]).success();
    assert!(!doc(&repo).contains("feat: ghost"), "sync removes the ghost\n{}", doc(&repo));
    assert_check(&repo, &[], &[]);
}

// ---- conventional ----

#[test]
fn conventional_reports_a_bad_message_until_it_is_reworded() {
    let repo = ready();
    commit_unseen(&repo, "added quotas");
    let id = repo.rev("HEAD");
    assert_check(
        &repo,
        &[],
        &[unrecorded(&id, "added quotas"), unconventional(&id, "added quotas", NO_TYPE)],
    );

    // Reworded with the hooks, which record the new commit (and stage the document).
    repo.git(["commit", "--quiet", "--amend", "-m", "feat: add quotas"]);
    assert_check(&repo, &[], &[]);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the quotas"]);
    assert_passes(&repo);

    // A bookkeeping commit (the document alone) is not recorded, but its message is checked.
    edit_doc(&repo, |t| t.replace("## Notes\n", "## Notes\n\nQuotas reset at midnight UTC.\n"));
    repo.git(["add", DOC]);
    commit_staged_unseen(&repo, "update tracking");
    let id = repo.rev("HEAD");
    assert_check(&repo, &[], &[unconventional(&id, "update tracking", NO_TYPE)]);
    repo.git(["commit", "--quiet", "--amend", "-m", "docs(M1): note when quotas reset"]);
    assert_eq!(repo.status(), "");
    assert_passes(&repo);
}

#[test]
fn conventional_checks_merges_and_lets_gits_own_merge_messages_pass() {
    let repo = ready();
    repo.git(["switch", "--quiet", "-c", "topic"]);
    commit(&repo, "feat: add the topic work");
    let topic = repo.rev("HEAD");
    repo.git(["switch", "--quiet", BRANCH]);

    // A merge with a message of its own, no hook seeing it.
    let mut args = no_hooks(&repo).to_vec();
    args.extend(["merge", "--quiet", "--no-ff", "-m", "merged the topic", "topic"].map(String::from));
    repo.git(args);
    let merge = repo.rev("HEAD");
    assert_check(
        &repo,
        &[],
        &[
            unrecorded(&topic, "feat: add the topic work"),
            unconventional(&merge, "merged the topic", NO_TYPE),
        ],
    );

    // Again with git's own message, through the hooks.
    repo.git(["reset", "--quiet", "--hard", "HEAD~1"]);
    repo.git(["merge", "--quiet", "--no-ff", "--no-edit", "topic"]);
    assert_eq!(repo.subjects("-1"), [format!("Merge branch 'topic' into {BRANCH}")]);
    assert_eq!(repo.status(), format!("M  {DOC}\n"), "the hooks record the merged commit");
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the topic work"]);
    assert_passes(&repo);
}

// ---- up-to-date ----

#[test]
fn up_to_date_reports_a_base_that_moved_on_until_rebased() {
    let repo = ready();
    move_main(&repo, "fix: tighten the parser");
    assert_check(&repo, &[], &[behind_main()]);
    let run = repo.milestone(["check"]);
    assert!(!run.stdout().contains("  at "), "the rule names no place\n{run}");

    repo.git(["rebase", "--quiet", "main"]);
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "the rebase is done");
    // The work tree's document follows the rebase; the committed one names the old hashes.
    assert_check(&repo, &[], &[]);
    repo.milestone(["check", "--ref", REF]).failure(1);
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the rebased commits"]);
    assert_passes(&repo);
}

#[test]
fn up_to_date_passes_once_the_base_is_merged_in() {
    let repo = ready();
    move_main(&repo, "fix: tighten the parser");
    assert_check(&repo, &[], &[behind_main()]);
    repo.git(["merge", "--quiet", "--no-edit", "main"]);
    assert_eq!(repo.subjects("-1"), [format!("Merge branch 'main' into {BRANCH}")]);
    assert_eq!(repo.status(), "", "a merge of the base records nothing");
    assert_passes(&repo);
}

// ---- status ----

#[test]
fn status_is_checked_only_with_final() {
    let repo = ready();
    let text = doc(&repo);
    let line = line_of(&text, "**Status:** 🔄 In Progress  ");
    assert_eq!(line, 8, "the header's Status");
    assert_check(&repo, &[], &[]);
    assert_check(&repo, &["--final"], &[not_complete("🔄 In Progress", line)]);

    repo.milestone(["set", DOC, "Status", "✅ Complete"]).success();
    assert_check(&repo, &["--final"], &[]);
    assert_check(&repo, &["--final", "--ref", REF], &[not_complete("🔄 In Progress", line)]);
    repo.git(["commit", "--quiet", "-am", "docs(M1): complete"]);
    assert_check(&repo, &["--final", "--ref", REF], &[]);

    // The hint's own words work too.
    repo.milestone(["set", DOC, "Status", "Complete"]).success();
    assert_check(&repo, &["--final"], &[]);
}

// ---- every rule at once, and the JSON ----

#[test]
fn every_rule_failing_at_once_in_order_with_json_nulls_where_nothing_applies() {
    let repo = ready();
    let text = doc(&repo);
    let conflicts = line_of(&text, "Conflicts resolved");
    edit_doc(&repo, |t| format!("{t}\n**Released:** [YYYY-MM-DD]\n"));
    untick(&repo, conflicts);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): reopen the checklist"]);
    commit_unseen(&repo, "wip");
    let wip = repo.rev("HEAD");
    move_main(&repo, "fix: tighten the parser");
    let released = line_of(&doc(&repo), "**Released:**");

    let problems = [
        unticked_box("Conflicts resolved", "Final Checklist", conflicts),
        placeholder("[YYYY-MM-DD]", released),
        unrecorded(&wip, "wip"),
        unconventional(&wip, "wip", NO_TYPE),
        behind_main(),
        not_complete("🔄 In Progress", 8),
    ];
    assert_check(&repo, &["--final"], &problems);
    assert_check(&repo, &[], &problems[..5]);

    // The JSON spelled out once: keys, types, nulls.
    let run = repo.milestone(["check", "--final", "--json"]).failure(1);
    let value = run.json();
    assert_eq!(value["ok"], json!(false));
    let found = value["problems"].as_array().expect("problems is an array");
    assert_eq!(found.len(), 6);
    for p in found {
        let mut keys: Vec<&str> =
            p.as_object().expect("a problem is an object").keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["commit", "hint", "line", "message", "path", "rule"], "{p}");
    }
    assert_eq!(found[0]["line"], json!(conflicts));
    assert_eq!(found[0]["commit"], Value::Null);
    assert_eq!(found[3]["path"], Value::Null);
    assert_eq!(found[3]["line"], Value::Null);
    assert_eq!(found[3]["commit"], json!(wip));
    assert_eq!(found[4]["path"], Value::Null);
    assert_eq!(found[4]["commit"], Value::Null);
    assert_eq!(run.stdout().lines().count(), 1, "one JSON object on one line\n{run}");
}

// ---- exit 2: the check cannot run ----

#[test]
fn cannot_run_exits_2_with_an_error_and_a_hint() {
    let repo = ready();
    let before = repo.state();

    let run = assert_refused(
        repo.milestone(["check", "M9"]),
        &[&format!("error: milestone `M9` is not the one checked out: branch `{BRANCH}` tracks `{DOC}`")],
    );
    assert_eq!(run.stdout(), "");
    assert_unchanged(&before, &repo.state(), &run);

    let run = assert_refused(
        repo.milestone(["check", "--ref", "refs/heads/nope"]),
        &["error: ", "refs/heads/nope"],
    );
    assert_eq!(run.stdout(), "");
    let run = assert_refused(
        repo.milestone(["check", "--ref", "refs/heads/main"]),
        &[
            "error: `refs/heads/main` is not a milestone branch: no tracking document in `docs/milestones/tracking` names it",
        ],
    );
    assert_eq!(run.stdout(), "");
    repo.milestone(["check", "M1", "--ref", REF]).failure(2);

    repo.git(["switch", "--quiet", "main"]);
    for json in [false, true] {
        let mut args = vec!["check"];
        if json {
            args.push("--json");
        }
        let run = assert_refused(
            repo.milestone(&args),
            &["error: branch `main` is not a milestone branch: no tracking document names it"],
        );
        assert_eq!(run.stdout(), "", "errors never go to standard output\n{run}");
    }

    repo.git(["switch", "--quiet", "--detach", BRANCH]);
    let run = assert_refused(repo.milestone(["check"]), &["error: HEAD is detached"]);
    assert_eq!(run.stdout(), "");
    // `--ref` needs no branch checked out.
    assert_check(&repo, &["--ref", REF], &[]);
}

/// The unknown ref is reported with `start`'s words for an unknown base: "base
/// `refs/heads/nope` does not exist", hint "name an existing branch, tag or commit with
/// `--base`", an option `check` does not have.
#[test]
fn an_unknown_ref_is_reported_as_a_ref_not_as_a_base() {
    let repo = ready();
    let run = assert_refused(repo.milestone(["check", "--ref", "refs/heads/nope"]), &["refs/heads/nope"]);
    let err = run.stderr();
    assert!(!err.contains("--base") && !err.contains("base `"), "the message speaks of a base\n{run}");
}

// ---- --ref in a bare repository ----

#[test]
fn ref_in_a_bare_repository_reports_what_the_work_tree_reports() {
    let repo = ready();
    let text = doc(&repo);
    let conflicts = line_of(&text, "Conflicts resolved");
    untick(&repo, conflicts);
    edit_doc(&repo, |t| format!("{t}\n**Released:** [YYYY-MM-DD]\n"));
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): reopen the checklist"]);
    commit_unseen(&repo, "wip");
    let wip = repo.rev("HEAD");
    move_main(&repo, "fix: tighten the parser");
    assert_eq!(repo.status(), "", "the work tree holds the committed state");
    let bare = bare_remote(&repo);
    let released = line_of(&doc(&repo), "**Released:**");

    let problems = [
        unticked_box("Conflicts resolved", "Final Checklist", conflicts),
        placeholder("[YYYY-MM-DD]", released),
        unrecorded(&wip, "wip"),
        unconventional(&wip, "wip", NO_TYPE),
        behind_main(),
        not_complete("🔄 In Progress", 8),
    ];
    for args in [&[][..], &["--final"][..]] {
        let expected = if args.is_empty() { &problems[..5] } else { &problems[..] };
        let here = assert_check(&repo, args, expected);
        let mut with_ref = args.to_vec();
        with_ref.extend(["--ref", REF]);
        let there = assert_check_in(&repo, &bare, &with_ref, expected);
        assert_eq!(there.stdout(), here.stdout(), "bare and work tree say the same");
    }

    // Cannot run: the same exit code, in the bare repository.
    for reference in ["refs/heads/nope", "refs/heads/main"] {
        let run =
            assert_refused(repo.milestone_in(&bare, ["check", "--ref", reference]), &["error: ", reference]);
        assert_eq!(run.stdout(), "");
    }
    assert_refused(repo.milestone_in(&bare, ["check"]), &["error: "]);

    // Fixed in the work tree, pushed: passes there too.
    repo.git(["commit", "--quiet", "--amend", "-m", "feat: add quotas"]);
    repo.git(["add", DOC]);
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the quotas"]);
    tick(&repo, line_of(&doc(&repo), "Conflicts resolved"));
    edit_doc(&repo, |t| t.replace("**Released:** [YYYY-MM-DD]", "**Released:** 2026-01-02"));
    repo.git(["commit", "--quiet", "-am", "docs(M1): tick and fill"]);
    repo.git(["rebase", "--quiet", "main"]);
    assert_eq!(repo.status(), format!("M  {DOC}\n"), "the hooks record the rebased commits");
    repo.git(["commit", "--quiet", "-m", "docs(M1): record the rebased commits"]);
    assert_check(&repo, &[], &[]);
    push(&repo, &bare);
    assert_check_in(&repo, &bare, &["--ref", REF], &[]);
    let run = assert_check_in(&repo, &bare, &["--ref", BRANCH], &[]);
    assert_eq!(run.stdout(), format!("{DOC} on {BRANCH}: every check passes\n"));
}

/// With the repository's own tracking template (`templates.folder`), the work tree's check
/// reports that template's placeholders; `--ref` reads only the built-in template, so in the
/// bare repository the same committed document passes.
#[test]
fn ref_reads_the_repositorys_own_template_from_the_branch() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    let settings = String::from_utf8(repo.read(".milestone.yml")).expect("UTF-8");
    let folder = "  # folder: \n  # the template `start` writes";
    assert!(settings.contains(folder), "init writes templates.folder commented out\n{settings}");
    repo.write(".milestone.yml", settings.replace(folder, "  folder: tmpl\n  # the template `start` writes"));
    let built_in = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/tracking.md"))
        .expect("the built-in tracking template");
    let own = built_in
        .replace("**Assignee:** {{assignee}}", "**Assignee:** {{assignee}}  \n**Reviewer:** [Reviewer Name]");
    assert_ne!(own, built_in);
    repo.write("tmpl/tracking.md", own);
    repo.commit_all("chore: set up git-milestone");
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    let text = doc(&repo);
    let reviewer = line_of(&text, "[Reviewer Name]");
    let here = repo.milestone(["check"]).failure(1);
    assert!(
        here.stdout().contains(&placeholder("[Reviewer Name]", reviewer).human()),
        "the work tree reports the template's own placeholder\n{here}"
    );
    let bare = bare_remote(&repo);
    let there = repo.milestone_in(&bare, ["check", "--ref", REF]).failure(1);
    assert!(
        there.stdout().contains("`[Reviewer Name]` is still there"),
        "`--ref` does not report the template's own placeholder on line {reviewer}\n{there}"
    );
    assert_eq!(there.stdout(), here.stdout(), "bare and work tree say the same");
}

#[test]
fn a_long_branch_is_read_alike_on_one_thread_and_two() {
    // 1,500 commits on the branch, written with fast-import: past the length from which the
    // trees are compared on a second thread. Among them a bookkeeping commit (the document
    // alone), an empty commit, a side branch merged back (its commit's parent is not the
    // commit walked before it) and a commit touching both the document and code.
    let repo = started_in("manual");
    let start = repo.rev("HEAD");
    let text = doc(&repo);
    let data = |s: &str| format!("data {}\n{s}\n", s.len());
    let mut stream = String::new();
    for i in 0..1_500 {
        let mark = i + 1;
        let message = format!("feat(api): step {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/{BRANCH}\nmark :{mark}\ncommitter C <c@example.com> {} +0000\n{}",
            1_900_000_000 + i,
            data(&message)
        ));
        stream.push_str(&if i == 0 { format!("from {start}\n") } else { format!("from :{i}\n") });
        match i {
            700 => stream.push_str(&format!("M 644 inline {DOC}\n{}", data(&format!("{text}\nA note.\n")))),
            900 => {}
            1_000 => stream.push_str(&format!("merge :9000\nM 644 inline work.txt\n{}", data("merged"))),
            1_200 => {
                stream
                    .push_str(&format!("M 644 inline {DOC}\n{}", data(&format!("{text}\nAnother note.\n"))));
                stream.push_str(&format!("M 644 inline work.txt\n{}", data("with the document")));
            }
            _ => stream.push_str(&format!("M 644 inline work.txt\n{}", data(&i.to_string()))),
        }
        stream.push('\n');
        if i == 950 {
            stream.push_str(&format!(
                "commit refs/heads/side\nmark :9000\ncommitter C <c@example.com> {} +0000\n{}from :{mark}\nM 644 inline side.txt\n{}\n",
                1_900_000_000 + i,
                data("feat(api): a side step\n"),
                data("side")
            ));
        }
    }
    let file = repo.sibling("stream");
    fs::write(&file, stream).expect("write the stream");
    repo.git_with(["fast-import", "--quiet", "--force"], |c| {
        c.stdin(fs::File::open(&file).expect("open the stream"));
    })
    .success();
    repo.git(["reset", "--quiet", "--hard", BRANCH]);
    let threads = |n: &str| {
        repo.milestone_with(["check", "--json"], |c| {
            c.env("GIT_MILESTONE_THREADS", n);
        })
        .failure(1)
        .json()
    };
    let one = threads("1");
    assert_eq!(threads("2"), one, "one thread and two read the branch alike");
    // Every commit but the merge and the bookkeeping one is a commit the document lacks.
    let bookkeeping = repo.rev(&format!("{BRANCH}~{}", 1_499 - 700));
    let mut want: Vec<String> = repo
        .git(["rev-list", "--no-merges", &format!("{start}..{BRANCH}")])
        .lines()
        .filter(|id| *id != bookkeeping)
        .map(str::to_string)
        .collect();
    want.sort();
    let mut unrecorded: Vec<String> = one["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .filter(|p| p["rule"] == "commits-recorded")
        .map(|p| p["commit"].as_str().expect("a commit").to_string())
        .collect();
    unrecorded.sort();
    assert_eq!(unrecorded.len(), 1_500 - 2 + 1, "the branch's commits, the side one too");
    assert_eq!(unrecorded, want);
}
