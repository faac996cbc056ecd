#!/usr/bin/env bash
# Privacy and supply-chain checks, run by tests/run-all:
#  1. no networking crate in the dependency tree of the core, the bindings or the CLI;
#  2. no profile or config sets panic = "abort" (UniFFI can only turn unwinding panics
#     into exceptions);
#  3. the stripped release cdylib imports no socket or name-resolution function;
#  4. cargo deny: licenses, bans and sources (crates.io only). Advisories need the
#     network and are not checked here: run `cargo deny check advisories` where it is.
set -euo pipefail
cd "$(dirname "$0")/.."
failures=0
fail() {
  printf '[checks] FAIL: %s\n' "$*"
  failures=$((failures + 1))
}
say() { printf '[checks] %s\n' "$*"; }

# 1. Networking crates (the same list deny.toml bans).
banned='reqwest|hyper|ureq|curl|curl-sys|isahc|surf|attohttpc|tungstenite|tokio-tungstenite|h2|h3|quinn|native-tls|openssl|openssl-sys|rustls|socket2|mio|tokio|async-std|smol|trust-dns-resolver|hickory-resolver|libssh2-sys|git2'
for pkg in quire-core quire-ffi quire-cli; do
  found=$(cargo tree --locked -p "$pkg" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u | grep -Ex "$banned" || true)
  if [ -n "$found" ]; then
    fail "$pkg depends on networking crates: $found"
  else
    say "$pkg: $(cargo tree --locked -p "$pkg" -e normal --prefix none --format '{p}' | sort -u | wc -l) crates, none of them networking"
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

# 3. Socket imports of the release library.
cargo build --locked --release -p quire-ffi --quiet
lib=target/release/libquire_ffi.so
socket_fns='socket|socketpair|connect|bind|listen|accept|accept4|getaddrinfo|freeaddrinfo|gethostbyname|gethostbyname2|gethostbyaddr|getnameinfo|getservbyname|send|sendto|sendmsg|sendmmsg|recv|recvfrom|recvmsg|recvmmsg|shutdown|setsockopt|getsockopt|getpeername|getsockname|res_query|res_search|res_init'
imported=$(nm -D --undefined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' | sort -u)
hits=$(printf '%s\n' "$imported" | grep -Ex "$socket_fns" || true)
if [ -n "$hits" ]; then
  fail "$lib imports socket functions: $(echo $hits)"
else
  say "$lib ($(stat -c %s "$lib") bytes, stripped) imports $(printf '%s\n' "$imported" | wc -l) symbols, no socket or resolver function"
fi

# 4. cargo deny.
if ! command -v cargo-deny >/dev/null; then
  say "installing cargo-deny (once; a few minutes)"
  cargo install --locked cargo-deny --version 0.20.2 --quiet
fi
if cargo deny --offline check licenses bans sources 2>&1 | tail -n 1 | grep -q 'bans ok, licenses ok, sources ok'; then
  say "cargo deny: bans ok, licenses ok, sources ok"
else
  cargo deny --offline check licenses bans sources || true
  fail "cargo deny found a problem"
fi

[ "$failures" -eq 0 ]
