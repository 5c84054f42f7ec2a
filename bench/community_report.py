"""The storm's lines in the bench report (bench/report.py, bench/results/bench.md)."""

from __future__ import annotations

SETTLE_S = 60.0  # bench/community_storm.py's: a pair not shown by then is missing


def _f(value, digits: int = 1, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def markdown(result: dict) -> list[str]:
    """The lines of the bench report (bench/report.py) for the storm."""
    head = ["", "## Community: a post storm in one group (bench/community_storm.py)", ""]
    if result.get("skipped"):
        return [*head, f"Not measured: {result['skipped']}."]
    t = result["trivial_before"]
    out = head + [
        f"{result['storm_tabs']} members' tabs open on the storm group's feed, "
        f"{result['quiet_tabs']} other members' tabs on a quiet group's; all {result['storm_tabs']} "
        "send one post at the same moment; "
        f"{result['repeats']} storms, latencies pooled. Floor: the trivial event from the quiet "
        f"tabs just before each storm, p50 {_f(t['p50'], 2)} ms, p95 {_f(t['p95'], 2)} ms "
        f"(n={t['n']}). A post counts as shown in a tab when its feed shows it or a later post.",
        "", "| what | n | p50 ms | p95 ms | max ms | p95 ÷ trivial |", "|---|---:|---:|---:|---:|---:|"]

    def row(label, s):
        out.append(f"| {label} | {s['n']} | {_f(s['p50'], 1)} | {_f(s['p95'], 1)} | "
                   f"{_f(s.get('max'), 1)} | {_f(s.get('p95_vs_trivial'), 1, '×')} |")

    row("storm: a post shown in every other open storm tab (send → delta)", result["feed_update"])
    row("storm: the poster's own answer", result["own_answer"])
    row("quiet group, trivial event during the storm", result["trivial_during"])
    row("quiet group, a post before the storm: the poster's answer",
        result["quiet_before"]["answer"])
    row("quiet group, a post during the storm: the poster's answer",
        result["quiet_during"]["answer"])
    row("quiet group, a post before the storm: shown in the other quiet tabs",
        result["quiet_before"]["arrival"])
    row("quiet group, a post during the storm: shown in the other quiet tabs",
        result["quiet_during"]["arrival"])
    missing, expected = result["feed_pairs_missing"], result["feed_pairs_expected"]
    out += ["", f"(post, tab) pairs never shown (no update for 3 s, at most {SETTLE_S:.0f} s): "
            f"{missing:,} of "
            f"{expected:,} in the storm group (storm tabs that got no live update at all, per "
            f"storm: {', '.join(str(n) for n in result.get('storm_tabs_never_pushed', []))}); "
            "quiet group: "
            f"{result['quiet_before']['missing'] + result['quiet_during']['missing']}. "
            f"Per storm ({result['storm_tabs']} posts): {_f(result['storm_wall_s'], 1)} s until "
            f"settled, server CPU {_f(result['server_cpu_ms_per_post'], 1)} ms and "
            f"{_f(result['sql_per_post'], 0)} SQL statements per post (the live refreshes "
            f"included: {_f(result.get('feeds_pushed_per_post'), 1)} whole feeds pushed to open "
            f"tabs per post), {_f(result['server_cores'], 2)} server cores; load generator at most "
            f"{_f(result['loadgen_core_max'], 2)} of a core. Errors: {result['errors']}"
            + (f" ({'; '.join(result['error_samples'][:2])})" if result["errors"] else "") + "."]
    cost = result.get("feed_action")
    if cost:
        feed, triv = cost["group_feed"], cost["trivial"]
        out += ["", f"Alone, 1 client, one after another: open a community group feed p50 "
                f"{_f(feed['p50'], 1)} ms, {_f(feed['cpu_ms'], 2)} ms CPU and "
                f"{_f(feed['sql'], 1)} SQL per event ({feed['errors']} failed checks); the "
                f"trivial event {_f(triv['p50'], 2)} ms, {_f(triv['cpu_ms'], 2)} ms CPU: CPU "
                f"{_f(cost['cpu_vs_trivial'], 1, '×')} the trivial event's (target ≤ 5×)."]
    return out
