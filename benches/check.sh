#!/usr/bin/env bash
# Times `git milestone check` side by side in one run, with hyperfine (medians, `-N`):
#   1. on a milestone branch of $BRANCH commits (recorded by sync) in a repository of $COMMITS
#      commits, against a bare git2 walk of the same range that reads every message
#      (examples/walk.rs) and `cog check` over the range;
#   2. a push of main carrying the merge of a finished 100-commit milestone to a bare remote,
#      with and without the server's pre-receive hook.
# Needs hyperfine and cog (benches/peers.sh installs both under target/peers).
#
#   bash benches/check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-20}
COMMITS=${COMMITS:-100000}
BRANCH=${BRANCH:-10000}
export PATH="$PEERS/bin:$PATH"
command -v cog >/dev/null 2>&1 || cargo install --locked cocogitto --root "$PEERS" >/dev/null
command -v hyperfine >/dev/null 2>&1 || cargo install --locked hyperfine --version 1.20.0 --root "$PEERS" >/dev/null
cargo build --release --quiet --bin git-milestone --example walk
bin=${CARGO_TARGET_DIR:-$root/target}/release
export PATH="$bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT


# A repository of $COMMITS commits; milestone M7 started from it, $BRANCH commits on its
# branch, recorded by sync and committed, every gating box ticked and placeholder filled.
repo=$work/repo
git init -q --initial-branch=main "$repo"
cd "$repo"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
commits refs/heads/main "$COMMITS" - "feat(core): change number"
git reset -q --hard main
git milestone init >/dev/null
git add .milestone.yml && git commit -q --no-verify -m "chore: set up git-milestone"
git milestone start M7 --title "Rate limits" >/dev/null
branch=$(git rev-parse --abbrev-ref HEAD)
commits "refs/heads/$branch" "$BRANCH" "$(git rev-parse HEAD)" "feat(api): step"
git reset -q --hard "$branch"
doc=docs/milestones/tracking/M7-tracking.md
git milestone sync >/dev/null
sed -i -e 's/^- \[ \]/- [x]/' -e 's/\[what this phase achieves\]/Ship it/' \
  -e 's/\[each decision worth remembering, and why it was made\]/None/' \
  -e 's/\[what to keep doing, and what to change next time\]/None/' "$doc"
git -c core.hooksPath=/dev/null commit -q -am "docs(M7): record and tick"
base=$(git merge-base HEAD main)
git milestone check >/dev/null || { echo "the benchmark's milestone does not pass check" >&2; git milestone check >&2; exit 1; }

json=$work/json
mkdir -p "$json"
hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$json/check.json" \
  -n "git2 walk reading every message" "$bin/examples/walk $base..HEAD" \
  -n "git milestone check" "git milestone check" \
  -n "git milestone check --ref" "git milestone check --ref refs/heads/$branch" \
  -n "cog check" "cog check $base..HEAD" >/dev/null

# 2. A finished 100-commit milestone merged into main, pushed to a bare remote.
small=$work/small
git init -q --initial-branch=main "$small"
cd "$small"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
commits refs/heads/main 1000 - "feat(core): change number"
git reset -q --hard main
git milestone init >/dev/null
git add .milestone.yml && git commit -q --no-verify -m "chore: set up git-milestone"
for mode in plain server; do git init -q --bare "$work/$mode.git"; git push -q "$work/$mode.git" main; done
(cd "$work/server.git" && git milestone hooks install --server >/dev/null)
git milestone start M8 --title "Quotas" >/dev/null
commits "refs/heads/$(git rev-parse --abbrev-ref HEAD)" 100 "$(git rev-parse HEAD)" "feat(api): quota step"
git reset -q --hard
git milestone sync >/dev/null
sed -i -e 's/^- \[ \]/- [x]/' -e 's/\[what this phase achieves\]/Ship it/' \
  -e 's/\[each decision worth remembering, and why it was made\]/None/' \
  -e 's/\[what to keep doing, and what to change next time\]/None/' docs/milestones/tracking/M8-tracking.md
git -c core.hooksPath=/dev/null commit -q -am "docs(M8): record and tick"
git milestone finish --merge >/dev/null
old=$(git rev-parse main~1)
push() { echo "git push -q --no-verify $work/$1.git main"; }
reset() { echo "git -C $work/$1.git update-ref refs/heads/main $old"; }
hyperfine -N --style none --warmup 2 --runs "$RUNS" --export-json "$json/push.json" \
  --prepare "$(reset plain)" -n "push, no server hook" "$(push plain)" \
  --prepare "$(reset server)" -n "push, pre-receive check" "$(push server)" >/dev/null

cd "$root"
python3 - "$json" "$COMMITS" "$BRANCH" <<'PY'
import json, os, statistics, sys
d, commits, branch = sys.argv[1:4]
def table(title, name, base):
    results = json.load(open(os.path.join(d, name + ".json")))["results"]
    b = statistics.median(next(r for r in results if r["command"] == base)["times"])
    print(f"\n### {title}\n\n| command | median | ratio to {base} |\n|---|---:|---:|")
    for r in results:
        m = statistics.median(r["times"])
        print(f"| {r['command']} | {m * 1000:,.2f} ms | {m / b:.2f} |")
table(f"check on a branch of {branch} commits, repository of {commits} commits", "check", "git2 walk reading every message")
table("a push of main with a finished 100-commit milestone merged in", "push", "push, no server hook")
PY
