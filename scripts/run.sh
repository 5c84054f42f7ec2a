#!/usr/bin/env bash
# Migrate, seed demo data on an empty database, build and serve the portal.
set -euo pipefail
cd "$(dirname "$0")/.."
portal migrate
if [ "${PORTAL_ENV:-dev}" != "production" ]; then
  portal seed-demo
fi
base="${PORTAL_BASE_URL:-http://127.0.0.1:${PORT:-3000}}"
mailbox="${base}/dev/mailbox"
cat <<MSG

  Client portal:  ${base}/login      (demo client: client@demo.test)
  Staff console:  ${base}/console/login
  Sign-in codes:  ${mailbox}   (dev mailbox; PORTAL_EMAIL_BACKEND switches it)
  Staff password and TOTP: data/demo-credentials.txt

  Building the frontend (about 20 s), then serving on port ${PORT:-3000}. Ctrl+C stops.

MSG
exec reflex run --env prod --single-port --loglevel warning
