#!/usr/bin/env bash
# The full benchmark of Quire against SQLite FTS5 at its best, raw tantivy and Xapian
# (docs/benchmarks.md): builds first, so that no compiler runs while it measures, then
# quire-bench on 1k, 10k and 100k generated articles and 10k and 100k of real text
# (WordNet), relevance on the judged queries, the size of the library as shipped
# (bindings/build-shipped.sh), and one search through Kotlin/JNA against Rust; then the
# same 10k articles as 1, 5 and 20 content packs searched as one (`quire-bench packs`,
# about a minute; its own section of docs/benchmarks.md and bench/results/packs.json).
#
# Xapian and the real-text corpus need Debian packages (bench/install-deps.sh installs
# them); without them quire-bench leaves those parts out and says so.
#
# Writes bench/results/benchmark.json, bench/results/latency.svg and the generated part
# of docs/benchmarks.md. The measuring takes about 15-20 minutes on 2 cores (plus the
# release builds on a fresh clone); needs about 4 GB of disk under target/ and 3 GB of
# memory.
# Usage: bench/run.sh [quire-bench options, e.g. --sizes 1000,10000 --rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../tests/lib.sh
. tests/lib.sh
export QUIRE_BENCH_COMMAND="bench/run.sh${*:+ $*}"

echo "==> building (release profile: fat LTO, several minutes on a fresh clone)" >&2
bench=$(quire_pick_file '/quire-bench$' "$(quire_cargo_files build --release --quiet -p quire-bench)")
# The Kotlin side: tools, bindings, the release cdylib with the timing call (last step).
bench/kotlin/run.sh prepare
mkdir -p target/quire-bench
# The size is measured on the library as the apps ship it (bindings/build-shipped.sh).
cp "$(quire_shipped_library)" target/quire-bench/libquire_ffi.so
cp "$bench" target/quire-bench/quire-bench

echo "==> measuring" >&2
target/quire-bench/quire-bench \
  --cdylib target/quire-bench/libquire_ffi.so \
  --kotlin bench/kotlin/run.sh "$@"
echo "==> measuring: 1, 5 and 20 packs" >&2
QUIRE_BENCH_COMMAND="bench/run.sh (then quire-bench packs)" exec target/quire-bench/quire-bench packs
