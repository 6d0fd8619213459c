//! Parse, one edit and an atomic write of a large tracking document; storing a 0.54 MB one as
//! a blob, as the post-commit hook stages it.
//!
//! `cargo bench --bench document`; the figures and the command are in docs/benchmarks.md.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use git_milestone::document::Document;
use git_milestone::fsio::{write_atomic_pieces, write_edited};
use git_milestone::markdown::Edit;

/// Returns a filled-in tracking document (form 000) with `tasks` tasks in phases of 50, each
/// task as the form has it: file, checklist, commits, tests and status (about 450 bytes).
pub fn tracking_document(tasks: usize) -> String {
    let mut s = String::from(
        "# M7 Implementation Tracking\n\n**Milestone:** M7 — Rate limits  \n**Started:** 2026-10-01  \n\
         **Status:** 🔄 In Progress  \n**Branch:** `feature/api-M7/rate-limits`  \n**Assignee:** Dana\n\n---\n\n\
         ## Progress Log\n\n### 2026-10-01 - Session Start\n\n**Commits:**\n- `3f9c2ab` - docs(M7): create tracking document\n\n---\n\n",
    );
    for t in 0..tasks {
        let (p, n) = (t / 50 + 1, t % 50 + 1);
        if n == 1 {
            let _ = write!(s, "## Phase {p}: Phase number {p}\n\n**Goal:** ship part {p} of the limiter\n\n");
        }
        let (h1, h2) = (0x1000000 + t * 7919, 0x2000000 + t * 104729);
        let status = ["✅ Complete", "🔄 In Progress", "⏳ Not Started"][t % 3];
        let _ = write!(
            s,
            "### Task {p}.{n}: Implement piece {t}\n**File(s):** `src/limiter/piece_{t}.rs`\n\n**Checklist:**\n\
             - [x] Write the failing test for piece {t}\n- [x] Make the test pass\n- [ ] Document the public API\n\
             - [ ] Commit: `feat(api): add piece {t}`\n\n**Commits:**\n- `{h1:07x}` - test(api): cover piece {t}\n\
             - `{h2:07x}` - feat(api): add piece {t}\n\n**Tests:**\n- [x] unit: piece_{t}_works\n\
             - [ ] integration: piece_{t}_round_trip\n\n**Status:** {status}\n\n---\n\n"
        );
    }
    s.push_str("## Final Checklist\n\n### Pre-Merge\n- [ ] Branch rebased on latest main\n");
    s
}

fn bench(c: &mut Criterion) {
    let text = tracking_document(3000);
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("M7-tracking.md");
    std::fs::write(&path, &text).expect("writes");
    // The last task's unticked "Document the public API" box, to tick.
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "- [ ] Document the public API")
        .last()
        .map(|(i, _)| i + 1)
        .expect("the document has that box");
    let doc = Document::parse(&text).expect("parses");
    assert_eq!(doc.phases.iter().map(|p| p.tasks.len()).sum::<usize>(), 3000);
    // The tick and the byte it writes, to put back before every iteration.
    let ticked = doc.tick(line, true).expect("a task item").expect("an edit");
    let (offset, original) = (ticked.range.start, text.as_bytes()[ticked.range.start]);
    assert_eq!(ticked.range.len(), 1);
    #[cfg(unix)]
    {
        // `write_edited` writes the tick in place, the same file.
        use std::os::unix::fs::MetadataExt;
        let inode = std::fs::metadata(&path).expect("the file").ino();
        let edit = [ticked];
        write_edited(&path, doc.text, &edit, "M7-tracking.md").expect("writes");
        assert_eq!(std::fs::metadata(&path).expect("the file").ino(), inode, "written in place");
        assert_eq!(
            std::fs::read_to_string(&path).expect("reads"),
            git_milestone::markdown::apply(&text, &edit)
        );
    }
    put_back(&path, offset, original);
    assert_eq!(std::fs::read_to_string(&path).expect("reads"), text, "put back as it was");
    eprintln!("document: {} bytes, {} lines", text.len(), text.lines().count());

    let mut group = c.benchmark_group("tracking document, 3000 tasks");
    group.bench_function("pulldown-cmark events only", |b| {
        b.iter(|| {
            pulldown_cmark::Parser::new_ext(black_box(&text), git_milestone::markdown::outline::options())
                .into_offset_iter()
                .count()
        })
    });
    group.bench_function("outline", |b| {
        b.iter(|| git_milestone::markdown::Outline::parse(black_box(&text), 0).items.len())
    });
    group.bench_function("parse", |b| {
        b.iter(|| Document::parse(black_box(&text)).expect("parses").phases.len())
    });
    // Read, parse, tick and write, every iteration from the same file on disk; `write` writes
    // the edit. The ticked byte is put back before each: a new copy of the whole file each
    // time left 1.3 MB of dirty pages whose writeback ran during the timed part.
    let pipeline = |b: &mut criterion::Bencher, write: fn(&std::path::Path, &Document, &[Edit])| {
        b.iter_batched(
            || put_back(&path, offset, original),
            |()| {
                let on_disk = std::fs::read_to_string(&path).expect("reads");
                let doc = Document::parse(&on_disk).expect("parses");
                let edit: Vec<_> = doc.tick(line, true).expect("a task item").into_iter().collect();
                write(&path, &doc, &edit);
            },
            BatchSize::PerIteration,
        );
    };
    // As `git milestone tick` writes: its one byte in place.
    group.bench_function("read + parse + tick + atomic write", |b| {
        pipeline(b, |path, doc, edit| write_edited(path, doc.text, edit, "M7-tracking.md").expect("writes"))
    });
    // As every edit that changes more than one byte is written.
    group.bench_function("read + parse + tick + whole file renamed over it", |b| {
        pipeline(b, |path, doc, edit| {
            write_atomic_pieces(path, &doc.pieces(edit), "M7-tracking.md").expect("writes")
        })
    });
    group.finish();
}

/// Writes `byte` at `offset` of the file at `path`, where it stands.
fn put_back(path: &std::path::Path, offset: usize, byte: u8) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(path).expect("opens the document");
    file.seek(SeekFrom::Start(offset as u64)).expect("seeks");
    file.write_all(&[byte]).expect("writes");
}

/// A new object each iteration (one byte changed), removed after it is timed.
fn blob(c: &mut Criterion) {
    let text = tracking_document(1200).into_bytes();
    let dir = tempfile::tempdir().expect("a temp dir");
    let repo = git2::Repository::init(dir.path()).expect("a repository");
    eprintln!("document: {} bytes", text.len());
    let mut group = c.benchmark_group("the staged blob of a 0.54 MB document");
    let mut n = 0u32;
    let mut next = || {
        n += 1;
        let mut t = text.clone();
        let end = t.len() - 1;
        t[end - 4..end].copy_from_slice(format!("{:04}", n % 10_000).as_bytes());
        t
    };
    type Store = fn(&git2::Repository, &[u8]) -> Result<git2::Oid, git2::Error>;
    let ours: Store = git_milestone::tracking::loose::write_blob;
    for (name, store) in [("loose::write_blob", ours), ("git2 Repository::blob", git2::Repository::blob)] {
        group.bench_function(name, |b| {
            b.iter_batched(
                &mut next,
                |t| Removed(dir.path().join(".git/objects"), store(&repo, &t).expect("stores the blob")),
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

/// An object whose file is removed when dropped, outside the timing.
struct Removed(std::path::PathBuf, git2::Oid);

impl Drop for Removed {
    fn drop(&mut self) {
        let hex = self.1.to_string();
        let _ = std::fs::remove_file(self.0.join(&hex[..2]).join(&hex[2..]));
    }
}

criterion_group!(benches, bench, blob);
criterion_main!(benches);
