#!/usr/bin/env bash
# Kotlin tests of the Quire bindings, on the JVM, against the real debug cdylib.
#
# 1. Installs what is missing: kotlinc (npm package `kotlin-compiler`, pinned, into a cache
#    directory) and JNA (Debian's libjna-java). Installs as root on Debian/Ubuntu; elsewhere
#    says what to install and fails.
# 2. Builds the workspace's uniffi-bindgen, the debug cdylib with the `test-panic` feature,
#    and the quire CLI.
# 3. Generates the Kotlin bindings (and the Swift ones, to prove generation works) in
#    library mode from the unstripped cdylib, under target/kotlin-tests/.
# 4. Builds bundles with the CLI: the built-in corpus, and a generated one.
# 5. Compiles the bindings and tests/kotlin/src/*.kt in one `kotlinc -Werror` run (skipped
#    when nothing changed), runs them with `java -Djna.library.path=…`, prints the count.
#
# Exit status: 0 when every test passed. Usage: tests/kotlin/run.sh [name-filter]
# Environment: QUIRE_CACHE_DIR (default ~/.cache/quire), JNA_JAR (default
# /usr/share/java/jna.jar), CARGO (default cargo).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

KOTLIN_VERSION=2.2.21
CACHE=${QUIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire}
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
CARGO=${CARGO:-cargo}
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

# Prints the path of the artifact ending in `suffix` that a cargo command (build or
# rustc, with its arguments) produced, from cargo's JSON messages.
artifact() {
  local suffix=$1
  shift
  local command=$1
  shift
  "$CARGO" "$command" --quiet --message-format=json-render-diagnostics "$@" |
    grep '"reason":"compiler-artifact"' |
    grep -o '"filenames":\[[^]]*\]' | tr ',' '\n' | tr -d '"[]' | sed 's/^filenames://' |
    grep -E "$suffix\$" | tail -n 1
}
has_test_calls() { nm -D --defined-only "$1" | grep panic_for_tests >/dev/null; }
say "building uniffi-bindgen, the cdylib (feature test-panic) and the quire CLI"
BINDGEN_BUILT=$(artifact '/uniffi-bindgen' build -p quire-ffi --features bindgen --bin uniffi-bindgen)
CLI_BUILT=$(artifact '/quire' build -p quire-cli --bin quire)
SO_BUILT=$(artifact '/libquire_ffi\.so' build -p quire-ffi --features test-panic --lib)
[ -n "$BINDGEN_BUILT" ] && [ -n "$SO_BUILT" ] && [ -n "$CLI_BUILT" ] ||
  die "cargo did not report the artifacts (bindgen='$BINDGEN_BUILT' so='$SO_BUILT' cli='$CLI_BUILT')"
# Private copies, taken right after each build and checked.
copy_if_changed() { cmp -s "$1" "$2" || cp "$1" "$2"; }
copy_if_changed "$BINDGEN_BUILT" "$OUT/uniffi-bindgen"
copy_if_changed "$CLI_BUILT" "$OUT/quire"
copy_if_changed "$SO_BUILT" "$OUT/lib/libquire_ffi.so"
if ! has_test_calls "$OUT/lib/libquire_ffi.so"; then
  # A cdylib's file name carries no hash, so every feature set of quire-ffi (cargo test's,
  # clippy's, the bindgen binary's, ours) writes the same file, and cargo may call ours up
  # to date while the file holds another one. Rebuild ours under a one-off --cfg (which
  # changes no code) so cargo must write it, and copy it at once.
  say "the shared libquire_ffi.so holds another feature set: rebuilding ours"
  SO_BUILT=$(artifact '/libquire_ffi\.so' rustc -p quire-ffi --features test-panic --lib \
    --crate-type cdylib -- --cfg "quire_ffi_rebuild_$(date +%s%N)")
  cp "$SO_BUILT" "$OUT/lib/libquire_ffi.so"
  has_test_calls "$OUT/lib/libquire_ffi.so" ||
    die "$SO_BUILT lacks the test-panic calls (a concurrent build with other features?): run again"
fi
t_build=$(($(date +%s) - t_start - t_tools))

# ---- 3. bindings ------------------------------------------------------------------------
GEN=$OUT/generated
so_sum=$(sha256sum "$OUT/lib/libquire_ffi.so" "$OUT/uniffi-bindgen" bindings/uniffi.toml | sha256sum | cut -c1-16)
if [ "$(cat "$GEN/.stamp" 2>/dev/null)" != "$so_sum" ]; then
  say "generating Kotlin and Swift bindings (library mode)"
  rm -rf "$GEN"
  mkdir -p "$GEN"
  for lang in kotlin swift; do
    "$OUT/uniffi-bindgen" generate --library "$OUT/lib/libquire_ffi.so" --language "$lang" \
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
nm -D --defined-only "$OUT/lib/libquire_ffi.so" | awk '{print $3}' | grep '^uniffi_quire_ffi_fn_' >"$OUT/exports.txt"

# ---- 4. bundles -------------------------------------------------------------------------
data_sum=$( (
  sha256sum "$OUT/quire"
  cat corpus/*.md
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
  echo "$data_sum" >"$OUT/data/.stamp"
fi

# ---- 5. compile and run ----------------------------------------------------------------
CP="$KOTLIN_LIB/kotlin-test.jar:$JNA_JAR"
SOURCES=("$KT_BINDINGS" tests/kotlin/src/*.kt)
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

say "running (tools ${t_tools}s, cargo ${t_build}s, kotlinc ${t_compile}s)"
WORK=$OUT/work
rm -rf "$WORK"
mkdir -p "$WORK"
RUST_BACKTRACE=0 exec java -Xss4m -Djna.library.path="$OUT/lib" \
  -Dquire.cli="$OUT/quire" \
  -Dquire.builtinBundle="$OUT/data/builtin.quire" \
  -Dquire.generatedBundle="$OUT/data/generated.quire" \
  -Dquire.work="$WORK" \
  -Dquire.testSources="$ROOT/tests/kotlin/src" \
  -Dquire.exports="$OUT/exports.txt" \
  -Dquire.filter="$FILTER" \
  -cp "$JAR:$KOTLIN_LIB/kotlin-stdlib.jar:$CP" org.quire.tests.HarnessKt
