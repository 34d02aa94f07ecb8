#!/usr/bin/env python3
"""Builds observatory input for all of France (benchmark data, not real production).

From the DGCL membership file (every commune in its EPCI, with populations), writes a folder that
`plh-bilan batch` reads: observatoire.yaml, the DGCL file itself, plh.csv (a 2020-2025 PLH for every
EPCI), objectifs.csv (per EPCI, category and segment), production.csv (every commune, six years, every
segment), categories.csv (a typology table for the Nord and Pas-de-Calais EPCIs; the others use the
population rule) and regroupements.csv (the Nord PDH's four sectors). Deterministic: figures derive
from hashes of the codes, so the same DGCL file gives the same bytes.

Usage: python3 scripts/make-national-observatory.py [DGCL_FILE] [OUTPUT_FOLDER]
"""
import csv, hashlib, os, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DGCL = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data", "epcicom2026_dgcl.csv")
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "output", "observatoire-national")

SEGMENTS = [("plai", "Locatif social PLAI", 0.08), ("locatif_social", "Locatif social PLUS-PLS", 0.22),
            ("accession_sociale", "Accession sociale", 0.10), ("accession_libre", "Accession libre", 0.45),
            ("locatif_prive", "Locatif privé", 0.15)]
BANDS = [("pole", "Pôles (10 000 habitants et plus)", 10000), ("bourg", "Bourgs (2 000 à 9 999 habitants)", 2000),
         ("village", "Villages (moins de 2 000 habitants)", 0)]
YEARS = range(2020, 2026)


def unit(*parts):
    """A number in [0, 1) from the hash of the parts."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def band(population):
    return next(code for code, _, minimum in BANDS if population >= minimum)


def sector(name):
    n = name.lower()
    if "flandre" in n or "dunkerque" in n:
        return "Flandres"
    if "lille" in n or "pévèle" in n or "pevele" in n:
        return "MEL et Pévèle Carembault"
    if any(k in n for k in ("douai", "valenciennes", "hainaut", "ostrevent")):
        return "Douaisis-Valenciennois"
    return "Cambrésis-Avesnois"


def main():
    with open(DGCL, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    os.makedirs(OUT, exist_ok=True)
    shutil.copyfile(DGCL, os.path.join(OUT, "epcicom2026_dgcl.csv"))
    epcis = {}
    for r in rows:
        epcis.setdefault(r["siren"], {"name": r["raison_sociale"], "dept": r["dept"], "communes": []})
        epcis[r["siren"]]["communes"].append((r["insee"], int(r["pmun_2025"] or 0)))

    with open(os.path.join(OUT, "observatoire.yaml"), "w", encoding="utf-8") as f:
        f.write("# Observatoire national de démonstration (données de production fictives)\n")
        f.write("territoire: epcicom2026_dgcl.csv\n")
        f.write("regroupement: Secteur du PDH du Nord\n")
        f.write("bilan:\n  type: final\n  date: 2026-06-30\n  annees: 2020-2025\n  stade: autorises\n")
        f.write("segments:\n")
        for code, label, _ in SEGMENTS:
            f.write(f"  - code: {code}\n    libelle: {label}\n")
        f.write("categories:\n  regle: population\n  tranches:\n")
        for code, label, minimum in BANDS:
            f.write(f"    - code: {code}\n      libelle: {label}\n      population_min: {minimum}\n")

    with open(os.path.join(OUT, "plh.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("siren;nom;premiere_annee;derniere_annee\n")
        for siren in sorted(epcis):
            f.write(f"{siren};PLH 2020-2025;2020;2025\n")

    typology = {}
    with open(os.path.join(OUT, "categories.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code_insee;categorie;libelle\n")
        for siren in sorted(epcis):
            e = epcis[siren]
            if e["dept"] not in ("59", "62"):
                continue
            for insee, population in sorted(e["communes"]):
                code, label = ("centre", "Communes centres") if population >= 15000 else \
                    ("urbain", "Communes urbaines") if population >= 3500 else ("rural", "Communes rurales")
                typology[insee] = code
                f.write(f"{insee};{code};{label}\n")

    with open(os.path.join(OUT, "regroupements.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("siren;regroupement\n")
        for siren in sorted(epcis):
            if epcis[siren]["dept"] == "59":
                f.write(f"{siren};{sector(epcis[siren]['name'])}\n")

    with open(os.path.join(OUT, "objectifs.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("siren;categorie;segment;logements;periode\n")
        for siren in sorted(epcis):
            populations = {}
            for insee, population in epcis[siren]["communes"]:
                category = typology.get(insee) or band(population)
                populations[category] = populations.get(category, 0) + population
            for category in sorted(populations):
                annual = populations[category] * 6 / 1000
                for code, _, share in SEGMENTS:
                    value = round(annual * share * (0.8 + 0.4 * unit(siren, category, code)))
                    f.write(f"{siren};{category};{code};{value};an\n")

    with open(os.path.join(OUT, "production.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code_insee;annee;segment;logements\n")
        for siren in sorted(epcis):
            pace = 0.5 + 0.8 * unit(siren)
            for insee, population in sorted(epcis[siren]["communes"]):
                for year in YEARS:
                    for code, _, share in SEGMENTS:
                        expected = population * 6 / 1000 * share * pace
                        value = int(expected * (0.5 + unit(insee, year, code)) + unit(code, insee))
                        f.write(f"{insee};{year};{code};{value}\n")


if __name__ == "__main__":
    main()
