#!/usr/bin/env bash
# First command of the README: installs what is missing (libcmark-dev), builds plh-bilan in release
# mode and renders the CALL example into output/call-2014-2020/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f /usr/include/cmark.h ]; then
  echo "Installation de libcmark-dev (bibliothèque CommonMark)…"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq libcmark-dev
fi

swift build -c release --product plh-bilan
.build/release/plh-bilan render examples/call-2014-2020 --output output
echo "Ouvrez output/call-2014-2020/bilan.html dans un navigateur."
