#!/usr/bin/env bash
# The release build of plh-bilan, the one every script uses (setup, Debian package, benchmarks), so that they share
# one build folder and never rebuild each other's: the Swift runtime and Foundation linked statically, and generic
# type metadata reached through accessor functions rather than mangled names, which the runtime would otherwise
# demangle and check on first use (about 4 million instructions, 0.9 ms, of a 13 ms render: issue 15); and no symbol
# exported from the executable (scripts/release-exports.map says why).
# Extra arguments go to `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The Swift runtime needs six symbols of libstdc++ (operator new and delete, three type-information tables), and
# loading libstdc++.so for them cost 0.46 ms at each start, most of it resolving its 4 300 symbol relocations. The
# linker looks for -lstdc++ in every -L folder whatever the order of the options, and takes a folder's libstdc++.a
# when it has no libstdc++.so: this folder holds only a link to GCC's archive, so those six come from it.
static_cxx=()
archive="$("$(dirname "$(command -v swift)")/clang" -print-file-name=libstdc++.a 2>/dev/null || true)"
if [ -f "$archive" ]; then
  mkdir -p .build/static-libstdc++
  ln -sfn "$archive" .build/static-libstdc++/libstdc++.a
  static_cxx=(-Xlinker -L"$PWD/.build/static-libstdc++")
fi
exec swift build -c release --static-swift-stdlib --product plh-bilan \
  -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors \
  -Xlinker --version-script="$PWD/scripts/release-exports.map" "${static_cxx[@]}" "$@"
