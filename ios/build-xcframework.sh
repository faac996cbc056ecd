#!/usr/bin/env bash
# Builds what the iOS app links and bundles, on macOS with Xcode and rustup:
#
#   ios/build-xcframework.sh
#     target/ios/QuireCore/     the bindings as a local Swift package, which the app links
#                               (project.yml `packages:`); its manifest is
#                               tests/swift/Package.swift, shared with the Swift tests
#       QuireCoreFFI.xcframework  libquire_ffi.a as the apps ship it (bindings/
#                               build-shipped.sh: release, size options, SQLite trimmed) for
#                               iOS devices (aarch64-apple-ios) and the simulators
#                               (aarch64-apple-ios-sim + x86_64-apple-ios, one fat
#                               library), each slice with the generated C header and a
#                               module map
#       Sources/QuireCore/QuireCore.swift  the generated Swift bindings
#     target/ios/builtin.quire  the built-in corpus (quire build corpus), the app's bundle
#                               resource
#
#   ios/build-xcframework.sh --macos STATICLIB DYLIB HEADER OUT
#     OUT/QuireCoreFFI.xcframework: STATICLIB (a build for this Mac; DYLIB is the shared
#     build of the same code, read for the system libraries it needs) with HEADER and a
#     module map. tests/swift/prepare.sh packages the test library this way, so the Swift
#     tests of the bindings link them as the app does.
#
# The bindings are generated in library mode, by the workspace's uniffi-bindgen, from an
# unstripped host build of the same crate with the same features as the shipped one
# (default features: not the test library, whose bindings call test-only symbols).
# Environment: QUIRE_IOS_OUT (default target/ios), QUIRE_SHIPPED_TARGET_DIR (default
# target/shipped), QUIRE_IOS_HOST_TARGET_DIR (default target/ios-host).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=../tests/lib.sh
. tests/lib.sh

# The app's deployment target (project.yml); the Rust and C objects are built for it.
IOS_MIN=16.0

say() { printf '[ios] %s\n' "$*"; }
die() {
  printf '[ios] error: %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null || die "$1 is needed ($2)"; }

# package_xcframework OUT HEADER FLAGS LIBRARY...
#   Writes OUT/QuireCoreFFI.xcframework: one slice a LIBRARY (static, one platform each),
#   each with HEADER as QuireCoreFFI.h and a module map linking the system libraries of
#   FLAGS (quire_system_libs, as one string).
package_xcframework() {
  local out=$1 header=$2 flags=$3
  shift 3
  local include
  include=$(mktemp -d)
  rm -rf "$out/QuireCoreFFI.xcframework"
  mkdir -p "$out"
  cp "$header" "$include/QuireCoreFFI.h"
  # shellcheck disable=SC2086 # the flags are separate words
  quire_module_map "" $flags >"$include/module.modulemap"
  local args=() lib
  for lib in "$@"; do
    args+=(-library "$lib" -headers "$include")
  done
  xcodebuild -create-xcframework "${args[@]}" -output "$out/QuireCoreFFI.xcframework" >/dev/null
  rm -rf "$include"
  say "wrote $out/QuireCoreFFI.xcframework"
}

if [ "${1:-}" = --macos ]; then
  [ $# -eq 5 ] || die "usage: $0 --macos STATICLIB DYLIB HEADER OUT"
  need xcodebuild "Xcode's command line tools"
  links=$(quire_system_libs "$3" | tr '\n' ' ')
  package_xcframework "$5" "$4" "$links" "$2"
  exit 0
fi
[ $# -eq 0 ] || die "usage: $0 [--macos STATICLIB DYLIB HEADER OUT]"

[ "$(uname -s)" = Darwin ] || die "the iOS library is built on macOS only (Xcode's SDKs and linker)"
need xcodebuild "Xcode"
need lipo "Xcode's command line tools"
need cargo "rustup, https://rustup.rs"
OUT=${QUIRE_IOS_OUT:-$ROOT/target/ios}
SHIPPED=${QUIRE_SHIPPED_TARGET_DIR:-$ROOT/target/shipped}
TARGETS=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
if command -v rustup >/dev/null; then
  installed=$(rustup target list --installed)
  for t in "${TARGETS[@]}"; do
    printf '%s\n' "$installed" | grep -qx "$t" || die "missing Rust target $t: rustup target add ${TARGETS[*]}"
  done
fi
mkdir -p "$OUT"

# 1. The library for each target, as shipped. cc (SQLite) and rustc both read the
#    deployment target from the environment.
export IPHONEOS_DEPLOYMENT_TARGET=$IOS_MIN
for t in "${TARGETS[@]}"; do
  say "building libquire_ffi.a for $t (release, as shipped)"
  QUIRE_SHIPPED_TARGET_DIR=$SHIPPED bindings/build-shipped.sh --target "$t" >/dev/null
done
slice() { printf '%s/%s/release/libquire_ffi.a\n' "$SHIPPED" "$1"; }
mkdir -p "$OUT/simulator"
lipo -create "$(slice aarch64-apple-ios-sim)" "$(slice x86_64-apple-ios)" \
  -output "$OUT/simulator/libquire_ffi.a"

# 2. The bindings, from an unstripped host build of the same crate and features (plus
#    the generator, whose `bindgen` feature changes nothing in the library's API).
export CARGO_TARGET_DIR=${QUIRE_IOS_HOST_TARGET_DIR:-$ROOT/target/ios-host}
say "building the host library and uniffi-bindgen, for the bindings"
files=$(quire_cargo_files build --locked --quiet -p quire-ffi --features bindgen --lib --bin uniffi-bindgen) ||
  die "the host build failed"
host_lib=$(quire_pick_file "/libquire_ffi\.$QUIRE_DYLIB_EXT\$" "$files")
bindgen=$(quire_pick_file '/uniffi-bindgen$' "$files")
PKG=$OUT/QuireCore
rm -rf "$OUT/generated" "$PKG"
"$bindgen" generate --library "$host_lib" --language swift --out-dir "$OUT/generated" --no-format >/dev/null
mkdir -p "$PKG/Sources/QuireCore"
cp "$OUT/generated/QuireCore.swift" "$PKG/Sources/QuireCore/"
cp tests/swift/Package.swift "$PKG/"
if grep -q 'for_tests' "$PKG/Sources/QuireCore/QuireCore.swift"; then
  die "the generated bindings name test-only calls: they would not link against the shipped library"
fi

# 3. The XCFramework; the system libraries are those the device build's own dylib links.
links=$(quire_system_libs "$SHIPPED/aarch64-apple-ios/release/libquire_ffi.dylib" | tr '\n' ' ')
say "system libraries: ${links:-none}"
package_xcframework "$PKG" "$OUT/generated/QuireCoreFFI.h" "$links" \
  "$(slice aarch64-apple-ios)" "$OUT/simulator/libquire_ffi.a"

# 4. The built-in corpus.
say "building the built-in bundle (quire build corpus)"
files=$(quire_cargo_files build --locked --quiet -p quire-cli --bin quire) || die "the CLI build failed"
cli=$(quire_pick_file '/quire$' "$files")
version=$(git describe --always --dirty 2>/dev/null || echo dev)
"$cli" build corpus -o "$OUT/builtin.quire" --corpus-id quire-builtin --corpus-version "$version" >/dev/null
say "ready: the package $PKG and the bundle $OUT/builtin.quire"
