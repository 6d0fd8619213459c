#!/usr/bin/env bash
# Times git-milestone's commit-msg hook and lint against the floor and peer tools, side by side
# in one run, with hyperfine (medians). Installs what is missing: hyperfine and cmake from
# Debian's packages, cocogitto (`cog`) and convco with cargo, commitlint with npm, all under
# $PEERS (default target/peers). Prints a Markdown table; docs/benchmarks.md quotes it.
#
#   bash benches/peers.sh            # all measurements
#   RUNS=20 bash benches/peers.sh    # fewer runs
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
PEERS=${PEERS:-$root/target/peers}
RUNS=${RUNS:-50}
COMMITS=${COMMITS:-100000}
mkdir -p "$PEERS"
export PATH="$PEERS/bin:$PEERS/commitlint/node_modules/.bin:$PATH"

need_apt() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need_apt hyperfine hyperfine
command -v cog >/dev/null 2>&1 || cargo install --locked cocogitto --root "$PEERS" >/dev/null
if ! command -v convco >/dev/null 2>&1; then
  need_apt cmake cmake
  cargo install --locked convco --version 0.7.1 --root "$PEERS" >/dev/null
fi
if ! command -v commitlint >/dev/null 2>&1; then
  npm install --silent --prefix "$PEERS/commitlint" @commitlint/cli @commitlint/config-conventional >/dev/null
fi

cargo build --release --quiet --bin git-milestone --examples
bin=$root/target/release
export PATH="$bin:$PATH"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo=$work/repo
git init -q --initial-branch=main "$repo"
cd "$repo"
git config user.name Bench && git config user.email bench@example.com && git config commit.gpgsign false
echo "module.exports = { extends: ['@commitlint/config-conventional'] };" > commitlint.config.js
ln -s "$PEERS/commitlint/node_modules" "$work/node_modules"

# A history of $COMMITS conventional commits, written with fast-import in a few seconds.
python3 - "$COMMITS" <<'PY' | git fast-import --quiet
import sys
n = int(sys.argv[1])
out = bytearray()
for i in range(n):
    msg = f"feat(core): change number {i}\n\nBody line for change {i}.\n".encode()
    out += f"commit refs/heads/main\nmark :{i + 1}\ncommitter Bench <bench@example.com> {1_700_000_000 + i} +0000\n".encode()
    out += f"data {len(msg)}\n".encode() + msg + b"\n"
    if i:
        out += f"from :{i}\n".encode()
    data = str(i).encode()
    out += f"M 644 inline f.txt\ndata {len(data)}\n".encode() + data + b"\n\n"
sys.stdout.buffer.write(out)
PY
git reset -q --hard main
first=$(git rev-list --max-parents=0 HEAD)
printf 'feat(api): add the rate limiter\n\nTokens refill every second.\n' > "$work/good.txt"
printf 'Add the rate limiter\n\nTokens refill every second.\n' > "$work/bad.txt"

json=$work/json
mkdir -p "$json"
run() { # name, then hyperfine arguments (hyperfine subtracts its shell's start-up)
  local name=$1; shift
  hyperfine --style none --warmup 3 --runs "$RUNS" --export-json "$json/$name.json" "$@" >/dev/null
}

# 1. The commit-msg hook on one message, in a repository of $COMMITS commits.
run hook -i \
  -n floor "$bin/examples/floor" \
  -n git-milestone "git-milestone hook commit-msg $work/good.txt" \
  -n "cog verify" "cog verify --file $work/good.txt" \
  -n convco "sh -c 'convco check --from-stdin --strip < $work/good.txt'" \
  -n commitlint "commitlint --edit $work/good.txt"

# 2. A refused message costs no more than an accepted one, also with RUST_BACKTRACE=1.
RUST_BACKTRACE=1 run refused -i \
  -n accepted "git-milestone hook commit-msg $work/good.txt" \
  -n refused "git-milestone hook commit-msg $work/bad.txt"

# 3. A whole `git commit` with our commit-msg hook, against a do-nothing compiled hook.
hooks=$work/hooks
mkdir -p "$hooks/noop" "$hooks/ours"
cp "$bin/examples/noop_hook" "$hooks/noop/commit-msg"
git config core.hooksPath "$hooks/ours" && git milestone hooks install >/dev/null && git config --unset core.hooksPath
for h in post-commit post-rewrite pre-merge-commit pre-push; do rm -f "$hooks/ours/$h"; done
run commit \
  -n "commit, do-nothing compiled hook" "git -c core.hooksPath=$hooks/noop commit -q --allow-empty -m 'feat: bench'" \
  -n "commit, git-milestone commit-msg" "git -c core.hooksPath=$hooks/ours commit -q --allow-empty -m 'feat: bench'"

# 4. lint over the whole history, against a bare git2 walk and the peers.
git reset -q --hard main
run lint -i \
  -n "git2 walk" "$bin/examples/walk $first..HEAD" \
  -n "git-milestone lint" "git-milestone lint $first..HEAD" \
  -n "convco check" "convco check $first..HEAD" \
  -n "cog check" "cog check $first..HEAD"

cd "$root"
python3 - "$json" "$COMMITS" <<'PY'
import json, os, sys
d, commits = sys.argv[1], sys.argv[2]
def load(name):
    with open(os.path.join(d, name + ".json")) as f:
        return {r["command"]: r for r in json.load(f)["results"]}
def ms(r): return r["median"] * 1000
def table(title, name, base):
    rs = load(name)
    print(f"\n### {title}\n\n| command | median | ratio to {base} |\n|---|---:|---:|")
    b = ms(rs[base])
    for cmd, r in rs.items():
        print(f"| {cmd} | {ms(r):.2f} ms | {ms(r)/b:.2f} |")
table(f"commit-msg hook on one message, repository of {commits} commits", "hook", "floor")
table("refused against accepted message, RUST_BACKTRACE=1", "refused", "accepted")
table("a whole git commit", "commit", "commit, do-nothing compiled hook")
table(f"lint over {int(commits)-1} commits", "lint", "git2 walk")
PY
