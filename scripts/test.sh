#!/usr/bin/env bash
# `make test`: lint, then the suite in three steps, each timed:
#   1. unit, state and HTTP tests in parallel (pytest-xdist, one process per core); the
#      `serial` ones (process kills, concurrency, PostgreSQL) one at a time on one worker;
#   2. the `timing` ones (they time the code) alone, with nothing else running;
#   3. the browser suite (builds and serves the app once per mode).
# When both the parallel and the browser steps run, the timing step goes first and the
# other two run side by side: the browser suite mostly waits (a browser, a server and
# a person's pace: about half a core), so the parallel step runs on what it leaves
# idle (not niced: its kill tests bound their own wall time, and a niced step lost
# that race on a loaded machine); the browser step's output follows the parallel
# step's. OVERLAP=0 runs the steps one after the other, in the order given.
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

step_command() {  # the command of a step, in CMD
    case "$1" in
        lint) CMD=("$BIN/ruff" check --no-cache .) ;;
        parallel) CMD=("$BIN/python" -m pytest -p no:cacheprovider -q -n "$WORKERS"
            --dist loadgroup -m "not timing" --junitxml="$REPORTS/parallel.xml" "${FAST[@]}") ;;
        timing) mapfile -t TIMED < <(grep -rl --include='test_*.py' "mark.timing" "${FAST[@]}")
            CMD=("$BIN/python" -m pytest -p no:cacheprovider -q -m timing
            --junitxml="$REPORTS/timing.xml" "${TIMED[@]}") ;;
        browser) CMD=("$BIN/python" -m pytest -p no:cacheprovider -q
            --junitxml="$REPORTS/browser.xml" tests/e2e) ;;
        *) echo "unknown step $1 (lint, parallel, timing, browser)"; exit 2 ;;
    esac
}

has_step() { [[ " $STEPS " == *" $1 "* ]]; }
for step in $STEPS; do step_command "$step"; done  # an unknown step stops here

if [[ "${OVERLAP:-1}" != 0 ]] && has_step parallel && has_step browser; then
    for step in lint timing; do
        has_step "$step" && { step_command "$step"; run_step "$step" "${CMD[@]}"; }
    done
    start=$SECONDS
    step_command browser
    echo "== browser (alongside parallel; its output after the parallel step's): ${CMD[*]}"
    (b0=$SECONDS; rc=0; "${CMD[@]}" >"$REPORTS/browser.log" 2>&1 || rc=$?
     echo "$rc $((SECONDS - b0))" >"$REPORTS/browser.done") &
    browser_pid=$!
    step_command parallel
    run_step parallel "${CMD[@]}"
    wait "$browser_pid"
    cat "$REPORTS/browser.log"
    read -r rc took <"$REPORTS/browser.done"
    [[ $rc -eq 5 ]] && rc=0
    summary+=("$(printf '%-9s %4d s  %s' browser "$took" "$([[ $rc -eq 0 ]] && echo ok || echo "FAILED ($rc)")")")
    summary+=("$(printf '%-9s %4d s  %s' "" "$((SECONDS - start))" "parallel and browser side by side")")
    [[ $rc -ne 0 ]] && status=1
else
    for step in $STEPS; do
        step_command "$step"
        run_step "$step" "${CMD[@]}"
    done
fi

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
