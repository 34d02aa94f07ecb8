#!/usr/bin/env bash
# The release build of plh-bilan, the one every script uses (setup, Debian package, benchmarks), so that they share
# one build folder and never rebuild each other's: the Swift runtime and Foundation linked statically, and generic
# type metadata reached through accessor functions rather than mangled names, which the runtime would otherwise
# demangle and check on first use (about 4 million instructions, 0.9 ms, of a 13 ms render: issue 15).
# Extra arguments go to `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift build -c release --static-swift-stdlib --product plh-bilan \
  -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors "$@"
