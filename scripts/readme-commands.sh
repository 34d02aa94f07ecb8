#!/usr/bin/env bash
# Prints the commands of the README's first code block (between the « commandes » markers),
# so that CI runs exactly what the README tells a newcomer to run.
set -euo pipefail
cd "$(dirname "$0")/.."
awk '/<!-- commandes: début -->/{on=1; next} /<!-- commandes: fin -->/{on=0} on && !/^```/ && NF' README.md
