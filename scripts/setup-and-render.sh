#!/usr/bin/env bash
# First command of the README: installs what is missing (libcmark-dev, libdeflate-dev, zlib1g-dev, libyaml-dev), builds plh-bilan in release
# mode and renders the CALL example into output/call-2014-2020/.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -f /usr/include/cmark.h ] || missing+=(libcmark-dev)   # CommonMark, for the narratives
[ -f /usr/include/libdeflate.h ] || missing+=(libdeflate-dev)   # deflate and CRC-32, for the submission archives
[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)      # inflate, for ZIPFoundation (spreadsheets read, archives verified)
[ -f /usr/include/yaml.h ] || missing+=(libyaml-dev)     # YAML, for plh.yaml
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installation de ${missing[*]}…"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

# The Swift runtime and Foundation linked statically: the same binary as the Debian package (scripts/build-deb.sh).
scripts/build-release.sh
.build/release/plh-bilan render examples/call-2014-2020 --output output
echo "Ouvrez output/call-2014-2020/bilan.html dans un navigateur."
