#!/usr/bin/env bash
# Benchmark (not a test) of the web application under 50 concurrent sessions, with wrk.
#
# Starts `plh-bilan serve` on a fresh data folder and a free port on 127.0.0.1, sets up through its HTTP routes
# an administrator, the CALL's EPCI, an officer and a CALL project (the example's files sent through the upload
# route when it exists), signs the officer in 50 times (50 sessions), then measures for DURATION seconds each:
#   - GET /site.css                          the floor: a static answer through the same middlewares
#   - GET /projets/ID/apercu                 the whole bilan page (target: p99 < 100 ms)
#   - POST /projets/ID/recits/1/apercu       the narrative preview, when the route exists (target: p99 < 30 ms)
# and prints requests/s, p50, p99, non-2xx answers and the server's memory (VmRSS, VmHWM).
#
# Usage: scripts/benchmark-server.sh [PATH/TO/plh-bilan]     (default: builds and uses the release build)
# Environment: DURATION (seconds per measure, default 10), CONNECTIONS (default 50).
# Sends traffic to 127.0.0.1 only; every measure is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
tool="${1:-${PLH_BILAN:-}}"
if [ -z "$tool" ]; then
    scripts/build-release.sh >/dev/null
    tool=.build/release/plh-bilan
fi
if ! command -v wrk >/dev/null; then
    echo "wrk manque : apt-get install wrk" >&2
    exit 2
fi
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$tool" serve --data "$work/donnees" --port "$port" --host 127.0.0.1 >"$work/serveur.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

# The wrk script: each thread (one connection) has its own session cookie, from the file SESSIONS.
cat >"$work/session.lua" <<'LUA'
local cookies = {}
for line in io.lines(os.getenv("SESSIONS")) do table.insert(cookies, line) end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("line", cookies[(counter - 1) % #cookies + 1])
end
function init(args)
  local cookie, csrf = line:match("^(%S+) (%S+)$")
  headers = { ["Cookie"] = cookie }
  method = os.getenv("METHOD") or "GET"
  body = nil
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    body = "csrf=" .. csrf .. "&" .. os.getenv("BODY")
  end
end
function request()
  return wrk.format(method, os.getenv("TARGET"), headers, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %.3f %.3f %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
LUA

python3 - "$tool" "$work" "$port" "$server" "${DURATION:-10}" "${CONNECTIONS:-50}" <<'PY'
import http.cookiejar, os, re, subprocess, sys, time, urllib.error, urllib.parse, urllib.request, uuid

tool, work, port, pid, duration, connections = sys.argv[1:7]
duration, connections = int(duration), int(connections)
base = f"http://127.0.0.1:{port}"
example = "examples/call-2014-2020"
password = "un mot de passe pour le banc d'essai"

deadline = time.time() + 60
link = None
while time.time() < deadline and link is None:
    with open(f"{work}/serveur.log", encoding="utf-8") as f:
        text = f.read()
    found = re.search(r"(http://\S+/installation/[0-9a-f]+)", text)
    if found and "en service" in text:
        link = found.group(1)
    time.sleep(0.2)
if link is None:
    sys.exit("le serveur n'a pas démarré :\n" + text)


class Client:
    """A browser without a browser: cookies, the CSRF token and hidden fields of the last page, redirects followed."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.page = ""

    def send(self, path, data=None, content_type=None):
        request = urllib.request.Request(path if path.startswith("http") else base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=120) as response:
                self.page = response.read().decode("utf-8", "replace")
                return response.status, response.url
        except urllib.error.HTTPError as error:
            self.page = error.read().decode("utf-8", "replace")
            return error.code, error.url

    def get(self, path):
        return self.send(path)

    def hidden(self):
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', self.page))

    def post(self, path, fields, page=None):
        """Posts a form with the hidden fields (CSRF, version) of `page`, fetched first."""
        self.get(page or path)
        values = {**self.hidden(), **fields}
        return self.send(path, urllib.parse.urlencode(values).encode(), "application/x-www-form-urlencoded")

    def upload(self, path, fields, name, filename, content, page=None):
        self.get(page or path)
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {**self.hidden(), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f'Content-Type: text/csv\r\n\r\n'.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.send(path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)


admin = Client()
status, _ = admin.post(link, {"nom": "Alice Martin", "email": "alice@dreal.gouv.fr", "mot_de_passe": password,
                              "confirmation": password, "type_organisation": "etat",
                              "nom_organisation": "DREAL Hauts-de-France", "siren": ""})
assert status == 200 and admin.cookie("plh_session"), f"installation : {status}"
admin.post("/organisations", {"type_organisation": "epci", "nom_organisation": "", "siren": "246200364"})
organisation = re.search(r'href="/organisation\?organisation=(\d+)">CA de Lens', admin.page)
organisation = organisation.group(1) if organisation else "2"
admin.post("/organisation/invitations", {"organisation": organisation, "role": "contributeur"},
           page=f"/organisation?organisation={organisation}")
invitation = re.search(r"(/invitation/[0-9a-f]{64})", admin.page).group(1)
officer = Client()
officer.post(invitation, {"nom": "Camille Durand", "email": "camille@agglo-lenslievin.fr", "mot_de_passe": password,
                          "confirmation": password})
# The CALL's example project, opened from its zip (« Ouvrir un projet existant »): the real bilan, with its narratives.
import io, zipfile
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    for root, _, names in os.walk(example):
        for name in sorted(names):
            full = os.path.join(root, name)
            archive.write(full, "call-2014-2020/" + os.path.relpath(full, example))
status, url = officer.upload("/projets/importer", {}, "projet", "call-2014-2020.zip", buffer.getvalue(), page="/projets/nouveau")
match = re.search(r"/projets/([0-9a-f]+)$", url or "")
assert match, f"ouverture du projet de la CALL : {status} {officer.page[:400]}"
project = match.group(1)

notes = []
status, _ = officer.get(f"/projets/{project}/apercu")
bilan_complete = status == 200 and "<h1" in officer.page
if not bilan_complete:
    notes.append(f"GET /apercu répond {status} : la page mesurée est celle des erreurs du projet, pas le bilan entier")
else:
    notes.append(f"bilan de {len(officer.page.encode()) // 1024} Ko")

# 50 sessions of the officer; each line: the cookie header and the session's CSRF token.
print(f"{connections} connexions de l'agent (bcrypt)…", flush=True)
lines = []
for _ in range(connections):
    session = Client()
    status, _ = session.post("/connexion", {"email": "camille@agglo-lenslievin.fr", "mot_de_passe": password})
    assert status == 200 and session.cookie("plh_session"), f"connexion : {status}"
    session.get("/projets")
    lines.append(f"plh_session={session.cookie('plh_session')} {session.hidden()['csrf']}")
with open(f"{work}/sessions.txt", "w") as f:
    f.write("\n".join(lines) + "\n")

preview_path = f"/projets/{project}/recits/1/apercu"
officer.get(f"/projets/{project}/recits/1")
version = officer.hidden().get("version", "1")
text = "La CALL atteint {{EPCI.ensemble.taux_plan}} de ses objectifs sur la période du plan.\n\n" * 3
preview_body = urllib.parse.urlencode({"version": version, "texte": text})
status, _ = officer.send(preview_path, urllib.parse.urlencode({**officer.hidden(), "texte": text}).encode(),
                         "application/x-www-form-urlencoded")
preview_exists = status == 200
if not preview_exists:
    notes.append(f"POST {preview_path} répond {status} : aperçu du récit non mesuré")


def memory():
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def measure(label, target, method="GET", body=""):
    env = {**os.environ, "SESSIONS": f"{work}/sessions.txt", "TARGET": target, "METHOD": method, "BODY": body}
    def command(seconds):
        return ["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
                "-s", f"{work}/session.lua", base]
    subprocess.run(command(2), env=env, capture_output=True, timeout=60)  # warm-up
    output = subprocess.run(command(duration), env=env, capture_output=True, text=True, timeout=duration + 60).stdout
    fields = next(line.split()[1:] for line in output.splitlines() if line.startswith("RESULT "))
    requests, seconds, p50, p99, non2xx, errors = int(fields[0]), float(fields[1]), float(fields[2]), float(fields[3]), int(fields[4]), int(fields[5])
    rss, hwm = memory()
    return {"label": label, "rps": requests / seconds, "p50": p50, "p99": p99, "requests": requests,
            "non2xx": non2xx, "errors": errors, "rss": rss, "hwm": hwm}


rss0, _ = memory()
results = [measure("GET /site.css (plancher)", "/site.css"),
           measure("GET /projets/ID/apercu (bilan)", f"/projets/{project}/apercu")]
if preview_exists:
    results.append(measure("POST /projets/ID/recits/1/apercu", preview_path, "POST", preview_body))

print(f"\nServeur {tool}, {connections} sessions simultanées, {duration} s par mesure, mémoire au repos {rss0} Mio")
for note in notes:
    print(f"  note : {note}")
print(f"{'mesure':<36} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'erreurs':>8} {'RSS Mio':>8} {'pic Mio':>8}")
for r in results:
    print(f"{r['label']:<36} {r['rps']:>8.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['non2xx']:>8} {r['errors']:>8} {r['rss']:>8} {r['hwm']:>8}")
floor = results[0]["p99"]
targets = [("bilan", results[1], 100.0)] + ([("aperçu du récit", results[2], 30.0)] if preview_exists else [])
for name, r, limit in targets:
    met = "atteint" if r["p99"] < limit and r["non2xx"] == 0 and r["errors"] == 0 else "NON atteint"
    extra = "" if name != "bilan" or bilan_complete else " (page d'erreurs, pas le bilan entier)"
    print(f"objectif {name} : p99 < {limit:.0f} ms : {met}, p99 {r['p99']:.2f} ms, {r['p99'] / floor:.1f} × le plancher{extra}")
if not preview_exists:
    print("objectif aperçu du récit : p99 < 30 ms : non mesuré (route absente)")
PY
