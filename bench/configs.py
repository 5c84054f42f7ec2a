"""The portal in several server configurations, side by side in one run: the
single-process default against Reflex's Redis state manager with 1 and 2
granian workers, on the same (large) SQLite database, 50 clients in a closed
loop, the trivial event and two portal actions. A configuration is just its
environment (`servers.ServerConfig`)."""

from __future__ import annotations

import time

from bench import actions as A
from bench import servers
from bench.load import Point, close_tabs, measure, open_tabs
from bench.stats import summarize

REDIS_URL = "redis://127.0.0.1:6379/14"
REDIS_CONFIGS = (
    servers.ServerConfig("redis1", "Redis state manager, 1 worker",
                         {"REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "1"}),
    servers.ServerConfig("redis2", "Redis state manager, 2 workers",
                         {"REDIS_URL": REDIS_URL, "GRANIAN_WORKERS": "2"}),
)
POINT = Point("cfg50", "50 clients, closed loop, by server configuration", clients=50,
              mode="closed", repeat_s=1.5, warmup_s=0.5)
ACTIONS = (A.TRIVIAL, A.PORTAL_ACTIONS[0], A.PORTAL_ACTIONS[5])  # trivial, dashboard, bell
REPEATS = 3


def redis_unavailable() -> str:
    """Why the Redis configurations can't run here, or ""."""
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - the reason is reported
        return f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"
    return ""


async def compare(by_config: dict[str, tuple[str, servers.Server]], boots: dict, clients: list,
                  deadline: float, skipped: list[str], quick: bool = False) -> list[dict]:
    """Rows (config, action, summary) for each configuration, interleaved."""
    clients = clients[:POINT.clients]
    tabs = {key: await open_tabs(srv, boots[key], clients) for key, (_, srv) in by_config.items()}
    entries = [(key, action) for action in ACTIONS for key in by_config]
    repeats: dict[tuple[str, str], list] = {}
    repeat_s = POINT.repeat_s / (3 if quick else 1)
    try:
        for key, action in entries:
            await measure(POINT, (action,), by_config[key][1], tabs[key], clients,
                          duration=POINT.warmup_s)
        for rep in range(REPEATS):
            for key, action in A.rotating(entries, rep):
                if time.monotonic() > deadline:
                    skipped.append(f"{POINT.label}: {action.label} ({key}) repeat {rep + 1}")
                    continue
                got = await measure(POINT, (action,), by_config[key][1], tabs[key], clients,
                                    duration=repeat_s)
                repeats.setdefault((key, action.key), []).append(got["per_action"][action.key])
    finally:
        for key in tabs:
            await close_tabs(tabs[key])
    rows = []
    for key, action in entries:
        got = repeats.get((key, action.key))
        if got:
            rows.append({"config": key, "config_label": by_config[key][0],
                         "action": action.key, "label": action.label,
                         "summary": summarize(got)})
    return rows
