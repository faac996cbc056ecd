#!/usr/bin/env bash
# Privacy rules of the iOS app that can be checked by reading its sources (runs anywhere;
# the workflow runs it, and it is the one part of ios/ that runs on Linux):
#
#  - no logging at all: no print, debugPrint, dump, NSLog, os_log or Logger in the app
#    (nothing of what is read or searched can reach a log);
#  - no network code path: no URLSession, URLRequest, Network framework, sockets or web
#    views (links out of the app are handed to the system after asking);
#  - every text field keeps the keyboard from learning: no SwiftUI TextField,
#    SecureField, TextEditor or .searchable (they cannot turn off inline prediction and
#    smart punctuation), only PrivateTextField and PrivateTextView;
#  - the Info.plist in project.yml has no transport-security exception and no background
#    mode.
# Prints what it found and fails if anything was.
set -euo pipefail
cd "$(dirname "$0")"
status=0

forbid() { # what, extended regex, paths...
  local what=$1 pattern=$2
  shift 2
  local found
  found=$(grep -rnE --include='*.swift' "$pattern" "$@" || true)
  if [ -n "$found" ]; then
    printf 'ios/check-sources.sh: %s:\n%s\n' "$what" "$found" >&2
    status=1
  fi
}

forbid "logging" '(^|[^A-Za-z_.])(print|debugPrint|dump|NSLog|os_log)\(|Logger\(|import os(\.log)?$|import OSLog' Quire
forbid "network code" 'URLSession|URLRequest|import Network|NWConnection|NWPathMonitor|CFSocket|CFStream|WKWebView|SFSafariViewController|import WebKit' Quire
forbid "a text field that lets the keyboard learn" '(^|[^A-Za-z_])(TextField|SecureField|TextEditor)\(|\.searchable\(' Quire
if grep -nE 'NSAppTransportSecurity|NSAllowsArbitraryLoads|UIBackgroundModes' project.yml >&2; then
  echo "ios/check-sources.sh: project.yml asks for network exceptions or background modes" >&2
  status=1
fi

[ "$status" -eq 0 ] && echo "ios/check-sources.sh: no logging, no network code, every field private"
exit "$status"
