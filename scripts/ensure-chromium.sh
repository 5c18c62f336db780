#!/usr/bin/env bash
# Make sure Debian's headless-capable Chromium is at /usr/bin/chromium for the browser tests
# (tests/browser.py drives it with Playwright; Playwright's own browser download cannot work here).
# Idempotent and quiet: does nothing when Chromium is already installed.
set -euo pipefail
CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Chromium (Debian package 'chromium') for the browser tests..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "error: installed the 'chromium' package but $CHROMIUM is still missing" >&2
  exit 1
fi
echo "error: $CHROMIUM not found; install Debian's Chromium as root (apt-get install chromium)," >&2
echo "       or set EGKG_SKIP_BROWSER=1 to skip the browser tests" >&2
exit 1
