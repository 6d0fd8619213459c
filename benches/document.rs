//! Parse, one edit and an atomic write of a large tracking document.
//!
//! `cargo bench --bench document`; the figures and the command are in docs/benchmarks.md.

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use git_milestone::document::Document;
use git_milestone::fsio::write_atomic;

/// Returns a filled-in tracking document (form 000) with `tasks` tasks in phases of 50.
fn tracking_document(tasks: usize) -> String {
    let mut s = String::from(
        "# M7 Implementation Tracking\n\n**Milestone:** M7 — Rate limits  \n**Started:** 2026-10-01  \n\
         **Status:** 🔄 In Progress  \n**Branch:** `feature/api-M7/rate-limits`  \n**Assignee:** Dana\n\n---\n\n\
         ## Progress Log\n\n### 2026-10-01 - Session Start\n\n**Commits:**\n- `3f9c2ab` - docs(M7): create tracking document\n\n---\n\n",
    );
    for t in 0..tasks {
        if t % 50 == 0 {
            let _ = write!(
                s,
                "## Phase {}: Phase number {}\n\n**Goal:** ship part {}\n\n",
                t / 50 + 1,
                t / 50 + 1,
                t / 50 + 1
            );
        }
        let _ = write!(
            s,
            "### Task {p}.{n}: Implement piece {t}\n**File(s):** `src/piece_{t}.rs`\n\n**Checklist:**\n\
             - [x] Write the failing test\n- [ ] Make it pass\n- [ ] Commit: `feat(api): piece {t}`\n\n\
             **Commits:**\n- `{h:07x}` - feat(api): piece {t}\n\n**Status:** ✅ Complete\n\n---\n\n",
            p = t / 50 + 1,
            n = t % 50 + 1,
            h = 0x1000000 + t * 7919,
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
    // The line of the last task's second checkbox, to tick.
    let line = text.lines().count() - 12;
    let doc = Document::parse(&text).expect("parses");
    assert_eq!(doc.phases.iter().map(|p| p.tasks.len()).sum::<usize>(), 3000);
    assert!(doc.tick(line, true).expect("a task item").is_some());

    let mut group = c.benchmark_group("tracking document, 3000 tasks");
    eprintln!("document: {} bytes, {} lines", text.len(), text.lines().count());
    group.bench_function("pulldown-cmark events only", |b| {
        b.iter(|| {
            pulldown_cmark::Parser::new_ext(black_box(&text), git_milestone::markdown::outline::options())
                .into_offset_iter()
                .count()
        })
    });
    group.bench_function("outline only", |b| {
        b.iter(|| git_milestone::markdown::Outline::parse(black_box(&text), 0).items.len())
    });
    group.bench_function("parse", |b| {
        b.iter(|| Document::parse(black_box(&text)).expect("parses").phases.len())
    });
    group.bench_function("parse + tick + atomic write", |b| {
        b.iter(|| {
            let on_disk = std::fs::read_to_string(&path).expect("reads");
            let doc = Document::parse(&on_disk).expect("parses");
            let edit = doc.tick(line, true).expect("a task item").into_iter().collect::<Vec<_>>();
            write_atomic(&path, &doc.apply(&edit), "M7-tracking.md").expect("writes");
            // Put the original back so every iteration does the same work.
            std::fs::write(&path, &text).expect("writes");
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
