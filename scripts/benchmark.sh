#!/usr/bin/env bash
# Benchmark (not a test): wall time and peak memory of `plh-bilan render` on the CALL example,
# whole process, release build. Usage: scripts/benchmark.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
swift build -c release --static-swift-stdlib --product plh-bilan >/dev/null
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
python3 - "$runs" "$out" <<'PY'
import resource, statistics, subprocess, sys, time
runs, out = int(sys.argv[1]), sys.argv[2]
cmd = [".build/release/plh-bilan", "render", "examples/call-2014-2020", "--output", out]
subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
walls = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    walls.append((time.perf_counter() - start) * 1000)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
walls.sort()
print(f"render CALL example, {runs} runs, release build")
print(f"  wall time: median {statistics.median(walls):.1f} ms, min {walls[0]:.1f} ms, max {walls[-1]:.1f} ms")
print(f"  peak memory (max RSS of one run): {peak_kib / 1024:.1f} MiB")
PY
