#!/usr/bin/env bash
# Benchmark (not a test) of the national batch: all 1 255 EPCI of France from the DGCL file.
# Prints wall time, CPU time and peak memory of: a first run, a no-change re-run, a re-run after one
# EPCI's data changed, and a first run with --package. Release build.
# Usage: scripts/benchmark-national.sh [DGCL_FILE]   (default: ../shared/data/epcicom2026_dgcl.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
dgcl="${1:-../shared/data/epcicom2026_dgcl.csv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
input="$work/observatoire"
python3 scripts/make-national-observatory.py "$dgcl" "$input"
swift build -c release --product plh-bilan >/dev/null
tool="$PWD/.build/release/plh-bilan"
rows="$(($(wc -l < "$input/production.csv") - 1))"
echo "national batch: $(($(wc -l < "$input/plh.csv") - 1)) EPCI, $rows production rows, $(nproc) cores"

measure() {
  local label="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; return 1; }
  read -r wall user sys rss < "$work/time"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" \
    'BEGIN { printf "  %-34s wall %6.2f s   cpu %6.2f s   peak %5d MB\n", l, w, u + s, r / 1024 }'
}

measure "first run" "$tool" batch "$input" --output "$work/out" --quiet
measure "no-change re-run" "$tool" batch "$input" --output "$work/out" --quiet
# One EPCI's data changes: the first production row of the file gets one more dwelling.
awk -F';' 'NR == 2 { $4 = $4 + 1 } { print }' OFS=';' "$input/production.csv" > "$work/p.csv" && mv "$work/p.csv" "$input/production.csv"
measure "re-run after one EPCI changed" "$tool" batch "$input" --output "$work/out" --quiet
measure "first run with --package" "$tool" batch "$input" --output "$work/out-package" --package --quiet
du -sh "$work/out" | awk '{print "  output size: " $1}'
