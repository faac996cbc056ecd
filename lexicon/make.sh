#!/usr/bin/env bash
# Rebuilds lexicon/en.txt and lexicon/es.txt, the word lists of each language that
# `quire build` puts in a bundle (docs/bundle-format.md, "lexicon"), from Debian's word
# lists: wamerican (SCOWL, permissive licence) and wspanish (public domain).
# Only words that start in lower case (no names), and no possessive `'s` forms; the
# bundle builder lowercases and folds accents itself. A few everyday words of our
# readers that the lists lack are added from lexicon/*-extra.txt.
# Usage: lexicon/make.sh   (needs: apt-get install wamerican wspanish)
set -euo pipefail
cd "$(dirname "$0")"
for f in /usr/share/dict/american-english /usr/share/dict/spanish; do
  [ -r "$f" ] || { echo "missing $f: apt-get install wamerican wspanish" >&2; exit 1; }
done
export LC_ALL=C.UTF-8
{ grep -E "^[a-z]" /usr/share/dict/american-english | grep -v "'s$"; cat en-extra.txt; } |
  grep -v '^#' | sort -u >en.txt
{ grep -E '^[a-záéíóúñü]' /usr/share/dict/spanish; cat es-extra.txt; } |
  grep -v '^#' | sort -u >es.txt
wc -l en.txt es.txt
