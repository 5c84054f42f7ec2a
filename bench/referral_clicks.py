"""Benchmark: the referral link `/r/<code>` (issue 24: "the click route is cheap").

    python -m bench.referral_clicks [N]

Drives the real route (portal_app/api/referral_link_routes.py) as an ASGI app, in
this process, on a throwaway SQLite database with the Referrals app on and one
referrer: N clicks of N different visitors from different addresses (each records
a click and sets the cookie), and N visits with an unknown code (the same answer,
nothing recorded). For each: clicks per second one after another, CPU per click
(the whole process, so the route's worker thread counts), and SQL statements per
click. No HTTP server and no socket: the cost is the route's own (Starlette, the
database work, the cookie), the part a server adds is the same for every route.

`make bench` runs it at its end (bench/run.py) and puts the CPU per click beside
the trivial Reflex event's CPU per event measured by the load points; it writes
bench/results/referral_clicks.json when run alone.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event
from sqlmodel import Session, SQLModel, select

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="portal-bench-"))

import models  # noqa: E402,F401
from models import Business, Client, ReferralClick  # noqa: E402
from portal_app import db as db_module  # noqa: E402
from portal_app.services.referrals import referrers  # noqa: E402

CLICKS = 300  # ×3 repeats ×2 kinds: about 10 s on the 2-core machines
REPEATS = 3


def _seed(engine) -> str:
    """A business with Referrals on and self sign-up, and one referrer; their code."""
    with Session(engine) as s:
        s.add(Business(name="Bench", apps_enabled=["referrals"], allow_self_signup=True))
        client = Client(full_name="Rita Referrer", email="rita@example.test")
        s.add(client)
        s.flush()
        code = referrers.join_program(s, client_id=client.id).code
        s.commit()
        return code


def _app():
    from starlette.applications import Starlette

    from portal_app.api.referral_link_routes import referral_link_routes

    return Starlette(routes=referral_link_routes())


async def _get(app, path: str, ip: str, visitor: int) -> tuple[int, list[bytes]]:
    """One GET through the ASGI app, as a server would hand it over."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "client": (ip, 40000 + visitor % 20000),
             "server": ("127.0.0.1", 8000),
             "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"bench")]}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    start = sent[0]
    cookies = [v for k, v in start["headers"] if k == b"set-cookie"]
    return start["status"], cookies


def _run(app, paths: list[str]) -> tuple[float, float, list[int]]:
    """Wall and process CPU seconds for the visits of `paths` one after another."""
    async def visits():
        statuses = []
        for i, path in enumerate(paths):
            status, _cookies = await _get(app, path, f"10.{i // 65536 % 256}.{i // 256 % 256}."
                                                     f"{i % 256}", i)
            statuses.append(status)
        return statuses

    wall0, cpu0 = time.perf_counter(), time.process_time()
    statuses = asyncio.run(visits())
    return time.perf_counter() - wall0, time.process_time() - cpu0, statuses


def measure(clicks: int = CLICKS, *, trivial_cpu_ms: float | None = None) -> dict:
    """Clicks on a real code and visits with an unknown one: per second, CPU µs and SQL
    statements per click; `trivial_cpu_ms`: the trivial Reflex event's CPU per event
    (from the load points), for the ratio."""
    path = Path(tempfile.mkdtemp(prefix="portal-bench-db-")) / "bench.db"
    engine = db_module.make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    code = _seed(engine)
    db_module.use_engine(engine)
    counted: list[int] = []
    event.listen(engine, "before_cursor_execute", lambda *a: counted.append(1))
    app = _app()
    out = {"clicks": clicks, "repeats": REPEATS}
    try:
        _run(app, [f"/r/{code}"] * 20)  # warm-up
        for key, target in (("real", code), ("unknown", "NOSUCHCD")):
            walls, cpus = [], []
            counted.clear()
            for _ in range(REPEATS):
                wall, cpu, statuses = _run(app, [f"/r/{target}"] * clicks)
                assert set(statuses) == {303}, statuses[:5]
                walls.append(wall)
                cpus.append(cpu)
            per_s = clicks / statistics.median(walls)
            cpu_us = 1e6 * statistics.median(cpus) / clicks
            out[key] = {"per_s": round(per_s), "cpu_us_per_click": round(cpu_us),
                        "sql_per_click": round(len(counted) / (clicks * REPEATS), 2),
                        "cpu_vs_trivial": (round(cpu_us / 1000 / trivial_cpu_ms, 2)
                                           if trivial_cpu_ms and not math.isnan(trivial_cpu_ms)
                                           else None)}
        with Session(engine) as s:
            recorded = len(s.exec(select(ReferralClick.id)).all())
        out["recorded"] = recorded
        out["expected_recorded"] = 20 + clicks * REPEATS
    finally:
        db_module._engine = None
        engine.dispose()
    out["trivial_cpu_ms"] = trivial_cpu_ms
    return out


def markdown(result: dict) -> list[str]:
    """The lines of the bench report (bench/report.py) for these measurements."""
    trivial = result.get("trivial_cpu_ms")
    out = ["", "## Referral link clicks (bench/referral_clicks.py)", "",
           f"`/r/<code>` through the real route as an ASGI app, in process, {result['clicks']:,} "
           "visits one after another (each a new visitor from its own address), median of "
           f"{result['repeats']}; CPU of the whole process. The trivial Reflex event: "
           + (f"{trivial:.2f} ms CPU per event (load points)." if trivial else "not measured."),
           "", "| visit | per second | CPU µs per click | SQL per click | CPU ÷ trivial |",
           "|---|---:|---:|---:|---:|"]
    for key, label in (("real", "a referrer's code (click recorded, cookie set)"),
                       ("unknown", "an unknown code (nothing recorded)")):
        r = result[key]
        ratio = "–" if r["cpu_vs_trivial"] is None else f"{r['cpu_vs_trivial']}×"
        out.append(f"| {label} | {r['per_s']:,} | {r['cpu_us_per_click']:,} | "
                   f"{r['sql_per_click']} | {ratio} |")
    ok = result["recorded"] == result["expected_recorded"]
    out += ["", f"Clicks recorded: {result['recorded']:,} "
            + ("(one per real visit)." if ok else f"(expected {result['expected_recorded']:,}).")]
    return out


def main() -> None:
    clicks = int(sys.argv[1]) if len(sys.argv) > 1 else CLICKS
    result = measure(clicks)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "referral_clicks.json").write_text(json.dumps(result, indent=2))
    print("\n".join(markdown(result)))


if __name__ == "__main__":
    main()
