"""The load points: what each measures (`plan`), for which clients, and the loop
that measures them interleaved, repeat after repeat, into the run's rows; and
the summaries made of those rows (the mixed windows, the data scale)."""

from __future__ import annotations

import itertools
import time

from bench import actions as A
from bench import report, seed
from bench.load import Point, SignIns, close_tabs, measure, open_tabs
from bench.progress import say
from bench.stats import latency_summary, summarize
from bench.tab import Boot

REPEATS = 3
LOAD_DATA = "large"  # the business the load points run against

POINTS = (
    Point("c1", "1 client (latency)", clients=1, mode="closed", repeat_s=1.0, warmup_s=0.3),
    Point("c50", "50 clients, closed loop (saturation)", clients=50, mode="closed",
          repeat_s=1.5, warmup_s=0.5),
    Point("o200", "200 clients, 1 action/s each (the actions mixed), sign-ins mixed in",
          clients=200, mode="open", repeat_s=5.0, warmup_s=1.0, interval_s=1.0,
          signins_per_s=1.0),
)
SHORT = {"c1": "1", "c50": "50 (closed)", "o200": "200 @ 1/s"}


def plan(point: Point) -> list[tuple[str, tuple[A.Action, ...]]]:
    """What a point measures, as (server, steps) windows in their first order: one
    action per window in a closed loop; at the open-loop point the echo alone,
    then the portal's journey (every action, the trivial event among them) mixed."""
    if point.mode == "open":
        return [("echo", (A.ECHO,)), (LOAD_DATA, A.JOURNEY)]
    entries = [("echo", (A.ECHO,)), (LOAD_DATA, (A.TRIVIAL,)), (LOAD_DATA, (A.PAGE_FLOOR,)),
               (LOAD_DATA, (A.PRIVATE_FLOOR,))]
    entries += [(LOAD_DATA, (a,)) for a in A.PORTAL_ACTIONS]
    if point.key == "c1":
        entries.append((LOAD_DATA, (A.SignIn("signin", A.SIGN_IN_LABEL, "portal"),)))
        entries.append((LOAD_DATA, (A.TRIVIAL_BESIDE_SIGN_INS,)))
        entries += [("small", (A.TRIVIAL,)), ("small", (A.PAGE_FLOOR,))] + [("small", (a,)) for a in A.PORTAL_ACTIONS]
    return entries


def clients_for(point: Point, fixture: seed.Fixture) -> list:
    if point.key == "c1":
        return [fixture.clients[-1]]
    if point.key == "c50":
        return fixture.clients[:50]
    return fixture.clients[50:250]


async def load_points(run: dict, srv: dict, fixtures: dict, boots: dict, deadline: float,
                      points, quick: bool) -> None:
    A.SignIn.emails = itertools.cycle(fixtures[LOAD_DATA].sign_in_emails)
    rows: dict[tuple, dict] = {}
    for point in points:
        say(f"load point: {point.label}")
        entries = plan(point)
        needed = {s for s, _ in entries}
        tabs, clients = {}, {}
        for name in sorted(needed):
            if name == "echo":
                clients[name] = [None] * point.clients
                tabs[name] = await open_tabs(srv["echo"], Boot(), clients[name], path="/")
                continue
            clients[name] = clients_for(point, fixtures[name])
            rss0 = srv[name].rss()
            tabs[name] = await open_tabs(srv[name], boots[name], clients[name])
            if point.clients > 1:
                delta = srv[name].rss() - rss0
                run["memory"][f"{name} business, {point.clients} new sessions"] = {
                    "sessions": point.clients, "delta_bytes": delta,
                    "per_session_bytes": delta / point.clients}
        signins = SignIns(srv[LOAD_DATA], boots[LOAD_DATA],
                          itertools.cycle(fixtures[LOAD_DATA].sign_in_emails))
        repeat_s = point.repeat_s / (3 if quick else 1)

        def window(name, steps, duration, point=point, tabs=tabs, clients=clients,
                   signins=signins):
            rate = point.signins_per_s
            if steps == (A.TRIVIAL_BESIDE_SIGN_INS,):
                rate = 1.0
            return measure(point, steps, srv[name], tabs[name], clients[name],
                           duration=duration, signins=signins if name != "echo" else None,
                           signin_rate=rate)

        def row_for(name, action, point=point):
            return rows.setdefault((point.key, name, action.key), {
                "config": run["config"]["key"], "point": point.key, "server": name,
                "data": "–" if name == "echo" else name, "action": action.key,
                "label": action.label, "portal": action.portal, "repeats": [],
                "cpu_target": getattr(action, "cpu_target", None),
                "page": getattr(action, "page", False),
                "mixed": point.mode == "open" and name != "echo"})

        for name, steps in entries:
            warm = await window(name, steps, point.warmup_s)
            for action in steps:
                got = warm["per_action"][action.key]
                row_for(name, action)["warmup"] = {k: got[k] for k in ("errors", "error_samples")}
        for rep in range(REPEATS):
            for name, steps in A.rotating(entries, rep):
                if time.monotonic() > deadline:
                    run["skipped"].append(f"{point.label}: {', '.join(a.label for a in steps)} "
                                          f"({name}) repeat {rep + 1}")
                    continue
                got = await window(name, steps, repeat_s)
                for action in steps:
                    row_for(name, action)["repeats"].append(got["per_action"][action.key])
                if len(steps) > 1:
                    run["mix"].setdefault(point.key, []).append(got["window"])
        if point.signins_per_s:
            s = latency_summary(signins.latencies_ms)
            run["signins"][point.key] = {"rate": point.signins_per_s,
                                         "count": len(signins.latencies_ms),
                                         "errors": len(signins.errors),
                                         "error_samples": signins.errors[:3],
                                         "latencies_ms": signins.latencies_ms, **s}
        for name in tabs:
            await close_tabs(tabs[name])
        await A.WeekView.close_all()
    for row in rows.values():
        if row["repeats"]:
            row["summary"] = summarize(row["repeats"])
            run["rows"].append(row)


def mix_summary(windows: list[dict]) -> dict | None:
    """The mixed windows' totals: what the server did for all the actions together."""
    if not windows:
        return None
    wall = sum(w["wall_s"] for w in windows)
    done = sum(w["done"] for w in windows)
    events = done + sum(w["errors"] for w in windows)
    return {"actions_per_s": done / wall,
            "cpu_ms_per_action": 1000 * sum(w["server_cpu_s"] for w in windows) / max(events, 1),
            "sql_per_action": sum(w["sql"] for w in windows) / max(events, 1),
            "server_cores": sum(w["server_cpu_s"] for w in windows) / wall,
            "loadgen_core_max": max(w["loadgen_cpu_s"] / w["wall_s"] for w in windows)}


def point_summaries(results: dict) -> list[dict]:
    """One entry per load point for the report: its sign-ins and mixed windows."""
    return [{"key": p.key, "label": p.label, "short": SHORT[p.key],
             "signins": results["other"]["signins"].get(p.key),
             "mix": mix_summary(results["other"]["mix"].get(p.key, [])),
             "offered_per_s": p.clients / p.interval_s}
            for p in POINTS]


def data_scale(rows: list[dict]) -> dict:
    out = []
    for action in (A.TRIVIAL, *A.PORTAL_ACTIONS):
        small = report.find(rows, "c1", "small", action.key)
        large = report.find(rows, "c1", "large", action.key)
        if not (small and large):
            continue
        s, g = small["summary"], large["summary"]
        out.append({"label": action.label, "sql_small": s["sql_per_event"],
                    "sql_large": g["sql_per_event"], "p50_small": s["p50"], "p50_large": g["p50"],
                    "p95_small": s["p95"], "p95_large": g["p95"]})
    return out
