"""Load points: closed loop (each client sends its next action as soon as the
last one is answered) and open loop (each client at a fixed rate, latency
counted from the scheduled moment, so a stall is not hidden by the client
waiting for it). Each measured window records the server's CPU and SQL
statements and the load generator's own CPU around it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import time
from dataclasses import dataclass

from bench.actions import Action, sign_in
from bench.seed import BenchClient
from bench.servers import Server
from bench.tab import ActionFailed, Tab

SEQ = itertools.count(1)
# An answer later than this is an error. Generous on purpose: past the server's
# capacity latency grows, and an action given up on would still be worked on by
# the server and spill into the next window.
ACTION_TIMEOUT_S = 30


@dataclass(frozen=True)
class Point:
    key: str
    label: str
    clients: int
    mode: str  # "closed" or "open"
    repeat_s: float
    warmup_s: float
    interval_s: float = 1.0
    signins_per_s: float = 0.0


class Meter:
    """Counters around one window: server CPU and statements, our own CPU."""

    def __init__(self, server: Server):
        self.server = server

    def __enter__(self):
        self.t0 = time.perf_counter()
        self.cpu0 = self.server.cpu()
        self.sql0 = self.server.sql()
        self.own0 = time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall_s = time.perf_counter() - self.t0
        self.server_cpu_s = self.server.cpu() - self.cpu0
        self.sql = self.server.sql() - self.sql0
        self.loadgen_cpu_s = time.process_time() - self.own0
        return False


async def bounded(coros, limit: int = 25):
    sem = asyncio.Semaphore(limit)

    async def run(c):
        async with sem:
            return await c

    return await asyncio.gather(*(run(c) for c in coros))


async def open_tabs(server: Server, boot, clients: list[BenchClient | None], *,
                    path: str = "/dashboard") -> list[Tab]:
    async def one(client):
        cookie = f"portal_session={client.token}" if client else ""
        tab = Tab("127.0.0.1", server.port, boot, cookie=cookie)
        await tab.open(path)
        return tab

    return await bounded([one(c) for c in clients])


async def close_tabs(tabs: list[Tab]) -> None:
    await bounded([t.close() for t in tabs], limit=50)


class Sink:
    """Latencies and failures, per action key; and the state updates (count, bytes)
    the answered actions' tabs received while they ran."""

    def __init__(self):
        self.latencies_ms: dict[str, list[float]] = {}
        self.errors: dict[str, list[str]] = {}
        self.received: dict[str, list[int]] = {}  # key: [updates, bytes]

    def ok(self, key: str, ms: float, updates: int = 0, size: int = 0) -> None:
        self.latencies_ms.setdefault(key, []).append(ms)
        got = self.received.setdefault(key, [0, 0])
        got[0] += updates
        got[1] += size

    def failed(self, key: str, why: str) -> None:
        self.errors.setdefault(key, []).append(why[:300])


async def _recover(tab: Tab, sink: Sink, key: str) -> None:
    if tab.socket is None or tab.socket.transport.is_closing():
        try:
            await tab.close()
            await tab.open(tab.path, tab.query)
        except (ActionFailed, OSError, TimeoutError) as exc:
            sink.failed(key, f"reconnect failed: {exc}")


async def run_once(action: Action, tab: Tab, client, started: float, sink: Sink) -> None:
    """One action; its latency from `started` (or from the moment the action says
    its timed part began), or its failure. The check runs on every answer. What the
    tab received meanwhile is the action's (in a closed loop an update that comes
    after the answer falls into the same action's next turn)."""
    updates0, bytes0 = tab.received.updates, tab.received.bytes
    try:
        updates = await asyncio.wait_for(action.run(tab, client, next(SEQ)), ACTION_TIMEOUT_S)
    except (ActionFailed, TimeoutError, OSError) as exc:
        sink.failed(action.key, f"{type(exc).__name__}: {exc}")
        await _recover(tab, sink, action.key)
        return
    if updates and "timed_from" in updates[-1]:
        started = max(started, updates[-1]["timed_from"])
    elapsed = (time.perf_counter() - started) * 1000
    # The tab's whole view first, then this answer's updates (which `_delta` merges last).
    problem = action.check([{"delta": tab.view}, *updates], client)
    if problem:
        sink.failed(action.key, f"check: {problem}")
    else:
        sink.ok(action.key, elapsed, tab.received.updates - updates0,
                tab.received.bytes - bytes0)


async def closed_loop(action: Action, pairs, duration: float, sink: Sink) -> None:
    end = time.perf_counter() + duration

    async def worker(tab, client):
        while time.perf_counter() < end:
            await run_once(action, tab, client, time.perf_counter(), sink)

    await asyncio.gather(*(worker(t, c) for t, c in pairs))


async def open_loop(steps, pairs, duration: float, interval: float, sink: Sink) -> None:
    """Client i acts at start + interval * (i/n + k); a late client acts as soon
    as its last answer is in, and the wait counts in the latency. With several
    `steps`, client i starts at step i and goes round them."""
    start = time.perf_counter() + 0.05
    n = len(pairs)

    async def worker(i, tab, client):
        k, step = 0, i % len(steps)
        while True:
            due = start + interval * (i / n + k)
            if due >= start + duration:
                return
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            await run_once(steps[step], tab, client, due, sink)
            k, step = k + 1, (step + 1) % len(steps)

    await asyncio.gather(*(worker(i, t, c) for i, (t, c) in enumerate(pairs)))


class SignIns:
    """Real password sign-ins at a fixed rate beside the load (open loop):
    the form event, bcrypt in the server's thread pool, the cookie route and
    the dashboard's page load. Latency runs from the form's send to the
    signed-in dashboard."""

    def __init__(self, server: Server, boot, emails):
        self.server, self.boot, self.emails = server, boot, emails
        self.latencies_ms: list[float] = []
        self.errors: list[str] = []

    async def one(self) -> None:
        sent: list[float] = []
        try:
            tab = await asyncio.wait_for(
                sign_in("127.0.0.1", self.server.port, self.boot, next(self.emails),
                        timed_from=sent), ACTION_TIMEOUT_S)
        except (ActionFailed, TimeoutError, OSError) as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}"[:300])
            return
        self.latencies_ms.append((time.perf_counter() - sent[0]) * 1000)
        await tab.close()

    async def at_rate(self, rate: float, stop: asyncio.Event) -> None:
        if rate <= 0:
            return
        running = set()
        next_at = time.perf_counter()
        while not stop.is_set():
            task = asyncio.ensure_future(self.one())
            running.add(task)
            task.add_done_callback(running.discard)
            next_at += 1 / rate
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, next_at - time.perf_counter()))
        if running:
            await asyncio.gather(*running)


def _repeat(sink: Sink, key: str, meter: Meter, *, attributed: bool) -> dict:
    errors = sink.errors.get(key, [])
    updates, size = sink.received.get(key, (0, 0))
    return {
        "latencies_ms": sink.latencies_ms.get(key, []),
        "errors": len(errors),
        "error_samples": errors[:3],
        "wall_s": meter.wall_s,
        # In a mixed window the server's CPU and statements belong to all actions.
        "server_cpu_s": meter.server_cpu_s if attributed else math.nan,
        "sql": meter.sql if attributed else math.nan,
        "loadgen_cpu_s": meter.loadgen_cpu_s,
        # The state updates the answered actions' tabs received, and their bytes.
        "delta_updates": updates,
        "delta_bytes": size,
    }


async def measure(point: Point, steps: tuple[Action, ...], server: Server, tabs: list[Tab],
                  clients: list, *, duration: float, signins: SignIns | None = None,
                  signin_rate: float = 0.0) -> dict:
    """One window: put each tab on its first step's page (untimed), then the load
    for `duration` and until every answer is in. Returns a repeat per action,
    and the window's totals."""
    pairs = list(zip(tabs, clients, strict=True))
    await bounded([steps[i % len(steps)].prepare(t, c) for i, (t, c) in enumerate(pairs)])
    sink = Sink()
    stop = asyncio.Event()
    with Meter(server) as meter:
        side = (asyncio.ensure_future(signins.at_rate(signin_rate, stop))
                if signins and signin_rate else None)
        if point.mode == "closed":
            await closed_loop(steps[0], pairs, duration, sink)
        else:
            await open_loop(steps, pairs, duration, point.interval_s, sink)
        stop.set()
        if side is not None:
            await side
    single = len(steps) == 1
    done = sum(len(v) for v in sink.latencies_ms.values())
    failed = sum(len(v) for v in sink.errors.values())
    return {
        "per_action": {a.key: _repeat(sink, a.key, meter, attributed=single) for a in steps},
        "window": {"wall_s": meter.wall_s, "server_cpu_s": meter.server_cpu_s, "sql": meter.sql,
                   "loadgen_cpu_s": meter.loadgen_cpu_s, "done": done, "errors": failed},
    }
