#!/usr/bin/env bash
# Kotlin/JNA side of quire-bench: one search through the generated UniFFI bindings over
# the release cdylib.
#
#   bench/kotlin/run.sh prepare
#       Installs kotlinc and JNA and builds uniffi-bindgen by running the Kotlin test
#       script (tests/kotlin/run.sh, one trivial test), builds the release cdylib,
#       generates Kotlin bindings from it (library mode: its dynamic symbol table keeps
#       UniFFI's metadata) and compiles bench/kotlin/src/Bench.kt with them.
#   bench/kotlin/run.sh run <bundle> <queries file> <warm-up calls> <timed calls>
#       Runs the benchmark and prints its JSON (see Bench.kt).
#
# The bindings the tests use come from the debug library built with the `test-panic`
# feature; they declare test-only calls the release library does not have (UniFFI checks
# every call's checksum when the library loads), hence bindings of our own, generated
# by the workspace's uniffi-bindgen that the test script builds.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/target/quire-bench/kotlin
KOTLIN_VERSION=$(sed -n 's/^KOTLIN_VERSION=//p' tests/kotlin/run.sh)
CACHE=${QUIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire}
KOTLIN_HOME=$CACHE/kotlin-$KOTLIN_VERSION/node_modules/kotlin-compiler
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
CARGO=${CARGO:-cargo}
JAR=$OUT/bench.jar

say() { printf '[kotlin-bench] %s\n' "$*" >&2; }

case "${1:-}" in
prepare)
  say "installing tools and building uniffi-bindgen (tests/kotlin/run.sh, one test)"
  tests/kotlin/run.sh "quireVersion" >&2
  BINDGEN=$ROOT/target/kotlin-tests/uniffi-bindgen
  [ -x "$BINDGEN" ] && [ -x "$KOTLIN_HOME/bin/kotlinc" ] && [ -f "$JNA_JAR" ] || {
    say "tests/kotlin/run.sh did not leave uniffi-bindgen, kotlinc and JNA where expected"
    exit 1
  }
  # Bindings are generated in library mode from the library's metadata symbols, which
  # the release profile strips: generate them from a release build of the same code
  # linked without stripping (`cargo rustc` changes the final link of quire-ffi only),
  # then load the release library as shipped, stripped.
  say "building the release cdylib unstripped, for the bindings generator"
  "$CARGO" rustc --release --quiet -p quire-ffi --lib --crate-type cdylib -- -C strip=none >&2
  mkdir -p "$OUT/lib" "$OUT/meta"
  cp target/release/libquire_ffi.so "$OUT/meta/libquire_ffi.so"
  say "building the release cdylib as shipped"
  "$CARGO" build --release --quiet -p quire-ffi --lib >&2
  cp target/release/libquire_ffi.so "$OUT/lib/libquire_ffi.so"
  for so in "$OUT/meta/libquire_ffi.so" "$OUT/lib/libquire_ffi.so"; do
    if nm -D --defined-only "$so" | grep -q panic_for_tests; then
      say "$so was built with test-only calls (a concurrent build with other features?): run again"
      exit 1
    fi
  done
  rm -rf "$OUT/generated"
  "$BINDGEN" generate --library "$OUT/meta/libquire_ffi.so" --language kotlin --no-format \
    --out-dir "$OUT/generated" >&2
  BINDINGS=$OUT/generated/org/quire/core/quire_ffi.kt
  [ -f "$BINDINGS" ] || BINDINGS=$(find "$OUT/generated" -name quire_ffi.kt | head -n 1)
  [ -f "$BINDINGS" ] || { say "no Kotlin bindings generated"; exit 1; }
  sum=$(cat "$BINDINGS" bench/kotlin/src/*.kt | sha256sum | cut -c1-16)
  if [ "$(cat "$OUT/.jar-stamp" 2>/dev/null)" != "$sum" ] || [ ! -f "$JAR" ]; then
    say "compiling the benchmark (kotlinc $KOTLIN_VERSION)"
    rm -f "$JAR"
    JAVA_OPTS="-Xss4m ${JAVA_OPTS:-}" "$KOTLIN_HOME/bin/kotlinc" -Werror -jvm-target 17 \
      -classpath "$JNA_JAR" -d "$JAR" "$BINDINGS" bench/kotlin/src/*.kt 2>&1 |
      grep -v '^OpenJDK 64-Bit Server VM warning' >&2 || true
    [ -f "$JAR" ] || { say "kotlinc failed"; exit 1; }
    echo "$sum" >"$OUT/.jar-stamp"
  fi
  ;;
run)
  shift
  [ -f "$JAR" ] || { say "run '$0 prepare' first"; exit 1; }
  exec java -Xss4m -Djna.library.path="$OUT/lib" \
    -cp "$JAR:$KOTLIN_HOME/lib/kotlin-stdlib.jar:$JNA_JAR" org.quire.bench.BenchKt "$@"
  ;;
*)
  echo "usage: $0 prepare | run <bundle> <queries> <warmup> <count>" >&2
  exit 2
  ;;
esac
