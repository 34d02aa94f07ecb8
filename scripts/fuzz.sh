#!/usr/bin/env bash
# Runs one libFuzzer target for a given time: scripts/fuzz.sh csv|loader|narrative|observatory|import SECONDS
# Seeds come from fuzz/corpus/<target>/ (committed); the growing corpus lives in .build-fuzz/;
# a crash is written to fuzz/crashes/ and should become a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh csv|loader|narrative|observatory|import SECONDS}"
seconds="${2:-60}"
case "$target" in csv|loader|narrative|observatory|import) ;; *) echo "unknown fuzz target: $target" >&2; exit 2 ;; esac
(cd fuzz && swift build --scratch-path ../.build-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld \
  --product "fuzz-$target" >/dev/null)
work=".build-fuzz/corpus/$target"
mkdir -p "$work" fuzz/crashes
cp -n fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
".build-fuzz/debug/fuzz-$target" "$work" -dict=fuzz/dictionaries/common.dict -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="fuzz/crashes/$target-" -print_final_stats=1 2>&1 | tee ".build-fuzz/fuzz-$target.log" \
  | grep -E "^(Done|stat::number_of_executed_units|==[0-9]+==|SUMMARY|.*Test unit written)" || true
