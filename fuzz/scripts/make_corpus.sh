#!/usr/bin/env bash
# Builds the seed corpus of `parse_edit` in fuzz/corpus/parse_edit (ignored by git) from the
# test fixtures and the seed forms. Each seed is an 18-byte operation header followed by the
# document text; every document gets four headers (different edits, BOM and line endings).
set -euo pipefail
shopt -s globstar nullglob
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
seeds="${SEEDS_DIR:-/work/shared/seeds}"
out="$here/corpus/parse_edit"
mkdir -p "$out"
# byte 0 variant (bit 0 BOM, bits 1-2 line endings), byte 1 op count, then 4 x (kind a b c)
headers=(
  '\x00\x03\x00\x00\x01\x00\x03\x00\x00\x00\x08\x00\x02\x00\x09\x01\x02\x03'
  '\x01\x03\x07\x00\x05\x00\x05\x00\x00\x00\x06\x01\x02\x00\x0a\x00\x00\x00'
  '\x02\x03\x04\x00\x00\x00\x0b\x00\x00\x00\x0b\x00\x01\x00\x02\x05\x01\x00'
  '\x07\x03\x0a\x00\x00\x00\x07\x01\x00\x00\x09\x00\x00\x20\x03\x01\x00\x00'
)
n=0
for f in "$root"/tests/fixtures/**/*.md "$seeds"/*.txt; do
  [ -f "$f" ] || continue
  for i in "${!headers[@]}"; do
    tmp="$(mktemp)"
    { printf "${headers[$i]}"; cat "$f"; } >"$tmp"
    mv "$tmp" "$out/$(basename "$f").h$i"
    n=$((n + 1))
  done
done
echo "$n seeds in $out"
