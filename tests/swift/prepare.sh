#!/usr/bin/env bash
# Assembles the Swift test package in target/swift-tests/ (generated code is build output
# and never lives in the source tree), for `swift test` on macOS:
#
#   target/swift-tests/
#     Package.swift                 copied from tests/swift/Package.swift
#     Sources/QuireCoreFFI/         the C side: generated header + a module map that links
#                                   libquire_ffi.a and the system libraries Rust needs
#     Sources/QuireCore/            the generated Swift bindings (QuireCore.swift)
#     Tests/QuireCoreTests/         copied from tests/swift/Tests/QuireCoreTests
#     lib/libquire_ffi.a            the debug staticlib (feature test-panic)
#     bindgen/libquire_ffi.{dylib,so}  the same as a shared library, for the generator
#     data/*.quire                  bundles built by the quire CLI
#     env.sh                        the environment the tests read (paths)
#
# Then: `source target/swift-tests/env.sh && swift test --package-path target/swift-tests`
# (the GitHub workflow .github/workflows/swift.yml does exactly this).
#
# Works on macOS (the real use) and on Linux (where it stops after generating and
# assembling, to prove the generation works; no Swift toolchain can be installed here).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CARGO=${CARGO:-cargo}
OUT=$ROOT/target/swift-tests

case "$(uname -s)" in
Darwin) dylib=libquire_ffi.dylib ;;
*) dylib=libquire_ffi.so ;;
esac

say() { printf '[swift] %s\n' "$*"; }

say "building uniffi-bindgen and the quire CLI"
"$CARGO" build --quiet -p quire-ffi --features bindgen --bin uniffi-bindgen
"$CARGO" build --quiet -p quire-cli --bin quire
TARGET_DIR=$("$CARGO" metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
DEBUG=$TARGET_DIR/debug

# The library with the test-only calls, as a staticlib (linked by the tests) and a shared
# library (read by the generator), in one rustc run that also reports the system libraries
# the staticlib needs (for the module map's `link` lines). A library's file names carry no
# hash, so every feature set of quire-ffi writes the same files and cargo may call ours up
# to date while they hold another (the bindgen binary's, just built): a one-off --cfg,
# which changes no code, makes cargo build ours now.
say "building the library (feature test-panic) as a staticlib and a shared library"
native_libs=$("$CARGO" rustc --quiet -p quire-ffi --features test-panic --lib \
  --crate-type staticlib,cdylib -- --print native-static-libs \
  --cfg "quire_ffi_rebuild_$(date +%s)_$$" 2>&1 | sed -n 's/.*native-static-libs: //p' | tail -n 1)
[ -n "$native_libs" ] || native_libs="-lSystem -lc -lm -framework CoreFoundation"
say "native libraries: $native_libs"

rm -rf "$OUT"
mkdir -p "$OUT/Sources/QuireCoreFFI" "$OUT/Sources/QuireCore" "$OUT/Tests" "$OUT/lib" "$OUT/data" "$OUT/bindgen"
cp "$DEBUG/libquire_ffi.a" "$OUT/lib/"
# The shared library is read only by the generator; lib/ holds the staticlib alone, so
# the linker cannot pick the shared one.
cp "$DEBUG/$dylib" "$OUT/bindgen/$dylib"
nm -g "$OUT/bindgen/$dylib" | grep panic_for_tests >/dev/null ||
  { echo "[swift] error: $DEBUG/$dylib lacks the test-panic calls (a concurrent build?): run again" >&2; exit 1; }

say "generating the Swift bindings (library mode)"
"$DEBUG/uniffi-bindgen" generate --library "$OUT/bindgen/$dylib" --language swift \
  --out-dir "$OUT/generated" --no-format >/dev/null
cp "$OUT/generated/QuireCore.swift" "$OUT/Sources/QuireCore/"
cp "$OUT/generated/QuireCoreFFI.h" "$OUT/Sources/QuireCoreFFI/"
{
  echo 'module QuireCoreFFI {'
  echo '    header "QuireCoreFFI.h"'
  echo '    link "quire_ffi"'
  set -- $native_libs
  while [ $# -gt 0 ]; do
    case $1 in
    -framework)
      echo "    link framework \"$2\""
      shift
      ;;
    -l*) echo "    link \"${1#-l}\"" ;;
    esac
    shift
  done
  echo '    export *'
  echo '}'
} >"$OUT/Sources/QuireCoreFFI/module.modulemap"

cp tests/swift/Package.swift "$OUT/"
cp -R tests/swift/Tests/QuireCoreTests "$OUT/Tests/"

# The calls the library exports (for the test that checks each one is exercised).
nm -g "$OUT/bindgen/$dylib" 2>/dev/null | awk '{print $NF}' | sed 's/^_//' |
  grep '^uniffi_quire_ffi_fn_' | sort -u >"$OUT/exports.txt"

say "building test bundles with the quire CLI"
"$DEBUG/quire" build corpus -o "$OUT/data/builtin.quire" --corpus-id quire-builtin \
  --corpus-version test >/dev/null
"$DEBUG/quire" gen --count 300 --seed 7 -o "$OUT/data/gen-corpus" >/dev/null
"$DEBUG/quire" build "$OUT/data/gen-corpus" -o "$OUT/data/generated.quire" --corpus-id generated >/dev/null
rm -rf "$OUT/data/gen-corpus"
cp "$DEBUG/quire" "$OUT/quire"

cat >"$OUT/env.sh" <<EOF
export QUIRE_CLI="$OUT/quire"
export QUIRE_BUILTIN_BUNDLE="$OUT/data/builtin.quire"
export QUIRE_GENERATED_BUNDLE="$OUT/data/generated.quire"
export QUIRE_EXPORTS="$OUT/exports.txt"
export QUIRE_TEST_SOURCES="$ROOT/tests/swift/Tests/QuireCoreTests"
export QUIRE_WORK="$OUT/work"
EOF
mkdir -p "$OUT/work"
say "assembled $OUT ($(wc -l <"$OUT/exports.txt") exported calls)"
if ! command -v swift >/dev/null; then
  say "no Swift toolchain here: run 'source $OUT/env.sh && swift test --package-path $OUT' on macOS"
fi
