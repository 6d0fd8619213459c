#!/usr/bin/env bash
# Times git-milestone's commit-msg hook and lint against the floor and peer tools, side by side
# in one run, with hyperfine (medians, `-N`: no shell in front of any command). Installs what is
# missing under $PEERS (default target/peers): hyperfine 1.20 (for `--input`; Debian's 1.15 has
# none), cocogitto (`cog`) and convco with cargo (convco needs Debian's cmake), commitlint with
# npm (its row is left out, saying so, when npm is not there). Prints Markdown tables;
# docs/benchmarks.md quotes them.
#
#   bash benches/peers.sh            # all measurements
#   RUNS=30 bash benches/peers.sh    # fewer runs (the refused and commit tables run FAST_RUNS,
#                                    # 10 times RUNS; every table in ROUNDS rounds, default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/lib.sh
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-50}
# The hook and commit tables measure 1 to 10 ms: more runs for a steadier median.
FAST_RUNS=${FAST_RUNS:-$((RUNS * 10))}
ROUNDS=${ROUNDS:-5}
COMMITS=${COMMITS:-100000}
mkdir -p "$PEERS"
export PATH="$PEERS/bin:$PEERS/commitlint/node_modules/.bin:$PATH"
# Only the refused/accepted table sets it, as many developers' shells do.
unset RUST_BACKTRACE

need_apt() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
if ! hyperfine --help 2>/dev/null | grep -q -- '--input'; then
  cargo install --locked hyperfine --version 1.20.0 --root "$PEERS" >/dev/null
fi
command -v cog >/dev/null 2>&1 || cargo install --locked cocogitto --root "$PEERS" >/dev/null
if ! command -v convco >/dev/null 2>&1; then
  need_apt cmake cmake
  cargo install --locked convco --version 0.7.1 --root "$PEERS" >/dev/null
fi
if ! command -v commitlint >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  npm install --silent --prefix "$PEERS/commitlint" @commitlint/cli @commitlint/config-conventional >/dev/null
fi
if command -v commitlint >/dev/null 2>&1; then have_commitlint=yes; else have_commitlint=; fi

cargo build --release --quiet --bin git-milestone --example floor --example noop_hook --example walk
bin=${CARGO_TARGET_DIR:-$root/target}/release
export PATH="$bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
git init -q --initial-branch=main "$repo"
cd "$repo"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
echo "module.exports = { extends: ['@commitlint/config-conventional'] };" > commitlint.config.js
ln -s "$PEERS/commitlint/node_modules" "$work/node_modules"

# A history of $COMMITS conventional commits.
commits refs/heads/main "$COMMITS" - "feat(core): change number" "Body line for change"
git reset -q --hard main
first=$(git rev-list --max-parents=0 HEAD)
tip=$(git rev-parse HEAD)
printf 'feat(api): add the rate limiter\n\nTokens refill every second.\n' > "$work/good.txt"
printf 'Add the rate limiter\n\nTokens refill every second.\n' > "$work/bad.txt"

json=$work/json
mkdir -p "$json"

# 1. The commit-msg hook on one message, in a repository of $COMMITS commits. Every command
#    gets the message on stdin (convco reads it there; the others read the file).
commitlint=()
if [ -n "$have_commitlint" ]; then commitlint=(commitlint "commitlint --edit $work/good.txt"); fi
bench hook "$RUNS" 5 --input "$work/good.txt" -- \
  floor "$bin/examples/floor" \
  git-milestone "git-milestone hook commit-msg $work/good.txt" \
  "cog verify" "cog verify --file $work/good.txt" \
  convco "convco check --from-stdin --strip" \
  "${commitlint[@]}"

# 2. A refused message costs no more than an accepted one, also with RUST_BACKTRACE=1.
RUST_BACKTRACE=1 bench refused "$FAST_RUNS" 5 -i -- \
  accepted "git-milestone hook commit-msg $work/good.txt" \
  refused "git-milestone hook commit-msg $work/bad.txt"

# 3. A whole `git commit` with our commit-msg hook (the shim, and a link to the binary), against
#    a do-nothing compiled hook and no hook at all.
hooks=$work/hooks
mkdir -p "$hooks/none" "$hooks/noop" "$hooks/shim" "$hooks/link"
cp "$bin/examples/noop_hook" "$hooks/noop/commit-msg"
for mode in shim link; do
  git config core.hooksPath "$hooks/$mode" && git milestone hooks install "--$mode" >/dev/null
done
git config --unset core.hooksPath
for mode in shim link; do
  for h in post-commit post-rewrite pre-merge-commit pre-push; do rm -f "$hooks/$mode/$h"; done
done
commit() { echo "git -c core.hooksPath=$hooks/$1 commit -q --allow-empty -m 'feat: bench'"; }
bench commit "$FAST_RUNS" 5 -- \
  "commit, no hook" "$(commit none)" \
  "commit, do-nothing compiled hook" "$(commit noop)" \
  "commit, git-milestone commit-msg as a link" "$(commit link)" \
  "commit, git-milestone commit-msg as a shim" "$(commit shim)"

# 4. lint over the whole history (without the commits of table 3), against a bare git2 walk and
#    the peers.
git reset -q --hard "$tip"
bench lint "$RUNS" 1 -i -- \
  "git2 walk" "$bin/examples/walk $first..HEAD" \
  "git-milestone lint" "git-milestone lint $first..HEAD" \
  "convco check" "convco check $first..HEAD" \
  "cog check" "cog check $first..HEAD"

cd "$root"
python3 - "$json" "$COMMITS" "$RUNS" "$FAST_RUNS" "$ROUNDS" <<'PY'
import glob, json, os, statistics, sys
d, commits, runs, fast, rounds = sys.argv[1:6]
def load(name):
    """Each command's times over all rounds, in the order of the first round."""
    times = {}
    for path in sorted(glob.glob(os.path.join(d, name + ".*.json")), key=lambda p: int(p.split(".")[-2])):
        with open(path) as f:
            for r in json.load(f)["results"]:
                times.setdefault(r["command"], []).extend(r["times"])
    return times
def table(title, name, base):
    ts = load(name)
    n = len(next(iter(ts.values())))
    print(f"\n### {title} ({n} runs each, in {rounds} rounds)\n\n| command | median | ratio to {base} |\n|---|---:|---:|")
    b = statistics.median(ts[base])
    for cmd, t in ts.items():
        m = statistics.median(t)
        print(f"| {cmd} | {m * 1000:,.2f} ms | {m / b:.2f} |")
table(f"commit-msg hook on one message, repository of {commits} commits", "hook", "floor")
table("refused against accepted message, RUST_BACKTRACE=1", "refused", "accepted")
table("a whole git commit", "commit", "commit, do-nothing compiled hook")
table(f"lint over {int(commits)-1} commits", "lint", "git2 walk")
PY
if [ -z "$have_commitlint" ]; then echo; echo "commitlint: not measured (no npm to install it with)"; fi
