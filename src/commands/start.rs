//! `git milestone start`: the feature branch, whose first commit is the filled-in tracking
//! document, made through libgit2; then HEAD switched to it as `git switch` would.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write as _};

use clap::Args;

use super::{Failure, Workspace};
use crate::document::{Document, Status, status::StatusStyle};
use crate::error::Error;
use crate::fsio::read_document;
use crate::milestone::{self, PlannedPhase, check_id, check_part, slugify};
use crate::repo::{self, NewFile};
use crate::template;
use crate::ui::Ui;

/// Start a milestone: create its feature branch with the tracking document as first commit
///
/// Reads the plan `docs/milestones/ID.md` when there is one: its phases, task breakdown or
/// deliverables become the tracking document's phases and tasks, its title names the
/// milestone and its component suggests the surface. The branch is made from the base, its
/// first commit adds the tracking document (and sets the plan's status to In Progress), and
/// HEAD moves to it as `git switch` would: uncommitted changes come along, staged changes
/// stay staged. Without an id, on a terminal, it offers the planned milestones.
///
/// Example: `git milestone start M7 --surface api`
#[derive(Debug, Args)]
pub struct StartArgs {
    /// The milestone's id (its plan is docs/milestones/ID.md)
    pub id: Option<String>,
    /// The area of the code base, in the branch name [default: the plan's component]
    #[arg(long, value_name = "SURFACE")]
    pub surface: Option<String>,
    /// The short name at the end of the branch [default: from the title]
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// What to branch from [default: setting branch.base, else the remote's HEAD branch, else
    /// main, else master]
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// The template for the tracking document [default: setting templates.tracking]
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
    /// The milestone's title, when there is no plan (or to override the plan's)
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,
    /// Print one JSON object (documented in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

/// What `start` made.
#[derive(Debug, Clone)]
pub struct Started {
    pub branch: String,
    /// The base as it was named (`main`, `origin/release`).
    pub base: String,
    pub commit: String,
    pub tracking: String,
}

/// Runs `start`.
///
/// # Errors
///
/// Refuses, changing nothing, on anything that stops a clean start (see the help).
pub fn run(ui: &mut Ui, ws: &Workspace, args: StartArgs) -> Result<(), Failure> {
    let args = match args.id {
        Some(_) => args,
        None => StartArgs { id: Some(choose(ui, ws)?), ..args },
    };
    let started = start(ui, ws, &args)?;
    if args.json {
        let value = serde_json::json!({
            "id": args.id,
            "branch": started.branch,
            "base": started.base,
            "commit": started.commit,
            "tracking": started.tracking,
        });
        ui.out(&format!("{value}\n"))?;
        return Ok(());
    }
    ui.out(&format!(
        "created branch {} from {} and switched to it\n\
         first commit {}: the tracking document {}\n\
         next: commit your work; see the document with\n  git milestone inspect {}\n",
        started.branch, started.base, started.commit, started.tracking, started.tracking,
    ))?;
    Ok(())
}

/// Starts milestone `args.id` and returns what was made; warnings go to `ui`.
///
/// # Errors
///
/// Refuses, changing nothing, on anything that stops a clean start.
pub fn start(ui: &mut Ui, ws: &Workspace, args: &StartArgs) -> Result<Started, Error> {
    let id = args.id.clone().unwrap_or_default();
    check_id(&id)?;
    let repo = &ws.repo;
    repo.ensure_idle()?;
    repo.head_commit()?;
    let config = &ws.config;

    // The plan, as it is in the work tree.
    let plan_rel = format!("{}/{id}.md", config.plans_folder);
    ws.refuse_links(&plan_rel)?;
    let plan_path = ws.path(&plan_rel);
    let plan_text = if plan_path.is_file() { Some(read_document(&plan_path, &plan_rel)?) } else { None };
    let plan_doc = match &plan_text {
        Some(text) => {
            Some(Document::parse(text).map_err(|problem| Error::Parse { path: plan_rel.clone(), problem })?)
        }
        None => None,
    };
    let plan = plan_doc.as_ref().map(|d| milestone::read_plan(d, &id));

    let title = args
        .title
        .clone()
        .or_else(|| plan.as_ref().and_then(|p| p.title.clone()))
        .ok_or_else(|| Error::NoPlan { id: id.clone(), plan: plan_rel.clone() })?;
    let surface = match &args.surface {
        Some(s) => Some(s.clone()),
        None => plan.as_ref().and_then(|p| p.surface.clone()),
    }
    .filter(|s| !s.is_empty());
    if let Some(s) = &surface {
        check_part("surface", s)?;
    }
    let slug = args.slug.clone().unwrap_or_else(|| slugify(&title));
    let slug = if slug.is_empty() { "work".to_string() } else { slug };
    check_part("slug", &slug)?;
    let branch = match &surface {
        Some(s) => milestone::branch_name(&config.branch_pattern, &id, s, &slug),
        None => milestone::branch_name(&config.branch_pattern_without_surface, &id, "", &slug),
    };
    repo::Repo::check_branch_name(&branch)?;
    if repo.branch_exists(&branch) {
        return Err(repo::Error::BranchExists { name: branch }.into());
    }
    if let Some(clash) = repo.branch_path_clash(&branch) {
        return Err(repo::Error::BranchClash { name: branch, clash }.into());
    }
    let base_name = match args.base.clone().or_else(|| config.base.clone()) {
        Some(b) => b,
        None => repo.default_base()?,
    };
    let base = repo.resolve(&base_name)?;

    // The tracking document must be new, in the work tree and on the base.
    let tracking_rel = format!("{}/{}", config.tracking_folder, config.tracking_file.replace("{id}", &id));
    ws.refuse_links(&tracking_rel)?;
    if std::fs::symlink_metadata(ws.path(&tracking_rel)).is_ok()
        || repo.file_at(base, &tracking_rel).is_some()
    {
        return Err(Error::Exists { what: "tracking document", path: tracking_rel });
    }

    // The tracking document's text.
    let template_name = args.template.as_deref().unwrap_or(&config.tracking_template);
    let folder = config.templates_folder.as_deref();
    let template = template::find(template_name, folder.map(|f| ws.path(f)).as_deref(), folder)?;
    let phases: Vec<PlannedPhase> = plan
        .as_ref()
        .map(|p| p.phases.clone())
        .filter(|p| p.iter().any(|phase| !phase.tasks.is_empty()))
        .unwrap_or_else(|| milestone::phases_without_plan(&title));
    let now = chrono::Local::now();
    let links = if plan_text.is_some() {
        let link = milestone::relative_link(&config.tracking_folder, &plan_rel);
        format!("- **Milestone Plan:** [`{plan_rel}`]({link})")
    } else {
        "- **Milestone Plan:** none; started with `--title`".to_string()
    };
    let first_task = phases
        .iter()
        .find_map(|p| p.tasks.first())
        .map_or_else(|| "Plan the first task".to_string(), |t| format!("Task 1.1: {t}"));
    let values = BTreeMap::from([
        ("id", id.clone()),
        ("title", title.clone()),
        ("date", now.format("%Y-%m-%d").to_string()),
        ("datetime", now.format("%Y-%m-%dT%H:%M:%S").to_string()),
        ("branch", branch.clone()),
        ("base", base_name.clone()),
        ("surface", surface.clone().unwrap_or_default()),
        ("slug", slug.clone()),
        ("plan_path", plan_rel.clone()),
        ("links", links),
        ("overall_progress", milestone::overall_progress(&phases)),
        ("phases", milestone::phases_markdown(&phases)),
        ("first_task", first_task),
    ]);
    let mut values = values;
    if let Some(name) = repo.user_name() {
        values.insert("assignee", name);
    }
    let (tracking_text, _) = template::fill_document(&template, &values);
    for name in template::unfilled_in_header(&tracking_text) {
        ui.err(&format!(
            "warning: the tracking document's header still has `{{{{{name}}}}}`{}\n",
            if name == "assignee" { ": set `git config user.name`" } else { "" }
        ));
    }

    // The plan, now In Progress.
    let new_plan = match (&plan_text, &plan_doc) {
        (Some(text), Some(doc)) => Some(plan_in_progress(doc, text, &now.format("%Y-%m-%d").to_string())),
        _ => None,
    };
    let plan_on_base = repo.file_at(base, &plan_rel);
    let mut files = vec![NewFile { path: &tracking_rel, contents: tracking_text.as_bytes() }];
    if let Some(new_plan) = &new_plan
        && plan_on_base.as_deref() != Some(new_plan.as_bytes())
    {
        files.push(NewFile { path: &plan_rel, contents: new_plan.as_bytes() });
    }
    let message = format!("docs({id}): create tracking document for {id}");
    let commit = repo.commit_files(base, &files, &message)?;

    // Nothing may be overwritten; the plan is ours to put in place.
    let own: Vec<&str> = if new_plan.is_some() { vec![plan_rel.as_str()] } else { Vec::new() };
    let conflicts = repo.switch_conflicts(commit, &own)?;
    if !conflicts.is_empty() {
        return Err(repo::Error::WouldOverwrite { branch, paths: conflicts }.into());
    }

    repo.create_branch(&branch, commit, &format!("milestone: start {id} from {base_name}"))?;
    let own: Vec<(&str, &str)> = new_plan.as_deref().map(|p| (plan_rel.as_str(), p)).into_iter().collect();
    if let Err(e) = repo.switch(&branch, &own) {
        repo.delete_branch(&branch);
        return Err(e.into());
    }
    let short = commit.to_string()[..config.hash_length.min(40)].to_string();
    Ok(Started { branch, base: base_name, commit: short, tracking: tracking_rel })
}

/// Returns the plan's text with its status set to In Progress (its `**Status:**` field in the
/// plan's own style, and a frontmatter `status`), and a frontmatter `last-updated` /
/// `last_updated` set to `today`.
fn plan_in_progress(doc: &Document, text: &str, today: &str) -> String {
    let mut edits = Vec::new();
    if let Some(field) = doc.field("Status")
        && crate::document::status::recognize(&field.value) != Some(Status::InProgress)
    {
        let style = StatusStyle::learn([&text[field.value_range.clone()]]);
        if let Ok(edit) = doc.set_field("Status", &style.render(Status::InProgress)) {
            edits.push(edit);
        }
    }
    if let Some(fm) = doc.frontmatter.as_ref().map(|f| &f.value) {
        if let Some(current) = fm.get("status").and_then(|v| v.as_str()) {
            let mut word = StatusStyle::learn([current]).render(Status::InProgress);
            if !current.contains(' ') {
                word = word.replace(' ', "-");
            }
            if let Ok(edit) = doc.set_frontmatter("status", &word) {
                edits.push(edit);
            }
        }
        for key in ["last-updated", "last_updated"] {
            if fm.get(key).is_some()
                && let Ok(edit) = doc.set_frontmatter(key, today)
            {
                edits.push(edit);
            }
        }
    }
    doc.apply(&edits)
}

/// Asks which planned milestone to start, on a terminal; without one, lists them and fails.
fn choose(ui: &mut Ui, ws: &Workspace) -> Result<String, Error> {
    let planned: Vec<super::list::Entry> = super::list::milestones(ws)
        .into_iter()
        .filter(|e| e.tracking.is_none() && matches!(e.status, Some("planned" | "not_started") | None))
        .collect();
    let ids: Vec<String> = planned.iter().map(|e| e.id.clone()).collect();
    if !std::io::stdin().is_terminal() || planned.is_empty() {
        return Err(Error::NoId { planned: ids });
    }
    for (i, e) in planned.iter().enumerate() {
        ui.err(&format!("{:>3}) {}  {}\n", i + 1, e.id, e.title.as_deref().unwrap_or("")));
    }
    ui.err("start which milestone? number or id: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).map_err(|_| Error::NotChosen)?;
    let answer = answer.trim();
    if let Ok(n) = answer.parse::<usize>()
        && let Some(e) = n.checked_sub(1).and_then(|i| planned.get(i))
    {
        return Ok(e.id.clone());
    }
    ids.into_iter().find(|id| id == answer).ok_or(Error::NotChosen)
}
