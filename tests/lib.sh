# Shell helpers shared by the test and build scripts (sourced, never run):
# tests/run-all, tests/checks.sh, tests/kotlin/run.sh, tests/swift/prepare.sh,
# bindings/checks.sh and bench/kotlin/run.sh.
#
# The one way to build what the tests of the bindings need is `quire_debug_build`: one
# cargo invocation with the selection every debug build of the test command uses
# (QUIRE_DEBUG_SELECTION), so that each dependency compiles once, with one feature set,
# and `cargo test --workspace` and the Kotlin and Swift tests share every compiled unit.
# The test library is the crate bindings/testlib (`libquire_ffi_tests`, quire-ffi with its
# `test-panic` feature): a file name of its own, so that it never stands where the
# shipped `libquire_ffi` is looked for, nor the other way round.
#
# Environment: CARGO (default cargo).

QUIRE_CARGO=${CARGO:-cargo}

# What every debug build of the test command selects: the whole workspace, every target,
# hence the same packages, targets and features as `cargo test --workspace` and
# `cargo clippy --workspace --all-targets`. In it quire-ffi has the features the test
# library turns on (`test-panic`, and `bindgen` for the workspace's uniffi-bindgen);
# the library the apps ship is built apart (bindings/build-shipped.sh: `-p quire-ffi`,
# default features, its own target directory).
QUIRE_DEBUG_SELECTION=(--workspace --all-targets)

# Shared-library suffix of this platform.
case "$(uname -s)" in
Darwin) QUIRE_DYLIB_EXT=dylib ;;
*) QUIRE_DYLIB_EXT=so ;;
esac

# quire_cargo_files COMMAND CARGO-ARGS...
#   Runs `cargo COMMAND CARGO-ARGS...` (build or rustc) with JSON messages (diagnostics
#   still rendered on stderr) and prints every file cargo reports for the units it built
#   or found up to date, one a line. Fails when cargo fails.
quire_cargo_files() {
  local json command=$1
  shift
  json=$("$QUIRE_CARGO" "$command" --message-format=json-render-diagnostics "$@") || return 1
  printf '%s\n' "$json" | grep '"reason":"compiler-artifact"' |
    grep -o '"filenames":\[[^]]*\]' | sed 's/^"filenames":\[//; s/\]$//' |
    tr ',' '\n' | sed 's/^"//; s/"$//'
}

# quire_pick_file ERE FILES
#   Prints the last line of FILES (a list from quire_cargo_files) matching ERE; fails, and
#   says so on stderr, when none does.
quire_pick_file() {
  local found
  found=$(printf '%s\n' "$2" | grep -E "$1" | tail -n 1)
  if [ -z "$found" ]; then
    printf 'cargo reported no file matching %s\n' "$1" >&2
    return 1
  fi
  printf '%s\n' "$found"
}

# quire_has_test_calls LIBRARY
#   Succeeds when the shared library exports the test-only calls of `test-panic`.
quire_has_test_calls() {
  # No `grep -q`: under pipefail, nm's broken pipe would fail the test.
  quire_exports "$1" | grep '^uniffi_quire_ffi_fn_.*for_tests$' >/dev/null
}

# quire_exports LIBRARY
#   The names of the symbols a shared library defines and exports, one a line (without
#   the leading underscore of Mach-O).
quire_exports() {
  case "$QUIRE_DYLIB_EXT" in
  dylib) nm -gU "$1" | awk '{print $NF}' | sed 's/^_//' ;;
  *) nm -D --defined-only "$1" | awk '{print $3}' ;;
  esac
}

# quire_debug_build [CARGO-ARGS...]
#   Builds QUIRE_DEBUG_SELECTION (debug profile; CARGO-ARGS are added, e.g. --quiet) and
#   sets the paths of what the tests use, as cargo reported them:
#     QUIRE_TEST_CDYLIB     libquire_ffi_tests.so (.dylib): the bindings with the test calls
#     QUIRE_TEST_STATICLIB  libquire_ffi_tests.a, the same as a static library
#     QUIRE_BINDGEN         the workspace's uniffi-bindgen
#     QUIRE_CLI             the quire CLI
#     QUIRE_BENCH           quire-bench
#   Fails when cargo fails, when one of them is missing, or when the test library lacks
#   the test-only calls.
quire_debug_build() {
  local files
  files=$(quire_cargo_files build "${QUIRE_DEBUG_SELECTION[@]}" "$@") || return 1
  QUIRE_TEST_CDYLIB=$(quire_pick_file "/libquire_ffi_tests\.$QUIRE_DYLIB_EXT\$" "$files") &&
    QUIRE_TEST_STATICLIB=$(quire_pick_file '/libquire_ffi_tests\.a$' "$files") &&
    QUIRE_BINDGEN=$(quire_pick_file '/uniffi-bindgen$' "$files") &&
    QUIRE_CLI=$(quire_pick_file '/quire$' "$files") &&
    QUIRE_BENCH=$(quire_pick_file '/quire-bench$' "$files") || return 1
  if ! quire_has_test_calls "$QUIRE_TEST_CDYLIB"; then
    printf '%s lacks the test-only calls of feature test-panic\n' "$QUIRE_TEST_CDYLIB" >&2
    return 1
  fi
}

# quire_shipped_library
#   Builds the library as the apps ship it (bindings/build-shipped.sh: release, size
#   options, its own target directory, default features) and prints its path.
quire_shipped_library() {
  "$(dirname "${BASH_SOURCE[0]}")/../bindings/build-shipped.sh"
}

# quire_system_libs LIBRARY
#   The system libraries and frameworks a shared build of the Quire library links (its
#   load commands on macOS, its NEEDED entries elsewhere), one a line as linker flags
#   (`-lSystem`, `-framework CoreFoundation`), the Quire library itself left out. What a
#   static build of the same code needs too, so no second rustc run has to print it.
quire_system_libs() {
  case "$QUIRE_DYLIB_EXT" in
  dylib)
    otool -L "$1" | tail -n +2 | awk '{print $1}' | while read -r dep; do
      case $dep in
      */libquire_ffi*.dylib | @rpath/*) ;;
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

# quire_module_map LIBRARY-NAME FLAGS...
#   Prints the module map of the C side of the Swift bindings (`QuireCoreFFI`): the
#   generated header, a `link` line for LIBRARY-NAME unless it is empty (an XCFramework
#   links its own library), and one for each linker flag of quire_system_libs.
quire_module_map() {
  local name=$1
  shift
  echo 'module QuireCoreFFI {'
  echo '    header "QuireCoreFFI.h"'
  [ -z "$name" ] || echo "    link \"$name\""
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
}
