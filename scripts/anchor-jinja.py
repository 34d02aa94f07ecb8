#!/usr/bin/env python3
"""Benchmark anchor (not PLH Bilan): what a plain template pipeline costs for the same output.

Writes DOCUMENTS HTML documents of SIZE bytes each, one folder per document as the batch does, with
Jinja2 (pip's jinja2) for the page and Debian's libcmark (through ctypes) for five Markdown narratives
per document, in PROCESSES processes. The benchmarks run it in the same interleaved rounds as
plh-bilan, so that the ratio between the two says something on a noisy machine.

Usage: python3 scripts/anchor-jinja.py DOCUMENTS SIZE OUTPUT_FOLDER [PROCESSES]
"""
import ctypes
import ctypes.util
import multiprocessing
import os
import sys

import jinja2

PAGE = jinja2.Template("""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>{{ style }}</style></head><body>
<h1>{{ title }}</h1>
{% for narrative in narratives %}<section>{{ narrative }}</section>
{% endfor %}<table><caption>Réalisation par commune</caption>
<thead><tr><th>Commune</th><th>Segment</th><th>Objectif</th><th>Production</th><th>Taux</th></tr></thead>
<tbody>
{% for row in rows %}<tr><th scope="row">{{ row.commune }}</th><td>{{ row.segment }}</td><td class="nombre">{{ row.objective }}</td><td class="nombre">{{ row.production }}</td><td class="nombre">{{ row.rate }}</td></tr>
{% endfor %}</tbody></table></body></html>
""", autoescape=True)

NARRATIVE = """## Bilan de l'orientation {n}

La production de logements **progresse** dans les pôles urbains, mais reste en deçà des objectifs
dans les communes résidentielles. Les *opérations* de logement social se concentrent à Lens et à Liévin.

- logements locatifs sociaux : {a} agréments ;
- accession sociale : {b} logements ;
- accession libre : {c} logements.
"""


def cmark():
    library = ctypes.CDLL(ctypes.util.find_library("cmark") or "libcmark.so.0.30.2")
    library.cmark_markdown_to_html.restype = ctypes.c_void_p
    library.cmark_markdown_to_html.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int]
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.free.argtypes = [ctypes.c_void_p]

    def to_html(text):
        data = text.encode()
        pointer = library.cmark_markdown_to_html(data, len(data), 0)
        html = ctypes.string_at(pointer).decode()
        libc.free(pointer)
        return html
    return to_html


def write(job):
    first, count, size, output = job
    to_html = cmark()
    style = "body { font-family: sans-serif; } " * 40
    for index in range(first, first + count):
        narratives = [to_html(NARRATIVE.format(n=n, a=index % 97, b=index % 31, c=index % 53)) for n in range(5)]
        base = len(PAGE.render(title=f"Bilan {index}", style=style, narratives=narratives, rows=[]))
        row = {"commune": f"Commune {index}", "segment": "Locatif social", "objective": "1 234", "production": "567", "rate": "46 %"}
        per_row = len(PAGE.render(title="", style="", narratives=[], rows=[row])) - len(PAGE.render(title="", style="", narratives=[], rows=[]))
        rows = [dict(row, commune=f"Commune {index}-{r}") for r in range(max(0, (size - base) // per_row))]
        html = PAGE.render(title=f"Bilan {index}", style=style, narratives=narratives, rows=rows)
        folder = os.path.join(output, f"document-{index:05d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "bilan.html"), "w", encoding="utf-8") as f:
            f.write(html)


def main():
    documents, size, output = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    processes = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    share = -(-documents // processes)
    jobs = [(first, min(share, documents - first), size, output) for first in range(0, documents, share)]
    if processes == 1:
        for job in jobs:
            write(job)
    else:
        with multiprocessing.Pool(processes) as pool:
            pool.map(write, jobs)


if __name__ == "__main__":
    main()
