//! `git-milestone start ID`: the feature branch made from the base through libgit2, its one
//! commit adding the tracking document (and the plan, now In Progress), HEAD switched as
//! `git switch` would; every refusal exits 2 with a hint and leaves refs, status, index and
//! files exactly as they were. Everything is checked through the real `git` binary.

use std::fs;
use std::path::Path;

use crate::git_support::{GitState, assert_refused, assert_unchanged, files_under, today};
use crate::support::{Run, TestRepo};

const PLAN: &str = "docs/milestones/M1.md";
const TRACKING: &str = "docs/milestones/tracking/M1-tracking.md";
const BRANCH: &str = "feature/api-M1/rate-limits";
const SUBJECT: &str = "docs(M1): create tracking document for M1";
const TASKS: [&str; 3] = ["Token bucket per API key", "Reject requests over the limit", "Rate-limit headers"];

/// The harness's fixed author and committer date, 2026-01-01T00:00:00Z, as `--date=raw`.
const RAW_DATE: &str = "1767225600 +0000";

/// Writes plan M1 with `new` (surface api) and fills its task breakdown with [`TASKS`].
fn write_plan(repo: &TestRepo) {
    repo.milestone(["new", "M1", "Rate limits", "--surface", "api"]).success();
    let mut text = String::from_utf8(repo.read(PLAN)).expect("plan is UTF-8");
    for (n, task) in TASKS.iter().enumerate() {
        let placeholder = format!("Task {}: [description]", n + 1);
        assert!(text.contains(&placeholder), "the plan template has no `{placeholder}`");
        text = text.replace(&placeholder, &format!("Task {}: {task}", n + 1));
    }
    repo.write(PLAN, text);
}

/// Returns a repository on `main` whose last commit adds plan M1 (see [`write_plan`]).
fn planned_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    write_plan(&repo);
    repo.commit_all("docs(M1): plan M1");
    repo
}

/// Runs `start args`, expecting a refusal naming each of `needles`, and checks nothing changed.
#[track_caller]
fn assert_start_refused(repo: &TestRepo, args: &[&str], needles: &[&str]) -> Run {
    let before = repo.state();
    let run = repo.milestone(std::iter::once("start").chain(args.iter().copied()));
    let after = repo.state();
    assert_unchanged(&before, &after, &run);
    assert_refused(run, needles)
}

/// Checks that HEAD of the work tree at `dir` is on `branch`, made of exactly one commit on
/// `base` with the subject of milestone `id`, changing exactly `name_status`.
#[track_caller]
fn assert_started(repo: &TestRepo, dir: &Path, base: &str, branch: &str, id: &str, name_status: &[&str]) {
    assert_eq!(repo.head_branch_in(dir), branch, "HEAD after start");
    let subject = format!("docs({id}): create tracking document for {id}");
    assert_eq!(repo.subjects(&format!("{base}..{branch}")), [subject], "git log {base}..{branch}");
    assert_eq!(repo.rev(&format!("{branch}~1")), repo.rev(base), "the branch's first commit's parent");
    assert_eq!(repo.name_status(branch), name_status, "git show --name-status {branch}");
}

/// Returns the text of the tracking document before its first `## ` section.
fn header(text: &str) -> &str {
    text.find("\n## ").map_or(text, |i| &text[..i])
}

fn tracking_text(repo: &TestRepo, rel: &str) -> String {
    String::from_utf8(repo.read(rel)).expect("tracking document is UTF-8")
}

// ---- the branch, the commit, the documents ----

#[test]
fn start_with_a_committed_plan_makes_the_branch_and_one_commit() {
    let repo = planned_repo();
    repo.milestone(["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert_eq!(repo.git(["log", "-1", "--format=%B", BRANCH]).trim_end(), SUBJECT, "the whole message");
    assert_eq!(repo.status(), "", "git status after start");
    assert_eq!(repo.read(TRACKING), repo.show_file("HEAD", TRACKING).as_bytes(), "tracking document");
    assert_eq!(repo.read(PLAN), repo.show_file("HEAD", PLAN).as_bytes(), "plan in the work tree");
    assert_eq!(repo.git(["rev-parse", "main"]).trim(), repo.rev("HEAD~1"), "main did not move");
}

#[test]
fn start_prints_the_branch_the_commit_the_document_and_the_next_step() {
    let repo = planned_repo();
    let run = repo.milestone(["start", "M1"]).success();
    let short = repo.git(["rev-parse", "--short=7", "HEAD"]).trim().to_string();
    assert_eq!(
        run.stdout(),
        format!(
            "created branch {BRANCH} from main and switched to it\n\
             first commit {short}: the tracking document {TRACKING}\n\
             next: commit your work; see the document with\n  \
             git milestone inspect {TRACKING}\n"
        ),
        "{run}"
    );
}

#[test]
fn start_fills_every_header_field_of_the_tracking_document() {
    let repo = planned_repo();
    let before = today();
    let run = repo.milestone(["start", "M1"]).success();
    let after = today();
    let text = tracking_text(&repo, TRACKING);
    let head = header(&text);
    assert!(head.contains("**Milestone:** M1 — Rate limits"), "{head}");
    assert!(
        head.contains(&format!("**Started:** {before}")) || head.contains(&format!("**Started:** {after}")),
        "started today\n{head}"
    );
    assert!(head.contains("**Status:** 🔄 In Progress"), "{head}");
    assert!(head.contains(&format!("**Branch:** `{BRANCH}`")), "{head}");
    // The harness sets GIT_AUTHOR_NAME (as CI and hooks do) but no user.name: git itself
    // knows the author, so the header must too.
    assert!(!head.contains("{{"), "the header has an unfilled placeholder\n{head}\n{run}");
    assert!(head.contains("**Assignee:** Test Author"), "assignee is git's author\n{head}\n{run}");
}

#[test]
fn start_names_the_assignee_from_git_config() {
    let repo = planned_repo();
    repo.git(["config", "user.name", "Priya Raman"]);
    repo.git(["config", "user.email", "priya@example.com"]);
    repo.milestone_with(["start", "M1"], |cmd| {
        for var in ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"] {
            cmd.env_remove(var);
        }
    })
    .success();
    let text = tracking_text(&repo, TRACKING);
    assert!(header(&text).contains("**Assignee:** Priya Raman"), "{}", header(&text));
    assert!(!header(&text).contains("{{"), "{}", header(&text));
    let who = repo.git(["log", "-1", "--date=raw", "--format=%an <%ae> %ad%n%cn <%ce> %cd", BRANCH]);
    assert_eq!(
        who,
        format!("Priya Raman <priya@example.com> {RAW_DATE}\nPriya Raman <priya@example.com> {RAW_DATE}\n")
    );
}

#[test]
fn start_takes_author_and_committer_from_the_git_environment() {
    let repo = planned_repo();
    repo.git(["config", "user.name", "Config Name"]);
    repo.git(["config", "user.email", "config@example.com"]);
    repo.milestone(["start", "M1"]).success();
    let who = repo.git(["log", "-1", "--date=raw", "--format=%an <%ae> %ad%n%cn <%ce> %cd", BRANCH]);
    assert_eq!(
        who,
        format!(
            "Test Author <author@example.com> {RAW_DATE}\nTest Committer <committer@example.com> {RAW_DATE}\n"
        )
    );
    // The same identities git itself would use.
    let git_author = repo.git(["var", "GIT_AUTHOR_IDENT"]);
    assert!(git_author.starts_with("Test Author <author@example.com> "), "{git_author}");
}

#[cfg(unix)]
#[test]
fn start_makes_its_commit_without_running_git() {
    use std::os::unix::fs::PermissionsExt;

    let repo = planned_repo();
    let fake_bin = repo.sibling("fake-bin");
    let marker = repo.sibling("git-was-run");
    fs::create_dir_all(&fake_bin).expect("create fake bin");
    let fake_git = fake_bin.join("git");
    fs::write(&fake_git, format!("#!/bin/sh\necho \"$@\" >> '{}'\nexit 1\n", marker.display()))
        .expect("write fake git");
    fs::set_permissions(&fake_git, fs::Permissions::from_mode(0o755)).expect("chmod fake git");
    let path = std::env::join_paths(
        std::iter::once(fake_bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH joins");
    let run = repo
        .milestone_with(["start", "M1"], |cmd| {
            cmd.env("PATH", &path);
        })
        .success();
    assert!(!marker.exists(), "start ran `git {}`\n{run}", fs::read_to_string(&marker).unwrap_or_default());
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
}

#[test]
fn start_sets_the_plan_in_progress_in_the_commit() {
    let repo = planned_repo();
    repo.milestone(["start", "M1"]).success();
    let plan = repo.show_file("HEAD", PLAN);
    assert!(plan.contains("**Status**: 🔄 In Progress"), "plan body status\n{plan}");
    assert!(plan.contains("\nstatus: in-progress\n"), "plan frontmatter status\n{plan}");
    let listed = repo.milestone(["list", "--json"]).success().json();
    assert_eq!(listed["milestones"][0]["status"], "in_progress");
}

#[test]
fn start_turns_the_plan_task_breakdown_into_phases_and_tasks() {
    let repo = planned_repo();
    let before = today();
    repo.milestone(["start", "M1"]).success();
    let after = today();
    let text = tracking_text(&repo, TRACKING);
    assert!(text.contains("- [ ] Phase 1: Implementation (0/3 tasks)\n"), "overall progress\n{text}");
    assert!(text.contains("## Phase 1: Implementation\n"), "{text}");
    for (i, task) in TASKS.iter().enumerate() {
        assert!(text.contains(&format!("### Task 1.{}: {task}\n", i + 1)), "task {task}\n{text}");
    }
    assert!(!text.contains("Task 1.4"), "only the plan's three tasks\n{text}");
    assert!(
        text.contains(&format!("### {before} - Work begins"))
            || text.contains(&format!("### {after} - Work begins")),
        "a first progress-log entry for today\n{text}"
    );
    assert!(text.contains("Branch `feature/api-M1/rate-limits` created from `main`"), "{text}");
    assert!(text.contains(&format!("- [ ] Task 1.1: {}\n", TASKS[0])), "next step\n{text}");
}

#[test]
fn start_turns_plan_phases_into_phases_and_uses_the_component_as_surface() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write(
        "docs/milestones/M5.md",
        "# Milestone M5: Billing export\n\n**Status:** Planned\n**Component:** Billing\n\n\
         ## Phase 1: Storage\n\n### Task 1.1: Schema\n\n- [ ] tables\n\n### Task 1.2: Migrations\n\n- [ ] up\n\n\
         ## Phase 2: API\n\n### Task 2.1: Endpoints\n\n- [ ] GET /export\n",
    );
    repo.commit_all("docs(M5): plan M5");
    repo.milestone(["start", "M5"]).success();
    let branch = "feature/billing-M5/billing-export";
    let tracking = "docs/milestones/tracking/M5-tracking.md";
    assert_started(
        &repo,
        repo.root(),
        "main",
        branch,
        "M5",
        &["M\tdocs/milestones/M5.md", &format!("A\t{tracking}")],
    );
    let text = tracking_text(&repo, tracking);
    assert!(header(&text).contains("**Milestone:** M5 — Billing export"), "{text}");
    for line in [
        "- [ ] Phase 1: Storage (0/2 tasks)\n",
        "- [ ] Phase 2: API (0/1 tasks)\n",
        "## Phase 1: Storage\n",
        "### Task 1.1: Schema\n",
        "### Task 1.2: Migrations\n",
        "## Phase 2: API\n",
        "### Task 2.1: Endpoints\n",
    ] {
        assert!(text.contains(line), "missing {line:?}\n{text}");
    }
    let plan = repo.show_file("HEAD", "docs/milestones/M5.md");
    assert!(plan.contains("**Status:** In Progress\n"), "plan status\n{plan}");
}

#[test]
fn start_turns_plan_deliverables_into_tasks() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write(
        "docs/milestones/M6.md",
        "# Milestone M6: Nightly export\n\n**Status:** Planned\n\n\
         ## Deliverables\n\n- [ ] CSV export\n- [ ] Nightly job\n",
    );
    repo.commit_all("docs(M6): plan M6");
    repo.milestone(["start", "M6"]).success();
    let text = tracking_text(&repo, "docs/milestones/tracking/M6-tracking.md");
    assert_eq!(repo.head_branch_in(repo.root()), "feature/M6/nightly-export");
    for line in ["### Task 1.1: CSV export\n", "### Task 1.2: Nightly job\n", "(0/2 tasks)"] {
        assert!(text.contains(line), "missing {line:?}\n{text}");
    }
}

#[test]
fn start_with_surface_names_the_branch_after_it() {
    let repo = planned_repo();
    repo.milestone(["start", "M1", "--surface", "web"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        "feature/web-M1/rate-limits",
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
}

#[test]
fn start_with_slug_ends_the_branch_with_it() {
    let repo = planned_repo();
    repo.milestone(["start", "M1", "--slug", "limits"]).success();
    assert_eq!(repo.head_branch_in(repo.root()), "feature/api-M1/limits");
    let text = tracking_text(&repo, TRACKING);
    assert!(header(&text).contains("**Branch:** `feature/api-M1/limits`"), "{text}");
}

#[test]
fn start_with_title_and_no_plan_adds_only_the_tracking_document() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["start", "M2", "--title", "Fix login"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(&repo, repo.root(), "main", "feature/M2/fix-login", "M2", &[&format!("A\t{tracking}")]);
    let text = tracking_text(&repo, tracking);
    assert!(header(&text).contains("**Milestone:** M2 — Fix login"), "{text}");
    assert!(!text.contains("M2.md"), "no link to a plan that does not exist\n{text}");
    assert_eq!(repo.status(), "");
}

#[test]
fn start_links_the_plan_by_a_relative_path_that_resolves() {
    let repo = planned_repo();
    repo.milestone(["start", "M1"]).success();
    let text = tracking_text(&repo, TRACKING);
    let links =
        text.split("## Quick Links").nth(1).and_then(|s| s.split("\n---").next()).expect("Quick Links");
    let targets: Vec<&str> = links
        .split("](")
        .skip(1)
        .map(|rest| rest.split(')').next().expect("link closes"))
        .filter(|t| !t.starts_with("http"))
        .collect();
    assert!(!targets.is_empty(), "Quick Links has no relative link\n{links}");
    let folder = repo.path(TRACKING).parent().expect("tracking folder").to_path_buf();
    for target in &targets {
        let resolved = folder.join(target);
        assert!(resolved.exists(), "Quick Links target `{target}` does not exist\n{links}");
    }
    let plan = repo.path(PLAN).canonicalize().expect("plan exists");
    assert!(
        targets.iter().any(|t| folder.join(t).canonicalize().ok().as_ref() == Some(&plan)),
        "Quick Links does not link the plan\n{links}"
    );
}

#[test]
fn start_with_an_untracked_plan_commits_it_beside_the_tracking_document() {
    let repo = TestRepo::new();
    repo.init_repo();
    write_plan(&repo);
    assert_eq!(repo.status(), format!("?? {PLAN}\n"));
    repo.milestone(["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("A\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert_eq!(repo.status(), "", "the plan is committed, nothing left over");
    assert!(repo.show_file("HEAD", PLAN).contains("**Status**: 🔄 In Progress"));
}

#[test]
fn start_carries_an_uncommitted_edit_of_the_plan_into_the_first_commit() {
    let repo = planned_repo();
    let text = String::from_utf8(repo.read(PLAN)).expect("UTF-8");
    repo.write(PLAN, text.replace("Task 3: Rate-limit headers", "Task 3: Rate-limit headers and docs"));
    assert_eq!(repo.status(), format!(" M {PLAN}\n"));
    repo.milestone(["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    let committed = repo.show_file("HEAD", PLAN);
    assert!(committed.contains("Task 3: Rate-limit headers and docs"), "the edit is committed");
    assert!(committed.contains("**Status**: 🔄 In Progress"), "and the status");
    assert_eq!(repo.read(PLAN), committed.as_bytes(), "work tree plan is the committed one");
    assert_eq!(repo.status(), "");
    let tracking = tracking_text(&repo, TRACKING);
    assert!(tracking.contains("### Task 1.3: Rate-limit headers and docs\n"), "{tracking}");
}

// ---- switching as `git switch` would ----

#[test]
fn start_keeps_staged_changes_staged_and_brings_the_others_along() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write("a.txt", "a\n");
    repo.write("b.txt", "b\n");
    write_plan(&repo);
    repo.commit_all("chore: a, b and the plan");
    repo.write("a.txt", "a staged\n");
    repo.git(["add", "a.txt"]);
    repo.write("b.txt", "b unstaged\n");
    repo.write("c.txt", "c untracked\n");
    let status = "M  a.txt\n M b.txt\n?? c.txt\n";
    assert_eq!(repo.status(), status);
    let staged = repo.git(["ls-files", "--stage", "a.txt"]);
    repo.milestone(["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert_eq!(repo.status(), status, "git status after start");
    assert_eq!(repo.git(["diff", "--cached", "--name-only"]), "a.txt\n", "still staged");
    assert_eq!(repo.git(["ls-files", "--stage", "a.txt"]), staged, "the staged blob");
    assert_eq!(repo.read("a.txt"), b"a staged\n");
    assert_eq!(repo.read("b.txt"), b"b unstaged\n");
    assert_eq!(repo.read("c.txt"), b"c untracked\n");
}

#[test]
fn start_from_another_branch_switches_to_the_base_tree_and_keeps_local_changes() {
    let repo = planned_repo();
    repo.git(["switch", "--quiet", "-c", "other"]);
    repo.write("other.txt", "only on other\n");
    repo.commit_all("feat: other");
    let other = repo.rev("other");
    repo.write("README.md", "# Project\n\nedited\n");
    repo.write("staged.txt", "staged\n");
    repo.git(["add", "staged.txt"]);
    repo.milestone(["start", "M1", "--base", "main"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert!(!repo.path("other.txt").exists(), "other.txt is not on the new branch");
    assert_eq!(repo.status(), " M README.md\nA  staged.txt\n");
    assert_eq!(repo.read("README.md"), b"# Project\n\nedited\n");
    assert_eq!(repo.rev("other"), other, "other is where it was");
}

/// A repository on branch `other`, where `shared.txt` differs from `main`.
fn diverged_from_base() -> TestRepo {
    let repo = planned_repo();
    repo.write("shared.txt", "main\n");
    repo.commit_all("chore: shared");
    repo.git(["switch", "--quiet", "-c", "other"]);
    repo.write("shared.txt", "other\n");
    repo.commit_all("chore: shared on other");
    repo
}

#[test]
fn start_refuses_when_an_unstaged_change_would_be_overwritten() {
    let repo = diverged_from_base();
    repo.write("shared.txt", "edited\n");
    assert_start_refused(
        &repo,
        &["M1", "--base", "main"],
        &["would be overwritten", "shared.txt", "git stash"],
    );
}

#[test]
fn start_refuses_when_a_staged_change_would_be_overwritten() {
    let repo = diverged_from_base();
    repo.write("shared.txt", "edited\n");
    repo.git(["add", "shared.txt"]);
    assert_start_refused(
        &repo,
        &["M1", "--base", "main"],
        &["would be overwritten", "shared.txt", "git stash"],
    );
}

#[test]
fn start_refuses_when_an_untracked_file_is_in_the_way() {
    let repo = planned_repo();
    repo.write("new.txt", "on main\n");
    repo.commit_all("chore: new");
    repo.git(["switch", "--quiet", "-c", "other", "HEAD~1"]);
    repo.write("new.txt", "mine\n");
    assert_start_refused(&repo, &["M1", "--base", "main"], &["would be overwritten", "new.txt"]);
}

// ---- the base ----

/// Makes `../remote.git` whose HEAD is `head`: `head` holds README.md and branch `x` one
/// commit more; then clones it into the work directory.
fn clone_of_remote(head: &str) -> TestRepo {
    let repo = TestRepo::new();
    let remote = repo.sibling("remote.git");
    let seed = repo.sibling("seed");
    let remote_arg = remote.to_str().expect("UTF-8 temp path");
    repo.git(["init", "--quiet", "--bare", "-b", head, remote_arg]);
    repo.git(["init", "--quiet", "-b", head, seed.to_str().expect("UTF-8 temp path")]);
    fs::write(seed.join("README.md"), "# Project\n").expect("write seed");
    repo.git_in(&seed, ["add", "README.md"]);
    repo.git_in(&seed, ["commit", "--quiet", "-m", "chore: initial commit"]);
    repo.git_in(&seed, ["switch", "--quiet", "-c", "x"]);
    fs::write(seed.join("x.txt"), "x\n").expect("write seed");
    repo.git_in(&seed, ["add", "x.txt"]);
    repo.git_in(&seed, ["commit", "--quiet", "-m", "feat: x"]);
    repo.git_in(&seed, ["push", "--quiet", remote_arg, head, "x"]);
    repo.git(["clone", "--quiet", remote_arg, "."]);
    repo
}

#[test]
fn start_defaults_to_the_remote_head_branch() {
    let repo = clone_of_remote("trunk");
    assert_eq!(repo.git(["symbolic-ref", "refs/remotes/origin/HEAD"]), "refs/remotes/origin/trunk\n");
    // A local `main` (here further on) must not win over the remote's HEAD branch.
    repo.git(["switch", "--quiet", "-c", "main", "origin/x"]);
    repo.milestone(["start", "M2", "--title", "Fix login"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(&repo, repo.root(), "trunk", "feature/M2/fix-login", "M2", &[&format!("A\t{tracking}")]);
    assert!(!repo.path("x.txt").exists(), "the work tree is trunk's");
    assert!(tracking_text(&repo, tracking).contains("created from `trunk`"));
}

#[test]
fn start_defaults_to_the_remote_head_branch_when_only_its_remote_tracking_branch_exists() {
    let repo = clone_of_remote("trunk");
    repo.git(["switch", "--quiet", "-c", "main", "origin/x"]);
    repo.git(["branch", "--quiet", "-D", "trunk"]);
    repo.milestone(["start", "M2", "--title", "Fix login"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(
        &repo,
        repo.root(),
        "origin/trunk",
        "feature/M2/fix-login",
        "M2",
        &[&format!("A\t{tracking}")],
    );
}

#[test]
fn start_from_a_base_that_is_only_a_remote_tracking_branch_named_with_its_remote() {
    let repo = clone_of_remote("main");
    assert!(
        repo.git_run_in(repo.root(), ["rev-parse", "--verify", "--quiet", "refs/heads/x"]).code() != Some(0)
    );
    repo.milestone(["start", "M2", "--title", "Fix login", "--base", "origin/x"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(
        &repo,
        repo.root(),
        "origin/x",
        "feature/M2/fix-login",
        "M2",
        &[&format!("A\t{tracking}")],
    );
    assert_eq!(repo.read("x.txt"), b"x\n", "the work tree is origin/x's");
    assert_eq!(repo.status(), "");
}

#[test]
fn start_from_a_base_that_is_only_a_remote_tracking_branch_named_alone() {
    let repo = clone_of_remote("main");
    repo.milestone(["start", "M2", "--title", "Fix login", "--base", "x"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(
        &repo,
        repo.root(),
        "origin/x",
        "feature/M2/fix-login",
        "M2",
        &[&format!("A\t{tracking}")],
    );
    assert_eq!(repo.read("x.txt"), b"x\n");
    assert_eq!(repo.status(), "");
}

#[test]
fn start_defaults_to_master_when_there_is_no_main() {
    let repo = TestRepo::new();
    repo.git(["init", "--quiet", "-b", "master"]);
    repo.write("README.md", "# Project\n");
    repo.commit_all("chore: initial commit");
    repo.git(["switch", "--quiet", "-c", "dev"]);
    repo.write("dev.txt", "dev\n");
    repo.commit_all("feat: dev");
    repo.milestone(["start", "M2", "--title", "Fix login"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(&repo, repo.root(), "master", "feature/M2/fix-login", "M2", &[&format!("A\t{tracking}")]);
}

#[test]
fn start_defaults_to_the_current_branch_without_remote_main_or_master() {
    let repo = TestRepo::new();
    repo.git(["init", "--quiet", "-b", "trunk"]);
    repo.write("README.md", "# Project\n");
    repo.commit_all("chore: initial commit");
    repo.milestone(["start", "M2", "--title", "Fix login"]).success();
    let tracking = "docs/milestones/tracking/M2-tracking.md";
    assert_started(&repo, repo.root(), "trunk", "feature/M2/fix-login", "M2", &[&format!("A\t{tracking}")]);
}

#[test]
fn start_from_a_subfolder_works_on_the_whole_work_tree() {
    let repo = planned_repo();
    fs::create_dir_all(repo.path("src/deep")).expect("mkdir");
    repo.milestone_in(&repo.path("src/deep"), ["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert!(repo.path(TRACKING).is_file());
    assert!(!repo.path("src/deep/docs").exists());
}

#[test]
fn start_from_a_detached_head_switches_to_the_new_branch() {
    let repo = planned_repo();
    repo.git(["switch", "--quiet", "--detach", "main"]);
    repo.milestone(["start", "M1"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    assert_eq!(repo.status(), "");
}

#[test]
fn start_in_a_linked_worktree_moves_only_that_worktree() {
    let repo = planned_repo();
    let wt = repo.sibling("wt");
    repo.git(["worktree", "add", "--quiet", "-b", "side", wt.to_str().expect("UTF-8 temp path")]);
    let main_before = repo.state();
    let run = repo.milestone_in(&wt, ["start", "M1", "--base", "main"]).success();
    assert_started(&repo, &wt, "main", BRANCH, "M1", &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")]);
    assert_eq!(repo.git_in(&wt, ["status", "--porcelain", "--untracked-files=all"]), "", "{run}");
    assert!(wt.join(TRACKING).is_file(), "the tracking document is in the linked worktree");
    assert!(!repo.path(TRACKING).exists(), "and not in the main worktree");
    assert_eq!(repo.head_branch_in(repo.root()), "main");
    let mut main_after = repo.state();
    // The new branch is the one ref that may appear.
    main_after.refs = main_after
        .refs
        .lines()
        .filter(|l| !l.ends_with(&format!("refs/heads/{BRANCH}")))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_unchanged(&main_before, &main_after, &run);
}

// ---- refusals ----

#[test]
fn start_refuses_outside_a_repository() {
    let repo = TestRepo::new();
    repo.write("notes.md", "# Notes\n");
    let ceiling = repo.root().parent().expect("temp dir").to_path_buf();
    let before = files_under(repo.root());
    let run = repo.milestone_with(["start", "M1", "--title", "Fix login"], |cmd| {
        cmd.env("GIT_CEILING_DIRECTORIES", &ceiling);
    });
    let run = assert_refused(run, &["not a git repository", "git init"]);
    assert_eq!(files_under(repo.root()), before, "{run}");
}

#[test]
fn start_refuses_a_bare_repository() {
    let repo = TestRepo::new();
    repo.git(["init", "--quiet", "--bare"]);
    let before = (repo.snapshot(), repo.git(["for-each-ref"]));
    let run = repo.milestone(["start", "M1", "--title", "Fix login"]);
    let run = assert_refused(run, &["bare repository"]);
    assert_eq!((repo.snapshot(), repo.git(["for-each-ref"])), before, "{run}");
}

#[test]
fn start_refuses_a_repository_without_commits() {
    let repo = TestRepo::new();
    repo.git(["init", "--quiet"]);
    write_plan(&repo);
    assert_start_refused(&repo, &["M1"], &["no commit yet", "git commit"]);
}

/// A repository where `f.txt` conflicts between `main` and `topic`.
fn conflicting_branches() -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.write("f.txt", "base\n");
    repo.commit_all("chore: f");
    repo.git(["switch", "--quiet", "-c", "topic"]);
    repo.write("f.txt", "topic\n");
    repo.commit_all("feat: f on topic");
    repo.git(["switch", "--quiet", "main"]);
    repo.write("f.txt", "main\n");
    repo.commit_all("feat: f on main");
    repo
}

#[test]
fn start_refuses_during_a_rebase() {
    let repo = conflicting_branches();
    repo.git(["switch", "--quiet", "topic"]);
    repo.git_fails(["rebase", "main"]);
    let before = repo.state();
    assert!(before.operations.contains(&"rebase-merge".to_string()), "{before:?}");
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["a rebase is in progress", "abort"]);
}

#[test]
fn start_refuses_during_a_rebase_with_the_apply_backend() {
    let repo = conflicting_branches();
    repo.git(["switch", "--quiet", "topic"]);
    repo.git_fails(["rebase", "--apply", "main"]);
    assert!(repo.state().operations.contains(&"rebase-apply".to_string()));
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["a rebase is in progress", "abort"]);
}

#[test]
fn start_refuses_during_a_merge() {
    let repo = conflicting_branches();
    repo.git_fails(["merge", "topic"]);
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["a merge is in progress", "abort"]);
}

#[test]
fn start_refuses_during_a_cherry_pick() {
    let repo = conflicting_branches();
    repo.git_fails(["cherry-pick", "topic"]);
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["a cherry-pick is in progress", "abort"]);
}

#[test]
fn start_refuses_during_a_bisect() {
    let repo = conflicting_branches();
    repo.git(["bisect", "start"]);
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["a bisect is in progress", "abort"]);
}

#[test]
fn start_refuses_an_invalid_id() {
    let repo = planned_repo();
    let long = "M".repeat(65);
    for id in ["has space", "a/b", "a..b", "-M1", ".M1", long.as_str(), "M1:x", "Ä1", ""] {
        let run = assert_start_refused(&repo, &["--title", "Fix login", "--", id], &["invalid milestone id"]);
        assert!(run.stderr().contains("at most 64 characters"), "the hint gives the rules\n{run}");
    }
}

#[test]
fn start_accepts_an_id_of_64_characters() {
    let repo = TestRepo::new();
    repo.init_repo();
    let id = format!("M{}", "1".repeat(63));
    repo.milestone(["start", &id, "--title", "Fix login"]).success();
    let tracking = format!("docs/milestones/tracking/{id}-tracking.md");
    let branch = format!("feature/{id}/fix-login");
    assert_started(&repo, repo.root(), "main", &branch, &id, &[&format!("A\t{tracking}")]);
}

#[test]
fn start_refuses_without_plan_or_title() {
    let repo = TestRepo::new();
    repo.init_repo();
    assert_start_refused(&repo, &["M3"], &["no plan", "docs/milestones/M3.md", "--title"]);
}

#[test]
fn start_refuses_an_existing_branch() {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.git(["branch", "feature/M2/fix-login"]);
    assert_start_refused(
        &repo,
        &["M2", "--title", "Fix login"],
        &["branch `feature/M2/fix-login` already exists", "git switch feature/M2/fix-login"],
    );
}

#[test]
fn start_refuses_an_existing_tracking_document_in_the_work_tree() {
    let repo = planned_repo();
    repo.write(TRACKING, "# M1 Implementation Tracking\n");
    assert_start_refused(&repo, &["M1"], &[&format!("tracking document `{TRACKING}` already exists")]);
}

#[test]
fn start_refuses_a_tracking_document_that_exists_on_the_base() {
    let repo = planned_repo();
    repo.write(TRACKING, "# M1 Implementation Tracking\n");
    repo.commit_all("docs(M1): tracking");
    repo.git(["switch", "--quiet", "-c", "other", "HEAD~1"]);
    assert!(!repo.path(TRACKING).exists());
    assert_start_refused(
        &repo,
        &["M1", "--base", "main"],
        &[&format!("tracking document `{TRACKING}` already exists")],
    );
}

#[test]
fn start_refuses_a_base_that_does_not_exist() {
    let repo = planned_repo();
    assert_start_refused(&repo, &["M1", "--base", "nope"], &["base `nope` does not exist", "--base"]);
}

#[test]
fn start_refuses_an_unknown_template() {
    let repo = planned_repo();
    assert_start_refused(&repo, &["M1", "--template", "nope"], &["no template `nope`", "tracking"]);
}

#[test]
fn start_with_another_template_fills_its_header() {
    let repo = planned_repo();
    repo.git(["config", "user.name", "Priya Raman"]);
    repo.milestone(["start", "M1", "--template", "feature-tracking"]).success();
    assert_started(
        &repo,
        repo.root(),
        "main",
        BRANCH,
        "M1",
        &[&format!("M\t{PLAN}"), &format!("A\t{TRACKING}")],
    );
    let text = tracking_text(&repo, TRACKING);
    assert!(text.starts_with("# Implementation Tracking: Rate limits\n"), "{text}");
    assert!(!header(&text).contains("{{"), "{}", header(&text));
}

#[cfg(unix)]
#[test]
fn start_refuses_a_tracking_folder_that_is_a_symbolic_link() {
    let repo = planned_repo();
    fs::create_dir_all(repo.path("elsewhere")).expect("mkdir");
    std::os::unix::fs::symlink("../../elsewhere", repo.path("docs/milestones/tracking")).expect("symlink");
    assert_start_refused(&repo, &["M1"], &["`docs/milestones/tracking` is a symbolic link"]);
    assert_eq!(fs::read_dir(repo.path("elsewhere")).expect("read").count(), 0, "nothing written through");
}

#[cfg(unix)]
#[test]
fn start_refuses_a_tracking_document_that_is_a_symbolic_link() {
    let repo = planned_repo();
    fs::create_dir_all(repo.path("docs/milestones/tracking")).expect("mkdir");
    std::os::unix::fs::symlink("../../../outside.md", repo.path(TRACKING)).expect("symlink");
    assert_start_refused(&repo, &["M1"], &[&format!("`{TRACKING}` is a symbolic link")]);
    assert!(!repo.path("outside.md").exists(), "nothing written through");
}

#[cfg(unix)]
#[test]
fn start_refuses_a_plan_that_is_a_symbolic_link() {
    let repo = TestRepo::new();
    repo.init_repo();
    write_plan(&repo);
    fs::rename(repo.path(PLAN), repo.path("real-plan.md")).expect("move plan");
    std::os::unix::fs::symlink("../../real-plan.md", repo.path(PLAN)).expect("symlink");
    assert_start_refused(&repo, &["M1"], &[&format!("`{PLAN}` is a symbolic link")]);
}

#[cfg(unix)]
#[test]
fn start_refuses_a_docs_folder_that_is_a_symbolic_link() {
    let repo = TestRepo::new();
    repo.init_repo();
    fs::create_dir_all(repo.path("real-docs")).expect("mkdir");
    std::os::unix::fs::symlink("real-docs", repo.path("docs")).expect("symlink");
    assert_start_refused(&repo, &["M2", "--title", "Fix login"], &["`docs` is a symbolic link"]);
    assert_eq!(fs::read_dir(repo.path("real-docs")).expect("read").count(), 0, "nothing written through");
}

#[test]
fn start_refuses_an_unknown_setting_naming_its_line_and_the_settings() {
    let repo = planned_repo();
    repo.write(".milestone.yml", "# settings\nbranch:\n  patern: \"feature/{id}\"\n");
    assert_start_refused(
        &repo,
        &["M1"],
        &[
            "unknown setting `branch.patern`",
            ".milestone.yml:3",
            "branch.pattern, branch.pattern_without_surface",
        ],
    );
}

#[test]
fn start_refuses_a_bad_setting_value_naming_its_line_and_the_allowed_values() {
    let repo = planned_repo();
    repo.write(".milestone.yml", "tracking:\n  update: always\n");
    assert_start_refused(
        &repo,
        &["M1"],
        &["bad value for `tracking.update`", ".milestone.yml:2", "allowed values: stage, commit, manual"],
    );
}

#[test]
fn start_refusal_state_covers_what_the_contract_names() {
    // The comparison itself must be able to fail: a staged change is a different state.
    let repo = planned_repo();
    let before: GitState = repo.state();
    repo.write("README.md", "changed\n");
    repo.git(["add", "README.md"]);
    let after = repo.state();
    assert_ne!(before.status, after.status);
    assert_ne!(before.index, after.index);
    assert_ne!(before.files, after.files);
}

#[test]
fn start_without_an_id_on_a_terminal_offers_the_planned_milestones() {
    // `script` gives the command a real terminal (util-linux, present wherever git is).
    if std::process::Command::new("script").arg("--version").output().is_err() {
        println!("skipped: no `script` command to make a terminal with");
        return;
    }
    let repo = planned_repo();
    repo.write("docs/milestones/M2.md", "# Milestone M2: Second\n\n**Status**: Planned\n");
    let shown = format!("{} start --title Chosen", crate::support::BIN);
    let mut cmd = repo.command("sh");
    cmd.args(["-c", &format!("printf '2\\n' | script -qec '{shown}' /dev/null")]);
    let out = cmd.output().expect("runs script");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("1) M1") && text.contains("2) M2  Second"),
        "the planned milestones are offered:\n{text}"
    );
    assert!(text.contains("start which milestone? number or id:"), "{text}");
    assert_eq!(repo.git(["rev-parse", "--abbrev-ref", "HEAD"]).trim(), "feature/M2/chosen");
}

#[test]
fn start_without_an_id_and_without_a_terminal_lists_them_and_exits_2() {
    let repo = planned_repo();
    repo.write("docs/milestones/M2.md", "# Milestone M2: Second\n\n**Status**: Planned\n");
    let before = repo.state();
    let run = repo.milestone(["start"]).failure(2);
    assert!(
        run.stderr().contains("which milestone? no id was given, and there is no terminal to ask on"),
        "{run}"
    );
    assert!(run.stderr().contains("planned: M1, M2"), "{run}");
    assert_unchanged(&before, &repo.state(), &run);
}

// ---- --json ----

#[test]
fn start_json_names_the_branch_the_base_the_commit_and_the_document() {
    let repo = planned_repo();
    let run = repo.milestone(["start", "M1", "--json"]).success();
    assert_eq!(run.stdout().lines().count(), 1, "one JSON object on one line\n{run}");
    let json = run.json();
    let short = repo.git(["rev-parse", "--short=7", "HEAD"]).trim().to_string();
    assert_eq!(
        json,
        serde_json::json!({
            "id": "M1",
            "branch": BRANCH,
            "base": "main",
            "commit": short,
            "tracking": TRACKING,
        }),
        "{run}"
    );
    // What git shows agrees: HEAD is on the branch, its commit is the one named, and that
    // commit adds the document named.
    assert_eq!(repo.head_branch_in(repo.root()), BRANCH);
    assert!(repo.rev("HEAD").starts_with(&short), "the commit is HEAD");
    assert_eq!(repo.subjects("-1"), [SUBJECT]);
    assert!(repo.name_status("HEAD").contains(&format!("A\t{TRACKING}")), "{:?}", repo.name_status("HEAD"));
    assert_eq!(repo.rev("HEAD~1"), repo.rev("main"), "the base named is the parent");
}

#[test]
fn start_json_with_another_base_names_it_as_given() {
    let repo = planned_repo();
    repo.git(["branch", "release"]);
    let run = repo.milestone(["start", "M1", "--json", "--base", "release", "--slug", "limits"]).success();
    let json = run.json();
    assert_eq!(json["base"], "release", "{run}");
    assert_eq!(json["branch"], "feature/api-M1/limits", "{run}");
    assert_eq!(repo.rev(&format!("{}~1", "feature/api-M1/limits")), repo.rev("release"));
}

#[test]
fn start_json_refused_prints_nothing_on_stdout() {
    let repo = planned_repo();
    repo.milestone(["start", "M1"]).success();
    repo.git(["switch", "--quiet", "main"]);
    let run = assert_refused(repo.milestone(["start", "M1", "--json"]), &["already exists"]);
    assert_eq!(run.stdout(), "", "errors never go to standard output\n{run}");
}
