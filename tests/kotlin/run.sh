#!/usr/bin/env bash
# Kotlin tests of the Quire bindings, on the JVM, against the real debug cdylib (the test
# library libquire_ffi_tests.so of bindings/testlib: quire-ffi with its test-only calls).
#
# 1. Installs what is missing: kotlinc (npm package `kotlin-compiler`, pinned, into a cache
#    directory) and JNA (Debian's libjna-java). Installs as root on Debian/Ubuntu; elsewhere
#    says what to install and fails.
# 2. Builds the workspace's uniffi-bindgen, the test library and the quire CLI in the one
#    debug build of tests/lib.sh (the same units as `cargo test --workspace`: nothing is
#    compiled again after it).
# 3. Generates the Kotlin bindings (and the Swift ones, to prove generation works) in
#    library mode from the unstripped test library, under target/kotlin-tests/. They are
#    the apps' bindings plus the test-only calls, and load `quire_ffi` by default; the JVM
#    is pointed at the test library with -Duniffi.component.quire_ffi.libraryOverride.
# 4. Builds bundles with the CLI: the built-in corpus, a generated one, and the content
#    packs of tests/fixtures/pack-clinic (signed versions 1 and 2 with the test key
#    tests/fixtures/test-publisher.key, and an unsigned pack).
# 5. Compiles the bindings and tests/kotlin/src/*.kt in one `kotlinc -Werror` run (skipped
#    when nothing changed), runs them with `java -Djna.library.path=…`, prints the count,
#    and the seconds of each stage (tools, cargo, bindings, bundles, kotlinc, run), also
#    kept in target/kotlin-tests/stage-times for tests/run-all's summary.
#
# Exit status: 0 when every test passed. Usage: tests/kotlin/run.sh [name-filter]
# Environment: QUIRE_CACHE_DIR (default ~/.cache/quire), JNA_JAR (default
# /usr/share/java/jna.jar), CARGO (default cargo). QUIRE_KOTLIN_PREPARE_ONLY=1 stops after
# stage 4: the test library, its bindings and the bundles under target/kotlin-tests/ are
# then ready for android/test.sh, which runs the app's tests on them.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
# shellcheck source=../lib.sh
. tests/lib.sh

KOTLIN_VERSION=2.2.21
CACHE=${QUIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire}
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
FILTER=${1:-}

say() { printf '[kotlin] %s\n' "$*"; }
die() {
  printf '[kotlin] error: %s\n' "$*" >&2
  exit 1
}
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  # `apt-get update` only when the package lists do not know the package yet.
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  fi
}

# ---- 1. tools -----------------------------------------------------------------------
t_start=$(date +%s)
if ! command -v java >/dev/null; then
  if can_apt; then
    say "installing a Java runtime (openjdk-17-jre-headless)"
    apt_install openjdk-17-jre-headless
  else
    die "no 'java' on PATH: install a Java 17 runtime (e.g. apt-get install openjdk-17-jre-headless)"
  fi
fi
if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ]; then
  if ! command -v npm >/dev/null; then
    if can_apt; then
      say "installing npm"
      apt_install npm
    else
      die "kotlinc $KOTLIN_VERSION is installed from npm, and npm is missing: install Node.js/npm, or put kotlin-compiler $KOTLIN_VERSION in $KOTLIN_HOME"
    fi
  fi
  say "installing kotlin-compiler@$KOTLIN_VERSION from npm into $CACHE"
  mkdir -p "$CACHE/kotlin-$KOTLIN_VERSION"
  npm install --prefix "$CACHE/kotlin-$KOTLIN_VERSION" --no-audit --no-fund --no-save \
    --loglevel=error "kotlin-compiler@$KOTLIN_VERSION" >/dev/null
  [ -x "$KOTLIN_HOME/bin/kotlinc" ] || die "npm did not install $KOTLIN_HOME/bin/kotlinc"
fi
if [ ! -f "$JNA_JAR" ]; then
  if can_apt; then
    say "installing JNA (libjna-java)"
    apt_install libjna-java
  fi
  [ -f "$JNA_JAR" ] || die "JNA not found at $JNA_JAR: install it (Debian/Ubuntu: apt-get install libjna-java) or set JNA_JAR to a jna.jar (5.x)"
fi
KOTLIN_LIB=$KOTLIN_HOME/lib
for jar in kotlin-stdlib.jar kotlin-test.jar; do
  [ -f "$KOTLIN_LIB/$jar" ] || die "missing $KOTLIN_LIB/$jar (broken kotlin-compiler install? remove $CACHE/kotlin-$KOTLIN_VERSION)"
done
t_tools=$(($(date +%s) - t_start))

# ---- 2. Rust builds -------------------------------------------------------------------
OUT=$ROOT/target/kotlin-tests
mkdir -p "$OUT/lib" "$OUT/data"
rm -f "$OUT/stage-times"
say "building uniffi-bindgen, the test library and the quire CLI (tests/lib.sh)"
quire_debug_build --quiet || die "the debug build failed (tests/lib.sh quire_debug_build)"
# Private copies, so that a later build cannot change what is being tested.
copy_if_changed() { cmp -s "$1" "$2" || cp "$1" "$2"; }
copy_if_changed "$QUIRE_BINDGEN" "$OUT/uniffi-bindgen"
copy_if_changed "$QUIRE_CLI" "$OUT/quire"
rm -f "$OUT/lib/libquire_ffi.so" # the name the test library had before bindings/testlib
copy_if_changed "$QUIRE_TEST_CDYLIB" "$OUT/lib/libquire_ffi_tests.so"
quire_has_test_calls "$OUT/lib/libquire_ffi_tests.so" ||
  die "$QUIRE_TEST_CDYLIB lacks the test-only calls"
t_build=$(($(date +%s) - t_start - t_tools))

# ---- 3. bindings ------------------------------------------------------------------------
t0=$(date +%s)
LIB=$OUT/lib/libquire_ffi_tests.so
GEN=$OUT/generated
so_sum=$(sha256sum "$LIB" "$OUT/uniffi-bindgen" bindings/uniffi.toml | sha256sum | cut -c1-16)
if [ "$(cat "$GEN/.stamp" 2>/dev/null)" != "$so_sum" ]; then
  say "generating Kotlin and Swift bindings (library mode)"
  rm -rf "$GEN"
  mkdir -p "$GEN"
  for lang in kotlin swift; do
    "$OUT/uniffi-bindgen" generate --library "$LIB" --language "$lang" \
      --out-dir "$GEN/$lang" --no-format >/dev/null
  done
  echo "$so_sum" >"$GEN/.stamp"
fi
KT_BINDINGS=$GEN/kotlin/org/quire/core/quire_ffi.kt
[ -f "$KT_BINDINGS" ] || die "no Kotlin bindings at $KT_BINDINGS"
for f in QuireCore.swift QuireCoreFFI.h QuireCoreFFI.modulemap; do
  [ -s "$GEN/swift/$f" ] || die "Swift generation did not produce $f"
done
# The calls the library exports, for the test that checks each one is exercised.
quire_exports "$LIB" | grep '^uniffi_quire_ffi_fn_' >"$OUT/exports.txt"
t_bindings=$(($(date +%s) - t0))

# ---- 4. bundles -------------------------------------------------------------------------
t0=$(date +%s)
data_sum=$( (
  sha256sum "$OUT/quire"
  cat corpus/*.md tests/fixtures/pack-clinic/* tests/fixtures/test-publisher.key
) | sha256sum | cut -c1-16)
if [ "$(cat "$OUT/data/.stamp" 2>/dev/null)" != "$data_sum" ]; then
  say "building test bundles with the quire CLI"
  rm -rf "$OUT/data"
  mkdir -p "$OUT/data"
  "$OUT/quire" build corpus -o "$OUT/data/builtin.quire" --corpus-id quire-builtin \
    --corpus-version test >/dev/null
  "$OUT/quire" gen --count 300 --seed 7 -o "$OUT/data/gen-corpus" >/dev/null
  "$OUT/quire" build "$OUT/data/gen-corpus" -o "$OUT/data/generated.quire" \
    --corpus-id generated >/dev/null
  rm -rf "$OUT/data/gen-corpus"
  # Content packs: v1 and v2 signed by one publisher, and an unsigned pack. The key is a
  # test key kept in the repository (tests/fixtures/test-publisher.key, trusted by no
  # one), so the fingerprint in the screenshots stays the same from run to run.
  cp tests/fixtures/test-publisher.key "$OUT/data/publisher.key"
  pack_src=$OUT/data/pack-src
  for v in 1 2; do
    rm -rf "$pack_src" && cp -r tests/fixtures/pack-clinic "$pack_src"
    sed -i.orig "s/^version = .*/version = $v/" "$pack_src/pack.toml"
    "$OUT/quire" build "$pack_src" -o "$OUT/data/clinic-v$v.quire" --sign "$OUT/data/publisher.key" \
      --no-lexicon >/dev/null
  done
  sed -i.orig 's/^id = .*/id = "org.example.leaflets"/' "$pack_src/pack.toml"
  "$OUT/quire" build "$pack_src" -o "$OUT/data/unsigned.quire" --no-lexicon >/dev/null
  rm -rf "$pack_src"
  echo "$data_sum" >"$OUT/data/.stamp"
fi
t_bundles=$(($(date +%s) - t0))
if [ -n "${QUIRE_KOTLIN_PREPARE_ONLY:-}" ]; then
  say "prepared in $OUT (cargo ${t_build}s, bindings ${t_bindings}s, bundles ${t_bundles}s)"
  exit 0
fi

# ---- 5. compile and run ----------------------------------------------------------------
CP="$KOTLIN_LIB/kotlin-test.jar:$JNA_JAR"
SOURCES=("$KT_BINDINGS" bindings/kotlin/org/quire/core/*.kt tests/kotlin/src/*.kt)
src_sum=$( (
  echo "$KOTLIN_VERSION $JNA_JAR"
  cat "${SOURCES[@]}"
) | sha256sum | cut -c1-16)
JAR=$OUT/quire-kotlin-tests.jar
t_compile=0
if [ "$(cat "$OUT/.jar-stamp" 2>/dev/null)" != "$src_sum" ] || [ ! -f "$JAR" ]; then
  say "compiling ${#SOURCES[@]} Kotlin files (kotlinc $KOTLIN_VERSION, -Werror)"
  t0=$(date +%s)
  rm -f "$JAR" "$OUT/.jar-stamp"
  JAVA_OPTS="-Xss4m ${JAVA_OPTS:-}" "$KOTLIN_HOME/bin/kotlinc" -Werror -jvm-target 17 \
    -classpath "$CP" -d "$JAR" "${SOURCES[@]}" 2>&1 | grep -v '^OpenJDK 64-Bit Server VM warning' || true
  [ -f "$JAR" ] || die "kotlinc failed"
  echo "$src_sum" >"$OUT/.jar-stamp"
  t_compile=$(($(date +%s) - t0))
fi

say "running (tools ${t_tools}s, cargo ${t_build}s, bindings ${t_bindings}s, bundles ${t_bundles}s, kotlinc ${t_compile}s)"
WORK=$OUT/work
rm -rf "$WORK"
mkdir -p "$WORK"
t0=$(date +%s)
status=0
RUST_BACKTRACE=0 java -Xss4m -Djna.library.path="$OUT/lib" \
  -Duniffi.component.quire_ffi.libraryOverride=quire_ffi_tests \
  -Dquire.cli="$OUT/quire" \
  -Dquire.builtinBundle="$OUT/data/builtin.quire" \
  -Dquire.generatedBundle="$OUT/data/generated.quire" \
  -Dquire.packDir="$OUT/data" \
  -Dquire.work="$WORK" \
  -Dquire.testSources="$ROOT/tests/kotlin/src" \
  -Dquire.exports="$OUT/exports.txt" \
  -Dquire.filter="$FILTER" \
  -cp "$JAR:$KOTLIN_LIB/kotlin-stdlib.jar:$CP" org.quire.tests.HarnessKt || status=$?
t_run=$(($(date +%s) - t0))
times="tools ${t_tools} s, cargo ${t_build} s, bindings ${t_bindings} s, bundles ${t_bundles} s, kotlinc ${t_compile} s, run ${t_run} s"
echo "$times" >"$OUT/stage-times"
say "stages: $times"
exit "$status"
