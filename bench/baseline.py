"""The "before this issue" column: each row's CPU ÷ trivial from a run of `make bench`
recorded before the issue's work began (bench/results/baseline_issue18.json, the
bench.json of main at the start of issue 18), set beside the same run's own ratio.

The baseline's ratio is its own run's (its action against its trivial event, side by
side in that run), so the two columns compare ratios, never absolute times."""

from __future__ import annotations

import json
import math
from pathlib import Path

FILE = "baseline_issue18.json"
LABEL = "before this issue"


def load(path: Path) -> dict:
    """{"file", "started_at", "rows"} of the baseline run, or {"file", "missing": why}."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {"file": path.name, "missing": f"{path.name} not found"}
    except (OSError, ValueError) as exc:
        return {"file": path.name, "missing": f"{path.name} unreadable: {exc}"}
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return {"file": path.name, "missing": f"{path.name} has no rows"}
    return {"file": path.name, "started_at": data.get("started_at", "?"), "rows": rows}


def cpu_ratio(baseline: dict, point: str, server: str, action: str) -> float:
    """The baseline's CPU ÷ trivial for this point, server and action; NaN where it
    has no such row (an action added since) or no ratio (JSON null)."""
    for row in baseline.get("rows") or ():
        if row.get("point") == point and row.get("server") == server and row.get(
                "action") == action:
            value = (row.get("ratios") or {}).get("cpu_vs_trivial")
            return float(value) if isinstance(value, int | float) else math.nan
    return math.nan


def add_before(rows: list[dict], baseline: dict) -> None:
    """Per row (after `report.add_ratios`): `ratios["cpu_vs_trivial_before"]`."""
    for row in rows:
        row["ratios"]["cpu_vs_trivial_before"] = cpu_ratio(
            baseline, row["point"], row["server"], row["action"])


def note(baseline: dict | None) -> str:
    """The sentence under the tables saying where the column comes from."""
    if not baseline:
        return ""
    if baseline.get("missing"):
        return (f"\"CPU ÷ trivial ({LABEL})\" is empty: {baseline['missing']} "
                "(bench/results/; see bench/baseline.py).")
    return (f"\"CPU ÷ trivial ({LABEL})\": the same row's ratio in the run of "
            f"{baseline['started_at']} recorded before issue 18's work "
            f"(bench/results/{baseline['file']}); – where that run had no such row.")
