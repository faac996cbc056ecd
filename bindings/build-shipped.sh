#!/usr/bin/env bash
# Builds libquire_ffi as the apps ship it, into target/shipped/release/:
#
#  - the release profile (fat LTO, one codegen unit, stripped, panics unwind), optimised
#    for size (opt-level "s": about 5 % slower searches than opt-level 3, 1 MB smaller);
#  - SQLite without what the user-data store never uses: its full-text engines (FTS3,
#    FTS5: Quire searches with tantivy), R-trees, JSON functions, statistics tables,
#    extension loading, deprecated and shared-cache APIs;
#  - on Linux and Android, packed relative relocations (RELR: glibc 2.36, Android 9),
#    which take a third of the relocation table's size.
#
# The Android and iOS builds (CI workflows) use the same settings. The workspace's other
# builds keep SQLite whole: the benchmark compares against FTS5.
# Prints the library's path. Usage: bindings/build-shipped.sh [extra cargo args]
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR=${QUIRE_SHIPPED_TARGET_DIR:-$PWD/target/shipped}
export LIBSQLITE3_FLAGS="-USQLITE_ENABLE_FTS3 -USQLITE_ENABLE_FTS3_PARENTHESIS -USQLITE_ENABLE_FTS5 \
-USQLITE_ENABLE_RTREE -USQLITE_ENABLE_DBSTAT_VTAB -USQLITE_ENABLE_STAT4 -USQLITE_SOUNDEX \
-USQLITE_ENABLE_COLUMN_METADATA -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_OMIT_DEPRECATED \
-DSQLITE_OMIT_SHARED_CACHE -DSQLITE_OMIT_JSON -DSQLITE_OMIT_PROGRESS_CALLBACK \
-DSQLITE_DEFAULT_MEMSTATUS=0"
case "$(uname -s)" in
  Linux) export RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-Wl,-z,pack-relative-relocs" ;;
esac
cargo build --locked --release -p quire-ffi --lib --quiet --config 'profile.release.opt-level="s"' "$@"
echo "$CARGO_TARGET_DIR/release/libquire_ffi.so"
