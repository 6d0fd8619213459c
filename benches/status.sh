#!/usr/bin/env bash
# Times `git milestone status` over $MILESTONES milestones with hyperfine (medians, `-N`, in
# $ROUNDS alternating rounds): a repository whose plans folder holds $MILESTONES plans (written
# by `git milestone new`), $TRACKED of which also have a filled-in tracking document in the
# work tree (tests/fixtures/forms/tracking.filled.md with its id changed: two phases, five
# tasks, commits and a progress log), all committed. Times `git-milestone status`,
# `status --json`, `git milestone status` through git, and as floors `git-milestone list`
# (reads every plan, no tracking document) and `git status`. Target (issue #7): `status` over
# 200 milestones under 100 ms.
#
#   bash benches/status.sh
#   RUNS=10 MILESTONES=500 TRACKED=250 bash benches/status.sh
#   BIN=/some/other/target/release bash benches/status.sh   # time that build, do not build
# The binary is copied into the scratch folder first, so that a build elsewhere in the
# meantime cannot swap it during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-40}
ROUNDS=${ROUNDS:-4}
MILESTONES=${MILESTONES:-200}
TRACKED=${TRACKED:-100}
scratch_with_binary

repo=$work/repo
git init -q --initial-branch=main "$repo"
cd "$repo"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
git milestone init >/dev/null
git add -A && git commit -q --no-verify -m "chore: set up git-milestone"
for ((i = 1; i <= MILESTONES; i++)); do
  git milestone new "M$i" "Title $i" >/dev/null
done
# Tracking documents for M1..M$TRACKED: the filled-in fixture with its id changed; every third
# one complete, so that the overview sorts more than one status.
tracking=docs/milestones/tracking
mkdir -p "$tracking"
for ((i = 1; i <= TRACKED; i++)); do
  status='s/^x^//'
  ((i % 3)) || status='s/^\*\*Status:\*\* .*In Progress/**Status:** ✅ Complete/'
  sed -e "s/\bM7\b/M$i/g" -e "s/\bm7\b/m$i/g" -e "$status" \
    "$root/tests/fixtures/forms/tracking.filled.md" >"$tracking/M$i-tracking.md"
done
git add -A && git commit -q --no-verify -m "docs: plan $MILESTONES milestones, track $TRACKED"
rows=$(git-milestone status --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["milestones"]))')
[ "$rows" = "$MILESTONES" ] || { echo "status shows $rows milestones, not $MILESTONES" >&2; exit 1; }
recorded=$(git-milestone status --json | python3 -c 'import json, sys; print(sum(1 for m in json.load(sys.stdin)["milestones"] if m["tracking"]))')
[ "$recorded" = "$TRACKED" ] || { echo "status finds $recorded tracking documents, not $TRACKED" >&2; exit 1; }

bench status "$RUNS" 3 -- \
  "git status" "git status" \
  "git-milestone list" "$bin/git-milestone list" \
  "git-milestone status" "$bin/git-milestone status" \
  "git-milestone status --json" "$bin/git-milestone status --json" \
  "git milestone status (through git)" "git milestone status"

cd "$root"
python3 - "$json" "$MILESTONES" "$TRACKED" <<'PY'
import glob, json, os, statistics, sys
d, milestones, tracked = sys.argv[1:4]
times = {}
for path in sorted(glob.glob(os.path.join(d, "status.*.json")), key=lambda p: int(p.split(".")[-2])):
    with open(path) as f:
        for r in json.load(f)["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
n = len(next(iter(times.values())))
base = "git-milestone list"
b = statistics.median(times[base])
print(f"\n### status over {milestones} milestones, {tracked} with a tracking document ({n} runs each)\n")
print(f"| command | median | ratio to {base} |\n|---|---:|---:|")
for cmd, t in times.items():
    m = statistics.median(t)
    print(f"| {cmd} | {m * 1000:,.2f} ms | {m / b:.2f} |")
for cmd in ("git-milestone status", "git-milestone status --json", "git milestone status (through git)"):
    m = statistics.median(times[cmd]) * 1000
    print(f"\n{cmd}: {m:,.2f} ms, target (200 milestones) under 100 ms: {'met' if m < 100 else 'NOT met'}", end="")
print()
PY
