#!/usr/bin/env bash
# Assembles the Swift test package in target/swift-tests/ (generated code is build output
# and never lives in the source tree), for `swift test` on macOS:
#
#   target/swift-tests/
#     Package.swift                 copied from tests/swift/Package.swift
#     Sources/QuireCoreFFI/         the C side: generated header + a module map that links
#                                   libquire_ffi_tests.a and the system libraries Rust needs
#     Sources/QuireCore/            the generated Swift bindings (QuireCore.swift)
#     Tests/QuireCoreTests/         copied from tests/swift/Tests/QuireCoreTests
#     lib/libquire_ffi_tests.a      the debug test library (bindings/testlib: quire-ffi
#                                   with its test-only calls) as a staticlib
#     bindgen/libquire_ffi_tests.{dylib,so}  the same as a shared library, for the generator
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
# shellcheck source=../lib.sh
. tests/lib.sh
OUT=$ROOT/target/swift-tests
dylib=libquire_ffi_tests.$QUIRE_DYLIB_EXT

say() { printf '[swift] %s\n' "$*"; }
die() {
  printf '[swift] error: %s\n' "$*" >&2
  exit 1
}

# The one debug build of tests/lib.sh: uniffi-bindgen, the quire CLI and the test library
# as a staticlib (linked by the tests) and a shared library (read by the generator).
say "building uniffi-bindgen, the quire CLI and the test library (tests/lib.sh)"
quire_debug_build --quiet || die "the debug build failed (tests/lib.sh quire_debug_build)"

# The system libraries the staticlib needs, for the module map's `link` lines: those the
# shared library of the same code was linked against (its load commands on macOS, its
# NEEDED entries elsewhere), so that no second rustc run is needed to print them.
system_libs() {
  case "$QUIRE_DYLIB_EXT" in
  dylib)
    otool -L "$1" | tail -n +2 | awk '{print $1}' | while read -r dep; do
      case $dep in
      */libquire_ffi_tests.dylib | @rpath/*) ;;
      */*.framework/*) f=${dep%%.framework/*} && echo "-framework ${f##*/}" ;;
      */lib*.dylib) l=${dep##*/lib} && echo "-l${l%%.*}" ;;
      esac
    done
    ;;
  *)
    objdump -p "$1" | awk '$1 == "NEEDED" {print $2}' | while read -r dep; do
      case $dep in
      ld-linux* | ld64*) ;;
      lib*.so*) l=${dep#lib} && echo "-l${l%%.so*}" ;;
      esac
    done
    ;;
  esac
}
native_libs=$(system_libs "$QUIRE_TEST_CDYLIB" | tr '\n' ' ')
[ -n "$native_libs" ] || native_libs="-lSystem -lc -lm -framework CoreFoundation"
say "native libraries: $native_libs"

rm -rf "$OUT"
mkdir -p "$OUT/Sources/QuireCoreFFI" "$OUT/Sources/QuireCore" "$OUT/Tests" "$OUT/lib" "$OUT/data" "$OUT/bindgen"
cp "$QUIRE_TEST_STATICLIB" "$OUT/lib/libquire_ffi_tests.a"
# The shared library is read only by the generator; lib/ holds the staticlib alone, so
# the linker cannot pick the shared one.
cp "$QUIRE_TEST_CDYLIB" "$OUT/bindgen/$dylib"
quire_has_test_calls "$OUT/bindgen/$dylib" || die "$QUIRE_TEST_CDYLIB lacks the test-only calls"

say "generating the Swift bindings (library mode)"
"$QUIRE_BINDGEN" generate --library "$OUT/bindgen/$dylib" --language swift \
  --out-dir "$OUT/generated" --no-format >/dev/null
cp "$OUT/generated/QuireCore.swift" "$OUT/Sources/QuireCore/"
cp "$OUT/generated/QuireCoreFFI.h" "$OUT/Sources/QuireCoreFFI/"
{
  echo 'module QuireCoreFFI {'
  echo '    header "QuireCoreFFI.h"'
  echo '    link "quire_ffi_tests"'
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
quire_exports "$OUT/bindgen/$dylib" | grep '^uniffi_quire_ffi_fn_' | sort -u >"$OUT/exports.txt"

say "building test bundles with the quire CLI"
"$QUIRE_CLI" build corpus -o "$OUT/data/builtin.quire" --corpus-id quire-builtin \
  --corpus-version test >/dev/null
"$QUIRE_CLI" gen --count 300 --seed 7 -o "$OUT/data/gen-corpus" >/dev/null
"$QUIRE_CLI" build "$OUT/data/gen-corpus" -o "$OUT/data/generated.quire" --corpus-id generated >/dev/null
rm -rf "$OUT/data/gen-corpus"
cp "$QUIRE_CLI" "$OUT/quire"

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
