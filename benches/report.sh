#!/usr/bin/env bash
# Times `git milestone report` on a milestone whose tracking document has $REVISIONS revisions,
# with hyperfine (medians, `-N`, in $ROUNDS alternating rounds): a repository of 100 commits,
# `git milestone init`, milestone M1 started with `git milestone start M1 --title Reports`, then
# $REVISIONS commits on its branch (written with git fast-import), each of which changes the
# tracking document as the hooks would when recording a commit: one `hash - subject` item under
# the task in progress and in the progress log's entry of its day (a new entry each day, the
# commits 10 minutes apart), boxes of that task ticked as its commits come, its status
# complete when all four are, and the phase counts, overall percent and Metrics count updated.
# The document grows from 30 KB ($TASKS tasks in phases of 25) to about 400 KB. Times
# `git-milestone report M1 -o FILE` against two floors: `git log --format=%H -- DOC` (git's own
# walk, diffing each commit's tree for the path) and `git rev-list --count HEAD`. Before timing,
# checks that the report has a point for every revision. Target (issue #7): rebuilding
# progress over time for a document with 5,000 revisions under 2 s.
#
#   bash benches/report.sh
#   RUNS=10 REVISIONS=2000 bash benches/report.sh
#   BIN=/some/other/target/release bash benches/report.sh   # time that build, do not build
# The binary is copied into the scratch folder first, so that a build elsewhere in the
# meantime cannot swap it during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-20}
ROUNDS=${ROUNDS:-4}
REVISIONS=${REVISIONS:-5000}
TASKS=${TASKS:-100}
scratch_with_binary
doc=docs/milestones/tracking/M1-tracking.md

repo=$work/repo
git init -q --initial-branch=main "$repo"
cd "$repo"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
commits refs/heads/main 100 - "feat(core): change number"
git reset -q --hard main
git milestone init >/dev/null
git add -A && git commit -q --no-verify -m "chore: set up git-milestone"
git milestone start M1 --title "Reports" >/dev/null
branch=$(git rev-parse --abbrev-ref HEAD)

# $REVISIONS commits on the branch, each writing the next revision of the document.
python3 - "$doc" "refs/heads/$branch" "$(git rev-parse HEAD)" "$REVISIONS" "$TASKS" <<'PY' | git fast-import --quiet --force
import hashlib, sys, time
path, ref, base, n, ntasks = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
t = open(path).read()
def cut(s, after=False):
    i = t.index(s)
    return i + len(s) if after else i
i1 = cut("### Overall Progress\n", True)
i2 = cut("\n**Overall Progress:** 0%")
i3 = i2 + len("\n**Overall Progress:** 0%")
i4 = cut("---\n\n## Phase 1: Implementation")
i5 = cut("## Issues Encountered")
i6 = cut("**Commits:** 0")
i7 = i6 + len("**Commits:** 0")
per_phase = 25
nphases = (ntasks + per_phase - 1) // per_phase
first = [k * n // ntasks for k in range(ntasks + 1)]  # revisions first[k]..first[k+1]-1 are task k's
ticked = [0] * ntasks
task_commits = [[] for _ in range(ntasks)]
def block(k):
    p, j = k // per_phase + 1, k % per_phase + 1
    head = f"## Phase {p}: Part {p}\n\n**Goal:** part {p}\n\n" if j == 1 else ""
    boxes = "".join(f"- [{'x' if b < ticked[k] else ' '}] Step {b + 1} of piece {k}\n" for b in range(4))
    status = "✅ Complete" if ticked[k] == 4 else ("🔄 In Progress" if task_commits[k] else "⏳ Not Started")
    return (f"{head}### Task {p}.{j}: Piece {k}\n**File(s):** `src/piece_{k}.rs`\n\n**Checklist:**\n{boxes}\n"
            f"**Commits:**\n{''.join(task_commits[k])}\n**Status:** {status}\n\n---\n\n")
blocks = [block(k) for k in range(ntasks)]
log_days, log_items = [], []
start = 1_800_000_000
out = sys.stdout.buffer
for i in range(n):
    k = next(c for c in range(ntasks) if first[c] <= i < first[c + 1]) if ntasks else 0
    when = start + 600 * i
    h = hashlib.sha1(str(i).encode()).hexdigest()[:7]
    item = f"- `{h}` - feat(api): step {i}\n"
    task_commits[k].append(item)
    span = first[k + 1] - first[k]
    ticked[k] = 4 * (i - first[k] + 1) // span
    blocks[k] = block(k)
    day = time.strftime("%Y-%m-%d", time.gmtime(when))
    if not log_days or log_days[-1] != day:
        log_days.append(day)
        log_items.append([])
    log_items[-1].append(item)
    log = "".join(f"### {d} - Commits\n\n**Commits:**\n{''.join(items)}\n" for d, items in zip(log_days, log_items))
    done = [sum(1 for c in range(p * per_phase, min(ntasks, (p + 1) * per_phase)) if ticked[c] == 4) for p in range(nphases)]
    phases = "".join(
        f"- [{'x' if done[p] == min(ntasks, (p + 1) * per_phase) - p * per_phase else ' '}] Phase {p + 1}: Part {p + 1} "
        f"({done[p]}/{min(ntasks, (p + 1) * per_phase) - p * per_phase} tasks)\n" for p in range(nphases))
    percent = 100 * sum(ticked) // (4 * ntasks)
    text = (t[:i1] + phases + f"\n**Overall Progress:** {percent}%" + t[i3:i4] + log + t[i4:i4 + 5]
            + "".join(blocks) + t[i5:i6] + f"**Commits:** {i + 1}" + t[i7:]).encode()
    msg = f"feat(api): step {i}\n".encode()
    out.write(f"commit {ref}\nmark :{i + 1}\ncommitter Bench <bench@example.com> {when} +0000\n".encode())
    out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
    out.write((f"from :{i}\n" if i else f"from {base}\n").encode())
    out.write(f"M 644 inline {path}\ndata {len(text)}\n".encode() + text + b"\n\n")
PY
git reset -q --hard "$branch"
revisions=$(git log --format=%H -- "$doc" | wc -l)
[ "$revisions" -gt "$REVISIONS" ] || { echo "the document has $revisions revisions, not $REVISIONS+" >&2; exit 1; }
git-milestone report M1 -o "$work/report.html" >/dev/null
points=$(grep -o 'class="point"' "$work/report.html" | wc -l)
[ "$points" -ge "$REVISIONS" ] || { echo "the report has $points points, not $REVISIONS+" >&2; exit 1; }
size=$(wc -c <"$doc")
# The points must climb: their percents and done counts take many values, not one.
python3 - "$work/report.html" <<'PY2'
import json, re, sys
html = open(sys.argv[1]).read()
data = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
percents = {p["percent"] for p in data["points"]}
done = {p["done"] for p in data["points"]}
if len(percents) < 20 or len(done) < 20:
    sys.exit(f"the report's points take {len(percents)} percents and {len(done)} done counts")
print(f"{len(data['points'])} points, {len(percents)} distinct percents, {len(done)} distinct done counts", file=sys.stderr)
PY2

bench report "$RUNS" 2 -- \
  "git rev-list --count HEAD" "git rev-list --count HEAD" \
  "git log --format=%H -- DOC" "git log --format=%H -- $doc" \
  "git-milestone report M1" "$bin/git-milestone report M1 -o $work/x.html"

cd "$root"
python3 - "$json" "$revisions" "$points" "$size" "$REVISIONS" <<'PY'
import glob, json, os, statistics, sys
d, revisions, points, size, asked = sys.argv[1:6]
times = {}
for path in sorted(glob.glob(os.path.join(d, "report.*.json")), key=lambda p: int(p.split(".")[-2])):
    with open(path) as f:
        for r in json.load(f)["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
n = len(next(iter(times.values())))
base = "git log --format=%H -- DOC"
b = statistics.median(times[base])
print(f"\n### report over {revisions} revisions of the tracking document ({points} points; "
      f"{int(size):,} bytes at the tip; {n} runs each)\n")
print(f"| command | median | ratio to git log -- DOC |\n|---|---:|---:|")
for cmd, t in times.items():
    m = statistics.median(t)
    print(f"| {cmd} | {m * 1000:,.2f} ms | {m / b:.2f} |")
m = statistics.median(times["git-milestone report M1"])
if int(asked) == 5000:
    print(f"\ngit-milestone report M1: {m * 1000:,.2f} ms, target (5,000 revisions) under 2 s: {'met' if m < 2 else 'NOT met'}")
else:
    print(f"\ngit-milestone report M1: {m * 1000:,.2f} ms over {int(asked):,} revisions "
          f"(the target, under 2 s, is for 5,000 revisions: not judged here)")
PY
