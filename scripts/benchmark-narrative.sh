#!/usr/bin/env bash
# Benchmark (not a test): `plh-bilan render` of the minimal example whose global narrative is made
# large, with and without figure tags ({{EPCI.ensemble.production}}), to show that expansion is linear.
# Usage: scripts/benchmark-narrative.sh [MEGABYTES...]   (default: 4 20)
# PLH_BILAN=path/to/plh-bilan uses that build instead of building the release one.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${PLH_BILAN:-}"
if [ -z "$tool" ]; then
    scripts/build-release.sh >/dev/null
    tool=.build/release/plh-bilan
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 - "$tool" "$work" "${@:-4 20}" <<'PY'
import resource, shutil, subprocess, sys, time
tool, work = sys.argv[1], sys.argv[2]
sizes = [float(s) for arg in sys.argv[3:] for s in arg.split()]
chunks = {
    "with tags": "La production atteint {{EPCI.ensemble.production}} logements ({{EPCI.ensemble.taux_plan}}).\n",
    "without tags": "La production atteint mille trois cent dix logements, soit la moitié.\n",
}
for size in sizes:
    for kind, chunk in chunks.items():
        project = f"{work}/projet"
        shutil.rmtree(project, ignore_errors=True)
        shutil.copytree("examples/minimal", project)
        count = int(size * 1_000_000 / len(chunk.encode()))
        with open(f"{project}/recits/global.md", "w") as f:
            f.write("Bilan.\n\n" + chunk * count)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run([tool, "render", project, "--output", f"{work}/sortie"], check=True, capture_output=True)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        tags = chunk.count("{{") * count
        print(f"{size:g} MB narrative {kind} ({tags} tags): {wall:.2f} s, peak RSS so far {max(peak, before) / 1024:.0f} MiB")
PY
