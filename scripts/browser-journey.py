#!/usr/bin/env python3
"""A real browser through the web application (issue 12): headless Chromium driven by Selenium.

Starts `plh-bilan serve` on a fresh data folder and a free port, then walks the journey of an EPCI's
officer: first start (platform administrator), two EPCI organisations, an invitation into each (opened in
a fresh browser), signing out and in through the login form, « Nouveau bilan » of the CALL, then the later
steps when their pages exist: uploads, categories, a narrative with its preview, the submission package
(checked with `plh-bilan verify`), and the other EPCI's officer who must not reach the CALL's project.

Every page visited is checked with axe-core (WCAG 2.1 A and AA, best practices) and photographed into the
output folder. A step whose page does not exist yet is « en attente » (pending); with --strict, a pending
step fails the run. Exit code: 0 when every step passed (or is pending without --strict) and axe found
nothing, 1 otherwise, 2 when the tools are missing.

Usage: scripts/browser-journey.py --server .build/release/plh-bilan [--output output/navigateur] [--strict]
       [--axe PATH/axe.min.js] [--keep-data]
Needs: chromium and chromium-driver (Debian), selenium (pip); openpyxl for the .xlsx upload (else the CSV is
sent); axe.min.js, by default taken from the PyPI package axe-playwright-python (pip download, cached).
"""

import argparse
import csv
import glob
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "call-2014-2020")
PASSWORD = "un mot de passe assez long pour le parcours"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_PACKAGE = "axe-playwright-python"


class Pending(Exception):
    """The step's page does not exist yet (its GET does not answer 200)."""


class StepFailure(Exception):
    """What the step expected and did not find."""


def check(condition, message):
    if not condition:
        raise StepFailure(message)


# --- Tools ---------------------------------------------------------------------------------------------


def find_axe(explicit):
    """The text of axe.min.js: the file given, or the one of the PyPI package, downloaded once into a cache."""
    if explicit:
        with open(explicit, encoding="utf-8") as f:
            return f.read()
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "plh-bilan", "axe")
    os.makedirs(cache, exist_ok=True)
    wheels = sorted(glob.glob(os.path.join(cache, "axe_playwright_python-*.whl")))
    for attempt in range(3):
        if wheels:
            break
        result = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", cache, AXE_PACKAGE],
                                capture_output=True, text=True, timeout=300)
        wheels = sorted(glob.glob(os.path.join(cache, "axe_playwright_python-*.whl")))
        if not wheels:
            print(f"pip download {AXE_PACKAGE} (essai {attempt + 1}) : {result.stderr.strip()[-300:]}", file=sys.stderr)
            time.sleep(5 * (attempt + 1))
    if not wheels:
        raise SystemExit("axe-core introuvable : pip download axe-playwright-python a échoué (voir ci-dessus)")
    with zipfile.ZipFile(wheels[-1]) as wheel:
        names = [n for n in wheel.namelist() if n.endswith("/axe.min.js")]
        if not names:
            raise SystemExit(f"{wheels[-1]} ne contient pas axe.min.js")
        return wheel.read(names[0]).decode("utf-8")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`plh-bilan serve` on a temporary data folder; its output goes to a log, read for the first-start link."""

    def __init__(self, binary, data, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines = []
        self.log = open(log_path, "w", encoding="utf-8")
        self.process = subprocess.Popen(
            [binary, "serve", "--data", data, "--port", str(self.port), "--host", "127.0.0.1"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, text=True,
            start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self.log.write(line)
            self.log.flush()

    def wait_ready(self, timeout=90):
        """The first-start link, once the server says it is serving."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any("en service sur" in line for line in self.lines):
                for line in self.lines:
                    match = re.search(r"(https?://\S+/installation/[0-9a-f]+)", line)
                    if match:
                        return match.group(1)
                raise StepFailure("le serveur n'a pas affiché de lien de premier démarrage")
            if self.process.poll() is not None:
                raise StepFailure(f"le serveur s'est arrêté (code {self.process.returncode})")
            time.sleep(0.1)
        raise StepFailure(f"le serveur n'a pas démarré en {timeout} s")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        self.log.close()


# --- The browser ---------------------------------------------------------------------------------------


class Journey:
    """The browsers, the pages visited with their axe violations and screenshots, and the steps' outcomes."""

    def __init__(self, args, axe_source, server):
        self.args = args
        self.axe = axe_source
        self.server = server
        self.output = args.output
        self.pages = []          # (number, name, url, status)
        self.violations = []     # (page name, rule, impact, targets, help)
        self.steps = []          # (name, outcome, detail)
        self.count = 0
        self.drivers = []
        self.project = None      # the CALL project's id
        self.accounts = {}       # role -> (email, password)
        self.organisations = {}  # siren -> id

    # Browsers

    def browser(self):
        """A fresh Chromium: its own profile, so its own cookie jar."""
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = self.args.chromium
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=fr-FR", "--no-first-run", "--disable-extensions"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        options.set_capability("pageLoadStrategy", "normal")
        driver = webdriver.Chrome(service=Service(self.args.chromedriver), options=options)
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(120)
        driver.set_window_size(1280, 900)
        self.drivers.append(driver)
        return driver

    def close(self, driver):
        try:
            driver.quit()
        except Exception:
            pass
        if driver in self.drivers:
            self.drivers.remove(driver)

    def close_all(self):
        for driver in list(self.drivers):
            self.close(driver)

    # Pages

    def url(self, path):
        return self.server.base + path

    def open(self, driver, path, name):
        driver.get(path if path.startswith("http") else self.url(path))
        return self.visited(driver, name)

    def document_status(self, driver):
        """The HTTP status of the last document the browser loaded, from Chromium's performance log."""
        status = None
        try:
            for entry in driver.get_log("performance"):
                message = json.loads(entry["message"])["message"]
                if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
                    status = message["params"]["response"].get("status")
        except Exception:
            pass
        return status

    def visited(self, driver, name):
        """Records the page the browser shows: its status, a screenshot, and what axe-core finds on it."""
        self.count += 1
        status = self.document_status(driver)
        label = f"{self.count:02d}-{name}"
        self.pages.append((self.count, label, driver.current_url.replace(self.server.base, ""), status))
        self.screenshot(driver, os.path.join(self.output, label + ".png"))
        for violation in self.run_axe(driver):
            self.violations.append((label, violation["id"], violation.get("impact"), violation["targets"],
                                    violation.get("help", "")))
        return status

    def screenshot(self, driver, path):
        """The whole page (not only the window), through the DevTools protocol; the window when that fails."""
        try:
            import base64
            metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            viewport = driver.execute_script("return window.innerWidth")
            width, height = max(viewport, int(size["width"])), min(int(size["height"]), 16000)
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": max(height, 1), "scale": 1}})
            with open(path, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        except Exception:
            driver.save_screenshot(path)

    def run_axe(self, driver):
        driver.execute_script(self.axe)
        result = driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
              .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(' '))}))))
              .catch(e => done({error: String(e)}));
        """, AXE_TAGS)
        if isinstance(result, dict):
            raise StepFailure(f"axe-core n'a pas pu s'exécuter : {result.get('error')}")
        return result

    # HTTP with a browser's cookies

    def http(self, driver, path, method="GET", data=None):
        """(status, headers, body) of a request sent with the browser's cookies, redirects not followed."""
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
        request = urllib.request.Request(self.url(path), method=method, data=data, headers={"Cookie": cookies})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def require_page(self, driver, path):
        """Pending unless the page answers 200 to this browser."""
        status, _, _ = self.http(driver, path)
        if status != 200:
            raise Pending(f"GET {path} répond {status}")

    # Forms

    def find(self, driver, selector):
        from selenium.webdriver.common.by import By
        return driver.find_element(By.CSS_SELECTOR, selector)

    def find_all(self, driver, selector):
        from selenium.webdriver.common.by import By
        return driver.find_elements(By.CSS_SELECTOR, selector)

    def fill(self, driver, name, value, form=None):
        scope = form or driver
        from selenium.webdriver.common.by import By
        element = scope.find_element(By.NAME, name)
        if element.tag_name == "select":
            from selenium.webdriver.support.ui import Select
            Select(element).select_by_value(value)
        elif element.get_attribute("type") in ("date", "number"):
            # Typing into a date field depends on the browser's locale: set the value as the form sends it.
            driver.execute_script("arguments[0].value = arguments[1];", element, value)
        else:
            element.clear()
            element.send_keys(value)
        return element

    def submit(self, driver, form_or_button, name):
        """Clicks a submit button (or the first of a form) and records the page it leads to."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        button = form_or_button
        if form_or_button.tag_name == "form":
            button = form_or_button.find_element(By.CSS_SELECTOR, "button[type=submit], button:not([type]), input[type=submit]")
        old = self.find(driver, "html")
        driver.get_log("performance")  # drop what the previous page logged
        button.click()
        WebDriverWait(driver, 60).until(lambda d: self._stale(old))
        return self.visited(driver, name)

    @staticmethod
    def _stale(element):
        try:
            element.tag_name
            return False
        except Exception:
            return True

    def form_with(self, driver, selector):
        """The form that contains the element `selector`."""
        from selenium.webdriver.common.by import By
        element = self.find(driver, selector)
        return element.find_element(By.XPATH, "./ancestor::form")

    def errors_on_page(self, driver):
        return [e.text.strip() for e in self.find_all(driver, ".resume-erreurs, .alerte, .erreur") if e.text.strip()]

    def heading(self, driver):
        headings = self.find_all(driver, "h1")
        return headings[0].text.strip() if headings else ""

    def path(self, driver):
        return driver.current_url.replace(self.server.base, "")

    # Steps

    def step(self, name, function, *args):
        """Runs one step; its outcome is passed, pending (« en attente ») or failed, with the reason."""
        started = time.time()
        try:
            function(*args)
            self.steps.append((name, "réussie", f"{time.time() - started:.1f} s"))
            print(f"  réussie     {name}", flush=True)
            return True
        except Pending as pending:
            outcome = "échouée" if self.args.strict else "en attente"
            self.steps.append((name, outcome, f"page absente : {pending}"))
            print(f"  {outcome:<11} {name} : page absente ({pending})", flush=True)
        except Exception as error:
            detail = str(error) if isinstance(error, StepFailure) else f"{type(error).__name__}: {error}"
            self.steps.append((name, "échouée", detail.strip().splitlines()[0] if detail.strip() else type(error).__name__))
            print(f"  échouée     {name} : {detail}", flush=True)
            if not isinstance(error, StepFailure):
                traceback.print_exc()
            for driver in self.drivers:
                try:
                    driver.save_screenshot(os.path.join(self.output, f"echec-{len(self.steps):02d}.png"))
                except Exception:
                    pass
        return False

    def skip(self, name, reason):
        self.steps.append((name, "échouée", f"non exécutée : {reason}"))
        print(f"  échouée     {name} : non exécutée ({reason})", flush=True)


# --- The journey ---------------------------------------------------------------------------------------


def first_start(j, link):
    """The one-time link creates the platform administrator and the DREAL."""
    driver = j.admin = j.browser()
    check(j.open(driver, link, "installation") == 200, "le lien de premier démarrage ne répond pas 200")
    form = j.form_with(driver, "[name=mot_de_passe]")
    for name, value in [("nom", "Alice Martin"), ("email", "alice.martin@dreal.gouv.fr"), ("mot_de_passe", PASSWORD),
                        ("confirmation", PASSWORD), ("type_organisation", "etat"),
                        ("nom_organisation", "DREAL Hauts-de-France"), ("siren", "")]:
        j.fill(driver, name, value, form)
    j.submit(driver, form, "bilans-administrateur")
    check(j.path(driver) == "/projets", f"après l'installation, la page est {j.path(driver)} au lieu de /projets")
    check("Alice Martin" in j.find(driver, ".compte").text, "le nom de l'administrateur n'est pas dans le bandeau")
    j.accounts["administrateur"] = ("alice.martin@dreal.gouv.fr", PASSWORD)


def create_epci(j, siren, name, label):
    driver = j.admin
    from selenium.webdriver.common.by import By
    menu = driver.find_element(By.LINK_TEXT, "Organisations")
    menu.click()
    j.visited(driver, "organisations-" + label)
    form = j.form_with(driver, "[name=siren]")
    j.fill(driver, "type_organisation", "epci", form)
    j.fill(driver, "siren", siren, form)
    j.submit(driver, form, "organisation-creee-" + label)
    check(not j.errors_on_page(driver), f"erreurs à la création de l'EPCI {siren} : {j.errors_on_page(driver)}")
    rows = [row.text for row in j.find_all(driver, "tbody tr")]
    check(any(siren in row and name in row for row in rows), f"l'EPCI « {name} » ({siren}) n'est pas dans la liste : {rows}")


def invite(j, siren, label, person, email):
    """The platform administrator opens the EPCI's members, makes an invitation link; a fresh browser uses it."""
    driver = j.admin
    from selenium.webdriver.common.by import By
    j.open(driver, "/organisations", "organisations-avant-invitation-" + label)
    links = [a for row in j.find_all(driver, "tbody tr") if siren in row.text for a in row.find_elements(By.TAG_NAME, "a")]
    check(links, f"la liste des organisations n'a pas de lien vers les membres de l'EPCI {siren}")
    links[0].click()
    j.visited(driver, "membres-" + label)
    form = j.form_with(driver, "[name=role]")
    j.fill(driver, "role", "contributeur", form)
    j.submit(driver, form, "lien-invitation-" + label)
    codes = j.find_all(driver, ".lien-a-copier")
    check(codes, "la page n'affiche pas de lien d'invitation")
    link = codes[0].text.strip()
    check("/invitation/" in link, f"lien d'invitation inattendu : {link}")

    officer = j.browser()
    check(j.open(officer, link, "invitation-" + label) == 200, "le lien d'invitation ne répond pas 200")
    form = j.form_with(officer, "[name=mot_de_passe]")
    for name, value in [("nom", person), ("email", email), ("mot_de_passe", PASSWORD), ("confirmation", PASSWORD)]:
        j.fill(officer, name, value, form)
    j.submit(officer, form, "bilans-" + label)
    check(j.path(officer) == "/projets", f"après l'invitation, la page est {j.path(officer)} au lieu de /projets")
    check(person in j.find(officer, ".compte").text, "le nom de la personne invitée n'est pas dans le bandeau")
    j.accounts[label] = (email, PASSWORD)
    j.close(officer)


def sign_in(j, label):
    """A fresh browser signs in through the login form (after a failed try, to see the error)."""
    driver = j.browser()
    email, password = j.accounts[label]
    j.open(driver, "/", "connexion-" + label)
    check(j.path(driver).startswith("/connexion"), f"/ sans session mène à {j.path(driver)} au lieu de /connexion")
    form = j.form_with(driver, "[name=mot_de_passe]")
    j.fill(driver, "email", email, form)
    j.fill(driver, "mot_de_passe", password + " faux", form)
    j.submit(driver, form, "connexion-refusee-" + label)
    check(j.find_all(driver, "#erreur-connexion"), "un mot de passe faux n'affiche pas d'erreur")
    form = j.form_with(driver, "[name=mot_de_passe]")
    j.fill(driver, "email", email, form)
    j.fill(driver, "mot_de_passe", password, form)
    j.submit(driver, form, "bilans-connecte-" + label)
    check(j.path(driver) == "/projets", f"après la connexion, la page est {j.path(driver)}")
    return driver


def sign_out_and_in(j):
    """The CALL officer signs out (button of the header), then back in through the login form."""
    driver = sign_in(j, "call")
    from selenium.webdriver.common.by import By
    button = driver.find_element(By.XPATH, "//button[normalize-space()='Se déconnecter']")
    j.submit(driver, button, "deconnecte-call")
    check(j.path(driver).startswith("/connexion"), f"après la déconnexion, la page est {j.path(driver)}")
    status, _, _ = j.http(driver, "/projets")
    check(status == 401, f"/projets après la déconnexion répond {status} au lieu de 401")
    j.close(driver)
    j.call = sign_in(j, "call")


def new_bilan(j):
    driver = j.call
    from selenium.webdriver.common.by import By
    driver.find_element(By.LINK_TEXT, "Nouveau bilan").click()
    j.visited(driver, "nouveau-bilan")
    form = j.form_with(driver, "[name=type]")
    for name in ["type", "date", "premiere_annee", "derniere_annee", "stade"]:
        element = form.find_element(By.NAME, name)
        labels = j.find_all(driver, f"label[for='{element.get_attribute('id')}']")
        check(labels and labels[0].text.strip(), f"le champ « {name} » n'a pas d'étiquette")
    options = [o.get_attribute("value") for o in form.find_elements(By.CSS_SELECTOR, "[name=type] option")]
    check("triennal" in options, f"le type « triennal » n'est pas proposé : {options}")
    check("CA de Lens - Liévin" in driver.page_source, "la page ne nomme pas l'EPCI")
    j.fill(driver, "type", "triennal", form)
    j.fill(driver, "date", "2019-06-25", form)
    j.fill(driver, "premiere_annee", "2014", form)
    j.fill(driver, "derniere_annee", "2020", form)
    j.submit(driver, form, "projet-cree")
    match = re.fullmatch(r"/projets/([0-9a-f]+)", j.path(driver))
    check(match, f"après « Créer le bilan », la page est {j.path(driver)}")
    j.project = match.group(1)
    summary = j.find(driver, "dl.resume").text
    for expected in ["CA de Lens - Liévin", "246200364", "2014-2020", "25 juin 2019"]:
        check(expected in summary, f"le résumé du projet ne dit pas « {expected} » : {summary!r}")
    check(not j.find_all(driver, ".resume-erreurs"), f"le projet neuf a des erreurs : {j.errors_on_page(driver)}")


def project_pages(j):
    """The pages of the new project that exist on main: preview of the bilan and history."""
    driver = j.call
    from selenium.webdriver.common.by import By
    j.open(driver, f"/projets/{j.project}", "projet")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Historique").click()
    j.visited(driver, "historique")
    check(j.find_all(driver, "tbody tr"), "l'historique n'a aucune version")
    status = j.open(driver, f"/projets/{j.project}/apercu", "apercu-projet-neuf")
    check(status in (200, 422), f"l'aperçu du bilan répond {status}")


def upload_xlsx(j):
    """production.csv of the example as an .xlsx (openpyxl); None without openpyxl."""
    try:
        import openpyxl
    except ImportError:
        return None
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "production"
    with open(os.path.join(EXAMPLE, "production.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            sheet.append([int(cell) if cell.isdigit() and index >= 2 else cell for index, cell in enumerate(row)])
    path = os.path.join(j.output, "production.xlsx")
    book.save(path)
    return path


EXAMPLE_CATEGORIES = [
    ("poles_urbains_majeurs", "Pôles urbains majeurs"), ("communes_urbaines_denses", "Communes urbaines denses"),
    ("poles_urbains_equipes", "Pôles urbains équipés"), ("communes_residentielles", "Communes résidentielles")]


def lists(j):
    """The example's categories (one new row per save) and segments (plai, accession_libre, locatif_prive added,
    libre removed), typed in the forms, so that the example's tables can be sent."""
    driver = j.call
    path = f"/projets/{j.project}/categories"
    j.require_page(driver, path)
    for code, label in EXAMPLE_CATEGORIES:
        j.open(driver, path, "categories-liste")
        index = len(j.find_all(driver, "input[name^=code_]")) - 1
        form = j.form_with(driver, f"input[name=code_{index}]")
        j.fill(driver, f"code_{index}", code, form)
        j.fill(driver, f"libelle_{index}", label, form)
        j.submit(driver, form, "categorie-ajoutee")
        check(not j.find_all(driver, ".resume-erreurs"), f"l'ajout de la catégorie {code} affiche : {j.errors_on_page(driver)}")
    path = f"/projets/{j.project}/segments"
    j.require_page(driver, path)
    j.open(driver, path, "segments")
    form = j.form_with(driver, "input[name=segment_code_0]")
    codes = [e.get_attribute("value") for e in j.find_all(driver, "input[name^=segment_code_]")]
    check("libre" in codes, f"les segments créés ne sont pas ceux d'init : {codes}")
    from selenium.webdriver.common.by import By
    form.find_element(By.NAME, f"segment_supprimer_{codes.index('libre')}").click()
    empty = [i for i, code in enumerate(codes) if not code]
    for i, (code, label, family) in zip(empty, [("plai", "Locatif social PLAI", "locatif social"),
                                             ("accession_libre", "Accession libre", "accession"),
                                             ("locatif_prive", "Locatif privé", "locatif privé")]):
        j.fill(driver, f"segment_code_{i}", code, form)
        j.fill(driver, f"segment_libelle_{i}", label, form)
        j.fill(driver, f"segment_famille_{i}", family, form)
    j.submit(driver, form, "segments-enregistres")
    check(not j.find_all(driver, ".resume-erreurs"), f"l'enregistrement des segments affiche : {j.errors_on_page(driver)}")


def uploads(j):
    driver = j.call
    path = f"/projets/{j.project}/fichiers"
    j.require_page(driver, path)
    xlsx = upload_xlsx(j)
    files = [("communes", os.path.join(EXAMPLE, "communes.csv")), ("objectifs", os.path.join(EXAMPLE, "objectifs.csv")),
             ("production", xlsx or os.path.join(EXAMPLE, "production.csv"))]
    if not xlsx:
        print("    openpyxl absent : production envoyée en CSV", flush=True)
    for table, file in files:
        j.open(driver, path, "fichiers-" + table)
        form = j.form_with(driver, "input[type=file][name=fichier]")
        j.fill(driver, "table", table, form)
        j.find(driver, "input[type=file][name=fichier]").send_keys(os.path.abspath(file))
        status = j.submit(driver, form, "fichier-envoye-" + table)
        errors = [e.text.strip() for e in j.find_all(driver, ".resume-erreurs")]
        check(not errors, f"l'envoi de {os.path.basename(file)} affiche des erreurs : {errors}")
        check(status in (200, 303, None), f"l'envoi de {os.path.basename(file)} répond {status}")


def categories(j):
    driver = j.call
    path = f"/projets/{j.project}/categories"
    j.require_page(driver, path)
    j.open(driver, path, "categories")
    with open(os.path.join(EXAMPLE, "communes.csv"), encoding="utf-8-sig", newline="") as f:
        wanted = {row["code_insee"]: row["categorie"] for row in csv.DictReader(f, delimiter=";")}
    selects = j.find_all(driver, "select[name^=categorie_]")
    check(selects, "la page des catégories n'a aucun choix « categorie_<code_insee> »")
    from selenium.webdriver.support.ui import Select
    set_count = 0
    for select in selects:
        code = select.get_attribute("name")[len("categorie_"):]
        if code in wanted:
            Select(select).select_by_value(wanted[code])
            set_count += 1
    check(set_count == len(wanted), f"{set_count} communes sur {len(wanted)} de l'exemple ont un choix de catégorie")
    j.submit(driver, j.form_with(driver, "select[name^=categorie_]"), "categories-enregistrees")
    check(not j.find_all(driver, ".resume-erreurs"), f"l'enregistrement des catégories affiche : {j.errors_on_page(driver)}")


def narrative(j):
    driver = j.call
    path = f"/projets/{j.project}/recits/1"
    j.require_page(driver, path)
    j.open(driver, path, "recit")
    from selenium.webdriver.support.ui import WebDriverWait
    text = ("Sur la période, la CALL atteint {{EPCI.ensemble.taux_plan}} de ses objectifs de production.\n\n"
            "Ce texte est écrit par le parcours dans un navigateur réel.")
    area = j.fill(driver, "texte", text)
    check(area.tag_name == "textarea", "le champ « texte » n'est pas une zone de texte")
    preview = j.find(driver, "button[name=action][value=previsualiser]")
    # With JavaScript the preview may refresh in place; without, the button sends the form and the page comes back.
    old = j.find(driver, "html")
    driver.get_log("performance")
    preview.click()
    from selenium.common.exceptions import StaleElementReferenceException

    def fresh(read):
        """What `read` finds, read again while the preview is being replaced under it (a stale element)."""
        for _ in range(50):
            try:
                return read()
            except StaleElementReferenceException:
                time.sleep(0.1)
        return read()

    WebDriverWait(driver, 30, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: j._stale(old) or re.search(r"\d+\s*%", "".join(e.text for e in j.find_all(d, "#apercu"))))
    j.visited(driver, "recit-apercu")
    shown = fresh(lambda: "".join(e.text for e in j.find_all(driver, "#apercu")))
    check(re.search(r"\d+\s*%", shown), f"l'aperçu #apercu ne montre pas de pourcentage : {shown[:200]!r}")
    check("{{" not in shown, "l'aperçu montre la balise au lieu du chiffre")
    check("navigateur réel" in fresh(lambda: j.find(driver, "[name=texte]").get_attribute("value")),
          "la prévisualisation n'a pas gardé le texte saisi")
    j.submit(driver, j.find(driver, "button[name=action][value=enregistrer]"), "recit-enregistre")
    check(not j.find_all(driver, ".resume-erreurs"), f"l'enregistrement du récit affiche : {j.errors_on_page(driver)}")


def download_folder(j):
    """« Télécharger » (exists on main): the project's folder as a zip, with its plh.yaml."""
    driver = j.call
    status, headers, body = j.http(driver, f"/projets/{j.project}/telecharger")
    check(status == 200, f"/telecharger répond {status}")
    path = os.path.join(j.output, "dossier-projet.zip")
    with open(path, "wb") as f:
        f.write(body)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    check(any(n.endswith("/plh.yaml") for n in names), f"le zip du projet n'a pas de plh.yaml : {names[:10]}")


def bilan_screens(j):
    """The bilan of the CALL's data at 1280 px and on a phone (390 px): axe-core on both, and on the phone no
    horizontal scroll of the page itself (only the tables' and charts' own regions scroll)."""
    driver = j.call
    status = j.open(driver, f"/projets/{j.project}/apercu", "bilan-1280")
    check(status in (200, 422), f"l'aperçu du bilan répond {status}")
    try:
        driver.set_window_size(390, 844)
        j.visited(driver, "bilan-390")
        overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(overflow <= 1, f"à 390 px, la page défile horizontalement de {overflow} px")
        regions = driver.execute_script(
            "return Array.from(document.querySelectorAll('.tableau, .graphique-cadre'))"
            ".filter(e => e.scrollWidth > e.clientWidth)"
            ".map(e => [e.getAttribute('tabindex'), e.getAttribute('aria-label'), getComputedStyle(e.querySelector('.defilement') || e).display])")
        check(regions, "à 390 px, aucun tableau ni graphique ne défile dans son cadre")
        for tabindex, label, hint in regions:
            check(tabindex == "0" and label, f"un cadre qui défile n'est pas atteignable au clavier ou n'a pas de nom : {label!r}")
            check(hint != "none", f"le cadre « {label} » défile sans le dire")
    finally:
        driver.set_window_size(1280, 900)


def package(j):
    driver = j.call
    path = f"/projets/{j.project}/telechargements/depot.zip"
    status, headers, body = j.http(driver, path)
    if status != 200:
        first = status
        status, headers, body = j.http(driver, path + "?brouillon=oui")
        if status == 404 and first == 404:
            raise Pending(f"GET {path} répond 404")
        check(status == 200, f"{path} répond {first}, et avec ?brouillon=oui {status}")
        print(f"    paquet complet refusé ({first}) : paquet brouillon", flush=True)
    file = os.path.join(j.output, "depot.zip")
    with open(file, "wb") as f:
        f.write(body)
    check(zipfile.is_zipfile(file), f"{path} n'est pas une archive zip ({headers.get('Content-Type')})")
    result = subprocess.run([j.args.server, "verify", file], capture_output=True, text=True, timeout=120)
    print("    " + (result.stdout + result.stderr).strip().replace("\n", "\n    "), flush=True)
    check(result.returncode == 0, f"plh-bilan verify {file} : code {result.returncode}")


def perimeter(j):
    """The Reims officer signs in and reaches nothing of the CALL's project: 404 « Page introuvable »."""
    check(j.project, "pas de projet de la CALL")
    driver = sign_in(j, "reims")
    listed = driver.page_source
    check(j.project not in listed, "la liste des bilans de Reims montre le projet de la CALL")
    for suffix in ["", "/apercu", "/telecharger", "/historique", "/telechargements/depot.zip", "/fichiers",
                   "/categories", "/recits/1"]:
        path = f"/projets/{j.project}{suffix}"
        status, _, body = j.http(driver, path)
        check(status == 404, f"{path} répond {status} à l'agent de Reims au lieu de 404")
        check("Page introuvable" in body.decode("utf-8", "replace"), f"{path} ne dit pas « Page introuvable »")
    for suffix in ["", "/telecharger"]:
        j.open(driver, f"/projets/{j.project}{suffix}", "introuvable" + suffix.replace("/", "-"))
        check(j.heading(driver) == "Page introuvable", f"la page montre « {j.heading(driver)} »")


# --- Main ----------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="le programme plh-bilan")
    parser.add_argument("--output", default="output/navigateur", help="dossier des captures et des fichiers")
    parser.add_argument("--strict", action="store_true", help="une étape en attente fait échouer le parcours")
    parser.add_argument("--axe", help="axe.min.js à utiliser (sinon celui du paquet PyPI axe-playwright-python)")
    parser.add_argument("--chromium", default=os.environ.get("PLH_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    parser.add_argument("--keep-data", action="store_true", help="garde le dossier de données du serveur")
    args = parser.parse_args()
    args.server = os.path.abspath(args.server)

    try:
        import selenium  # noqa: F401
    except ImportError:
        print("selenium manque : python3 -m pip install selenium", file=sys.stderr)
        return 2
    for tool in [args.server, args.chromium, args.chromedriver]:
        if not os.access(tool, os.X_OK):
            print(f"{tool} introuvable ou non exécutable (apt-get install chromium chromium-driver)", file=sys.stderr)
            return 2
    axe = find_axe(args.axe)
    version = re.search(r"axe v([\d.]+)", axe[:200])
    shutil.rmtree(args.output, ignore_errors=True)
    os.makedirs(args.output)
    data = tempfile.mkdtemp(prefix="plh-parcours-")
    server = Server(args.server, data, os.path.join(args.output, "serveur.log"))
    journey = Journey(args, axe, server)
    print(f"Parcours dans un navigateur : {server.base}, axe-core {version.group(1) if version else '?'}, "
          f"données {data}", flush=True)
    try:
        link = server.wait_ready()
        steps = [
            ("premier démarrage : administrateur et DREAL", first_start, link),
            ("EPCI « CA de Lens - Liévin » (246200364)", create_epci, "246200364", "CA de Lens - Liévin", "call"),
            ("EPCI « CU du Grand Reims » (200067213)", create_epci, "200067213", "CU du Grand Reims", "reims"),
            ("invitation d'un agent de la CALL", invite, "246200364", "call", "Camille Durand", "camille.durand@agglo-lenslievin.fr"),
            ("invitation d'un agent de Reims", invite, "200067213", "reims", "Romain Petit", "romain.petit@grandreims.fr"),
        ]
        for name, function, *arguments in steps:
            journey.step(name, function, journey, *arguments)
        if hasattr(journey, "admin"):
            journey.close(journey.admin)
        if "call" in journey.accounts:
            journey.step("déconnexion puis connexion de l'agent de la CALL", sign_out_and_in, journey)
        if hasattr(journey, "call"):
            journey.step("« Nouveau bilan » triennal 2014-2020 du 25 juin 2019", new_bilan, journey)
        else:
            journey.skip("« Nouveau bilan »", "l'agent de la CALL n'est pas connecté")
        later = [("pages du projet : historique, aperçu", project_pages),
                 ("catégories et segments de l'exemple saisis dans les formulaires", lists),
                 ("envoi des fichiers (communes, objectifs, production en .xlsx)", uploads),
                 ("catégories des communes", categories),
                 ("récit avec {{EPCI.ensemble.taux_plan}}, aperçu puis enregistrement", narrative),
                 ("bilan à 1280 px et sur un téléphone (390 px)", bilan_screens),
                 ("téléchargement du dossier du projet (zip)", download_folder),
                 ("paquet de dépôt depot.zip vérifié par plh-bilan verify", package)]
        for name, function in later:
            if journey.project:
                journey.step(name, function, journey)
            else:
                journey.skip(name, "pas de projet")
        if hasattr(journey, "call"):
            journey.close(journey.call)
        if "reims" in journey.accounts and journey.project:
            journey.step("l'agent de Reims n'atteint pas le projet de la CALL (404)", perimeter, journey)
        else:
            journey.skip("périmètre : l'agent de Reims", "compte ou projet manquant")
    except Exception as error:
        journey.steps.append(("démarrage", "échouée", str(error)))
        print(f"  échouée     démarrage : {error}", flush=True)
    finally:
        journey.close_all()
        server.stop()
        if not args.keep_data:
            shutil.rmtree(data, ignore_errors=True)

    return report(journey, server)


def report(journey, server):
    outcomes = [outcome for _, outcome, _ in journey.steps]
    passed, pending, failed = outcomes.count("réussie"), outcomes.count("en attente"), outcomes.count("échouée")
    print()
    print(f"Pages visitées : {len(journey.pages)} (captures dans {journey.output}/)")
    for number, label, path, status in journey.pages:
        path = re.sub(r"/(installation|invitation)/[0-9a-f]+", r"/\1/…", path)
        print(f"  {label:<44} {status if status is not None else '?':>4}  {path}")
    print(f"Étapes : {passed} réussies, {pending} en attente, {failed} échouées")
    for name, outcome, detail in journey.steps:
        if outcome != "réussie":
            print(f"  {outcome} : {name} — {detail}")
    print(f"Violations axe-core ({', '.join(AXE_TAGS)}) : {len(journey.violations)}")
    for label, rule, impact, targets, help_text in journey.violations:
        print(f"  {rule} ({impact}) sur {label} : {help_text}")
        for target in targets[:5]:
            print(f"      {target}")
        if len(targets) > 5:
            print(f"      … et {len(targets) - 5} autres")
    success = failed == 0 and not journey.violations
    if not success:
        print(f"\nJournal du serveur ({server.log.name}) :")
        for line in server.lines[-60:]:
            print("  | " + re.sub(r"/installation/[0-9a-f]+", "/installation/…", line))
    print(f"{passed} passed, {failed} failed" + (f", {pending} skipped" if pending else ""))
    return 0 if success else 1


if __name__ == "__main__":
    sys.exit(main())
