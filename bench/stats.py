"""Percentiles and per-row summaries (pure functions, unit-tested)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between the two
    closest ranks, the same definition as numpy's default ("linear")."""
    if not values:
        return math.nan
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} is outside 0..100")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_summary(latencies_ms: Sequence[float]) -> dict[str, float]:
    return {"n": len(latencies_ms), "p50": percentile(latencies_ms, 50),
            "p95": percentile(latencies_ms, 95), "p99": percentile(latencies_ms, 99)}


def summarize(repeats: Sequence[dict]) -> dict:
    """One row from its measured repeats (each a window of the load generator):
    latencies pooled over the repeats; rates and costs over their summed time."""
    latencies = [x for r in repeats for x in r["latencies_ms"]]
    done = sum(len(r["latencies_ms"]) for r in repeats)
    errors = sum(r["errors"] for r in repeats)
    wall = sum(r["wall_s"] for r in repeats)
    cpu = sum(r["server_cpu_s"] for r in repeats)
    sql = sum(r["sql"] for r in repeats)
    # The state updates' bytes per answered event (repeats written before they were
    # counted have none: then NaN).
    counted = all("delta_bytes" in r for r in repeats)
    delta_bytes = sum(r["delta_bytes"] for r in repeats) if counted else math.nan
    delta_updates = sum(r["delta_updates"] for r in repeats) if counted else math.nan
    per_repeat_p95 = [percentile(r["latencies_ms"], 95) for r in repeats if r["latencies_ms"]]
    events = done + errors
    return {
        **latency_summary(latencies),
        "events_per_s": done / wall if wall else math.nan,
        "errors": errors,
        "cpu_ms_per_event": 1000 * cpu / events if events else math.nan,
        # How much CPU the server got: ~1 at saturation on a quiet machine (one process).
        "server_cores": cpu / wall if wall else math.nan,
        "sql_per_event": sql / events if events else math.nan,
        "delta_bytes_per_event": delta_bytes / done if done else math.nan,
        "delta_updates_per_event": delta_updates / done if done else math.nan,
        "loadgen_core_max": max((r["loadgen_cpu_s"] / r["wall_s"] for r in repeats
                                 if r["wall_s"]), default=math.nan),
        "p95_spread": [min(per_repeat_p95), max(per_repeat_p95)] if per_repeat_p95 else [],
        "p50_median_of_repeats": statistics.median(
            [percentile(r["latencies_ms"], 50) for r in repeats if r["latencies_ms"]] or [math.nan]),
    }


def ratio(a: float, b: float) -> float:
    if not b or math.isnan(a) or math.isnan(b):
        return math.nan
    return a / b
