//! The milestone report (`git milestone report`): a milestone's progress rebuilt from the git
//! history of its tracking document, and one self-contained HTML page that shows it with the
//! phases, the branch's commits, the open blockers and the pre-merge check's verdict.
//!
//! [`progress_history`] reads the history through libgit2 alone: one tree lookup of the
//! document's path a commit, and one parse a distinct blob. [`html`] writes the page: inline
//! CSS, an inline SVG chart, the data as JSON and a small inline script, no network assets.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{Commit, ObjectType, Oid, Repository, Sort};
use serde::Serialize;

use crate::document::{Counts, Document, Status};
use crate::progress::ProgressReader;

/// One revision of the tracking document: a commit that changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Point {
    /// The commit's full id.
    pub commit: String,
    /// The committer time, in seconds since the epoch.
    pub time: i64,
    /// The tasks whose status is complete, and all tasks.
    pub done: usize,
    pub total: usize,
    /// The document's progress (the checkboxes of phase tasks), 0 to 100.
    pub percent: u8,
}

/// Returns (tasks done, tasks, percent) of a tracking document.
pub fn progress(doc: &Document) -> (usize, usize, u8) {
    let tasks = doc.phases.iter().flat_map(|p| &p.tasks);
    let total = tasks.clone().count();
    let done = tasks.filter(|t| t.status == Some(Status::Complete)).count();
    (done, total, doc.progress_percent())
}

/// The line in a report's head that says which program wrote it: `report` replaces a file
/// only when it holds this line.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"git-milestone report\">";

/// Returns the progress of the document at `path` in every commit reachable from `tip` whose
/// blob at `path` differs from its first parent's (one point per revision that changed it),
/// oldest first (parents before children). A commit without the document (or where it
/// cannot be parsed) gives no point.
///
/// Identical blobs are parsed once; no tree is diffed: each commit's blob id is looked up by
/// path and compared with its first parent's, which the walk has already seen. The distinct
/// revisions are then read on every core (see [`crate::parallel::threads`]), each thread
/// with its own handle on the repository, in runs of consecutive revisions through a
/// [`ProgressReader`], which parses again only the sections a revision changed; blobs are not
/// re-hashed on read, as in git.
///
/// # Errors
///
/// Fails when the history cannot be read.
pub fn progress_history(repo: &Repository, tip: Oid, path: &str) -> Result<Vec<Point>, git2::Error> {
    git2::opts::strict_hash_verification(false);
    let path = Path::new(path);
    let mut walk = repo.revwalk()?;
    walk.push(tip)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut blobs: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut revisions: Vec<(Oid, i64, Oid)> = Vec::new();
    let mut distinct: Vec<Oid> = Vec::new();
    let mut seen: HashSet<Oid> = HashSet::new();
    for oid in walk {
        let oid = oid?;
        let commit = repo.find_commit(oid)?;
        let blob = blob_at(&commit, path);
        let parent_blob = match commit.parent_id(0) {
            Ok(parent) => match blobs.get(&parent) {
                Some(b) => *b,
                None => blob_at(&repo.find_commit(parent)?, path),
            },
            Err(_) => None,
        };
        blobs.insert(oid, blob);
        let Some(blob) = blob else { continue };
        if parent_blob == Some(blob) {
            continue;
        }
        if seen.insert(blob) {
            distinct.push(blob);
        }
        revisions.push((oid, commit.time().seconds(), blob));
    }
    let parsed = parse_blobs(repo, &distinct);
    Ok(revisions
        .into_iter()
        .filter_map(|(oid, time, blob)| {
            let (done, total, percent) = parsed.get(&blob).copied().flatten()?;
            Some(Point { commit: oid.to_string(), time, done, total, percent })
        })
        .collect())
}

/// Returns the progress of each blob of `ids`, read on as many threads as there are cores.
///
/// The blobs are cut into runs of consecutive revisions, which the threads take one at a time,
/// the last (the largest: a document grows with its history) first; each run is read in
/// order by one [`ProgressReader`], which parses of each revision only the sections that
/// changed since the one before. A thread that cannot open the repository leaves its runs to
/// the others.
fn parse_blobs(repo: &Repository, ids: &[Oid]) -> HashMap<Oid, Option<(usize, usize, u8)>> {
    let threads = crate::parallel::threads().min(ids.len()).max(1);
    // Several runs a thread, so that a thread slowed down by the machine takes fewer of them
    // and the last ones, the smallest, even the threads out; each run costs one parse of a
    // whole revision.
    let runs: Vec<&[Oid]> = ids.chunks(ids.len().div_ceil(threads * 8).max(16)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = |repo: &Repository| {
        let mut out = Vec::new();
        loop {
            let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(run) =
                k.checked_add(1).and_then(|k| runs.len().checked_sub(k)).and_then(|k| runs.get(k))
            else {
                break;
            };
            let mut reader = ProgressReader::default();
            out.extend(run.iter().map(|id| (*id, parse_blob(repo, *id, &mut reader))));
        }
        out
    };
    let mut parsed: HashMap<Oid, Option<(usize, usize, u8)>> = HashMap::with_capacity(ids.len());
    let git_dir = repo.path();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|_| {
                scope.spawn(|| match Repository::open(git_dir) {
                    Ok(own) => work(&own),
                    Err(_) => Vec::new(),
                })
            })
            .collect();
        parsed.extend(work(repo));
        for worker in workers {
            let results = worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            parsed.extend(results);
        }
    });
    parsed
}

/// Returns the id of the blob at `path` in `commit`'s tree.
fn blob_at(commit: &Commit, path: &Path) -> Option<Oid> {
    let entry = commit.tree().ok()?.get_path(path).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// Returns the progress of the document in blob `id` (read by `reader`, which read the
/// revision before), or None when it cannot be read.
fn parse_blob(repo: &Repository, id: Oid, reader: &mut ProgressReader) -> Option<(usize, usize, u8)> {
    let blob = repo.find_blob(id).ok()?;
    // The check for valid UTF-8 alone is much faster than the lossy conversion's.
    match std::str::from_utf8(blob.content()) {
        Ok(text) => reader.read(text),
        Err(_) => reader.read(&String::from_utf8_lossy(blob.content())),
    }
}

/// A phase, as the report's bars show it.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseBar {
    pub id: String,
    pub name: String,
    pub tasks_done: usize,
    pub tasks_total: usize,
    /// Its checkboxes (of its tasks, when it has tasks), ticked and all.
    pub checked: usize,
    pub boxes: usize,
    pub percent: u8,
}

/// Returns the phases of `doc` as bars.
pub fn phase_bars(doc: &Document) -> Vec<PhaseBar> {
    doc.phases
        .iter()
        .map(|phase| {
            let mut counts = Counts::default();
            phase.tasks.iter().for_each(|t| {
                counts.total += t.checkboxes.total;
                counts.checked += t.checkboxes.checked;
            });
            if phase.tasks.is_empty() {
                counts = phase.checkboxes;
            }
            PhaseBar {
                id: phase.id.to_string(),
                name: phase.name.to_string(),
                tasks_done: phase.tasks.iter().filter(|t| t.status == Some(Status::Complete)).count(),
                tasks_total: phase.tasks.len(),
                checked: counts.checked,
                boxes: counts.total,
                percent: counts.percent(),
            }
        })
        .collect()
}

/// A commit of the branch, with the task the document records it under.
#[derive(Debug, Clone, Serialize)]
pub struct CommitRow {
    pub id: String,
    pub short: String,
    pub subject: String,
    /// The author date (YYYY-MM-DD).
    pub date: String,
    /// The task's id, `unplanned` for the unplanned section, None when not recorded.
    pub task: Option<String>,
}

/// The pre-merge check's verdict on the branch's tip.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub ok: bool,
    pub problems: Vec<crate::check::Problem>,
}

/// Everything the report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: String,
    pub title: Option<String>,
    pub branch: String,
    pub tip: String,
    /// The tracking document's path in the repository.
    pub path: String,
    pub status: Option<&'static str>,
    pub tasks_done: usize,
    pub tasks_total: usize,
    pub percent: u8,
    pub points: Vec<Point>,
    pub phases: Vec<PhaseBar>,
    pub commits: Vec<CommitRow>,
    pub blockers: Vec<String>,
    /// None when the check could not run (its error is in `check_error`).
    pub check: Option<Verdict>,
    pub check_error: Option<String>,
}

/// Returns `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Returns the report's data as JSON that is safe inside a `<script>` element.
fn script_json(report: &Report) -> String {
    serde_json::to_string(report)
        .unwrap_or_else(|_| "{}".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

const STYLE: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:960px;padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}
.meta{color:#59636e}.meta code{color:#1f2328}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
svg.chart{width:100%;height:auto;border:1px solid #d0d7de;border-radius:6px;background:#f6f8fa}
.chart .axis{stroke:#8c959f;stroke-width:1}.chart .grid{stroke:#d0d7de;stroke-width:1}
.chart .label{font-size:11px;fill:#59636e}
.chart .line{fill:none;stroke:#1a7f37;stroke-width:2}.chart .tasks{fill:none;stroke:#0969da;stroke-width:1.5;stroke-dasharray:4 3}
.chart .point{fill:#1a7f37;stroke:#fff;stroke-width:1.5;cursor:pointer}.chart .point:hover,.chart .point.on{fill:#0969da}
#tip{min-height:1.5em;color:#59636e;margin:.25rem 0}
.legend span{margin-right:1rem}.legend i{display:inline-block;width:1.5em;height:0;border-top:2px solid #1a7f37;vertical-align:middle;margin-right:.3em}
.legend i.tasks{border-top:2px dashed #0969da}
.phase{display:grid;grid-template-columns:minmax(12rem,1fr) 2fr 8rem;gap:.75rem;align-items:center;margin:.35rem 0}
.bar{background:#eaeef2;border-radius:4px;height:.8rem;overflow:hidden}.bar div{background:#1a7f37;height:100%}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{font-weight:600;background:#f6f8fa}tr.on td{background:#ddf4ff}
.none{color:#59636e}.ok{color:#1a7f37;font-weight:600}.fail{color:#cf222e;font-weight:600}
.problem{margin:.5rem 0}.problem .hint{color:#59636e}
";

const SCRIPT: &str = "
(function(){
var data=JSON.parse(document.getElementById('data').textContent);
var tip=document.getElementById('tip');
var byId={};data.commits.forEach(function(c){byId[c.id]=c;});
function day(s){return new Date(s*1000).toISOString().slice(0,10);}
document.querySelectorAll('circle.point').forEach(function(el){
  function show(){
    var p=data.points[+el.getAttribute('data-index')];var c=byId[p.commit];
    document.querySelectorAll('.on').forEach(function(o){o.classList.remove('on');});
    el.classList.add('on');
    var row=document.getElementById('c-'+p.commit);if(row){row.classList.add('on');}
    tip.textContent=p.commit.slice(0,10)+'  '+day(p.time)+'  '+p.percent+'%  '+p.done+'/'+p.total+' tasks'+(c?'  '+c.subject:'');
  }
  el.addEventListener('mouseenter',show);el.addEventListener('click',show);el.addEventListener('focus',show);
});
document.body.setAttribute('data-points',String(document.querySelectorAll('circle.point').length));
})();
";

/// Returns the SVG burn-up chart of `points`: the progress in percent (one `circle.point` a
/// revision) and the share of tasks complete, over the revisions in order.
pub fn chart(points: &[Point]) -> String {
    let (w, h) = (720.0_f64, 260.0_f64);
    let (left, right, top, bottom) = (44.0, 16.0, 16.0, 28.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let n = points.len();
    let x = |i: usize| match n {
        0 | 1 => left + plot_w / 2.0,
        _ => left + plot_w * i as f64 / (n - 1) as f64,
    };
    let y = |percent: f64| top + plot_h * (1.0 - percent / 100.0);
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"Progress over the tracking document's revisions\">\n"
    );
    for pct in [0, 25, 50, 75, 100] {
        let yy = y(f64::from(pct));
        out.push_str(&format!(
            "<line class=\"grid\" x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{pct}%</text>\n",
            w - right,
            left - 6.0,
            yy + 4.0
        ));
    }
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{:.1}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\"/>\n",
        top + plot_h,
        top + plot_h,
        w - right,
        top + plot_h
    ));
    if n == 0 {
        out.push_str(&format!(
            "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">no committed revision of the tracking document</text>\n",
            left + plot_w / 2.0,
            top + plot_h / 2.0
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let day = |t: i64| {
            chrono::DateTime::from_timestamp(t, 0)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        out.push_str(&format!(
            "<text class=\"label\" x=\"{left}\" y=\"{:.1}\">{}</text><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            h - 8.0,
            day(first.time),
            w - right,
            h - 8.0,
            day(last.time)
        ));
    }
    let tasks: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let share = if p.total == 0 { 0.0 } else { 100.0 * p.done as f64 / p.total as f64 };
            format!("{:.1},{:.1}", x(i), y(share))
        })
        .collect();
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(f64::from(p.percent))))
        .collect();
    if n > 1 {
        out.push_str(&format!("<polyline class=\"tasks\" points=\"{}\"/>\n", tasks.join(" ")));
        out.push_str(&format!("<polyline class=\"line\" points=\"{}\"/>\n", line.join(" ")));
    }
    for (i, p) in points.iter().enumerate() {
        out.push_str(&format!(
            "<circle class=\"point\" data-commit=\"{}\" data-index=\"{i}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" tabindex=\"0\"><title>{} — {}% — {}/{} tasks</title></circle>\n",
            escape(&p.commit),
            x(i),
            y(f64::from(p.percent)),
            escape(&p.commit[..p.commit.len().min(10)]),
            p.percent,
            p.done,
            p.total
        ));
    }
    out.push_str("</svg>\n");
    out
}

/// Returns the report as one self-contained HTML page.
pub fn html(report: &Report) -> String {
    let title = match &report.title {
        Some(t) => format!("{} — {}", report.id, t),
        None => report.id.clone(),
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(GENERATOR);
    out.push('\n');
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{} — milestone report</title>\n", escape(&title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
    out.push_str(&format!(
        "<p class=\"meta\">status <b>{}</b> · branch <code>{}</code> at <code>{}</code> · <code>{}</code> · {}/{} tasks complete · {}%</p>\n",
        escape(report.status.unwrap_or("-")),
        escape(&report.branch),
        escape(&report.tip[..report.tip.len().min(10)]),
        escape(&report.path),
        report.tasks_done,
        report.tasks_total,
        report.percent
    ));

    out.push_str("<h2>Progress over time</h2>\n");
    out.push_str(&format!(
        "<p class=\"meta\">{} {} of the tracking document, oldest first.</p>\n",
        report.points.len(),
        if report.points.len() == 1 { "revision" } else { "revisions" }
    ));
    out.push_str(&chart(&report.points));
    out.push_str(
        "<p class=\"legend meta\"><span><i></i>progress (checkboxes)</span><span><i class=\"tasks\"></i>tasks complete</span></p>\n<p id=\"tip\"></p>\n",
    );

    out.push_str("<h2>Phases</h2>\n");
    if report.phases.is_empty() {
        out.push_str("<p class=\"none\">The document has no phases.</p>\n");
    }
    for phase in &report.phases {
        out.push_str(&format!(
            "<div class=\"phase\"><div>Phase {}: {}</div><div class=\"bar\" title=\"{}%\"><div style=\"width:{}%\"></div></div><div>{}% · {}/{} tasks</div></div>\n",
            escape(&phase.id),
            escape(&phase.name),
            phase.percent,
            phase.percent.min(100),
            phase.percent,
            phase.tasks_done,
            phase.tasks_total
        ));
    }

    out.push_str(&format!("<h2>Commits ({})</h2>\n", report.commits.len()));
    if report.commits.is_empty() {
        out.push_str("<p class=\"none\">No commits on the branch since its base.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th>Commit</th><th>Date</th><th>Subject</th><th>Task</th></tr>\n");
        for c in &report.commits {
            out.push_str(&format!(
                "<tr id=\"c-{}\"><td><code title=\"{}\">{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                escape(&c.id),
                escape(&c.id),
                escape(&c.short),
                escape(&c.date),
                escape(&c.subject),
                match &c.task {
                    Some(t) => escape(t),
                    None => "<span class=\"fail\">not recorded</span>".into(),
                }
            ));
        }
        out.push_str("</table>\n");
    }

    out.push_str("<h2>Open blockers</h2>\n");
    if report.blockers.is_empty() {
        out.push_str("<p class=\"none\">None.</p>\n");
    } else {
        out.push_str("<ul>\n");
        report.blockers.iter().for_each(|b| out.push_str(&format!("<li>{}</li>\n", escape(b))));
        out.push_str("</ul>\n");
    }

    out.push_str("<h2>Pre-merge check</h2>\n");
    match (&report.check, &report.check_error) {
        (Some(v), _) if v.ok => out.push_str("<p class=\"ok\">Every check passes.</p>\n"),
        (Some(v), _) => {
            out.push_str(&format!(
                "<p class=\"fail\">{} {} before this milestone can be merged.</p>\n",
                v.problems.len(),
                if v.problems.len() == 1 { "problem" } else { "problems" }
            ));
            for p in &v.problems {
                let at = match (&p.path, p.line, &p.commit) {
                    (Some(path), Some(line), _) => {
                        format!(" <span class=\"meta\">at {}:{line}</span>", escape(path))
                    }
                    (_, _, Some(commit)) => {
                        format!(" <span class=\"meta\">at commit <code>{}</code></span>", escape(commit))
                    }
                    _ => String::new(),
                };
                out.push_str(&format!(
                    "<div class=\"problem\"><code>{}</code>: {}{at}<div class=\"hint\">hint: {}</div></div>\n",
                    escape(p.rule),
                    escape(&p.message),
                    escape(&p.hint)
                ));
            }
        }
        (None, Some(e)) => {
            out.push_str(&format!("<p class=\"none\">The check could not run: {}</p>\n", escape(e)))
        }
        (None, None) => out.push_str("<p class=\"none\">The check did not run.</p>\n"),
    }

    out.push_str(&format!(
        "<script type=\"application/json\" id=\"data\">{}</script>\n",
        script_json(report)
    ));
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    }

    #[test]
    fn the_chart_has_one_point_a_revision() {
        let points: Vec<Point> = (0..3)
            .map(|i| Point {
                commit: format!("{i:040}"),
                time: 1_700_000_000 + i,
                done: 0,
                total: 2,
                percent: 10,
            })
            .collect();
        let svg = chart(&points);
        assert_eq!(svg.matches("class=\"point\"").count(), 3);
        assert!(svg.contains(&format!("data-commit=\"{}\"", points[2].commit)));
        assert_eq!(chart(&[]).matches("class=\"point\"").count(), 0);
    }

    #[test]
    fn the_embedded_json_cannot_close_its_script() {
        let report = Report {
            id: "M1".into(),
            title: Some("</script><b>".into()),
            branch: "b".into(),
            tip: "0".repeat(40),
            path: "p.md".into(),
            status: None,
            tasks_done: 0,
            tasks_total: 0,
            percent: 0,
            points: Vec::new(),
            phases: Vec::new(),
            commits: Vec::new(),
            blockers: Vec::new(),
            check: None,
            check_error: None,
        };
        let page = html(&report);
        assert_eq!(page.matches("</script>").count(), 2, "{page}");
        assert!(!page.contains("http://") && !page.contains("https://"));
    }

    /// Commits `text` at `path` (and `other` beside it) on HEAD of `repo`.
    fn commit(repo: &Repository, files: &[(&str, &str)], message: &str) -> Oid {
        let sig = git2::Signature::new("T", "t@example.com", &git2::Time::new(1_700_000_000, 0))
            .expect("a signature");
        let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let mut builder =
            repo.treebuilder(parent.as_ref().map(|p| p.tree().expect("a tree")).as_ref()).expect("a builder");
        for (name, text) in files {
            let blob = repo.blob(text.as_bytes()).expect("a blob");
            builder.insert(name, blob, 0o100_644).expect("an entry");
        }
        let tree = repo.find_tree(builder.write().expect("a tree")).expect("the tree");
        let parents: Vec<&Commit> = parent.iter().collect();
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).expect("a commit")
    }

    #[test]
    fn progress_history_has_one_point_per_revision_that_changed_the_document() {
        let dir = tempfile::tempdir().expect("a folder");
        let repo = Repository::init(dir.path()).expect("a repository");
        let doc = |ticked: bool, complete: bool| {
            format!(
                "# M1 Implementation Tracking\n\n## Phase 1: Core\n\n### Task 1.1: Limiter\n\n**Status:** {}\n\n- [{}] write it\n- [ ] test it\n",
                if complete { "✅ Complete" } else { "🔄 In Progress" },
                if ticked { "x" } else { " " }
            )
        };
        commit(&repo, &[("other.txt", "a")], "chore: before the document");
        let first = commit(&repo, &[("M1.md", &doc(false, false))], "docs: start");
        commit(&repo, &[("other.txt", "b")], "feat: unrelated");
        let second = commit(&repo, &[("M1.md", &doc(true, false))], "docs: tick");
        commit(&repo, &[("other.txt", "c")], "feat: unrelated again");
        let third = commit(&repo, &[("M1.md", &doc(true, true))], "docs: complete");
        // Back to an earlier text: a revision again, whose parse comes from the cache.
        let fourth = commit(&repo, &[("M1.md", &doc(false, false))], "docs: undo");
        let tip = repo.head().expect("HEAD").target().expect("a commit");
        let points = progress_history(&repo, tip, "M1.md").expect("the history");
        let got: Vec<(Oid, usize, usize, u8)> =
            points.iter().map(|p| (p.commit.parse().expect("an id"), p.done, p.total, p.percent)).collect();
        assert_eq!(got, vec![(first, 0, 1, 0), (second, 0, 1, 50), (third, 1, 1, 50), (fourth, 0, 1, 0)]);
    }
}
