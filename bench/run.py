"""`make bench`: the portal measured against its own floors, in one run.

    python -m bench.run [--quick] [--budget SECONDS]

Seeds a small and a large business into throwaway SQLite databases (real
migrations), starts each as `reflex run --env prod --single-port` with
PORTAL_BENCH=1 (the trivial counter page and the SQL counter), starts the
bare socket.io echo floor, then measures, interleaved: the floors and the
portal's actions at 1 client, 50 clients in a closed loop and 200 clients
at one action per second with real password sign-ins mixed in; plus start
times, memory per session, page weight against a blank Reflex app, the
dashboard's time to interactive in Chromium, Lighthouse's mobile scores of the
client pages (bench/lighthouse.py), the slot search and the
statements (bench/statements.py), the referral link's clicks
(bench/referral_clicks.py), a post storm of 50 community members beside a quiet
group (bench/community_storm.py) and a 20 MB file up and down through each
storage (bench/storage_transfer.py). Only 127.0.0.1; everything it starts is
stopped at the end, and the whole run
is bounded by --budget (a point that no longer fits is skipped and named).

Writes bench/results/bench.json, bench.md and bench.png, and prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-data-"))

from bench import actions as A  # noqa: E402
from bench import browser, configs, lighthouse, report, seed, servers  # noqa: E402
from bench.load import Point, SignIns, close_tabs, measure, open_tabs  # noqa: E402
from bench.stats import latency_summary, summarize  # noqa: E402
from bench.tab import Boot  # noqa: E402

RESULTS = ROOT / "bench" / "results"
REPEATS = 3
BENCH_CLIENTS = 251  # 50 + 200 load clients, and one for the 1-client point
SIGN_IN_ACCOUNTS = 40
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
PHASES: list[tuple[float, str]] = []
_T0 = time.monotonic()


def say(message: str) -> None:
    """Progress on stdout, with the time since the start; kept for the JSON."""
    elapsed = time.monotonic() - _T0
    PHASES.append((round(elapsed, 1), message))
    print(f"bench [{elapsed:5.0f} s] {message}", flush=True)


def machine() -> dict:
    cpu_model = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    return {"cpus": os.cpu_count(), "cpu_model": cpu_model,
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "kernel": platform.release()}


def versions() -> dict:
    out = {"python": platform.python_version()}
    for name in ("reflex", "granian", "python-socketio", "python-engineio", "sqlalchemy",
                 "sqlmodel", "playwright"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            out[name] = metadata.version(name)
    bun = ROOT / ".tools/node_modules/bun/package.json"
    if bun.exists():
        out["bun"] = json.loads(bun.read_text()).get("version", "?")
    out["chromium"] = browser.chromium_version().replace("Chromium ", "")
    return out


def plan(point: Point) -> list[tuple[str, tuple[A.Action, ...]]]:
    """What a point measures, as (server, steps) windows in their first order: one
    action per window in a closed loop; at the open-loop point the echo alone,
    then the portal's journey (every action, the trivial event among them) mixed."""
    if point.mode == "open":
        return [("echo", (A.ECHO,)), (LOAD_DATA, A.JOURNEY)]
    entries = [("echo", (A.ECHO,)), (LOAD_DATA, (A.TRIVIAL,))]
    entries += [(LOAD_DATA, (a,)) for a in A.PORTAL_ACTIONS]
    if point.key == "c1":
        entries.append((LOAD_DATA, (A.SignIn("signin", A.SIGN_IN_LABEL, "portal"),)))
        entries.append((LOAD_DATA, (A.TRIVIAL_BESIDE_SIGN_INS,)))
        entries += [("small", (A.TRIVIAL,))] + [("small", (a,)) for a in A.PORTAL_ACTIONS]
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


def _scale_text(scale: seed.Scale) -> str:
    return (f"{scale.clients:,} clients, {scale.bookings:,} bookings, {scale.invoices:,} invoices, "
            f"{scale.messages:,} messages")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a third of each repeat's time (to try the runner, not to quote)")
    parser.add_argument("--budget", type=float, default=690 + lighthouse.BUDGET_S,
                        help=f"seconds for the whole run (default {690 + lighthouse.BUDGET_S}, of "
                             f"which ~60 for the community storm and {lighthouse.BUDGET_S} for "
                             "Lighthouse); points past it are skipped")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    global _T0
    t_start = _T0 = time.monotonic()
    hard_stop = int(args.budget + 40)

    def too_long(*_):
        raise SystemExit(f"bench: over {hard_stop} s, stopping")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(hard_stop)

    from portal_app.services.crypto import hash_password

    configs_list = [servers.SINGLE_PROCESS]
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    started: list[servers.Server] = []
    results: dict = {"started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                     "machine": machine(), "versions": versions(), "rows": [], "points": [],
                     "configs": [], "skipped": [m for m in (A.STATEMENT_MISSING, A.COMMUNITY_MISSING) if m],
                     "load_server": LOAD_DATA,
                     "load_data": LOAD_DATA,
                     "other": {"starts": {}, "memory": {}, "seed": {}, "signins": {}, "mix": {}}}
    say(f"machine {results['machine']}")
    try:
        blank = browser.start_blank_build(work / "blank")
        password_hash = hash_password(seed.BENCH_PASSWORD)
        urls = {s.name: f"sqlite:///{work}/{s.name}.db" for s in (seed.SMALL, seed.LARGE)}
        migrations = [seed.migrate(url, work / "data") for url in urls.values()]
        for proc in migrations:
            if proc.wait() != 0:
                raise RuntimeError(f"portal migrate failed: {proc.stderr.read().decode()}")
        fixtures = {}
        for scale in (seed.LARGE, seed.SMALL):
            say(f"seeding the {scale.name} business ({_scale_text(scale)})")
            fixtures[scale.name] = seed.seed(urls[scale.name], scale,
                                             bench_clients=BENCH_CLIENTS,
                                             sign_in_accounts=SIGN_IN_ACCOUNTS,
                                             password_hash=password_hash)
            results["other"]["seed"][scale.name] = {"seconds": fixtures[scale.name].seconds,
                                                    "counts": fixtures[scale.name].counts}
        try:
            blank_ok = blank.wait(timeout=240) == 0
        except Exception:  # noqa: BLE001 - the comparison is left out, the run goes on
            blank_ok = False

        for config in configs_list:
            results["configs"].append({"key": config.key, "label": config.label})
            run = {"config": {"key": config.key, "label": config.label}, "rows": results["rows"],
                   "memory": results["other"]["memory"], "skipped": results["skipped"],
                   "signins": results["other"]["signins"], "mix": results["other"]["mix"]}
            srv, boots = {}, {}
            for name in (LOAD_DATA, "small"):
                say(f"starting the portal on the {name} business")
                web = RESULTS / f"web-{config.key}-{name}"
                srv[name] = servers.start_portal(config, name, database_url=urls[name],
                                                 work=work / f"{config.key}-{name}", web_dir=web)
                started.append(srv[name])
                results["other"]["starts"][f"{config.key}/{name}"] = {
                    "started_s": srv[name].started_s, "build_s": srv[name].build_s}
                boots[name] = Boot.from_web_dir(web, metadata.version("reflex"))
            srv["echo"] = servers.start_echo(work / "echo")
            started.append(srv["echo"])
            # The Redis configurations, on the same large database, started (and built)
            # now so that their start does not fall between measurements.
            cfg_servers, cfg_boots = {}, {}
            why_not = configs.redis_unavailable() if config is configs_list[0] else "-"
            if not why_not:
                for cfg in configs.REDIS_CONFIGS:
                    say(f"starting the portal on the {LOAD_DATA} business: {cfg.label}")
                    web = RESULTS / f"web-{cfg.key}-{LOAD_DATA}"
                    cfg_servers[cfg.key] = (cfg.label, servers.start_portal(
                        cfg, cfg.key, database_url=urls[LOAD_DATA],
                        work=work / f"{cfg.key}-{LOAD_DATA}", web_dir=web))
                    started.append(cfg_servers[cfg.key][1])
                    results["other"]["starts"][f"{cfg.key}/{LOAD_DATA}"] = {
                        "started_s": cfg_servers[cfg.key][1].started_s,
                        "build_s": cfg_servers[cfg.key][1].build_s}
                    cfg_boots[cfg.key] = Boot.from_web_dir(web, metadata.version("reflex"))
            elif why_not != "-":
                results["skipped"].append(f"server configurations ({why_not})")

            if config is configs_list[0]:
                web = RESULTS / f"web-{config.key}-{LOAD_DATA}" / "build" / "client"
                bundle = {"portal": browser.bundle_sizes(web, "dashboard.html")}
                if blank_ok:
                    bundle["blank"] = browser.bundle_sizes(
                        work / "blank" / ".web" / "build" / "client", "index.html")
                results["other"]["bundle"] = bundle
                say("Chromium time to interactive")
                try:
                    results["other"]["tti"] = browser.time_to_interactive(
                        f"http://127.0.0.1:{srv[LOAD_DATA].port}",
                        fixtures[LOAD_DATA].sign_in_emails[0], seed.BENCH_PASSWORD)
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    results["other"]["tti"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                say("Lighthouse, mobile profile (bench/lighthouse.py)")
                results["lighthouse"] = lighthouse.for_bench(srv[LOAD_DATA], fixtures[LOAD_DATA])

            # the slot search, the statements, the referral clicks (~10 s), the storage
            # transfer (~20 s) and the report
            reserve = 80
            # The community storm (~40 s) runs on the load server after the points.
            storm_s = 0 if A.COMMUNITY_MISSING else 60
            deadline = t_start + args.budget - reserve - storm_s
            # The configuration comparison after the load points keeps its own minute.
            points_deadline = deadline - (60 if cfg_servers else 0)
            say("load points")
            asyncio.run(load_points(run, srv, fixtures, boots, points_deadline, POINTS,
                                    args.quick))
            if cfg_servers:
                say("server configurations: single process vs Redis with 1 and 2 workers")
                by_config = {config.key: (config.label, srv[LOAD_DATA]), **cfg_servers}
                cfg_boots[config.key] = boots[LOAD_DATA]
                results["configs_compare"] = asyncio.run(configs.compare(
                    by_config, cfg_boots, fixtures[LOAD_DATA].clients, deadline,
                    results["skipped"], args.quick))
            if config is configs_list[0]:
                say("community: 50 members post at once (bench/community_storm.py)")
                from bench import community_storm

                try:
                    results["other"]["community_storm"] = community_storm.measure(
                        srv[LOAD_DATA], boots[LOAD_DATA], fixtures[LOAD_DATA],
                        deadline=deadline + storm_s - 15)
                except Exception as exc:  # noqa: BLE001 - reported, the run goes on
                    results["other"]["community_storm"] = {
                        "skipped": f"failed: {type(exc).__name__}: {exc}"[:300]}
            for server in list(started):
                server.stop()
                started.remove(server)

        results["points"] = [{"key": p.key, "label": p.label, "short": SHORT[p.key],
                              "signins": results["other"]["signins"].get(p.key),
                              "mix": mix_summary(results["other"]["mix"].get(p.key, [])),
                              "offered_per_s": p.clients / p.interval_s}
                             for p in POINTS]
        report.add_ratios(results["rows"])
        open_point = results["points"][2]
        answered = (open_point["mix"] or {}).get("actions_per_s")
        overload = report.overloaded(open_point["offered_per_s"], answered)
        results["targets"] = {
            "where": f"{POINTS[2].label} ({LOAD_DATA} business); CPU at {POINTS[1].label}",
            "offered_per_s": open_point["offered_per_s"], "answered_per_s": answered,
            "overloaded": overload,
            "rows": report.targets(results["rows"], open_point="o200", closed_point="c50",
                                   server=LOAD_DATA, overload=overload)}
        results["data_scale"] = {"small": _scale_text(seed.SMALL),
                                 "large": _scale_text(seed.LARGE),
                                 "rows": data_scale(results["rows"])}
        say("slot search (bench/slots.py)")
        from bench import slots

        results["other"]["slots"] = [slots.measure(n) for n in (10, 5000)]
        say("statements: 10 vs 1,000 invoices, a 2,000-line PDF (bench/statements.py)")
        from bench import statements

        results["other"]["statements"] = statements.measure()
        say("referral link clicks: /r/<code> in process (bench/referral_clicks.py)")
        from bench import referral_clicks

        trivial = (report.find(results["rows"], "c50", LOAD_DATA, "trivial")
                   or report.find(results["rows"], "c1", LOAD_DATA, "trivial"))
        results["other"]["referral_clicks"] = referral_clicks.measure(
            trivial_cpu_ms=trivial["summary"]["cpu_ms_per_event"] if trivial else None)
        say("storage transfer: 20 MB up and down, disk vs S3 (bench/storage_transfer.py)")
        from bench import storage_transfer

        results["other"]["storage_transfer"] = storage_transfer.measure()
    finally:
        signal.alarm(0)
        for server in started:
            server.stop()
        results["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        results["duration_s"] = time.monotonic() - t_start
        results["phases"] = PHASES
        if results["rows"]:
            json_path, md_path, png_path = report.write(results, RESULTS)
            print("\n" + md_path.read_text())
            print(f"(JSON {json_path}, table {md_path}, chart {png_path}; "
                  f"{results['duration_s']:.0f} s)")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(kept {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
