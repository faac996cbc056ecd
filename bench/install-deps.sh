#!/usr/bin/env bash
# What the full benchmark needs from Debian beyond the build tools: Xapian's development
# files (the third engine; without them quire-bench builds and skips Xapian) and WordNet's
# database (the real-text corpus; without it the real-text corpora are skipped).
# Run as root; tests/run-all may call it before the quick benchmark.
set -euo pipefail
if ! pkg-config --exists xapian-core 2>/dev/null || [ ! -e /usr/share/wordnet/data.noun ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxapian-dev wordnet-base pkg-config
fi
