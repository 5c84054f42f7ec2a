"""`make bench`: the portal measured against its own floors, in one run.

    python -m bench.run [--quick] [--budget SECONDS]

Seeds a small and a large business into throwaway SQLite databases (real
migrations), starts each as `reflex run --env prod --single-port` with
PORTAL_BENCH=1 (the trivial counter page and the SQL counter), starts the
bare socket.io echo floor, then measures, interleaved: the floors and the
portal's actions at 1 client, 50 clients in a closed loop and 200 clients
at one action per second with real password sign-ins mixed in (bench/points.py);
plus start times, memory per session, page weight against a blank Reflex app, the
dashboard's time to interactive in Chromium (bench/browser.py), Lighthouse's mobile
scores of the client pages (bench/lighthouse.py), and the extras
(bench/extras.py): the slot search and the statements (bench/statements.py), the
referral link's clicks (bench/referral_clicks.py), a post storm of 50 community
members beside a quiet group (bench/community_storm.py) and a 20 MB file up and
down through each storage (bench/storage_transfer.py). Only 127.0.0.1; everything
it starts is stopped at the end, and the whole run is bounded by --budget (a point
that no longer fits is skipped and named).

Writes bench/results/bench.json, bench.md and bench.png, and prints the table.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
from bench import (  # noqa: E402
    baseline,
    browser,
    configs,
    extras,
    lighthouse,
    profiles,
    progress,
    report,
    seed,
    servers,
)
from bench.points import LOAD_DATA, POINTS, data_scale, load_points, point_summaries  # noqa: E402
from bench.progress import PHASES, machine, say, versions  # noqa: E402
from bench.tab import Boot  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BENCH_CLIENTS = 251  # 50 + 200 load clients, and one for the 1-client point
SIGN_IN_ACCOUNTS = 40


def _scale_text(scale: seed.Scale) -> str:
    return (f"{scale.clients:,} clients, {scale.bookings:,} bookings, {scale.invoices:,} invoices, "
            f"{scale.messages:,} messages")


def seed_both(work: Path, results: dict) -> tuple[dict, dict]:
    """Migrate and seed the two businesses: ({name: database URL}, {name: Fixture})."""
    from portal_app.services.crypto import hash_password

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
    return urls, fixtures


def start_config_servers(config, urls: dict, work: Path, results: dict,
                         started: list) -> tuple[dict, dict]:
    """The portal on both businesses in `config`, and the echo floor: (servers, boots)."""
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
    return srv, boots


def start_redis_servers(urls: dict, work: Path, results: dict,
                        started: list) -> tuple[dict, dict]:
    """The Redis configurations, on the same large database, started (and built)
    before the measurements so that their start does not fall between them."""
    cfg_servers, cfg_boots = {}, {}
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
    return cfg_servers, cfg_boots


def browser_side(results: dict, config, server, fixture, work: Path, blank_ok: bool) -> None:
    """What a person's browser sees, on the fresh load server before any load: the page
    weight against a blank Reflex app and the dashboard's time to interactive."""
    web = RESULTS / f"web-{config.key}-{LOAD_DATA}" / "build" / "client"
    bundle = {"portal": browser.bundle_sizes(web, "dashboard.html")}
    if blank_ok:
        bundle["blank"] = browser.bundle_sizes(
            work / "blank" / ".web" / "build" / "client", "index.html")
    results["other"]["bundle"] = bundle
    say("Chromium time to interactive")
    try:
        results["other"]["tti"] = browser.time_to_interactive(
            f"http://127.0.0.1:{server.port}", fixture.sign_in_emails[0], seed.BENCH_PASSWORD)
    except Exception as exc:  # noqa: BLE001 - reported, the run goes on
        results["other"]["tti"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    say("Lighthouse, mobile profile (bench/lighthouse.py)")
    results["lighthouse"] = lighthouse.for_bench(server, fixture)


def judge(results: dict) -> None:
    """The points' summaries, every row's ratios and the issue's targets."""
    results["points"] = point_summaries(results)
    report.add_ratios(results["rows"])
    results["baseline"] = baseline.load(RESULTS / baseline.FILE)
    baseline.add_before(results["rows"], results["baseline"])
    # The baseline's rows are in its own file: the JSON keeps where they came from.
    results["baseline"].pop("rows", None)
    open_point = results["points"][2]
    answered = (open_point["mix"] or {}).get("actions_per_s")
    overload = report.overloaded(open_point["offered_per_s"], answered)
    results["targets"] = {
        "where": f"{POINTS[2].label} ({LOAD_DATA} business); CPU at {POINTS[1].label}",
        "offered_per_s": open_point["offered_per_s"], "answered_per_s": answered,
        "overloaded": overload,
        "rows": report.targets(results["rows"], open_point="o200", closed_point="c50",
                               server=LOAD_DATA, overload=overload),
        "page_floor_vs_trivial": report.page_floor_vs_trivial(results["rows"], point="c50",
                                                              server=LOAD_DATA),
        "private_floor_vs_trivial": report.page_floor_vs_trivial(
            results["rows"], point="c50", server=LOAD_DATA, key="private_floor")}
    results["data_scale"] = {"small": _scale_text(seed.SMALL),
                             "large": _scale_text(seed.LARGE),
                             "rows": data_scale(results["rows"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a third of each repeat's time (to try the runner, not to quote)")
    budget = 720 + lighthouse.BUDGET_S
    parser.add_argument("--budget", type=float, default=budget,
                        help=f"seconds for the whole run (default {budget:.0f}, of which ~60 for "
                             f"the community storm, ~30 for the profiles and {lighthouse.BUDGET_S} "
                             "for Lighthouse); points past it are skipped")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    t_start = progress.start()
    hard_stop = int(args.budget + 40)

    def too_long(*_):
        raise SystemExit(f"bench: over {hard_stop} s, stopping")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(hard_stop)

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
        urls, fixtures = seed_both(work, results)
        try:
            blank_ok = blank.wait(timeout=240) == 0
        except Exception:  # noqa: BLE001 - the comparison is left out, the run goes on
            blank_ok = False

        for config in configs_list:
            first = config is configs_list[0]
            results["configs"].append({"key": config.key, "label": config.label})
            run = {"config": {"key": config.key, "label": config.label}, "rows": results["rows"],
                   "memory": results["other"]["memory"], "skipped": results["skipped"],
                   "signins": results["other"]["signins"], "mix": results["other"]["mix"]}
            srv, boots = start_config_servers(config, urls, work, results, started)
            cfg_servers, cfg_boots = {}, {}
            why_not = configs.redis_unavailable() if first else "-"
            if not why_not:
                cfg_servers, cfg_boots = start_redis_servers(urls, work, results, started)
            elif why_not != "-":
                results["skipped"].append(f"server configurations ({why_not})")
            if first:
                browser_side(results, config, srv[LOAD_DATA], fixtures[LOAD_DATA], work,
                             blank_ok)

            storm_s = extras.storm_seconds(A.COMMUNITY_MISSING)
            profile_s = profiles.RESERVE_S if first else 0
            deadline = (t_start + args.budget - extras.IN_PROCESS_RESERVE_S - storm_s
                        - profile_s)
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
            if first:
                results["other"]["profiles"] = asyncio.run(profiles.record(
                    srv[LOAD_DATA], boots[LOAD_DATA], fixtures[LOAD_DATA], RESULTS))
                extras.community_storm(results, srv[LOAD_DATA], boots[LOAD_DATA],
                                       fixtures[LOAD_DATA],
                                       deadline=deadline + profile_s + storm_s - 15)
            for server in list(started):
                server.stop()
                started.remove(server)

        judge(results)
        extras.in_process(results, LOAD_DATA)
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
