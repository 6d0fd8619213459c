//! `git milestone finish` and the merge and push gates (issue #6, parts 3 and 4), through the
//! real `git` binary and the hooks `init` installs: `finish` refusing while the check fails,
//! then completing the document and the plan in one commit, with `--merge` merging into the
//! base; the `pre-merge-commit` gate on `git merge`, the `pre-push` gate on `git push`, and
//! the server's `pre-receive` gate on a local bare remote, each refusing a milestone that is
//! not done with the check's report, and letting everything else through.
//!
//! Every repository is set up as a user would: `init`, `.milestone.yml` committed on `main`,
//! `start M1`, commits made with `git commit` and recorded by the hooks (`tracking.update`
//! at its default, `stage`), boxes ticked with `git milestone tick`.

use std::path::Path;

use crate::git_support::{assert_unchanged, today};
use crate::support::{Run, TestRepo};

/// The tracking document of milestone M1.
const DOC: &str = "docs/milestones/tracking/M1-tracking.md";
/// Milestone M1's plan, as `new M1` writes it.
const PLAN: &str = "docs/milestones/M1.md";
/// Milestone M1's branch, as `start M1` names it for the title "Rate limits".
const BRANCH: &str = "feature/M1/rate-limits";
/// The same, as `--ref` takes it.
const REF: &str = "refs/heads/feature/M1/rate-limits";
/// The subject of the commit `finish` makes.
const COMPLETE: &str = "docs(M1): complete tracking document for M1";
/// The subject of the merge commit `finish --merge` makes.
const MERGE: &str = "chore(M1): merge milestone M1 from feature/M1/rate-limits";
/// The placeholders the built-in tracking template leaves for people to fill, and what the
/// tests fill them with.
const PLACEHOLDERS: [(&str, &str); 3] = [
    ("[what this phase achieves]", "Requests over the limit are refused"),
    ("[each decision worth remembering, and why it was made]", "A token bucket per key: simple and fair"),
    ("[what to keep doing, and what to change next time]", "Keep the milestone small"),
];
/// The last line of a refused `git merge` (git's `pre-merge-commit` gate).
const MERGE_REFUSED: &str = "merge refused: a milestone it brings does not pass `git milestone check` (`git merge --no-verify` skips this gate)";
/// The last line of a refused `git push` (the client's `pre-push` gate).
const PUSH_REFUSED: &str = "push refused: a milestone merged into the base does not pass `git milestone check` (`git push --no-verify` skips this gate)";
/// The last line of a push the server refused (its `pre-receive` gate).
const SERVER_REFUSED: &str =
    "push refused by the server: a milestone merged into the base branch does not pass `git milestone check`";

// ---- setting up like a user ----

/// Returns a repository on `main` set up as a user would: one commit, then `init` and its
/// `.milestone.yml` committed (which installs the hooks).
fn initialised() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo
}

/// Returns [`initialised`] after `start M1 --title "Rate limits"` (no plan): HEAD on
/// [`BRANCH`], whose one commit creates [`DOC`].
fn started() -> TestRepo {
    let repo = initialised();
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "HEAD after start");
    assert_eq!(repo.status(), "", "git status after start");
    repo
}

/// Returns [`initialised`] after `new M1 "Rate limits"`, the plan committed on `main`, then
/// `start M1`: HEAD on [`BRANCH`], whose one commit creates [`DOC`] and sets the plan in
/// progress.
fn started_with_plan() -> TestRepo {
    let repo = initialised();
    repo.milestone(["new", "M1", "Rate limits"]).success();
    repo.commit_all("docs(M1): plan M1");
    repo.milestone(["start", "M1"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "HEAD after start");
    assert_eq!(repo.status(), "", "git status after start");
    repo
}

/// Writes `contents` to `file` and commits it alone with `git commit -m subject`, hooks and
/// all (the hooks record it in the document and stage the document).
#[track_caller]
fn work(repo: &TestRepo, file: &str, contents: &str, subject: &str) {
    repo.write(file, contents);
    repo.git(["add", file]);
    repo.git_run_in(repo.root(), ["commit", "--quiet", "-m", subject]).success();
}

/// Commits the document the hooks staged (a bookkeeping commit), so that the tree is clean
/// and HEAD can move to another branch.
#[track_caller]
fn settle(repo: &TestRepo) {
    repo.git(["add", DOC]);
    repo.git_run_in(repo.root(), ["commit", "--quiet", "-m", "docs(M1): record the commits"]).success();
    assert_eq!(repo.status(), "", "git status after the bookkeeping commit");
}

/// Does what the check asks of a person: ticks every `- [ ]` box of the document with `git
/// milestone tick`, and fills the template's placeholders. The document is left in the work
/// tree, not committed; every rule of the check but `up-to-date` passes then.
#[track_caller]
fn complete_document(repo: &TestRepo) {
    let text = doc(repo);
    let boxes: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("- [ ]"))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(boxes.len() >= 14, "the document has too few boxes to tick: {boxes:?}\n{text}");
    for line in boxes {
        repo.milestone(["tick", DOC, "--line", &line.to_string()]).success();
    }
    let mut text = doc(repo);
    for (placeholder, filled) in PLACEHOLDERS {
        assert!(text.contains(placeholder), "the document has no `{placeholder}`\n{text}");
        text = text.replace(placeholder, filled);
    }
    repo.write(DOC, text);
}

/// Returns the document in the work tree.
fn doc(repo: &TestRepo) -> String {
    String::from_utf8(repo.read(DOC)).expect("the tracking document is UTF-8")
}

/// Returns the short hash of `rev`, as the document records it.
fn short(repo: &TestRepo, rev: &str) -> String {
    repo.git(["rev-parse", "--short=7", rev]).trim().to_string()
}

/// Returns the parents of `rev`.
fn parents(repo: &TestRepo, rev: &str) -> Vec<String> {
    repo.git(["log", "-1", "--format=%P", rev]).split_whitespace().map(str::to_string).collect()
}

/// Returns the report `git milestone check --ref REF` prints for the milestone branch, which
/// the gates must show: expected to fail.
fn ref_report(repo: &TestRepo) -> String {
    let run = repo.milestone(["check", "--ref", REF]).failure(1);
    let report = run.stdout();
    assert!(report.ends_with("problems before this milestone can be merged\n"), "{run}");
    report
}

/// Asserts `run`'s standard error holds `report` as one block.
#[track_caller]
fn assert_reports(run: &Run, report: &str) {
    assert!(run.stderr().contains(report), "stderr does not hold the check's report:\n{report}\n{run}");
}

/// Returns the id of `refs/heads/main` in the bare repository at `bare`.
fn remote_main(repo: &TestRepo, bare: &Path) -> String {
    repo.git_in(bare, ["rev-parse", "refs/heads/main"]).trim().to_string()
}

/// Returns [`initialised`] with a bare repository beside it as `origin`, `main` pushed to
/// it; with `server`, the bare repository has `hooks install --server`'s pre-receive hook.
fn with_remote(server: bool) -> (TestRepo, std::path::PathBuf) {
    let repo = initialised();
    let bare = repo.sibling("remote.git");
    repo.git(["init", "--quiet", "--bare", bare.to_str().expect("UTF-8 path")]);
    if server {
        let run = repo.milestone_in(&bare, ["hooks", "install", "--server"]).success();
        assert!(bare.join("hooks/pre-receive").is_file(), "no pre-receive hook\n{run}");
    }
    repo.git(["remote", "add", "origin", bare.to_str().expect("UTF-8 path")]);
    repo.git_run_in(repo.root(), ["push", "--quiet", "origin", "main"]).success();
    assert_eq!(remote_main(&repo, &bare), repo.rev("main"), "the remote's main after the first push");
    (repo, bare)
}

/// Parses `git diff --shortstat` into (insertions, deletions, files changed).
fn shortstat(repo: &TestRepo, range: &str) -> (usize, usize, usize) {
    let out = repo.git(["diff", "--shortstat", range]);
    let (mut added, mut removed, mut files) = (0, 0, 0);
    for part in out.trim().split(", ") {
        let (n, what) = part.split_once(' ').unwrap_or_else(|| panic!("unexpected shortstat: {out}"));
        let n: usize = n.parse().unwrap_or_else(|_| panic!("unexpected shortstat: {out}"));
        if what.starts_with("file") {
            files = n;
        } else if what.starts_with("insertion") {
            added = n;
        } else if what.starts_with("deletion") {
            removed = n;
        }
    }
    (added, removed, files)
}

// ---- finish ----

#[test]
fn finish_while_the_check_fails_prints_the_report_and_changes_nothing() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    // One box ticked, so the document differs from HEAD's in the work tree as well.
    let first_box = doc(&repo).lines().position(|l| l.starts_with("- [ ] ")).expect("a box") + 1;
    repo.milestone(["tick", DOC, "--line", &first_box.to_string()]).success();
    let check = repo.milestone(["check"]).failure(1);
    let count = repo.milestone(["check", "--json"]).failure(1).json()["problems"]
        .as_array()
        .expect("problems is an array")
        .len();
    assert!(count > 1, "the check finds several problems\n{check}");

    let before = repo.state();
    let run = repo.milestone(["finish"]);
    assert_unchanged(&before, &repo.state(), &run);
    let run = run.failure(1);
    assert_eq!(
        run.stderr(),
        format!("{}finish refused: {count} problems remain; nothing was changed\n", check.stdout()),
        "{run}"
    );
    assert_eq!(run.stdout(), "", "{run}");

    // The same with --merge: nothing changes, main does not move.
    let run = repo.milestone(["finish", "--merge"]);
    assert_unchanged(&before, &repo.state(), &run);
    let run = run.failure(1);
    assert!(run.stderr().ends_with("problems remain; nothing was changed\n"), "{run}");
}

#[test]
fn finish_completes_the_document_and_the_plan_in_one_commit() {
    let repo = started_with_plan();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    work(&repo, "tests/limiter.rs", "#[test]\nfn limits() {}\n", "test(M1): cover the limiter");
    work(&repo, "README.md", "# Project\n\nRate limits.\n", "docs(M1): describe the limits");
    let commits =
        ["feat(M1): add the limiter", "test(M1): cover the limiter", "docs(M1): describe the limits"];
    let last = repo.rev("HEAD");
    complete_document(&repo);

    let run = repo.milestone(["finish"]).success();
    assert_eq!(
        run.stdout(),
        format!("completed {DOC} in commit {} ({COMPLETE})\n", short(&repo, "HEAD")),
        "{run}"
    );
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH, "finish without --merge stays on the branch");
    assert_eq!(repo.git(["log", "-1", "--format=%B", "HEAD"]).trim_end(), COMPLETE, "the whole message");
    assert_eq!(repo.rev("HEAD~1"), last, "the completion commit is on top of the last commit");
    assert_eq!(repo.name_status("HEAD"), [format!("M\t{PLAN}"), format!("M\t{DOC}")], "git show HEAD");
    assert_eq!(repo.rev("main"), repo.rev("HEAD~5"), "main did not move");
    assert_eq!(repo.status(), "", "git status after finish");

    // The document in HEAD: complete, dated today, every box ticked, every commit recorded,
    // the metrics those of the branch's diff.
    let done = repo.show_file("HEAD", DOC);
    assert_eq!(repo.read(DOC), done.as_bytes(), "the work tree has HEAD's document");
    assert!(done.contains("**Status:** ✅ Complete  \n"), "status\n{done}");
    assert!(done.contains(&format!("**Completed:** {}\n", today())), "completion date\n{done}");
    assert!(!done.contains("- [ ]"), "every box is ticked\n{done}");
    for (n, subject) in commits.iter().enumerate() {
        let hash = short(&repo, &format!("HEAD~{}", 3 - n));
        assert!(done.contains(&format!("- `{hash}` - {subject}\n")), "`{subject}` is recorded\n{done}");
    }
    let base = repo.git(["merge-base", "main", "HEAD"]).trim().to_string();
    let (added, removed, files) = shortstat(&repo, &format!("{base}..HEAD~1"));
    assert!(added > 0 && files > 0, "the branch changed something");
    let metrics = &done[done.find("## Metrics").expect("a Metrics section")..];
    let metrics = &metrics[..metrics.find("\n---").expect("the Metrics section ends")];
    assert_eq!(
        metrics,
        format!(
            "## Metrics\n\n**Commits:** {}\n\n**Lines Changed:**\n- Added: {added}\n- Removed: {removed}\n- Modified files: {files}\n",
            commits.len()
        ),
        "the metrics\n{done}"
    );

    // The plan: complete wherever it says a status (frontmatter and field), and `list` says so.
    let plan = repo.show_file("HEAD", PLAN);
    assert_eq!(repo.read(PLAN), plan.as_bytes(), "the work tree has HEAD's plan");
    assert!(plan.contains("\nstatus: complete\n"), "the plan's frontmatter status\n{plan}");
    assert!(plan.contains("\n**Status**: ✅ Complete  \n"), "the plan's Status field\n{plan}");
    assert!(!plan.contains("In Progress"), "the plan still says In Progress\n{plan}");
    let listed = repo.milestone(["list", "--json"]).success().json();
    assert_eq!(listed["milestones"][0]["status"], "complete", "git milestone list --json\n{listed}");

    // The completion commit (plan and document) is bookkeeping: the check passes, final too.
    let run = repo.milestone(["check", "--final"]).success();
    assert_eq!(run.stdout(), format!("{DOC} on {BRANCH}: every check passes\n"), "{run}");
    repo.milestone(["check", "--final", "--ref", REF]).success();
}

#[test]
fn git_merge_of_a_milestone_finished_with_a_plan_passes_the_merge_gate() {
    let repo = started_with_plan();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    complete_document(&repo);
    repo.milestone(["finish"]).success();
    repo.git(["switch", "--quiet", "main"]);
    let main_tip = repo.rev("main");
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", BRANCH]).success();
    assert!(!run.stderr().contains("refused"), "{run}");
    assert_eq!(parents(&repo, "main"), [main_tip, repo.rev(BRANCH)]);
    assert_eq!(repo.status(), "");
}

#[test]
fn check_final_passes_right_after_finish_and_not_before() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    complete_document(&repo);
    let run = repo.milestone(["check", "--final", "--json"]).failure(1);
    let problems = run.json()["problems"].clone();
    assert_eq!(problems.as_array().map(Vec::len), Some(1), "{run}");
    assert_eq!(problems[0]["rule"], "status", "only the status remains before finish\n{run}");

    repo.milestone(["finish"]).success();
    assert_eq!(repo.subjects("-1"), [COMPLETE]);
    assert_eq!(repo.name_status("HEAD"), [format!("M\t{DOC}")], "no plan: only the document changes");
    let run = repo.milestone(["check", "--final"]).success();
    assert_eq!(run.stdout(), format!("{DOC} on {BRANCH}: every check passes\n"), "{run}");
    assert_eq!(repo.status(), "", "git status after finish");
    // The committed branch passes too, as the gates read it.
    repo.milestone(["check", "--final", "--ref", REF]).success();
}

#[test]
fn finish_merge_merges_into_main_with_a_merge_commit_and_switches_to_main() {
    let repo = started();
    let main_before = repo.rev("main");
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    work(&repo, "src/headers.rs", "pub fn headers() {}\n", "feat(M1): send the rate-limit headers");
    complete_document(&repo);

    let run = repo.milestone(["finish", "--merge"]).success();
    let tip = repo.rev(BRANCH);
    let merge = repo.rev("main");
    assert_eq!(
        run.stdout(),
        format!(
            "completed {DOC} in commit {} ({COMPLETE})\n\
             merged `{BRANCH}` into `main` in commit {} ({MERGE}); now on `main`\n",
            short(&repo, &tip),
            short(&repo, &merge)
        ),
        "{run}"
    );
    assert_eq!(
        repo.git(["log", "-1", "--format=%s", BRANCH]).trim_end(),
        COMPLETE,
        "the branch ends with the completion"
    );
    assert_eq!(repo.head_branch_in(repo.root()), "main", "HEAD after finish --merge");
    assert_eq!(repo.rev("HEAD"), merge);
    assert_eq!(
        parents(&repo, "main"),
        [main_before, tip.clone()],
        "the merge's parents: main, then the branch"
    );
    assert_eq!(repo.git(["log", "-1", "--format=%B", "main"]).trim_end(), MERGE, "the merge's message");
    assert_eq!(
        repo.git(["rev-parse", "main^{tree}"]),
        repo.git(["rev-parse", &format!("{tip}^{{tree}}")]),
        "the merge has the branch's tree (the branch contained main)"
    );
    assert_eq!(repo.status(), "", "the work tree and the index are main's");
    assert_eq!(repo.read("src/limiter.rs"), b"pub struct Limiter;\n");
    assert_eq!(repo.read("src/headers.rs"), b"pub fn headers() {}\n");
    let done = repo.show_file("main", DOC);
    assert_eq!(repo.read(DOC), done.as_bytes(), "the completed document is in main's work tree");
    assert!(done.contains("**Status:** ✅ Complete"), "{done}");
    assert_eq!(
        repo.git(["log", "--first-parent", "--format=%s", "main"]).lines().collect::<Vec<_>>(),
        [MERGE, "chore: set up git-milestone", "chore: initial commit"],
        "git log --first-parent main"
    );
    assert_eq!(
        repo.subjects("main^1..main^2"),
        [
            COMPLETE,
            "feat(M1): send the rate-limit headers",
            "feat(M1): add the limiter",
            "docs(M1): create tracking document for M1",
        ],
        "what the merge brings"
    );
}

#[test]
fn finish_merge_behind_a_diverged_main_refuses_then_merges_once_main_is_merged_in() {
    // The same line of README.md changed on the branch and on main: the branch does not
    // contain main's tip, so the check (up-to-date) refuses before anything changes; the
    // conflict is resolved by merging main in, as the hint says. (A conflict inside `finish
    // --merge` itself cannot happen: a branch that passes up-to-date contains the base.)
    let repo = started();
    work(&repo, "README.md", "# Project, rate-limited\n", "docs(M1): name the limits in the readme");
    settle(&repo);
    repo.git(["switch", "--quiet", "main"]);
    work(&repo, "README.md", "# The project\n", "docs: retitle the readme");
    let main_tip = repo.rev("main");
    repo.git(["switch", "--quiet", BRANCH]);
    complete_document(&repo);

    let before = repo.state();
    let run = repo.milestone(["finish", "--merge"]);
    assert_unchanged(&before, &repo.state(), &run);
    let run = run.failure(1);
    let err = run.stderr();
    assert!(
        err.starts_with(
            "up-to-date: the branch does not contain the tip of `main`\n  \
             hint: rebase the branch on `main` (`git rebase main`) or merge it in\n"
        ),
        "{run}"
    );
    assert!(
        err.contains(&format!("{DOC} on {BRANCH}: 1 problem before this milestone can be merged\n")),
        "{run}"
    );
    assert!(err.contains("finish refused: 1 problem") && err.ends_with("; nothing was changed\n"), "{run}");
    assert_eq!(repo.rev("main"), main_tip, "main did not move");
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH);

    // Merging main into the milestone branch is not gated; the conflict is git's.
    let run = repo.git_fails(["merge", "main"]);
    assert!(run.stdout().contains("CONFLICT (content): Merge conflict in README.md"), "{run}");
    repo.write("README.md", "# The project, rate-limited\n");
    repo.git(["add", "README.md"]);
    repo.git_run_in(repo.root(), ["commit", "--no-edit"]).success();
    assert_eq!(repo.status(), format!(" M {DOC}\n"), "the completed document is back after the merge");

    repo.milestone(["finish", "--merge"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), "main");
    assert_eq!(repo.subjects("-1"), [MERGE]);
    assert_eq!(parents(&repo, "main"), [main_tip, repo.rev(BRANCH)]);
    assert_eq!(repo.read("README.md"), b"# The project, rate-limited\n");
    assert_eq!(repo.status(), "");
}

#[test]
fn finish_merge_with_main_checked_out_in_another_worktree_leaves_main_alone() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    let other = repo.sibling("main-worktree");
    repo.git(["worktree", "add", "--quiet", other.to_str().expect("UTF-8 path"), "main"]);
    complete_document(&repo);
    let main_before = repo.rev("main");

    let run = repo.milestone(["finish", "--merge"]);
    assert_eq!(repo.rev("main"), main_before, "main moved though the merge was refused\n{run}");
    assert_eq!(repo.git_in(&other, ["status", "--porcelain"]), "", "the other worktree\n{run}");
    let run = run.failure(crate::support::EXIT_CANNOT_RUN);
    let err = run.stderr();
    assert!(
        err.contains(&format!("error: `main` is checked out in the worktree at `{}`", other.display())),
        "{run}"
    );
    assert!(err.contains(&format!("merge --no-ff {BRANCH}` (the milestone is already complete)")), "{run}");
    // The completion was made before the merge was refused, and stays.
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH);
    assert_eq!(repo.subjects("-1"), [COMPLETE]);
    assert_eq!(repo.status(), "");
    // Merging there, as the hint says, goes through the gate.
    let merge = repo.git_run_in(&other, ["merge", "--no-ff", "--no-edit", BRANCH]).success();
    assert!(!merge.stderr().contains("refused"), "{merge}");
    assert_eq!(parents(&repo, "main"), [main_before, repo.rev(BRANCH)]);
    assert_eq!(repo.git_in(&other, ["status", "--porcelain"]), "", "the other worktree after its merge");
}

// ---- the pre-merge-commit gate ----

#[test]
fn git_merge_of_an_unfinished_milestone_into_main_is_refused_and_left_to_abort() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    let report = ref_report(&repo);
    repo.git(["switch", "--quiet", "main"]);
    let main_tip = repo.rev("main");

    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", BRANCH]);
    assert!(run.code().is_some_and(|c| c != 0), "the merge was not refused\n{run}");
    assert_reports(&run, &format!("{report}{MERGE_REFUSED}\n"));
    assert!(run.stderr().contains("checklist: `Release notes written` is not ticked"), "{run}");
    assert_eq!(repo.rev("main"), main_tip, "no merge commit");
    assert_eq!(repo.head_branch_in(repo.root()), "main");
    let git_dir = repo.path(".git");
    assert!(git_dir.join("MERGE_HEAD").is_file(), "git leaves the merge unconcluded\n{run}");
    assert!(repo.path("src/limiter.rs").is_file(), "the merged files are in the work tree");

    let abort = repo.git_run_in(repo.root(), ["merge", "--abort"]).success();
    assert_unchanged(&before, &repo.state(), &abort);

    let run =
        repo.git_run_in(repo.root(), ["merge", "--no-verify", "--no-ff", "--no-edit", BRANCH]).success();
    assert!(!run.stderr().contains("refused"), "{run}");
    assert_eq!(parents(&repo, "main"), [main_tip, repo.rev(BRANCH)], "--no-verify merges");
    assert_eq!(repo.subjects("-1"), [format!("Merge branch '{BRANCH}'")]);
}

#[test]
fn git_merge_of_a_finished_milestone_into_main_goes_through() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    complete_document(&repo);
    repo.milestone(["finish"]).success();
    repo.git(["switch", "--quiet", "main"]);
    let main_tip = repo.rev("main");
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", BRANCH]).success();
    assert!(!run.stderr().contains("refused"), "{run}");
    assert_eq!(parents(&repo, "main"), [main_tip, repo.rev(BRANCH)]);
    assert_eq!(repo.status(), "");
}

#[test]
fn git_merge_of_a_branch_without_a_tracking_document_is_not_gated() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    // An unfinished milestone exists, but the merged branch does not bring it.
    repo.git(["switch", "--quiet", "-c", "topic", "main"]);
    work(&repo, "src/topic.rs", "pub fn topic() {}\n", "feat: add a topic");
    repo.git(["switch", "--quiet", "main"]);
    let main_tip = repo.rev("main");
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", "topic"]).success();
    assert!(!run.stderr().contains("refused"), "{run}");
    assert_eq!(parents(&repo, "main"), [main_tip, repo.rev("topic")]);
    assert!(!repo.path(DOC).exists(), "main has no tracking document");
}

#[test]
fn git_merge_of_main_into_the_milestone_branch_is_not_gated() {
    let repo = started();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    repo.git(["switch", "--quiet", "main"]);
    work(&repo, "CHANGELOG.md", "# Changes\n", "docs: start a changelog");
    repo.git(["switch", "--quiet", BRANCH]);
    let tip = repo.rev(BRANCH);
    let run = repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", "main"]).success();
    assert!(!run.stderr().contains("refused"), "{run}");
    assert_eq!(parents(&repo, "HEAD"), [tip, repo.rev("main")], "the merge on the branch");
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH);
    // The milestone is still unfinished, and says so.
    repo.milestone(["check"]).failure(1);
}

// ---- the pre-push gate ----

#[test]
fn git_push_of_main_with_a_merge_of_an_unfinished_milestone_is_refused_by_pre_push() {
    let (repo, bare) = with_remote(false);
    let remote_before = remote_main(&repo, &bare);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    let report = ref_report(&repo);
    // The milestone branch itself is not gated.
    repo.git_run_in(repo.root(), ["push", "--quiet", "origin", BRANCH]).success();
    repo.git(["switch", "--quiet", "main"]);
    repo.git_run_in(repo.root(), ["merge", "--no-verify", "--no-ff", "--no-edit", BRANCH]).success();
    let merge = repo.rev("main");

    let before = repo.state();
    let run = repo.git_run_in(repo.root(), ["push", "origin", "main"]);
    assert_unchanged(&before, &repo.state(), &run);
    let run = run.failure(1);
    assert_reports(&run, &format!("{report}{PUSH_REFUSED}\n"));
    assert!(run.stderr().contains("error: failed to push some refs"), "{run}");
    assert_eq!(remote_main(&repo, &bare), remote_before, "the remote's main did not move");

    repo.git_run_in(repo.root(), ["push", "--quiet", "--no-verify", "origin", "main"]).success();
    assert_eq!(remote_main(&repo, &bare), merge, "--no-verify pushes");
}

// ---- the server's pre-receive gate ----

/// Returns the lines of `run`'s standard error that git shows from the remote, without the
/// `remote: ` prefix and the padding git puts after them.
fn remote_lines(run: &Run) -> String {
    run.stderr()
        .lines()
        .filter_map(|l| l.strip_prefix("remote: "))
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

#[test]
fn the_server_refuses_main_with_an_unfinished_milestone_and_accepts_it_finished() {
    let (repo, bare) = with_remote(true);
    let remote_before = remote_main(&repo, &bare);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    let report = ref_report(&repo);
    repo.git(["switch", "--quiet", "main"]);
    repo.git_run_in(repo.root(), ["merge", "--no-verify", "--no-ff", "--no-edit", BRANCH]).success();

    let run = repo.git_run_in(repo.root(), ["push", "--no-verify", "origin", "main"]).failure(1);
    assert_eq!(remote_lines(&run), format!("{report}{SERVER_REFUSED}\n"), "what the client sees\n{run}");
    assert!(run.stderr().contains("! [remote rejected] main -> main (pre-receive hook declined)"), "{run}");
    assert_eq!(remote_main(&repo, &bare), remote_before, "the remote's main did not move");
    assert_eq!(repo.rev("origin/main"), remote_before, "the client's origin/main did not move");

    // Finish the milestone and merge it again: the server accepts the push.
    repo.git(["reset", "--quiet", "--hard", "origin/main"]);
    repo.git(["switch", "--quiet", BRANCH]);
    complete_document(&repo);
    repo.milestone(["finish", "--merge"]).success();
    let merge = repo.rev("main");
    let run = repo.git_run_in(repo.root(), ["push", "origin", "main"]).success();
    assert!(remote_lines(&run).is_empty(), "the server says nothing\n{run}");
    assert_eq!(remote_main(&repo, &bare), merge, "the remote's main is the merge");
    assert_eq!(repo.git_in(&bare, ["log", "-1", "--format=%s", "main"]).trim(), MERGE);
    assert_eq!(parents(&repo, "main")[0], remote_before);
}

#[test]
fn the_server_lets_other_pushes_through() {
    let (repo, bare) = with_remote(true);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);

    // The unfinished milestone's own branch.
    let run = repo.git_run_in(repo.root(), ["push", "origin", BRANCH]).success();
    assert!(remote_lines(&run).is_empty(), "{run}");
    assert_eq!(repo.git_in(&bare, ["rev-parse", REF]).trim(), repo.rev(BRANCH));

    // main with a commit of its own, then with a merge of a branch that is no milestone.
    repo.git(["switch", "--quiet", "main"]);
    work(&repo, "CHANGELOG.md", "# Changes\n", "docs: start a changelog");
    let run = repo.git_run_in(repo.root(), ["push", "origin", "main"]).success();
    assert!(remote_lines(&run).is_empty(), "{run}");
    assert_eq!(remote_main(&repo, &bare), repo.rev("main"));
    repo.git(["switch", "--quiet", "-c", "topic"]);
    work(&repo, "src/topic.rs", "pub fn topic() {}\n", "feat: add a topic");
    repo.git(["switch", "--quiet", "main"]);
    repo.git_run_in(repo.root(), ["merge", "--no-ff", "--no-edit", "topic"]).success();
    let run = repo.git_run_in(repo.root(), ["push", "origin", "main"]).success();
    assert!(remote_lines(&run).is_empty(), "{run}");
    assert_eq!(remote_main(&repo, &bare), repo.rev("main"));

    // Deleting the milestone's branch on the server.
    repo.git_run_in(repo.root(), ["push", "--quiet", "origin", "--delete", BRANCH]).success();
    let gone = repo.git_run_in(&bare, ["rev-parse", "--verify", "--quiet", REF]);
    assert_eq!(gone.code(), Some(1), "the branch is gone\n{gone}");
}

#[test]
fn a_fast_forward_of_main_to_an_unfinished_milestone_is_refused_by_the_server() {
    // git runs no pre-merge-commit hook for a fast-forward: the push gates still see the
    // milestone's document arrive on the base branch, and check it at the new tip.
    let (repo, bare) = with_remote(true);
    let remote_before = remote_main(&repo, &bare);
    repo.milestone(["start", "M1", "--title", "Rate limits"]).success();
    work(&repo, "src/limiter.rs", "pub struct Limiter;\n", "feat(M1): add the limiter");
    settle(&repo);
    repo.git(["switch", "--quiet", "main"]);
    repo.git_run_in(repo.root(), ["merge", "--ff-only", "--quiet", BRANCH]).success();
    assert_eq!(repo.rev("main"), repo.rev(BRANCH), "a fast-forward");

    let run = repo.git_run_in(repo.root(), ["push", "origin", "main"]).failure(1);
    assert!(run.stderr().contains(PUSH_REFUSED), "the client's pre-push gate\n{run}");
    let run = repo.git_run_in(repo.root(), ["push", "--no-verify", "origin", "main"]).failure(1);
    assert!(remote_lines(&run).ends_with(&format!("{SERVER_REFUSED}\n")), "the server's gate\n{run}");
    assert!(remote_lines(&run).contains("checklist: "), "{run}");
    assert_eq!(remote_main(&repo, &bare), remote_before, "the remote's main did not move");
}
