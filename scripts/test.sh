#!/usr/bin/env bash
# `make test`: lint, then the suite in three steps, each timed:
#   1. unit, state and HTTP tests in parallel (pytest-xdist, one process per core); the
#      `serial` ones (process kills, concurrency, PostgreSQL) one at a time on one worker;
#   2. the `timing` ones (they time the code) alone, with nothing else running;
#   3. the browser suite (builds and serves the app once per mode).
# `make test STEPS="parallel timing"` runs only those steps; `make test-fast` is that.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${BIN:-.venv/bin}"
STEPS="${STEPS:-lint parallel timing browser}"
WORKERS="${PYTEST_WORKERS:-$(nproc 2>/dev/null || echo 2)}"
REPORTS="$(mktemp -d)"
trap 'rm -rf "$REPORTS"' EXIT
FAST=(tests/unit tests/state tests/api)
status=0
summary=()

run_step() {  # name, then the command
    local name="$1"; shift
    local start=$SECONDS rc=0
    echo "== $name: $*"
    "$@" || rc=$?
    [[ $rc -eq 5 ]] && rc=0  # pytest: nothing selected in this step
    local took=$((SECONDS - start))
    summary+=("$(printf '%-9s %4d s  %s' "$name" "$took" "$([[ $rc -eq 0 ]] && echo ok || echo "FAILED ($rc)")")")
    [[ $rc -ne 0 ]] && status=1
    return 0
}

for step in $STEPS; do
    case "$step" in
        lint) run_step lint "$BIN/ruff" check --no-cache . ;;
        parallel) run_step parallel "$BIN/python" -m pytest -p no:cacheprovider -q -n "$WORKERS" \
            --dist loadgroup -m "not timing" --junitxml="$REPORTS/parallel.xml" "${FAST[@]}" ;;
        timing) mapfile -t TIMED < <(grep -rl --include='test_*.py' "mark.timing" "${FAST[@]}")
            run_step timing "$BIN/python" -m pytest -p no:cacheprovider -q -m timing \
            --junitxml="$REPORTS/timing.xml" "${TIMED[@]}" ;;
        browser) run_step browser "$BIN/python" -m pytest -p no:cacheprovider -q \
            --junitxml="$REPORTS/browser.xml" tests/e2e ;;
        *) echo "unknown step $step (lint, parallel, timing, browser)"; exit 2 ;;
    esac
done

echo "== time per step"
printf '%s\n' "${summary[@]}"
# One closing line for the whole run, summed over the steps' reports.
"$BIN/python" - "$REPORTS" <<'EOF'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
for report in sorted(Path(sys.argv[1]).glob("*.xml")):
    for suite in ET.parse(report).getroot().iter("testsuite"):
        for key in totals:
            totals[key] += int(suite.get(key, 0))
failed = totals["failures"] + totals["errors"]
passed = totals["tests"] - failed - totals["skipped"]
print(f"{passed} passed, {failed} failed, {totals['skipped']} skipped")
EOF
exit $status
