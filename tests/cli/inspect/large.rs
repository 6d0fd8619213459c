//! Large documents: from 384 KB the outline, the bold-label lines and the phases are worked
//! on two threads (where the machine has two cores). The model must be the one a single
//! thread finds, whatever the document holds where the work is cut.

use serde_json::Value;

use crate::support::TestRepo;

/// A tracking document of `tasks` tasks in phases of 40, each task's section varied: labels
/// in a quote and in a list item, a code block and an HTML comment that hold what looks like
/// a status and a box, a table, a nested list and a log entry now and then.
fn large_document(tasks: usize) -> String {
    let mut s =
        String::from("# M9 Implementation Tracking\n\n**Milestone:** M9\n**Status:** 🔄 In Progress\n\n");
    s.push_str("## Progress Log\n\n### 2026-10-01 - Start\n\n**Commits:**\n- `3f9c2ab` - docs: start\n\n");
    for t in 0..tasks {
        if t % 40 == 0 {
            s.push_str(&format!("## Phase {}: Part {}\n\n**Goal:** part {}\n\n", t / 40 + 1, t / 40, t / 40));
        }
        let (p, n) = (t / 40 + 1, t % 40 + 1);
        s.push_str(&format!("### Task {p}.{n}: Piece {t}\n**File(s):** `src/piece_{t}.rs`\n\n"));
        s.push_str(&format!(
            "- [x] Write the test for piece {t}\n- [{}] Make it pass\n",
            if t % 3 == 0 { "x" } else { " " }
        ));
        s.push_str("  - [ ] a nested step with **bold:** text\n- **Owner:** not a field\n\n");
        match t % 5 {
            0 => s.push_str("```md\n**Status:** ✅ Complete\n- [ ] not a box\n```\n\n"),
            1 => s.push_str("<!--\n**Status:** Blocked\n- [ ] not a box\n-->\n\n"),
            2 => s.push_str("| Step | Status |\n|---|---|\n| one | Done |\n\n"),
            3 => s.push_str("> **Note:** quoted label\n\n"),
            _ => s.push_str("Some prose with `code`, *emphasis* and a_b_c.\n\n"),
        }
        s.push_str(&format!(
            "**Commits:**\n- `{:07x}` - feat: add piece {t}\n- `{:07x}` - test: cover piece {t}\n\n",
            t + 0x1000000,
            t + 0x2000000
        ));
        let status = ["✅ Complete", "🔄 In Progress", "⏳ Not Started"][t % 3];
        s.push_str(&format!("**Status:** {status}\n\n---\n\n"));
        if t % 250 == 0 {
            s.push_str(&format!("#### 2026-10-{:02} - Log note {t}\n\n", t / 250 + 2));
        }
    }
    s
}

fn inspect_with_threads(repo: &TestRepo, threads: &str) -> Value {
    let mut cmd = repo.command(crate::support::BIN);
    cmd.args(["inspect", "--json", "doc.md"]).env("GIT_MILESTONE_THREADS", threads);
    let out = cmd.output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn a_large_document_reads_the_same_on_one_thread_and_on_two() {
    let text = large_document(2400);
    assert!(text.len() > 2 * 384 * 1024, "large enough for the threaded path: {}", text.len());
    let repo = TestRepo::new();
    repo.write("doc.md", &text);
    let one = inspect_with_threads(&repo, "1");
    let two = inspect_with_threads(&repo, "2");
    assert_eq!(one, two, "one thread and two threads disagree");

    // And what the one thread found is right.
    let phases = one["phases"].as_array().expect("phases");
    assert_eq!(phases.len(), 60);
    let tasks: Vec<&Value> = phases.iter().flat_map(|p| p["tasks"].as_array().expect("tasks")).collect();
    assert_eq!(tasks.len(), 2400);
    for (t, task) in tasks.iter().enumerate() {
        let commits = task["commits"].as_array().expect("commits");
        assert_eq!(commits.len(), 2, "task {t}");
        assert_eq!(commits[0]["hash"], format!("{:07x}", t + 0x1000000));
        assert_eq!(commits[0]["message"], format!("feat: add piece {t}"));
        let status = ["complete", "in_progress", "not_started"][t % 3];
        assert_eq!(task["status"], status, "task {t}: the status in code or a comment does not count");
        // Two boxes of its own and the nested one; none from the code block or the comment.
        assert_eq!(task["checkboxes"]["total"], 3, "task {t}");
    }
    assert_eq!(one["fields"]["Milestone"], "M9");
    assert!(one["fields"].get("Owner").is_none() && one["fields"].get("Note").is_none());
    assert_eq!(one["progress_log"].as_array().expect("log").len(), 1 + 2400 / 250 + 1);
}
