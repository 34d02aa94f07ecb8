#!/usr/bin/env bash
# Benchmark (not a test) of the national batch: all 1 255 EPCI of France from the DGCL file.
# Prints wall time, CPU time and peak memory of: a first run, a no-change re-run, a re-run after one
# EPCI's data changed, and a first run with --package. Release build.
#
# The output goes to the work folder's disk, then (when /dev/shm exists) to memory: the gap is the
# file system's share. `cp -r` of the output tree gives the disk's own floor for creating those files.
# Usage: scripts/benchmark-national.sh [DGCL_FILE]   (default: ../shared/data/epcicom2026_dgcl.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
dgcl="${1:-../shared/data/epcicom2026_dgcl.csv}"
work="$(mktemp -d)"
memory=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then memory="$(mktemp -d /dev/shm/plh-bench.XXXXXX)"; fi
trap 'rm -rf "$work" ${memory:+"$memory"}' EXIT
input="$work/observatoire"
python3 scripts/make-national-observatory.py "$dgcl" "$input"
swift build -c release --static-swift-stdlib --product plh-bilan >/dev/null
tool="$PWD/.build/release/plh-bilan"
rows="$(($(wc -l < "$input/production.csv") - 1))"
echo "national batch: $(($(wc -l < "$input/plh.csv") - 1)) EPCI, $rows production rows, $(nproc) cores"

measure() {
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  read -r wall user sys rss < "$work/time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "  %-40s wall %6.2f s   cpu %6.2f s (system %5.2f s)   peak %5d MB\n", l, w, u + s, s, r / 1024 }'
}

# One series: first run, no-change re-run, one EPCI changed, --package; output under $1.
series() {
  local out="$1" label="$2"
  cp "$input/production.csv" "$work/production.orig"
  measure "first run ($label)" "$tool" batch "$input" --output "$out/out" --quiet
  measure "no-change re-run ($label)" "$tool" batch "$input" --output "$out/out" --quiet
  # One EPCI's data changes: the first production row of the file gets one more dwelling.
  awk -F';' 'NR == 2 { $4 = $4 + 1 } { print }' OFS=';' "$input/production.csv" > "$work/p.csv" && mv "$work/p.csv" "$input/production.csv"
  measure "re-run after one EPCI changed ($label)" "$tool" batch "$input" --output "$out/out" --quiet
  measure "first run with --package ($label)" "$tool" batch "$input" --output "$out/out-package" --package --quiet
  mv "$work/production.orig" "$input/production.csv"
}

series "$work" "disk"
du -sh "$work/out" | awk '{print "  output size: " $1}'
start=$(date +%s.%N)
cp -r "$work/out" "$work/floor"
awk -v s="$start" -v e="$(date +%s.%N)" -v n="$(find "$work/out" | wc -l)" \
  'BEGIN { printf "  disk floor: cp -r of the output (%d entries)   wall %6.2f s\n", n, e - s }'
rm -rf "$work/floor"
if [ -n "$memory" ]; then series "$memory" "memory"; fi
