#!/usr/bin/env bash
# The browser suite's scale mode puts Debian's nginx in front of two portal nodes
# (tests/e2e/two_nodes.py); it runs its own nginx process, never the system service.
set -euo pipefail
NGINX="${PORTAL_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
if [ -x "$NGINX" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's nginx for the browser tests..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  exit 0
fi
if [ "${CI:-}" = "true" ]; then
  echo "nginx is missing and cannot be installed (not root); CI needs it." >&2
  exit 1
fi
echo "NOTE: nginx not found; the browser tests' scale mode will be skipped. Install it with: sudo apt-get install nginx"
