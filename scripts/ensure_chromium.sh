#!/usr/bin/env bash
# Browser tests use Debian's Chromium (Playwright's own download cannot work offline).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "Chromium is missing at /usr/bin/chromium and cannot be installed (not root); CI needs it." >&2
  exit 1
fi
echo "NOTE: /usr/bin/chromium not found; browser tests will be skipped. Install it with: sudo apt-get install chromium"
