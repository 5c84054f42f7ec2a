"""Benchmark: a post storm in one community group, and what it does to another group
(issue 23: "a post storm from one member cannot slow other groups").

    python -m bench.community_storm [--repeats N] [--large] [--keep]

Against a running portal (`reflex run --env prod`, the bench's seeded database):
STORM_MEMBERS tabs of the storm group's members open on its feed
(/community/group?id=<storm>) and QUIET_TABS tabs of other members on the quiet
group's. Then, per repeat:
1. before the storm: the trivial Reflex event from 8 quiet tabs in a closed loop
   for FLOOR_S (the floor), and one quiet-group post (the poster's answer, and the
   time until every other quiet tab shows it);
2. the storm: every storm tab sends one create-post event at the same moment; for
   each post and each other open storm tab, the time from its send to the first
   delta of that tab that shows it (the feed update), and the poster's own answer;
   meanwhile one quiet-group post, sent with the storm, and the trivial event in a
   closed loop from the other quiet tabs until the storm has settled (every update
   in, or none for IDLE_S, at most SETTLE_S after the last send).
The server's CPU and SQL statements over the storm are read as the load points do.
Latencies are pooled over the repeats; ratios divide by the trivial event's p95
before the storm, measured in the same run.

`make bench` runs it on the large business's server after the load points
(bench/run.py); alone, it seeds a throwaway database (the small business by
default: the Community rows are the same in both), starts one server and writes
bench/results/community_storm.json.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from bench import community_actions as CA
from bench.community_report import SETTLE_S, markdown
from bench.community_watch import Seen, WatchTab, shows
from bench.load import Meter
from bench.seed_community import (
    QUIET_GROUP_ID,
    QUIET_TABS,
    STORM_GROUP_ID,
    STORM_MEMBERS,
)
from bench.stats import latency_summary, ratio
from bench.tab import ActionFailed, Tab, sets

REPEATS = 2  # each storm gives 50 × 49 (post, tab) pairs
FLOOR_S = 2.0
IDLE_S = 3.0  # no update for this long: the storm has settled

_RUN = {"n": 0}


def _marker(kind: str, k: int) -> str:
    return f"{kind}X{_RUN['n']}x{k}x"


async def type_post(tab: Tab, marker: str) -> None:
    """The composer filled in (untimed): the title's and the text's change events."""
    state = CA.GROUP_STATE_NAME
    await tab.event(f"{state}.set_title", {"value": f"Storm post {marker}"},
                    done=sets(state, "title"))
    await tab.event(f"{state}.set_body",
                    {"value": f"Posted by the benchmark ({marker}): *one* of many at once."},
                    done=sets(state, "body"))


async def send_post(tab: WatchTab, marker: str, seen: Seen) -> None:
    """"Post": the upload handler's request; its answer streams the poster's own deltas
    (handed to `seen` as they come in). Fails unless the poster's feed shows the post."""
    updates = await tab.upload(f"{CA.GROUP_STATE_NAME}.{CA.POST_HANDLER}")
    for update in updates:
        seen.record(tab, update)
    if not any(shows(marker)(u) for u in updates):
        raise ActionFailed(f"post {marker} not in the poster's feed: {json.dumps(updates)[:300]}")


async def trivial(tab: Tab) -> float:
    from bench.actions import NAMES

    t0 = time.perf_counter()
    await tab.event(f"{NAMES['counter']}.increment", done=sets(NAMES["counter"], "count"))
    return (time.perf_counter() - t0) * 1000


async def trivial_loop(tabs: list[Tab], stop: Callable[[], bool], out: list[float],
                       errors: list[str]) -> None:
    async def loop(tab):
        while not stop():
            try:
                out.append(await trivial(tab))
            except ActionFailed as exc:
                errors.append(f"trivial: {exc}"[:200])
                return

    await asyncio.gather(*(loop(t) for t in tabs))


async def _settle(seen: Seen, expected: list[tuple[str, int]], deadline: float) -> None:
    """Until every (post, tab) pair is shown, or nothing has come for IDLE_S (a tab
    the live push does not reach would never show it), or the deadline."""
    left = list(expected)
    count, changed = seen.updates, time.perf_counter()
    while left and time.perf_counter() < deadline:
        left = [k for k in left if seen.when(*k) is None]
        now = time.perf_counter()
        if seen.updates != count:
            count, changed = seen.updates, now
        elif now - changed > IDLE_S:
            return
        if left:
            await asyncio.sleep(0.1)


async def quiet_post(poster: WatchTab, others: list[WatchTab], seen: Seen, k: int,
                     errors: list[str]) -> dict:
    """One quiet-group post: its answer to the poster and its arrival in the other
    quiet tabs (ms from the send)."""
    marker = _marker("Q", k)
    try:
        await type_post(poster, marker)
        sent = time.perf_counter()
        await send_post(poster, marker, seen)
    except (ActionFailed, OSError, TimeoutError) as exc:
        errors.append(f"quiet post: {exc}"[:200])
        return {"answer_ms": None, "arrivals_ms": [], "missing": len(others)}
    answer = (time.perf_counter() - sent) * 1000
    expected = [(marker, t.index) for t in others]
    await _settle(seen, expected, time.perf_counter() + SETTLE_S)
    arrivals = [(seen.when(*k2) - sent) * 1000 for k2 in expected if seen.when(*k2) is not None]
    return {"answer_ms": answer, "arrivals_ms": arrivals, "missing": len(expected) - len(arrivals)}


async def open_group_tabs(server, boot, clients, group_id: int, first_index: int,
                          seen: Seen) -> list[WatchTab]:
    sem = asyncio.Semaphore(10)

    async def one(i, client):
        tab = WatchTab("127.0.0.1", server.port, boot, cookie=f"portal_session={client.token}",
                       watcher=seen, index=first_index + i)
        async with sem:
            await tab.open(CA.GROUP_ROUTE, {"id": str(group_id)})
        return tab

    return list(await asyncio.gather(*(one(i, c) for i, c in enumerate(clients))))


async def server_idle(server, *, limit_s: float = 30.0) -> float:
    """Wait until the server used under 5% of a core over 0.5 s (the last storm's
    pushes done), at most `limit_s`; the seconds waited."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit_s:
        cpu0 = server.cpu()
        await asyncio.sleep(0.5)
        if server.cpu() - cpu0 < 0.025:
            break
    return time.perf_counter() - t0


async def one_storm(storm: list[WatchTab], quiet: list[WatchTab], seen: Seen, server,
                    out: dict) -> None:
    """One repeat: the floor, a quiet post, then the storm with the quiet group beside it."""
    _RUN["n"] += 1
    errors = out["errors"]
    out["idle_waits_s"].append(round(await server_idle(server), 1))
    end = time.perf_counter() + FLOOR_S
    # The floor from the same tabs that send it during the storm (quiet[0] and [1] post).
    await trivial_loop(quiet[2:], lambda: time.perf_counter() > end, out["trivial_before"],
                       errors)
    out["quiet_before"].append(await quiet_post(quiet[0], quiet[1:], seen, 0, errors))

    markers = [_marker("S", i) for i in range(len(storm))]
    sent: dict[str, float] = {}
    settled = {"done": False}

    async def post(i, tab):
        sent[markers[i]] = time.perf_counter()
        try:
            await send_post(tab, markers[i], seen)
        except (ActionFailed, OSError, TimeoutError) as exc:
            errors.append(f"storm post: {exc}"[:200])

    typed = await asyncio.gather(*(type_post(t, m) for t, m in zip(storm, markers, strict=True)),
                                 return_exceptions=True)
    errors += [f"typing: {e}"[:200] for e in typed if isinstance(e, BaseException)]

    expected = [(m, t.index) for m in markers for t in storm]
    pushed0, per_tab0 = seen.feeds_pushed, dict(seen.pushed_to)
    with Meter(server) as meter:
        posts = asyncio.gather(*(post(i, t) for i, t in enumerate(storm)))
        quiet_task = asyncio.ensure_future(quiet_post(quiet[1], [quiet[0], *quiet[2:]], seen, 1,
                                                      errors))
        side = asyncio.ensure_future(trivial_loop(quiet[2:], lambda: settled["done"],
                                                  out["trivial_during"], errors))
        await posts
        last_send = max(sent.values())
        await _settle(seen, expected, last_send + SETTLE_S)
        settled["done"] = True
        out["quiet_during"].append(await quiet_task)
        await side
    storm_ix = {t.index for t in storm}
    for marker in markers:
        poster = storm[markers.index(marker)].index
        for ix in storm_ix:
            at = seen.when(marker, ix)
            if at is None:
                if ix != poster:
                    out["missing"] += 1
                continue
            ms = (at - sent[marker]) * 1000
            (out["own_ms"] if ix == poster else out["feed_ms"]).append(ms)
    out["windows"].append({"wall_s": meter.wall_s, "server_cpu_s": meter.server_cpu_s,
                           "sql": meter.sql, "loadgen_cpu_s": meter.loadgen_cpu_s,
                           "posts": len(markers), "feeds_pushed": seen.feeds_pushed - pushed0,
                           "storm_tabs_never_pushed": sum(
                               1 for t in storm
                               if seen.pushed_to.get(t.index, 0) == per_tab0.get(t.index, 0))})


async def measure_async(server, boot, fixture, *, repeats: int = REPEATS,
                        deadline: float | None = None) -> dict:
    """The storm measurement on a running server (see the module docstring)."""
    if CA.COMMUNITY_MISSING:
        return {"skipped": CA.COMMUNITY_MISSING}
    storm_clients = fixture.clients[:STORM_MEMBERS]
    quiet_clients = fixture.clients[STORM_MEMBERS:STORM_MEMBERS + QUIET_TABS]
    seen = Seen()
    out = {"storm_tabs": len(storm_clients), "quiet_tabs": len(quiet_clients),
           "repeats": 0, "trivial_before": [], "trivial_during": [], "quiet_before": [],
           "quiet_during": [], "feed_ms": [], "own_ms": [], "missing": 0, "errors": [],
           "windows": [], "skipped_repeats": 0, "idle_waits_s": []}
    storm = await open_group_tabs(server, boot, storm_clients, STORM_GROUP_ID, 0, seen)
    quiet = await open_group_tabs(server, boot, quiet_clients, QUIET_GROUP_ID, len(storm), seen)
    try:
        for _ in range(repeats):
            if deadline is not None and time.monotonic() > deadline:
                out["skipped_repeats"] += 1
                continue
            await one_storm(storm, quiet, seen, server, out)
            out["repeats"] += 1
            await asyncio.sleep(0.5)
    finally:
        await asyncio.gather(*(t.close() for t in [*storm, *quiet]), return_exceptions=True)
    return summarize(out)


async def feed_cost(server, boot, client, n: int = 40) -> dict:
    """One client, one after another: the trivial event and "open a community group
    feed" (the load points' action), n each after a warm-up; CPU and SQL per event.
    (`make bench` measures the action at 1 and 50 clients; this is for the run alone.)"""
    from bench.actions import TRIVIAL

    action = CA.COMMUNITY_ACTIONS[0]
    tab = Tab("127.0.0.1", server.port, boot, cookie=f"portal_session={client.token}")
    await tab.open("/dashboard")
    out = {}
    try:
        for act in (TRIVIAL, action, TRIVIAL, action):  # the first two: the warm-up
            latencies, problems = [], []
            with Meter(server) as meter:
                for k in range(n if act is action else 2 * n):
                    t0 = time.perf_counter()
                    updates = await act.run(tab, client, k)
                    latencies.append((time.perf_counter() - t0) * 1000)
                    problems += [p for p in [act.check([{"delta": tab.view}, *updates], client)]
                                 if p]
            count = len(latencies)
            out[act.key] = {**latency_summary(latencies), "errors": len(problems),
                            "error_samples": problems[:2],
                            "cpu_ms": 1000 * meter.server_cpu_s / count,
                            "sql": meter.sql / count}
    finally:
        await tab.close()
    out["cpu_vs_trivial"] = ratio(out[action.key]["cpu_ms"], out["trivial"]["cpu_ms"])
    out["p50_vs_trivial"] = ratio(out[action.key]["p50"], out["trivial"]["p50"])
    return out


def measure(server, boot, fixture, **kwargs) -> dict:
    return asyncio.run(measure_async(server, boot, fixture, **kwargs))


def summarize(out: dict) -> dict:
    floor = latency_summary(out["trivial_before"])
    p95 = floor["p95"]

    def with_ratio(values):
        s = latency_summary(values)
        s["max"] = max(values) if values else None
        s["p95_vs_trivial"] = ratio(s["p95"], p95)
        return s

    def quiet(items):
        answers = [q["answer_ms"] for q in items if q["answer_ms"] is not None]
        return {"answer": with_ratio(answers),
                "arrival": with_ratio([x for q in items for x in q["arrivals_ms"]]),
                "missing": sum(q["missing"] for q in items)}

    wins = out["windows"]
    posts = sum(w["posts"] for w in wins) or 1
    wall = sum(w["wall_s"] for w in wins)
    return {
        "storm_tabs": out["storm_tabs"], "quiet_tabs": out["quiet_tabs"],
        "repeats": out["repeats"], "skipped_repeats": out["skipped_repeats"],
        "trivial_before": floor, "trivial_during": with_ratio(out["trivial_during"]),
        "feed_update": with_ratio(out["feed_ms"]), "own_answer": with_ratio(out["own_ms"]),
        "feed_pairs_expected": out["repeats"] * out["storm_tabs"] * (out["storm_tabs"] - 1),
        "feed_pairs_missing": out["missing"],
        "quiet_before": quiet(out["quiet_before"]), "quiet_during": quiet(out["quiet_during"]),
        "storm_wall_s": wall / max(len(wins), 1),
        "server_cpu_ms_per_post": 1000 * sum(w["server_cpu_s"] for w in wins) / posts,
        "sql_per_post": sum(w["sql"] for w in wins) / posts,
        "feeds_pushed_per_post": sum(w["feeds_pushed"] for w in wins) / posts,
        "storm_tabs_never_pushed": [w["storm_tabs_never_pushed"] for w in wins],
        "server_cores": sum(w["server_cpu_s"] for w in wins) / wall if wall else None,
        "loadgen_core_max": max((w["loadgen_cpu_s"] / w["wall_s"] for w in wins if w["wall_s"]),
                                default=None),
        "errors": len(out["errors"]), "error_samples": out["errors"][:5],
        "idle_waits_s": out["idle_waits_s"],
        "settle_s": [round(w["wall_s"], 1) for w in wins],
    }


def main(argv: list[str] | None = None) -> int:
    """Seed a throwaway database, start one portal server, run the storm, report."""
    import argparse
    import os
    import shutil
    import tempfile
    from importlib import metadata
    from pathlib import Path

    os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-data-"))
    parser = argparse.ArgumentParser(description="the community post storm alone")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    parser.add_argument("--large", action="store_true", help="the large business (slower seed)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if CA.COMMUNITY_MISSING:
        print(f"community storm: {CA.COMMUNITY_MISSING}")
        return 1
    from bench import seed, servers
    from bench.progress import machine
    from bench.run import BENCH_CLIENTS, RESULTS
    from bench.tab import Boot

    scale = seed.LARGE if args.large else seed.SMALL
    work = Path(tempfile.mkdtemp(prefix="portal-bench-storm-"))
    url = f"sqlite:///{work}/{scale.name}.db"
    server = None
    try:
        proc = seed.migrate(url, work / "data")
        if proc.wait() != 0:
            raise RuntimeError(f"portal migrate failed: {proc.stderr.read().decode()}")
        fixture = seed.seed(url, scale, bench_clients=BENCH_CLIENTS, sign_in_accounts=1,
                            password_hash="!")  # noqa: S106 - no sign-ins here
        web = RESULTS / f"web-storm-{scale.name}"
        server = servers.start_portal(servers.SINGLE_PROCESS, scale.name, database_url=url,
                                      work=work / "server", web_dir=web)
        boot = Boot.from_web_dir(web, metadata.version("reflex"))
        start = machine()
        result = measure(server, boot, fixture, repeats=args.repeats)
        result["feed_action"] = asyncio.run(feed_cost(server, boot, fixture.clients[-1]))
        result["machine"] = {**start, "loadavg_end": " ".join(
            f"{x:.2f}" for x in os.getloadavg())}
        result["data"] = scale.name
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "community_storm.json").write_text(json.dumps(result, indent=1, default=str))
        print("\n".join(markdown(result)))
        print(f"\nload average at start {result['machine']['loadavg_start']}, "
              f"at end {result['machine']['loadavg_end']}; server log {server.log_path}")
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(kept {work})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
