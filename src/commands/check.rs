//! `git milestone check`: the pre-merge check of a milestone's tracking document and branch.

use std::collections::HashMap;

use clap::Args;
use git2::Oid;

use super::Failure;
use crate::check::{self, Problem, Subject};
use crate::config::Config;
use crate::conventional::Rules;
use crate::error::Error;
use crate::repo::Repo;
use crate::tracking::{self, BranchHistory};
use crate::ui::Ui;

/// Check a milestone before its merge: checklist, placeholders, commits, messages, base
///
/// The rules (docs/check.md): `checklist` (every box of the gating sections ticked),
/// `placeholders` (no template placeholder left), `commits-recorded` (every commit of the
/// branch recorded under a task, every recorded hash on the branch), `conventional` (every
/// message follows the commit rules), `up-to-date` (the branch contains the base's tip) and,
/// with `--final`, `status` (the document says complete). Exit 0 when all pass, 1 when one
/// fails, 2 when the check cannot run.
///
/// Example: `git milestone check --final`, or on a server `git milestone check --ref refs/heads/feature/M7/rate-limits`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The milestone (default: the one whose branch is checked out)
    #[arg(conflicts_with = "reference")]
    pub id: Option<String>,
    /// Check the branch REF from the object database alone (works in a bare repository)
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
    /// Print `{ok, problems: [{rule, message, path, line, commit, hint}]}`
    #[arg(long)]
    pub json: bool,
    /// Also require the document's status to say complete
    #[arg(long = "final")]
    pub last: bool,
    /// Run the test command (`check.test_command`) and compare its summary with the document's
    /// test-status lines (the `tests` rule; on by itself when the setting names a command)
    #[arg(long)]
    pub run_tests: bool,
}

/// Runs `check`.
///
/// # Errors
///
/// [`Failure::Refused`] when a rule fails; an error when the check cannot run.
pub fn run(ui: &mut Ui, repo: &Repo, args: CheckArgs) -> Result<(), Failure> {
    // Objects are read as git reads them, without hashing each again to check it (`git fsck`
    // does that): with `--ref`, the document's blob first of all.
    git2::opts::strict_hash_verification(false);
    let report = match &args.reference {
        Some(reference) => {
            if args.run_tests {
                return Err(Error::Tracking {
                    message: "`--run-tests` needs a work tree to run the tests in; `--ref` reads the object database only".into(),
                    hint: "run the check with --run-tests in a checkout of the branch".into(),
                }
                .into());
            }
            from_ref(repo, reference, args.last)?
        }
        None => from_work_tree(repo, args.id.as_deref(), args.last, args.run_tests)?,
    };
    if args.json {
        let value = serde_json::json!({ "ok": report.problems.is_empty(), "problems": report.problems });
        ui.out(&format!("{value}\n"))?;
    } else {
        ui.out(&render(&report))?;
    }
    if report.problems.is_empty() { Ok(()) } else { Err(Failure::Refused) }
}

/// What a check found, with what it checked.
pub struct Report {
    pub path: String,
    pub branch: String,
    pub problems: Vec<Problem>,
}

/// The human report: one paragraph a problem, then one line that sums up.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for p in &report.problems {
        out.push_str(&format!("{}: {}\n", p.rule, p.message));
        match (&p.path, p.line, &p.commit) {
            (Some(path), Some(line), _) => out.push_str(&format!("  at {path}:{line}\n")),
            (_, _, Some(commit)) => out.push_str(&format!("  at commit {commit}\n")),
            _ => {}
        }
        out.push_str(&format!("  hint: {}\n", p.hint));
    }
    match report.problems.len() {
        0 => out.push_str(&format!("{} on {}: every check passes\n", report.path, report.branch)),
        n => out.push_str(&format!(
            "{} on {}: {n} problem{} before this milestone can be merged\n",
            report.path,
            report.branch,
            if n == 1 { "" } else { "s" }
        )),
    }
    out
}

fn no_milestone(message: String) -> Error {
    Error::Tracking {
        message,
        hint: "name the branch of a milestone: `git milestone check --ref refs/heads/feature/...`, or switch to it".into(),
    }
}

/// The check of the checked-out milestone (or milestone `id`), its document as it is in the
/// work tree.
fn from_work_tree(repo: &Repo, id: Option<&str>, last: bool, run_tests: bool) -> Result<Report, Error> {
    let root = repo.workdir()?.to_path_buf();
    let config = super::load_config(repo, &root)?;
    let branch = repo.current_branch().ok_or_else(|| no_milestone("HEAD is detached".into()))?;
    let tracked = tracking::find_for_branch(&root, &config, &branch).ok_or_else(|| {
        no_milestone(format!("branch `{branch}` is not a milestone branch: no tracking document names it"))
    })?;
    if let Some(id) = id {
        let file = config.tracking_file.replace("{id}", id);
        if !tracked.path.ends_with(&format!("/{file}")) {
            return Err(no_milestone(format!(
                "milestone `{id}` is not the one checked out: branch `{branch}` tracks `{}`",
                tracked.path
            )));
        }
    }
    let text = crate::fsio::read_document(&root.join(&tracked.path), &tracked.path)?;
    let head = repo.head_commit()?.id();
    let folder = config.templates_folder.as_ref().map(|f| root.join(f));
    let template = crate::template::find(
        &config.tracking_template,
        folder.as_deref(),
        config.templates_folder.as_deref(),
    )
    .unwrap_or_default();
    let tests = match (&config.test_command, run_tests) {
        (Some(command), _) => Some(run_test_command(&root, command)?),
        (None, true) => {
            return Err(Error::Tracking {
                message: "no test command to run: the setting `check.test_command` is not set".into(),
                hint: "set `check.test_command` in .milestone.yml, or `git config milestone.check.testCommand \"cargo test\"`".into(),
            });
        }
        (None, false) => None,
    };
    check_tip(repo, &config, &tracked.path, &text, &branch, head, &template, last, None, tests.as_ref())
}

/// The check of branch `reference`, read from the object database: its `.milestone.yml`, its
/// tracking document and its history.
fn from_ref(repo: &Repo, reference: &str, last: bool) -> Result<Report, Error> {
    let head = repo.resolve(reference).map_err(|_| Error::Tracking {
        message: format!("`{reference}` does not exist"),
        hint: "name an existing branch: `git branch --list` shows them (in a bare repository, those pushed to it)".into(),
    })?;
    let branch = reference.strip_prefix("refs/heads/").unwrap_or(reference).to_string();
    let commit = repo.git.find_commit(head).map_err(|source| {
        Error::Repo(crate::repo::Error::Git { doing: format!("could not read `{reference}`"), source })
    })?;
    let tree = commit.tree().map_err(|source| {
        Error::Repo(crate::repo::Error::Git {
            doing: format!("could not read the tree of `{reference}`"),
            source,
        })
    })?;
    let blob_text = |path: &str| -> Option<String> {
        let entry = tree.get_path(std::path::Path::new(path)).ok()?;
        let blob = repo.git.find_blob(entry.id()).ok()?;
        String::from_utf8(blob.content().to_vec()).ok()
    };
    let settings = blob_text(crate::config::FILE);
    let config = Config::load(settings.as_deref(), &repo.git_config().milestone_entries())?;
    let folder = config.tracking_folder.trim_matches('/').to_string();
    let names: Vec<String> = tree
        .get_path(std::path::Path::new(&folder))
        .ok()
        .and_then(|e| repo.git.find_tree(e.id()).ok())
        .map(|t| {
            t.iter()
                .filter_map(|e| e.name().ok().map(str::to_string))
                .filter(|n| n.ends_with(".md"))
                .collect()
        })
        .unwrap_or_default();
    let path =
        tracking::match_branch(&config, &names, &branch, |name| blob_text(&format!("{folder}/{name}")))
            .map(|name| format!("{folder}/{name}"))
            .ok_or_else(|| {
                no_milestone(format!(
                    "`{reference}` is not a milestone branch: no tracking document in `{folder}` names it"
                ))
            })?;
    let text = blob_text(&path)
        .ok_or_else(|| no_milestone(format!("`{path}` in `{reference}` is not UTF-8 text")))?;
    let template = template_at(repo, &config, head);
    check_tip(repo, &config, &path, &text, &branch, head, &template, last, None, None)
}

/// Documents from this long are parsed on another thread while the history is read: the
/// thread costs less than the parse (a document that records 1,000 commits is about 70 KB).
const PARSE_APART_FROM: usize = 64 * 1024;

/// Returns the check of the document at `path` (whose text is `text`) on `branch`, whose tip
/// is `head`; `up-to-date` compares with `base_tip` when given (the commit a merge brings the
/// branch into), else with the base branch's tip.
///
/// # Errors
///
/// Fails when the history cannot be read or the document cannot be parsed.
#[allow(clippy::too_many_arguments)]
pub fn check_tip(
    repo: &Repo,
    config: &Config,
    path: &str,
    text: &str,
    branch: &str,
    head: Oid,
    template: &str,
    last: bool,
    base_tip: Option<Oid>,
    tests: Option<&check::TestRun>,
) -> Result<Report, Error> {
    git2::opts::strict_hash_verification(false);
    // A long document is parsed on another thread while this one reads the history.
    let parallel = text.len() >= PARSE_APART_FROM && crate::parallel::threads() > 1;
    let (history, parsed) = std::thread::scope(|scope| {
        let parsing = parallel.then(|| scope.spawn(|| check::parse(text)));
        let history = BranchHistory::read_at(repo, config, path, head, HashMap::new());
        let parsed = parsing.map(|p| p.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (history, parsed)
    });
    let history = history?;
    let parsed = parsed.unwrap_or_else(|| check::parse(text));
    let base = match &config.base {
        Some(base) => base.clone(),
        None => repo.default_base().unwrap_or_else(|_| "main".into()),
    };
    // A base that cannot be found fails the rule: a gate must not pass for want of one. The
    // branch contains the base's tip when that tip is the merge base the history found.
    let up_to_date = match base_tip {
        Some(b) => b == head || repo.git.graph_descendant_of(head, b).unwrap_or(false),
        None => history.base_tip.is_some_and(|b| b == head || history.merge_base == Some(b)),
    };
    let base_tip = base_tip.or(history.base_tip);
    let messages = &history.messages;
    let elsewhere =
        tracking::history::elsewhere(&repo.git, head, &history.stops, &history.left_out, &history.rewrites);
    let rules = Rules::from_config(config);
    let subject = Subject {
        path,
        text,
        commits: &history.commits,
        elsewhere: &elsewhere,
        messages,
        base: &base,
        up_to_date,
        base_found: base_tip.is_some(),
        sections: &config.check_sections,
        template,
        rules: &rules,
        last,
        tests,
    };
    let parsed = parsed.map_err(|problem| Error::Parse { path: path.to_string(), problem })?;
    let problems = check::check_parsed(&subject, &parsed);
    Ok(Report { path: path.to_string(), branch: branch.to_string(), problems })
}

/// Runs the test command through `sh -c` in the work tree and reads its summary.
///
/// # Errors
///
/// Fails when the shell cannot be started.
pub fn run_test_command(root: &std::path::Path, command: &str) -> Result<check::TestRun, Error> {
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(root)
        .output()
        .map_err(|source| Error::Read { path: format!("sh -c {command}"), source })?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(check::TestRun {
        command: command.to_string(),
        success: output.status.success(),
        counts: check::test_summary(&text),
    })
}

/// Returns the tracking template as commit `at` has it: the repository's own (in its
/// `templates.folder`), else the built-in one.
pub fn template_at(repo: &Repo, config: &Config, at: Oid) -> String {
    let own = config.templates_folder.as_ref().and_then(|folder| {
        let bytes =
            repo.file_at(at, &format!("{}/{}.md", folder.trim_end_matches('/'), config.tracking_template))?;
        String::from_utf8(bytes).ok()
    });
    own.or_else(|| crate::template::find(&config.tracking_template, None, None).ok()).unwrap_or_default()
}
