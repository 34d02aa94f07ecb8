#!/usr/bin/env bash
# Benchmark (not a test) of the national batch: all 1 255 EPCI of France from the DGCL file, release build.
# In interleaved rounds, on the work folder's disk and (when /dev/shm exists) in memory, it measures a
# first run, a no-change re-run, a re-run after one EPCI's data changed and a first run with --package,
# beside two anchors run in the same rounds: `cp -r` of the output (the file system's floor for creating
# those files) and a Jinja2 + libcmark pipeline writing as many documents of the same size in two
# processes (scripts/anchor-jinja.py). Prints medians, ratios, peak memory and the targets of issue 15.
# Usage: scripts/benchmark-national.sh [ROUNDS] [DGCL_FILE]   (defaults: 3, ../shared/data/epcicom2026_dgcl.csv)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
dgcl="${2:-../shared/data/epcicom2026_dgcl.csv}"
work="$(mktemp -d)"
memory=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then memory="$(mktemp -d /dev/shm/plh-bench.XXXXXX)"; fi
trap 'rm -rf "$work" ${memory:+"$memory"}' EXIT
input="$work/observatoire"
python3 scripts/make-national-observatory.py "$dgcl" "$input" >/dev/null
swift build -c release --static-swift-stdlib --product plh-bilan >/dev/null 2>&1 || swift build -c release --static-swift-stdlib --product plh-bilan
python3 - "$rounds" "$PWD/.build/release/plh-bilan" "$input" "$work" "$memory" <<'PY'
import os, shutil, statistics, subprocess, sys, time
rounds, tool, input_folder, disk, memory = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
places = [("ext4" if subprocess.run(["stat", "-f", "-c", "%T", disk], capture_output=True, text=True).stdout.strip() == "ext2/ext3" else "disque", disk)]
if memory:
    places.append(("tmpfs", memory))
have_jinja = subprocess.run(["python3", "-c", "import jinja2"], capture_output=True).returncode == 0
production = os.path.join(input_folder, "production.csv")
with open(production, encoding="utf-8") as f:
    original = f.read()
lines = original.split("\n")
fields = lines[1].split(";")
fields[3] = str(int(fields[3]) + 1)
changed = "\n".join([lines[0], ";".join(fields)] + lines[2:])

def run(command):
    """Wall seconds and peak memory (MiB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    error = process.stderr.read().decode()
    process.stderr.close()
    if status != 0:
        sys.exit(f"échec de {' '.join(command)} :\n{error}")
    return wall, usage.ru_maxrss / 1024

figures = {}
def record(place, name, value):
    figures.setdefault((place, name), []).append(value)

batch = [tool, "batch", input_folder, "--quiet", "--output"]
size = None
for round in range(rounds):
    for place, root in places:
        out, package, floor, anchor = (os.path.join(root, name) for name in ("out", "out-package", "floor", "anchor"))
        for folder in (out, package, floor, anchor):
            shutil.rmtree(folder, ignore_errors=True)
        wall, peak = run(batch + [out]); record(place, "premier lot", wall); record(place, "mémoire du premier lot (Mo)", peak)
        wall, _ = run(batch + [out]); record(place, "relance sans changement", wall)
        with open(production, "w", encoding="utf-8") as f: f.write(changed)
        wall, _ = run(batch + [out]); record(place, "relance après un EPCI changé", wall)
        with open(production, "w", encoding="utf-8") as f: f.write(original)
        wall, _ = run(batch + [package, "--package"]); record(place, "premier lot avec --package", wall)
        wall, _ = run(["cp", "-r", out, floor]); record(place, "ancre : cp -r de la sortie", wall)
        if size is None:
            sizes = sorted(os.path.getsize(os.path.join(d, "bilan.html")) for d in (os.path.join(out, e) for e in os.listdir(out))
                           if os.path.isfile(os.path.join(d, "bilan.html")))
            size = sizes[len(sizes) // 2]
            documents = len(sizes)
        if have_jinja:
            wall, _ = run(["python3", "scripts/anchor-jinja.py", str(documents), str(size), anchor, "2"])
            record(place, "ancre : Jinja2 + libcmark, 2 processus", wall)
        for folder in (package, floor, anchor):
            shutil.rmtree(folder, ignore_errors=True)

print(f"lot national : {documents} bilans (HTML médian {size} octets), {rounds} tours entrelacés, {os.cpu_count()} cœurs")
if not have_jinja:
    print("  (jinja2 absent : pip install jinja2 pour l'ancre Jinja2 + libcmark)")
medians = {key: statistics.median(values) for key, values in figures.items()}
for place, _ in places:
    print(f"  {place} :")
    for (p, name), value in medians.items():
        if p != place: continue
        unit = " Mo" if "Mo" in name else " s"
        text = f"{value:7.0f}{unit}" if "Mo" in name else f"{value:7.3f}{unit}"
        extra = ""
        if name == "premier lot":
            extra = f"   ÷ cp -r : {value / medians[(place, 'ancre : cp -r de la sortie')]:.1f}"
            if (place, "ancre : Jinja2 + libcmark, 2 processus") in medians:
                extra += f"   ÷ Jinja2 : {value / medians[(place, 'ancre : Jinja2 + libcmark, 2 processus')]:.2f}"
        if name == "relance après un EPCI changé":
            extra = f"   ÷ relance sans changement : {value / medians[(place, 'relance sans changement')]:.1f}"
        print(f"    {name:42} {text}   (min {min(figures[(place, name)]):.3f}){extra}")
targets = [("tmpfs", "premier lot", 0.6), ("ext4", "premier lot", 0.7), ("ext4", "relance après un EPCI changé", 0.12),
           ("tmpfs", "relance après un EPCI changé", 0.12), ("ext4", "premier lot avec --package", 1.3)]
for place, name, limit in targets:
    if (place, name) not in medians: continue
    value = medians[(place, name)]
    print(f"  cible {name} ({place}) ≤ {limit} s : {'atteinte' if value <= limit else 'NON atteinte'} ({value:.3f} s)")
for place, _ in places:
    value = medians[(place, "mémoire du premier lot (Mo)")]
    print(f"  mémoire de pointe ({place}) ≤ 200 Mo : {'atteinte' if value <= 200 else 'NON atteinte'} ({value:.0f} Mo)")
PY
