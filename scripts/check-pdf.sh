#!/usr/bin/env bash
# Renders the CALL example to PDF with headless Chromium and checks, in the text pdftotext extracts,
# that every chapter is there, in order: usage scripts/check-pdf.sh [path/to/plh-bilan]
set -euo pipefail
cd "$(dirname "$0")/.."
binary="${1:-.build/release/plh-bilan}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$binary" render examples/call-2014-2020 --output "$out" --pdf
pdftotext "$out/call-2014-2020/bilan.pdf" "$out/bilan.txt"
pages="$(pdfinfo "$out/call-2014-2020/bilan.pdf" | awk '/^Pages:/ {print $2}')"
# Chapter headings are printed in capitals: « CHAPITRE 1 », « CHAPITRE 2 – ORIENTATION 1 »…
found="$(grep -oE '^CHAPITRE [0-9]+' "$out/bilan.txt" | awk '{print $2}' | tr '\n' ' ')"
orientations="$(grep -c '^  - titre:' examples/call-2014-2020/plh.yaml)"
expected="$(seq 1 $((orientations + 2)) | tr '\n' ' ')"
echo "PDF: $pages pages, chapters found: $found"
if [ "$found" != "$expected" ]; then
  echo "PDF check failed: expected chapters $expected" >&2
  exit 1
fi
grep -q "Page 2 sur $pages" "$out/bilan.txt" || { echo "PDF check failed: no page numbers" >&2; exit 1; }
echo "PDF check: $((orientations + 2)) chapters in order, page numbers present"
