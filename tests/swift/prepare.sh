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
#     QuireCoreFFI.xcframework      on macOS: the same staticlib, header and module map as
#                                   an XCFramework (ios/build-xcframework.sh --macos), which
#                                   Package.swift links instead of Sources/QuireCoreFFI
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
# shared library of the same code was linked against (tests/lib.sh quire_system_libs).
native_libs=$(quire_system_libs "$QUIRE_TEST_CDYLIB" | tr '\n' ' ')
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
# shellcheck disable=SC2086 # the flags are separate words
quire_module_map quire_ffi_tests $native_libs >"$OUT/Sources/QuireCoreFFI/module.modulemap"

# On macOS the package links the test library through an XCFramework, made by the script
# that makes the iOS app's (ios/build-xcframework.sh --macos); Package.swift takes it when
# it is there, else the module map above (Linux, or QUIRE_SWIFT_LINK=modulemap).
if [ "${QUIRE_SWIFT_LINK:-xcframework}" = xcframework ] && command -v xcodebuild >/dev/null; then
  say "packaging the test library as an XCFramework (ios/build-xcframework.sh --macos)"
  ios/build-xcframework.sh --macos "$OUT/lib/libquire_ffi_tests.a" "$OUT/bindgen/$dylib" \
    "$OUT/generated/QuireCoreFFI.h" "$OUT"
fi

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
