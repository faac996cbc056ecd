#!/usr/bin/env bash
# The full benchmark of Quire against SQLite FTS5 (docs/benchmarks.md): builds first, so
# that no compiler runs while it measures, then quire-bench on 1k, 10k and 100k articles,
# the size of the library as shipped (bindings/build-shipped.sh), and one search through
# Kotlin/JNA against Rust.
#
# Writes bench/results/benchmark.json, bench/results/latency.svg and the generated part
# of docs/benchmarks.md. Takes about 15 minutes on 2 cores (plus the release builds on a
# fresh clone); needs about 2 GB of disk under target/ and 3 GB of memory.
# Usage: bench/run.sh [quire-bench options, e.g. --sizes 1000,10000 --rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tests/lib.sh
. tests/lib.sh
export QUIRE_BENCH_COMMAND="bench/run.sh${*:+ $*}"

echo "==> building (release profile: fat LTO, several minutes on a fresh clone)" >&2
bench=$(quire_pick_file '/quire-bench$' "$(quire_cargo_files build --release --quiet -p quire-bench)")
# The Kotlin side: tools, bindings, the release cdylib as shipped (its last step).
bench/kotlin/run.sh prepare
mkdir -p target/quire-bench
# The size is measured on the library as the apps ship it (bindings/build-shipped.sh).
cp "$(quire_shipped_library)" target/quire-bench/libquire_ffi.so
cp "$bench" target/quire-bench/quire-bench

echo "==> measuring" >&2
exec target/quire-bench/quire-bench \
  --cdylib target/quire-bench/libquire_ffi.so \
  --kotlin bench/kotlin/run.sh "$@"
