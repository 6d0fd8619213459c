//! `git-milestone report [ID] [-o FILE]` (issue #7): the self-contained HTML report of a
//! milestone, through the real binary and real git with the hooks installed by `init`.

use crate::support::TestRepo;

/// The tracking document of M1, and its branch.
const DOC: &str = "docs/milestones/tracking/M1-tracking.md";
const BRANCH: &str = "feature/M1/rate-limits";

/// Writes `file` and commits it with the hooks (which record the commit).
fn commit(repo: &TestRepo, file: &str, subject: &str) {
    repo.write(file, format!("{subject}\n"));
    repo.git(["add", file]);
    repo.git_run_in(repo.root(), ["commit", "--quiet", "-m", subject]).success();
}

/// A repository with `init` done (`tracking.update` set to `mode`), M1 (Rate limits)
/// started, and `n` commits recorded by the hooks on its branch; M2 only planned.
fn started(mode: &str, n: usize) -> TestRepo {
    let repo = TestRepo::new();
    repo.init_repo();
    repo.milestone(["init"]).success();
    repo.git(["config", "milestone.tracking.update", mode]);
    repo.milestone(["new", "M1", "Rate limits"]).success();
    repo.milestone(["new", "M2", "Fix login"]).success();
    repo.commit_all("chore: set up git-milestone");
    repo.milestone(["start", "M1"]).success();
    for i in 0..n {
        commit(&repo, &format!("src/step{i}.txt"), &format!("feat: step {i}"));
    }
    repo
}

/// The lines of `git log --format=%H REV -- DOC`.
fn revisions(repo: &TestRepo, rev: &str) -> Vec<String> {
    repo.git(["log", "--format=%H", rev, "--", DOC]).lines().map(str::to_string).collect()
}

/// Asserts what every report must be: one point a revision of the document (each named by
/// its commit), the data as JSON, each of the branch's commits named, nothing from the net.
fn assert_report(repo: &TestRepo, html: &str, rev: &str) {
    let revisions = revisions(repo, rev);
    assert!(revisions.len() > 1, "the document has several revisions: {revisions:?}");
    assert_eq!(html.matches("class=\"point\"").count(), revisions.len(), "{html}");
    for id in &revisions {
        assert!(html.contains(&format!("data-commit=\"{id}\"")), "no point for {id}\n{html}");
    }
    assert!(html.contains("<script type=\"application/json\" id=\"data\">"), "{html}");
    for quote in ["\"", "'"] {
        for attr in ["src=", "href="] {
            for scheme in ["http://", "https://", "//"] {
                let needle = format!("{attr}{quote}{scheme}");
                assert!(!html.contains(&needle), "`{needle}` in the report\n{html}");
            }
        }
    }
    assert!(!html.contains("http://") && !html.contains("https://"), "{html}");
    let commits: Vec<String> = repo
        .git(["log", "--format=%H", "--no-merges", &format!("main..{rev}")])
        .lines()
        .map(str::to_string)
        .collect();
    assert!(!commits.is_empty());
    for id in &commits {
        assert!(html.contains(id.as_str()), "commit {id} not named\n{html}");
    }
    let data = html.split("id=\"data\">").nth(1).and_then(|s| s.split("</script>").next()).expect("the data");
    let data: serde_json::Value = serde_json::from_str(data).expect("JSON data");
    assert_eq!(data["points"].as_array().map(Vec::len), Some(revisions.len()));
    assert_eq!(data["id"], "M1");
    assert_eq!(data["branch"], BRANCH);
    // Oldest first: the last point is the newest revision.
    assert_eq!(data["points"][revisions.len() - 1]["commit"], revisions[0].as_str());
}

#[test]
fn report_has_one_point_per_revision_of_the_tracking_document() {
    let repo = started("commit", 3);
    let run = repo.milestone(["report", "M1"]).success();
    assert_eq!(run.stdout(), "milestone-M1-report.html\n", "{run}");
    let html = String::from_utf8(repo.read("milestone-M1-report.html")).expect("UTF-8");
    assert_report(&repo, &html, "HEAD");
    // The hooks recorded every commit under the task.
    assert!(html.contains("<h2>Commits (3)</h2>"), "{html}");
    assert!(!html.contains("not recorded"), "{html}");
    assert!(html.contains("Pre-merge check"), "{html}");
}

#[test]
fn report_in_stage_mode_and_without_an_id_on_the_branch() {
    let repo = started("stage", 3);
    let out = repo.path("out/m1.html");
    std::fs::create_dir_all(repo.path("out")).expect("a folder");
    let run = repo.milestone(["report", "-o", "out/m1.html"]).success();
    assert_eq!(run.stdout(), "out/m1.html\n", "{run}");
    let html = std::fs::read_to_string(out).expect("the report");
    assert_report(&repo, &html, "HEAD");
}

#[test]
fn report_reads_the_branch_when_it_is_not_checked_out() {
    let repo = started("commit", 2);
    repo.git(["switch", "--quiet", "main"]);
    // A plan-only work tree: the document is on the branch alone.
    assert!(!repo.path(DOC).exists());
    let run = repo.milestone(["report", "M1", "-o", "m1.html"]).success();
    assert_eq!(run.stdout(), "m1.html\n", "{run}");
    let html = String::from_utf8(repo.read("m1.html")).expect("UTF-8");
    assert_report(&repo, &html, BRANCH);
}

#[test]
fn report_of_an_unknown_milestone_lists_the_ids() {
    let repo = started("commit", 1);
    let run = repo.milestone(["report", "M9"]).failure(2);
    assert!(run.stderr().contains("no milestone `M9`"), "{run}");
    assert!(run.stderr().contains("M1, M2"), "{run}");
    assert!(!repo.path("milestone-M9-report.html").exists());
}

/// Returns the Chromium to open the report with: `chromium` on PATH. Under CI (`CI` set),
/// where `.ci/run` installs it, a missing browser fails the test; elsewhere it is skipped
/// with a note.
fn chromium() -> Option<std::path::PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths).map(|dir| dir.join("chromium")).find(|path| path.is_file())
    });
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "chromium is not installed: .ci/run installs it");
        eprintln!("note: chromium is not installed (apt-get install chromium): the browser test is skipped");
    }
    found
}

#[test]
fn report_opens_in_chromium_with_one_point_per_revision_and_no_error() {
    let Some(chromium) = chromium() else { return };
    let repo = started("commit", 4);
    repo.milestone(["report", "M1", "-o", "m1.html"]).success();
    let revisions = revisions(&repo, "HEAD");
    let profile = tempfile::tempdir().expect("a profile folder");
    let out = std::process::Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", repo.path("m1.html").display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{log}");
    // The page's script ran to its end and counted the chart's points as the browser drew them.
    assert!(dom.contains(&format!("data-points=\"{}\"", revisions.len())), "{dom}\n{log}");
    assert_eq!(dom.matches("class=\"point").count(), revisions.len(), "{dom}");
    // Chromium logs every console message and uncaught error of the page as `CONSOLE`.
    let console: Vec<&str> = log.lines().filter(|line| line.contains("CONSOLE")).collect();
    assert!(console.is_empty(), "the page logged:\n{}", console.join("\n"));
}

#[test]
fn report_replaces_an_earlier_report_but_never_another_file() {
    let repo = started("commit", 1);
    repo.milestone(["report", "M1", "-o", "m1.html"]).success();
    commit(&repo, "src/more.txt", "feat: more");
    repo.milestone(["report", "M1", "-o", "m1.html"]).success();
    let html = String::from_utf8(repo.read("m1.html")).expect("UTF-8");
    assert_eq!(html.matches("class=\"point\"").count(), revisions(&repo, "HEAD").len(), "{html}");
    let readme = repo.read("README.md");
    let run = repo.milestone(["report", "M1", "-o", "README.md"]).failure(2);
    assert!(run.stderr().contains("`README.md` exists and is not a git-milestone report"), "{run}");
    assert!(run.stderr().contains("hint: choose another file"), "{run}");
    assert_eq!(repo.read("README.md"), readme, "README.md untouched");
}
