#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the browser tests (tests/browser.py
# drives it headless with Playwright; Playwright's own browser download cannot work here).
# Idempotent and quiet: does nothing when Chromium is already there; ~15 s to install when not.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium (Debian package 'chromium') for the browser tests..." >&2
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  if ! { apt-get update -qq &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "error: apt-get could not install chromium" >&2
    exit 1
  fi
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "error: installed the 'chromium' package but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "error: $CHROMIUM not found and cannot install it (needs root and apt-get):" >&2
echo "       install Debian's 'chromium' package, or set EGKG_SKIP_BROWSER=1 to skip browser tests" >&2
exit 1
