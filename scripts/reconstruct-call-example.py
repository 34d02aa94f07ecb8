#!/usr/bin/env python3
"""Rebuilds the data files of examples/call-2014-2020 (communes, objectives, production).

The CALL's real production per commune is not public here, so the production is reconstructed:
per category and segment, the totals below are chosen so that the computed figures say what the
seed bilan states, then spread over communes (by population, with a fixed variation) and over the
three counted years. Deterministic: running it again gives the same files.

Usage: python3 scripts/reconstruct-call-example.py [path/to/call_246200364_communes_2019.csv]
"""
import csv, math, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "examples", "call-2014-2020")
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "data", "call_246200364_communes_2019.csv")

CATEGORIES = {
    "poles_urbains_majeurs": ["62498", "62510"],
    "communes_urbaines_denses": ["62065", "62133", "62186", "62413", "62628", "62771", "62842"],
    "poles_urbains_equipes": ["62019", "62032", "62033", "62351", "62386", "62523", "62528", "62563",
                              "62570", "62573", "62666", "62737", "62861", "62895"],
    "communes_residentielles": ["62001", "62003", "62107", "62170", "62213", "62291", "62311", "62371",
                                "62380", "62464", "62793", "62801", "62854"],
}
SEGMENTS = ["plai", "locatif_social", "accession_sociale", "accession_libre", "locatif_prive"]
# Annual objectives per category and segment (a plausible split of 1 310 a year: the seed gives no split).
OBJECTIVES = {
    "poles_urbains_majeurs":   [50, 110, 70, 110, 40],
    "communes_urbaines_denses": [50, 120, 60, 120, 50],
    "poles_urbains_equipes":   [40, 100, 50, 150, 50],
    "communes_residentielles": [10, 20, 20, 70, 20],
}
# Dwellings authorised 2015-2017 per category and segment (reconstructed, see the module doc).
PRODUCTION = {
    "poles_urbains_majeurs":   [80, 497, 140, 33, 10],    # 760 = 1/3 of 2 280; social rental 76 %
    "communes_urbaines_denses": [70, 578, 72, 180, 60],   # 960 = 40 % of 2 400; 1/4 acc. libre, 1/5 acc. sociale
    "poles_urbains_equipes":   [70, 360, 0, 560, 180],    # 1 170 = 50 % of 2 340; no acc. sociale
    "communes_residentielles": [25, 135, 0, 230, 160],    # rental objectives exceeded; no acc. sociale
}
YEARS = [2015, 2016, 2017]
YEAR_WEIGHTS = [[0.30, 0.33, 0.37], [0.36, 0.31, 0.33], [0.28, 0.38, 0.34]]


def apportion(total, weights):
    """Largest-remainder split of an integer total by weights."""
    s = sum(weights)
    if total == 0 or s == 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(r) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def main():
    with open(SOURCE, encoding="utf-8") as f:
        rows = {r["code_insee"]: r for r in csv.DictReader(f)}
    category_of = {code: cat for cat, codes in CATEGORIES.items() for code in codes}
    assert set(category_of) == set(rows), "the 36 CALL communes must each have a category"

    with open(os.path.join(OUT, "communes.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code_insee;commune;population;categorie\n")
        for code in sorted(rows):
            r = rows[code]
            f.write(f"{code};{r['nom_commune']};{r['pmun_2019_dgcl']};{category_of[code]}\n")

    with open(os.path.join(OUT, "objectifs.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("categorie;segment;logements;periode\n")
        for cat, values in OBJECTIVES.items():
            for seg, n in zip(SEGMENTS, values):
                f.write(f"{cat};{seg};{n};an\n")

    lines = []
    for cat, totals in PRODUCTION.items():
        codes = CATEGORIES[cat]
        for s, (seg, total) in enumerate(zip(SEGMENTS, totals)):
            weights = [int(rows[c]["pmun_2019_dgcl"]) * (1 + 0.4 * math.sin(int(c) * 7 + s * 3)) for c in codes]
            for c, n in zip(codes, apportion(total, weights)):
                for y, k in zip(YEARS, apportion(n, YEAR_WEIGHTS[(int(c) + s) % 3])):
                    if k:
                        lines.append((c, rows[c]["nom_commune"], y, seg, k))
    lines.sort(key=lambda l: (l[0], l[2], SEGMENTS.index(l[3])))
    with open(os.path.join(OUT, "production.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("code_insee;commune;annee;segment;logements\n")
        for c, name, y, seg, k in lines:
            f.write(f"{c};{name};{y};{seg};{k}\n")


if __name__ == "__main__":
    main()
