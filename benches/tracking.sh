#!/usr/bin/env bash
# Times the tracking hooks side by side in one run, with hyperfine (medians, `-N`):
#   1. a whole `git commit` on a milestone branch whose tracking document has $TASKS tasks, in
#      repositories of 1,000 and $COMMITS commits: with all of git-milestone's hooks (links, and
#      shims; and links with `tracking.update` set to `manual`), with two do-nothing compiled
#      hooks (commit-msg and post-commit), with `cog verify` as the only hook, with none, and
#      with the least a `stage`-mode post-commit can do (examples/stage_floor.rs, after a
#      do-nothing commit-msg);
#   2. `post-rewrite` after rebasing 50 commits;
#   3. `sync` on a branch of $BRANCH commits (recording them all, and finding nothing to do).
# Needs hyperfine with --input and cog (benches/peers.sh installs both under target/peers).
#
#   bash benches/tracking.sh
#   RUNS=20 COMMITS=20000 bash benches/tracking.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-40}
ROUNDS=${ROUNDS:-4}
COMMITS=${COMMITS:-100000}
TASKS=${TASKS:-2000}
BRANCH=${BRANCH:-5000}
export PATH="$PEERS/bin:$PATH"
command -v cog >/dev/null 2>&1 || cargo install --locked cocogitto --root "$PEERS" >/dev/null
if ! hyperfine --help 2>/dev/null | grep -q -- '--input'; then
  cargo install --locked hyperfine --version 1.20.0 --root "$PEERS" >/dev/null
fi
cargo build --release --quiet --bin git-milestone --example noop_hook --example stage_floor
bin=${CARGO_TARGET_DIR:-$root/target}/release
export PATH="$bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
json=$work/json
mkdir -p "$json"
doc=docs/milestones/tracking/M7-tracking.md


# tasks FILE: puts $TASKS tasks (in phases of 50) into the tracking document, the first one in
# progress, before its "Issues Encountered" section.
tasks() {
  python3 - "$1" "$TASKS" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
text = open(path).read()
parts = []
for t in range(n):
    p, k = t // 50 + 2, t % 50 + 1
    if k == 1:
        parts.append(f"## Phase {p}: Part {p}\n\n**Goal:** part {p}\n\n")
    status = "🔄 In Progress" if t == 0 else ["✅ Complete", "⏳ Not Started"][t % 2]
    parts.append(
        f"### Task {p}.{k}: Piece {t}\n**File(s):** `src/piece_{t}.rs`\n\n**Checklist:**\n"
        f"- [x] Write the failing test for piece {t}\n- [ ] Make it pass\n- [ ] Commit: `feat(api): add piece {t}`\n\n"
        f"**Commits:**\n\n**Tests:**\n- [ ] unit: piece_{t}_works\n\n**Status:** {status}\n\n---\n\n"
    )
text = text.replace("## Issues Encountered", "".join(parts) + "## Issues Encountered", 1)
open(path, "w").write(text)
PY
}

# milestone DIR N: a repository of N commits with milestone M7 started and its document grown
# to $TASKS tasks.
milestone() {
  git init -q --initial-branch=main "$1"
  cd "$1"
  git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
  commits refs/heads/main "$2" - "feat(core): change number"
  git reset -q --hard main
  git milestone init >/dev/null
  git add .milestone.yml && git commit -q --no-verify -m "chore: set up git-milestone"
  git milestone start M7 --title "Rate limits" >/dev/null
  tasks "$doc"
  git commit -q --no-verify -am "docs(M7): plan $TASKS tasks"
  cd - >/dev/null
}

# hook folders: ours as links and as shims, two do-nothing compiled hooks, cog verify alone, and
# the floor (a do-nothing commit-msg, stage_floor as post-commit).
hooks=$work/hooks
mkdir -p "$hooks/none" "$hooks/noop" "$hooks/cog" "$hooks/shim" "$hooks/link" "$hooks/floor"
cp "$bin/examples/noop_hook" "$hooks/noop/commit-msg"
cp "$bin/examples/noop_hook" "$hooks/noop/post-commit"
cp "$bin/examples/noop_hook" "$hooks/floor/commit-msg"
cp "$bin/examples/stage_floor" "$hooks/floor/post-commit"
printf '#!/bin/sh\nexec cog verify --file "$1"\n' > "$hooks/cog/commit-msg"
chmod +x "$hooks/cog/commit-msg"

milestone "$work/small" 1000
milestone "$work/large" "$COMMITS"
for mode in shim link; do
  (cd "$work/large" && git -c core.hooksPath="$hooks/$mode" milestone hooks install "--$mode" >/dev/null)
done


# 1. A whole commit of one changed file. Each run changes the file first (not timed); in stage
#    mode our post-commit stages the document, which rides in the next commit. Each kind of
#    hook commits in a copy of the repository of its own, so that every commit of a milestone
#    branch goes through the same hooks, as in life: our post-commit takes its quick way when
#    the commit before was recorded by it (docs/tracking.md), which a commit made through other
#    hooks in between would prevent.
for kind in none noop cog link shim floor manual; do cp -a "$work/large" "$work/large-$kind"; done
git -C "$work/large-manual" config milestone.tracking.update manual
cp -a "$work/small" "$work/small-link"
# commit REPO KIND [HOOKS]: the command that commits f.txt in REPO-KIND through hooks HOOKS
# (by default KIND).
commit() { echo "git -C $1-$2 -c core.hooksPath=$hooks/${3:-$2} commit -q -m 'feat(api): bench' -- f.txt"; }
prepare="sh -c 'for d in $work/small-link $work/large-*; do date +%s%N > \$d/f.txt; done'"
bench commit "$RUNS" 2 --prepare "$prepare" -- \
  "no hook" "$(commit "$work/large" none)" \
  "two do-nothing compiled hooks" "$(commit "$work/large" noop)" \
  "cog verify as the commit-msg hook" "$(commit "$work/large" cog)" \
  "git-milestone's hooks, links" "$(commit "$work/large" link)" \
  "git-milestone's hooks, shims" "$(commit "$work/large" shim)" \
  "git-milestone's hooks, links, manual mode" "$(commit "$work/large" manual link)" \
  "the least stage mode can do (stage_floor)" "$(commit "$work/large" floor)" \
  "git-milestone's hooks, links, 1,000 commits" "$(commit "$work/small" link)"
rm -rf "$work"/large-* "$work/small-link"
for mode in shim link; do rm -rf "${hooks:?}/$mode"; mkdir -p "$hooks/$mode"; done
(cd "$work/small" && git -c core.hooksPath="$hooks/link" milestone hooks install --link >/dev/null)

# 2. post-rewrite after a rebase of 50 commits: the document records the 50 old hashes.
cd "$work/large"
git -c core.hooksPath="$hooks/none" commit -q -m "chore: settle" -- "$doc" || true
for i in $(seq 50); do
  echo "$i" > "r$i.txt" && git add "r$i.txt"
  git -c core.hooksPath="$hooks/none" commit -q -m "feat(api): piece $i"
done
git milestone sync >/dev/null
git -c core.hooksPath="$hooks/none" commit -q -m "docs(M7): record" -- "$doc"
before=$(git rev-parse HEAD)
cp "$doc" "$work/recorded.md"
git -c core.hooksPath="$hooks/none" rebase -q --force-rebase HEAD~51
paste -d' ' <(git rev-list --reverse "$before~51..$before" | sed '$d') \
  <(git rev-list --reverse HEAD~51..HEAD | sed '$d') > "$work/rewritten.txt"
bench rewrite "$RUNS" 2 --prepare "cp $work/recorded.md $work/large/$doc" --input "$work/rewritten.txt" -- \
  "post-rewrite, 50 commits" "git-milestone hook post-rewrite rebase"

# 3. sync on a branch of $BRANCH commits: recording them all, then finding nothing to do.
git switch -q -c feature/M7/long
commits refs/heads/feature/M7/long "$BRANCH" "$(git rev-parse HEAD)" "feat(api): step"
git reset -q --hard feature/M7/long
cp "$doc" "$work/unsynced.md"
git milestone sync >/dev/null
bench sync "$((RUNS / 4 > 0 ? RUNS / 4 : 1))" 2 --prepare "cp $work/unsynced.md $work/large/$doc" -- \
  "sync, recording $BRANCH commits" "git milestone sync"
bench sync-again "$RUNS" 2 -- "sync, nothing to do" "git milestone sync"

cd "$root"
python3 - "$json" "$COMMITS" "$TASKS" "$BRANCH" <<'PY'
import glob, json, os, statistics, sys
d, commits, tasks, branch = sys.argv[1:5]
def load(name):
    times = {}
    for path in sorted(glob.glob(os.path.join(d, name + ".*.json")), key=lambda p: int(p.split(".")[-2])):
        with open(path) as f:
            for r in json.load(f)["results"]:
                times.setdefault(r["command"], []).extend(r["times"])
    return times
def table(title, name, base=None):
    ts = load(name)
    n = len(next(iter(ts.values())))
    print(f"\n### {title} ({n} runs each)\n")
    print(f"| command | median |" + (f" ratio to {base} |" if base else "") + "\n|---|---:|" + ("---:|" if base else ""))
    b = statistics.median(ts[base]) if base else None
    for cmd, t in ts.items():
        m = statistics.median(t)
        print(f"| {cmd} | {m * 1000:,.2f} ms |" + (f" {m / b:.2f} |" if b else ""))
table(f"a whole git commit, repository of {commits} commits, tracking document of {tasks} tasks", "commit", "two do-nothing compiled hooks")
table("post-rewrite after rebasing 50 commits", "rewrite")
table(f"sync on a branch of {branch} commits", "sync")
table("sync again", "sync-again")
PY
