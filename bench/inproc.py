"""In-process harness: CPU and SQL of the portal actions' handlers, without a server.

    .venv/bin/python -m bench.inproc [--scale small|large] [--only a,b] [--seconds 1.0]
                                     [--profile ACTION] [--sort tottime|cumulative]

Seeds a business with bench/seed.py once (cached under $TMPDIR/portal-inproc, one copy
per scale, day and set of migrations; each run works on a fresh copy), then calls each action's handlers
the way tests/state/harness.py does (a real State tree, our cookie in the router
headers; `fn(substate, *args)`), followed by what Reflex does after a handler: the
resolved delta, serialised as JSON, and the state cleaned. Each action keeps one tab
(one root state) across its calls, as a browser tab does, so an unchanged var that is
assigned again shows in the delta size.

Prints per call: CPU µs (time.process_time), ratio to the trivial counter event
measured the same way in the same run, SQL statements, and delta bytes. The trivial
event here has no socket, state manager or middleware around it, so the ratios are far
larger than `make bench`'s; compare the rows of one run, or the same row of two runs
only through its ratio. "session check" is the handler of a page doing nothing but the
check (SelectAccountState.load): the rest of a row is the page's own work.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CACHE = Path(tempfile.gettempdir()) / "portal-inproc"
BENCH_CLIENTS = 50
WORK = Path(tempfile.mkdtemp(prefix="portal-inproc-"))

os.environ.update({
    "PORTAL_ENV": "dev",
    "PORTAL_DATA_DIR": str(WORK / "data"),
    "PORTAL_SECRET_KEY": "inproc-secret-key-that-is-long-enough-0123456789",
    "PORTAL_EMAIL_BACKEND": "outbox",
    "PORTAL_SMS_BACKEND": "none",
    "PORTAL_PAYMENTS_BACKEND": "test",
    "PORTAL_BASE_URL": "http://127.0.0.1:3000",
    "REFLEX_TELEMETRY_ENABLED": "false",
    "REFLEX_CHECK_LATEST_VERSION": "false",
    "PORTAL_FORM_SAVES_PER_MINUTE": "100000000",  # as bench/servers.py (autosave)
})
for _name in ("REDIS_URL", "DATABASE_URL", "PORTAL_BENCH"):
    os.environ.pop(_name, None)


def seeded(scale_name: str) -> tuple[Path, dict]:
    """The cached seeded database of `scale_name` (seeding it first if missing)."""
    from bench import seed

    scale = {"small": seed.SMALL, "large": seed.LARGE}[scale_name]
    # Reseeded when the day or the migrations change (a new table must be there).
    migrations = sorted(p.name for p in (ROOT / "alembic" / "versions").glob("*.py"))
    digest = hashlib.sha256("\n".join(migrations).encode()).hexdigest()[:8]
    folder = CACHE / f"{scale_name}-{date.today().isoformat()}-{digest}"
    db, fixture = folder / "portal.db", folder / "fixture.json"
    if fixture.exists():
        return db, json.loads(fixture.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    url = f"sqlite:///{db}"
    proc = seed.migrate(url, folder / "data")
    if proc.wait() != 0:
        raise RuntimeError(f"portal migrate failed: {proc.stderr.read().decode()}")
    fx = seed.seed(url, scale, bench_clients=BENCH_CLIENTS, sign_in_accounts=0,
                   password_hash="!")  # noqa: S106 - no sign-in here
    from portal_app.db import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    fixture.write_text(json.dumps(fx.to_json()))
    return db, fx.to_json()


@dataclass
class Step:
    """One handler call: `cls.name(*args)` on the tab's root state."""

    cls: type
    name: str
    args: tuple | Callable[[], tuple] = ()  # or made afresh for each call


@dataclass
class Case:
    key: str
    label: str
    url: str | Callable[[dict], str]  # the page the tab is on
    steps: list[Step]  # the timed calls (one user action)
    prepare: list[Step] = field(default_factory=list)  # once, untimed
    checks: int = 1  # session checks among the calls ("page's own" = the rest)
    # After the calls: what is wrong with the tab's state, or None (a refused or empty
    # answer must not pass for a fast one).
    check: Callable[[Callable], str | None] = lambda var: None


def expect(cls, name: str, test=bool, what: str = ""):
    """A check: `test(cls.name)` on the tab's state."""
    return lambda var: None if test(var(cls, name)) else (what or f"{cls.__name__}.{name} empty")


SENT = "Bench message from the harness."


def page_load(path: str) -> list[Step]:
    """The page's on_load chain as the app registered it (portal_app/portal_app.py), so a
    page that drops or adds a step is measured as it now is."""
    from reflex.state import State

    from portal_app.portal_app import app

    steps = []
    for item in app._load_events[path.strip("/")]:
        handler, args = item, ()
        if hasattr(item, "handler"):  # an EventSpec: a handler with its arguments
            handler = item.handler
            args = tuple(getattr(value, "_var_value", value) for _, value in item.args)
        steps.append(Step(State.get_class_substate(handler.state_full_name),
                          handler.fn.__name__, args))
    return steps


def checks_in(steps: list[Step]) -> int:
    """How many of the calls run the client's session check (ClientState's handlers)."""
    from state.session import ClientState

    return sum(1 for step in steps if issubclass(step.cls, ClientState))


def cases(client: dict) -> list[Case]:
    from bench.bench_state import BenchCounterState
    from bench.seed_community import QUIET_GROUP_ID
    from state.bookings import BookingsState
    from state.client_pages import DashboardState, SelectAccountState
    from state.messages import MessagesState
    from state.payments import InvoiceState
    from state.session import ClientState

    out = [
        Case("trivial", "trivial Reflex event (floor)", "/bench/counter",
             [Step(BenchCounterState, "increment")], checks=0, check=expect(BenchCounterState, "count")),
        Case("check", "session check alone (select-account load)", "/select-account",
             [Step(SelectAccountState, "load")], checks=0, check=expect(ClientState, "signed_in")),
        Case("dashboard", "open dashboard", "/dashboard", page_load("/dashboard"),
             check=expect(DashboardState, "total_due")),
        Case("bookings", "list bookings", "/bookings", page_load("/bookings"),
             check=expect(BookingsState, "services")),
        Case("slots", "search free slots (7 days)", "/bookings",
             [Step(BookingsState, "choose_service", ("1",))],
             prepare=[Step(BookingsState, "load")], check=expect(BookingsState, "slot_days")),
        Case("invoice", "open an invoice", f"/payments/invoice?id={client['invoice_id']}",
             page_load("/payments/invoice"), check=expect(InvoiceState, "found")),
        Case("message", "send a message", f"/messages?c={client['conversation_id']}",
             [Step(MessagesState, "send_text", (SENT,))],
             prepare=[Step(MessagesState, "load")],
             check=expect(MessagesState, "thread_tail", lambda t: t and t[-1]["body"] == SENT,
                          "the sent message is not last in the thread")),
        Case("bell", "open notifications", "/dashboard", [Step(ClientState, "open_bell")],
             prepare=[Step(DashboardState, "load")], check=expect(ClientState, "bell_items")),
    ]
    try:
        from state.courses.lesson_page import LessonPageState

        out.append(Case("lesson", "open a course lesson",
                        f"/courses/lesson?id={client['lesson_id']}",
                        lesson := page_load("/courses/lesson"), checks=checks_in(lesson),
                        check=expect(LessonPageState, "status", lambda v: v in ("open", "complete"),
                                     "the lesson is not open")))
    except ImportError:
        pass
    out += _event_cases(client)
    try:
        from state.community.group_page import GroupPageState

        out.append(Case("feed", "open a community group feed",
                        f"/community/group?id={QUIET_GROUP_ID}",
                        feed := page_load("/community/group"), checks=checks_in(feed),
                        check=expect(GroupPageState, "posts")))
    except ImportError:
        pass
    try:
        from portal_app import routes
        from state.statements import StatementsState

        route = getattr(routes, "PAYMENTS_STATEMENTS", "/payments/statements")
        out.append(Case("statement", "open statements (this month)", route,
                        stmt := page_load(route), checks=checks_in(stmt),
                        check=expect(StatementsState, "period")))
    except ImportError:
        pass
    return out


def _event_cases(client: dict) -> list[Case]:
    """The two single events of a page being used: a form's autosave (bench/actions.py
    `Autosave`: a long answer typed, debounced) and the video player's progress report
    (bench/course_actions.py `ReportProgress`: each report a second past the last, so
    every one is plausible and moves the furthest point, as a playing video's does)."""
    from bench.seed_courses import VIDEO_SECONDS
    from state.client_forms.form_page import FormState

    out = []
    seq = iter(range(1, 10**9))
    typed: list[str] = []

    def autosave() -> tuple:
        n = next(seq)
        typed.append(f"{n} Bench Street, Apt {n % 97}")
        return ("address", typed[-1])

    out.append(Case("autosave", "autosave a form answer",
                    f"/forms/form?id={client['form_request_id']}",
                    [Step(FormState, "save_field", autosave)],
                    prepare=page_load("/forms/form"),
                    check=expect(FormState, "rows",
                                 lambda rows: any(r.value == typed[-1] for r in rows),
                                 "the typed answer is not in the form's rows")))
    try:
        from state.courses.lesson_page import LessonPageState
    except ImportError:
        return out
    position = iter(range(1, VIDEO_SECONDS))
    sent: list[int] = [0]

    def report() -> tuple:
        sent.append(next(position))
        return ({"position": sent[-1], "duration": VIDEO_SECONDS},)

    out.append(Case("progress", "course progress update (video player)",
                    f"/courses/lesson?id={client['video_lesson_id']}",
                    [Step(LessonPageState, "report_progress", report)],
                    prepare=page_load("/courses/lesson"),
                    check=expect(LessonPageState, "watched_pct",
                                 lambda pct: pct == 100 * sent[-1] // VIDEO_SECONDS,
                                 "the reported position was not kept")))
    return out


class Runner:
    def __init__(self, token: str):
        from reflex.utils import format
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.token = token
        self.loop = asyncio.new_event_loop()
        self.json = format.json_dumps
        self.statements = 0

        def count(*_args):
            self.statements += 1

        event.listen(Engine, "before_cursor_execute", count)

    def tab(self, url: str):
        from tests.state.harness import tab_at

        root = tab_at(self.token, url)
        root.router_data["pathname"] = url.split("?", 1)[0]
        from reflex.istate.data import RouterData

        root.router = RouterData.from_router_data(root.router_data)
        return root

    def call(self, root, step: Step) -> int:
        """One handler call and what Reflex does after it; returns the delta's bytes."""
        from tests.state.harness import substate

        target = substate(root, step.cls)
        args = step.args() if callable(step.args) else step.args
        result = step.cls.event_handlers[step.name].fn(target, *args)
        if asyncio.iscoroutine(result):
            result = self.loop.run_until_complete(result)
        delta = self.loop.run_until_complete(root._get_resolved_delta())
        text = self.json(delta)
        root._clean()
        return len(text)

    def measure(self, case: Case, seconds: float, most: int = 2000) -> dict:
        from tests.state.harness import substate

        url = case.url(case) if callable(case.url) else case.url
        root = self.tab(url)
        for step in case.prepare:
            self.call(root, step)
        for _ in range(3):  # warm-up (caches, first compile of statements)
            for step in case.steps:
                self.call(root, step)
        calls = size = 0
        self.statements = 0
        started = time.process_time()
        while calls < most and (time.process_time() - started < seconds or calls < 5):
            for step in case.steps:
                size += self.call(root, step)
            calls += 1
        spent = time.process_time() - started
        wrong = case.check(lambda cls, name: getattr(substate(root, cls), name))
        if wrong:
            raise SystemExit(f"{case.key}: {wrong}")
        return {"us": spent / calls * 1e6, "sql": self.statements / calls,
                "delta": size / calls, "calls": calls}

    def profile(self, case: Case, seconds: float, sort: str) -> None:
        url = case.url(case) if callable(case.url) else case.url
        root = self.tab(url)
        for step in case.prepare:
            self.call(root, step)
        for step in case.steps:
            self.call(root, step)
        prof = cProfile.Profile()
        started = time.process_time()
        calls = 0
        prof.enable()
        while time.process_time() - started < seconds:
            for step in case.steps:
                self.call(root, step)
            calls += 1
        prof.disable()
        print(f"{case.key}: {calls} calls profiled")
        pstats.Stats(prof).sort_stats(sort).print_stats(45)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small", choices=("small", "large"))
    parser.add_argument("--only", default="", help="comma-separated action keys")
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU seconds per action")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved rounds")
    parser.add_argument("--profile", default="", help="an action key to profile")
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args(argv)

    template, fixture = seeded(args.scale)
    db = WORK / "portal.db"
    shutil.copyfile(template, db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from portal_app.settings import reset_settings_cache

    reset_settings_cache()
    import bench.bench_state  # noqa: F401  (the trivial counter's state)
    import portal_app.portal_app  # noqa: F401  (registers every page's State)

    client = fixture["clients"][0]
    runner = Runner(client["token"])
    all_cases = cases(client)
    if args.profile:
        case = next(c for c in all_cases if c.key == args.profile)
        runner.profile(case, args.seconds, args.sort)
        return
    wanted = set(filter(None, args.only.split(",")))
    chosen = [c for c in all_cases if not wanted or c.key in wanted or c.key == "trivial"]
    results: dict[str, list[dict]] = {c.key: [] for c in chosen}
    for _ in range(args.repeats):
        for case in chosen:
            results[case.key].append(runner.measure(case, args.seconds))
    load = os.getloadavg()[0]
    print(f"scale {args.scale}, {args.repeats} round(s) of {args.seconds} CPU-s per action, "
          f"load average {load:.2f}")
    trivial = min(r["us"] for r in results["trivial"])
    check = min(r["us"] for r in results["check"]) if "check" in results else 0.0
    print("| action | µs per call | ÷ trivial | page's own µs | SQL per call | delta bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for case in chosen:
        best = min(results[case.key], key=lambda r: r["us"])
        own = max(best["us"] - case.checks * check, 0) if check and case.checks else None
        print(f"| {case.label} | {best['us']:,.0f} | {best['us'] / trivial:.1f}× "
              f"| {'–' if own is None else f'{own:,.0f}'} | {best['sql']:.0f} "
              f"| {best['delta']:,.0f} |")


if __name__ == "__main__":
    main()
