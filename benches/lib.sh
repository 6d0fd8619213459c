# Shared by the benchmark scripts: `source "$(dirname "$0")/lib.sh"`.

# commits REF N BASE SUBJECT [BODY]: N commits on REF, written with git fast-import in a few
# seconds: from BASE (a commit id), or a new history when BASE is `-`. Each commit's message is
# `SUBJECT i` (and `BODY i.` in its body when BODY is given) and it changes one file. A new
# history's commits are dated from 2023-11-14, a branch's from 2027-01-15, so that a branch
# comes after the history it starts from, as in life.
commits() {
  python3 - "$@" <<'PY' | git fast-import --quiet --force
import sys
ref, n, base, subject = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
body = sys.argv[5] if len(sys.argv) > 5 else None
start = 1_700_000_000 if base == "-" else 1_800_000_000
path = "f.txt" if base == "-" else "work.txt"
out = bytearray()
for i in range(n):
    text = f"{subject} {i}\n" + (f"\n{body} {i}.\n" if body else "")
    msg = text.encode()
    out += f"commit {ref}\nmark :{i + 1}\ncommitter Bench <bench@example.com> {start + i} +0000\n".encode()
    out += f"data {len(msg)}\n".encode() + msg + b"\n"
    if i:
        out += f"from :{i}\n".encode()
    elif base != "-":
        out += f"from {base}\n".encode()
    data = str(i).encode()
    out += f"M 644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n\n"
sys.stdout.buffer.write(out)
PY
}

# bench NAME RUNS WARMUP [hyperfine options] -- NAME COMMAND [NAME COMMAND ...]
# Runs the commands with `hyperfine -N` in $ROUNDS rounds of RUNS/ROUNDS runs each, every other
# round in reverse order, so that a burst of load from elsewhere on a shared machine falls on
# every command alike rather than on whichever was running then; results go to
# $json/NAME.ROUND.json, and a table takes each command's median over all its runs.
bench() {
  local name=$1 runs=$2 warmup=$3; shift 3
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  local pairs=("$@") n=$(($# / 2)) per=$((runs / ROUNDS > 0 ? runs / ROUNDS : 1)) r k j
  for ((r = 0; r < ROUNDS; r++)); do
    local args=()
    for ((k = 0; k < n; k++)); do
      j=$((r % 2 ? n - 1 - k : k))
      args+=(-n "${pairs[2 * j]}" "${pairs[2 * j + 1]}")
    done
    hyperfine -N --style none --warmup "$warmup" --runs "$per" --export-json "$json/$name.$r.json" \
      "${opts[@]}" "${args[@]}" >/dev/null
  done
}

# scratch_with_binary: hyperfine on PATH (installed under $PEERS when missing), git-milestone
# built in release (unless BIN names a folder that holds one) and copied into a new scratch
# folder $work (removed on exit), whose bin/ goes first on PATH so that a build elsewhere
# cannot swap the binary during the run; $json is a folder there for hyperfine's exports.
# Needs $root and $PEERS.
scratch_with_binary() {
  export PATH="$PEERS/bin:$PATH"
  command -v hyperfine >/dev/null 2>&1 || cargo install --locked hyperfine --version 1.20.0 --root "$PEERS" >/dev/null
  if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet --bin git-milestone
    BIN=${CARGO_TARGET_DIR:-$root/target}/release
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  bin=$work/bin
  mkdir -p "$bin"
  cp "$BIN/git-milestone" "$bin/"
  export PATH="$bin:$PATH"
  json=$work/json
  mkdir -p "$json"
}
