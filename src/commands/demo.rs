//! `git milestone demo`: the whole flow in a scratch repository, each step printed.
//!
//! The demo drives git itself the way a person would (`git init`, `git add`, `git commit`),
//! so it runs the `git` binary; git-milestone's own steps run in-process.

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Args;

use super::{Failure, Workspace};
use crate::error::Error;
use crate::repo::Repo;
use crate::ui::Ui;

/// Run the whole flow in a scratch repository: new, start, commits, inspect, status, report
///
/// Makes a new repository in DIR (which must be empty or not exist) or in a new temporary
/// folder, and prints each step with its output. The repository is left there to look at.
///
/// Example: `git milestone demo /tmp/milestone-demo`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// An empty folder for the scratch repository [default: a new temporary folder]
    pub dir: Option<PathBuf>,
}

/// Runs `demo`.
///
/// # Errors
///
/// Fails when the folder is not empty, git is missing, or a step fails.
pub fn run(ui: &mut Ui, args: DemoArgs) -> Result<(), Failure> {
    let dir = match args.dir {
        Some(dir) => {
            let empty = std::fs::read_dir(&dir).map(|mut d| d.next().is_none()).unwrap_or(true);
            if !empty {
                return Err(Error::Demo { message: format!("`{}` is not empty", dir.display()) }.into());
            }
            std::fs::create_dir_all(&dir)
                .map_err(|source| Error::Write { path: dir.display().to_string(), source })?;
            dir
        }
        None => tempfile::Builder::new()
            .prefix("git-milestone-demo-")
            .tempdir()
            .map_err(|source| Error::Write { path: "a temporary folder".into(), source })?
            .keep(),
    };
    ui.out(&format!("# a scratch repository in {}\n", dir.display()))?;
    git(ui, &dir, &["init", "--quiet", "--initial-branch=main"])?;
    if git_quiet(&dir, &["config", "user.name"]).is_err() {
        git(ui, &dir, &["config", "user.name", "Demo Developer"])?;
    }
    if git_quiet(&dir, &["config", "user.email"]).is_err() {
        git(ui, &dir, &["config", "user.email", "demo@example.com"])?;
    }
    write(&dir, "README.md", "# Demo service\n\nA small API that needs rate limits.\n")?;
    git(ui, &dir, &["add", "README.md"])?;
    git(ui, &dir, &["commit", "--quiet", "-m", "chore: start the demo service"])?;

    step(ui, "git milestone init")?;
    let ws = || Workspace::open(Repo::open_at(&dir)?);
    super::init::run(ui, &ws()?, super::init::InitArgs { no_autostash: false })?;

    step(ui, "git milestone new M1 \"Rate limits\" --surface api")?;
    let new = super::new::NewArgs {
        id: "M1".into(),
        title: "Rate limits".into(),
        template: None,
        surface: Some("api".into()),
    };
    super::new::run(ui, &ws()?, new)?;
    ui.out("# (a person fills in the plan's task breakdown; the demo writes three tasks)\n")?;
    let plan = dir.join("docs/milestones/M1.md");
    let mut text = std::fs::read_to_string(&plan)
        .map_err(|source| Error::Read { path: "docs/milestones/M1.md".into(), source })?;
    for (n, task) in
        [(1, "Token bucket per API key"), (2, "Reject requests over the limit"), (3, "Rate-limit headers")]
    {
        text = text.replace(&format!("Task {n}: [description]"), &format!("Task {n}: {task}"));
    }
    write(&dir, "docs/milestones/M1.md", &text)?;

    step(ui, "git milestone start M1")?;
    let start = super::start::StartArgs {
        id: Some("M1".into()),
        surface: None,
        slug: None,
        base: None,
        template: None,
        title: None,
        json: false,
    };
    super::start::run(ui, &ws()?, start)?;

    for (file, body, message) in [
        ("src/bucket.rs", "pub struct Bucket;\n", "feat(api): add a token bucket per API key"),
        (
            "src/limit.rs",
            "pub fn over_limit() -> bool { false }\n",
            "feat(api): reject requests over the limit",
        ),
        ("tests/bucket.rs", "#[test]\nfn refills() {}\n", "test(api): cover bucket refill"),
    ] {
        write(&dir, file, body)?;
        git(ui, &dir, &["add", file])?;
        git(ui, &dir, &["commit", "--quiet", "-m", message])?;
    }
    git(ui, &dir, &["log", "--oneline", "--decorate"])?;
    ui.out(
        "# (after each commit the post-commit hook recorded it in the tracking document and staged it)\n",
    )?;
    git(ui, &dir, &["status", "--short"])?;

    step(ui, "git milestone inspect docs/milestones/tracking/M1-tracking.md")?;
    let tracking = dir.join("docs/milestones/tracking/M1-tracking.md");
    super::inspect::run(ui, super::inspect::InspectArgs { path: tracking, json: false })?;

    step(ui, "git milestone status M1")?;
    let status = super::status::StatusArgs {
        id: Some("M1".into()),
        json: false,
        color: super::status::ColorChoice::Auto,
        all_branches: false,
    };
    super::status::run(ui, &ws()?, status)?;

    step(ui, "git milestone report M1 -o milestone-M1-report.html")?;
    let report = dir.join("milestone-M1-report.html");
    super::report::run(
        ui,
        &ws()?,
        super::report::ReportArgs { id: Some("M1".into()), output: Some(report) },
    )?;
    ui.out(&format!(
        "\n# done. The repository stays in {}: its commit-msg hook checked the three commits, and its post-commit hook recorded each under its task and in the day's progress log; milestone-M1-report.html there shows the progress over time in a browser. Next: commit the staged document with your next change, or see `git milestone sync`.\n",
        dir.display()
    ))?;
    Ok(())
}

fn step(ui: &mut Ui, command: &str) -> Result<(), Failure> {
    ui.out(&format!("\n$ {command}\n"))?;
    Ok(())
}

fn write(dir: &Path, file: &str, text: &str) -> Result<(), Error> {
    let path = dir.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Write { path: file.into(), source })?;
    }
    std::fs::write(&path, text).map_err(|source| Error::Write { path: file.into(), source })
}

/// Returns `git` run in `dir` with the environment of the repository around us removed, and
/// this binary's folder first on PATH, so that the hooks git runs find this very binary.
fn git_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("git");
    cmd.args(args).current_dir(dir);
    if let Some(folder) = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)) {
        let mut paths = vec![folder];
        paths.extend(std::env::var_os("PATH").iter().flat_map(std::env::split_paths));
        if let Ok(path) = std::env::join_paths(paths) {
            cmd.env("PATH", path);
        }
    }
    for var in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX", "GIT_COMMON_DIR"] {
        cmd.env_remove(var);
    }
    cmd
}

fn git_quiet(dir: &Path, args: &[&str]) -> Result<String, Error> {
    let out = git_command(dir, args)
        .output()
        .map_err(|e| Error::Demo { message: format!("could not run git: {e}") })?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(Error::Demo { message: String::from_utf8_lossy(&out.stderr).trim().to_string() })
    }
}

fn git(ui: &mut Ui, dir: &Path, args: &[&str]) -> Result<(), Failure> {
    let shown: Vec<String> = args
        .iter()
        .map(|a| if a.contains([' ', '(', ')', '\'']) { format!("\"{a}\"") } else { (*a).to_string() })
        .collect();
    ui.out(&format!("\n$ git {}\n", shown.join(" ")))?;
    let out = git_quiet(dir, args)
        .map_err(|e| Error::Demo { message: format!("`git {}` failed: {e}", args.join(" ")) })?;
    ui.out(&out)?;
    Ok(())
}
