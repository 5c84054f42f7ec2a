"""Killing the process with SIGKILL while a webhook is being processed, then
restarting and redelivering, loses no payment and duplicates none (against the
real server process).

The real ASGI app is served by granian exactly as Reflex's prod backend starts
it (`run_granian_backend_prod`: the `portal_app.portal_app:app` factory, ASGI,
one worker, the frontend compile skipped), on a file-backed SQLite database.
60 signed checkout.session.completed deliveries arrive at once; the server is
SIGKILLed (its whole process group) mid-stream, restarted on the same
database, and every event is delivered again, as Stripe does until it gets a 2xx.
"""

import contextlib
import http.client
import itertools
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from models import Invoice, InvoiceStatus, OutboxMessage, Payment, PortalAccess, ProcessedEvent
from portal_app import db as db_module
from portal_app.services.billing.checkout import open_checkout, prepare_checkout
from tests import factories
from tests.api.test_billing_routes import checkout_event, make_invoice
from tests.fake_stripe import sign_payload

pytestmark = [pytest.mark.timeout(120), pytest.mark.serial]

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
EVENTS = 60
CLIENTS = 12
KILL_AFTER_OK = 5  # SIGKILL once this many deliveries were acknowledged
SECRET = "whsec_kill"
WEBHOOK = "/api/stripe/webhook"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """granian serving the portal app, in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        # What `reflex run --env prod` runs for the backend (reflex/utils/exec.py:
        # run_granian_backend_prod), minus the frontend build: Reflex itself sets
        # environment.REFLEX_SKIP_COMPILE, whose variable is __REFLEX_SKIP_COMPILE.
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "python"), "-m", "granian", "--interface", "asgi", "--factory",
             "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1",
             "portal_app.portal_app:app"],
            cwd=ROOT, env={**env, "__REFLEX_SKIP_COMPILE": "true"},
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_healthy(self, timeout: float = 45) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited ({self.proc.returncode}): {self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/health", timeout=1) as r:
                    if r.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"server never answered /api/health: {self.log()}")

    def kill(self) -> None:
        """SIGKILL the server and its worker: no cleanup, no rollback handler runs."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _live_members(self.proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not _live_members(self.proc.pid), "a server process survived SIGKILL"

    def stop(self) -> None:
        try:
            self.kill()
        finally:
            self._log.close()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-4000:]


def _live_members(pgid: int) -> bool:
    """True when a live (non-zombie) process is still in the group."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != "Z":
            return True
    return False


def _deliver(base: str, body: bytes, timeout: float = 30) -> tuple[object, str]:
    """POST one signed delivery; (status, outcome) or ("error", reason)."""
    request = urllib.request.Request(
        f"{base}{WEBHOOK}", data=body, method="POST",
        headers={"Stripe-Signature": sign_payload(body, SECRET),
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read()).get("outcome", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace")[:200]
    except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, refused, truncated: the kill
        return "error", type(exc).__name__


@pytest.fixture
def portal_env(tmp_path):
    """A migrated file-backed database with 60 opened checkout attempts; (env, engine, bodies)."""
    db_path = tmp_path / "kill.db"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_EMAIL_BACKEND": "outbox",
        "PORTAL_SMS_BACKEND": "none",
        "PORTAL_PAYMENTS_BACKEND": "test",
        "STRIPE_WEBHOOK_SECRET": SECRET,
        "PORTAL_SECRET_KEY": "kill-test-secret-key-0123456789abcdefghij",
        "PORTAL_ENV": "dev",
        "PORTAL_BASE_URL": "http://127.0.0.1:3999",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        "PYTHONUNBUFFERED": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    for name in ("STRIPE_SECRET_KEY", "STRIPE_API_BASE", "REDIS_URL", "REFLEX_REDIS_URL",
                 "GRANIAN_WORKERS"):
        env.pop(name, None)
    migrated = subprocess.run([str(VENV_BIN / "portal"), "migrate"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=60)
    assert migrated.returncode == 0, migrated.stderr[-3000:]

    engine = db_module.make_engine(env["DATABASE_URL"])
    bodies: list[bytes] = []
    with Session(engine, expire_on_commit=False) as s:
        factories.business(s, name="Kill Studio")
        staff = factories.staff(s, role="owner")
        clients = [factories.household(s, access=PortalAccess.ACTIVE)[1][0]
                   for _ in range(CLIENTS)]
        s.commit()
        for i, client in zip(range(EVENTS), itertools.cycle(clients), strict=False):
            invoice = make_invoice(s, staff_id=staff.id, client_id=client.id,
                                   price=f"{50 + i}.00")
            attempt = prepare_checkout(s, client_id=client.id, invoice_id=invoice.id,
                                       amount_text=None, provider="stripe", tab_token="")
            open_checkout(s, attempt_id=attempt.id, provider_session_id=f"cs_kill_{i:03d}",
                          url=f"https://checkout.stripe.test/cs_kill_{i:03d}")
            s.commit()
            event = checkout_event(attempt, session_id=f"cs_kill_{i:03d}",
                                   event_id=f"evt_kill_{i:03d}")
            bodies.append(json.dumps(event).encode())
    try:
        yield env, engine, bodies
    finally:
        engine.dispose()


def _count(engine, model, *where) -> int:
    with Session(engine) as s:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return int(s.exec(query).one())


def _receipts(engine) -> int:
    return _count(engine, OutboxMessage, OutboxMessage.idempotency_key.startswith("receipt-"))


def test_sigkill_during_webhooks_then_redelivery_loses_and_duplicates_nothing(portal_env,
                                                                             tmp_path):
    env, engine, bodies = portal_env
    started = time.monotonic()
    servers: list[Server] = []
    try:
        first = Server(env, tmp_path / "server-1.log")
        servers.append(first)
        boot = first.wait_healthy()

        acknowledged = threading.Semaphore(0)
        results: list = [None] * EVENTS

        def send(i: int) -> None:
            results[i] = _deliver(first.base, bodies[i])
            if results[i][0] == 200:
                acknowledged.release()

        pool = ThreadPoolExecutor(max_workers=EVENTS)
        fire = time.monotonic()
        futures = [pool.submit(send, i) for i in range(EVENTS)]
        for _ in range(KILL_AFTER_OK):
            assert acknowledged.acquire(timeout=60), f"too few 200s: {first.log()}"
        first.kill()
        killed_at = time.monotonic() - fire
        for future in futures:
            future.result(timeout=60)
        pool.shutdown()

        ok_before = {i for i, (status, _) in enumerate(results) if status == 200}
        statuses = Counter(status for status, _ in results)
        payments_at_kill = _count(engine, Payment)
        events_at_kill = _count(engine, ProcessedEvent)
        receipts_at_kill = _receipts(engine)
        print(f"\nserver up in {boot:.1f}s; killed {killed_at:.2f}s after firing {EVENTS} "
              f"deliveries: responses {dict(statuses)}; committed then: {payments_at_kill} "
              f"payments, {events_at_kill} processed events, {receipts_at_kill} receipts")

        # The kill came mid-stream: some but not all were processed ...
        assert KILL_AFTER_OK <= len(ok_before) < EVENTS
        assert payments_at_kill < EVENTS, "every event was processed before the kill"
        # ... every acknowledged delivery was durable, and each commit was whole.
        assert payments_at_kill >= len(ok_before)
        assert payments_at_kill == events_at_kill == receipts_at_kill
        with Session(engine) as s:
            committed = set(s.exec(select(ProcessedEvent.event_id)).all())
            paid = s.exec(select(Invoice).where(Invoice.status == InvoiceStatus.PAID)).all()
        assert {f"evt_kill_{i:03d}" for i in ok_before} <= committed
        assert len(paid) == payments_at_kill
        assert all(inv.paid_minor == inv.total_minor for inv in paid)

        second = Server(env, tmp_path / "server-2.log")
        servers.append(second)
        second.wait_healthy()
        with ThreadPoolExecutor(max_workers=EVENTS) as redeliver:
            again = list(redeliver.map(lambda body: _deliver(second.base, body), bodies))

        assert [status for status, _ in again] == [200] * EVENTS, again
        outcomes = Counter(outcome for _, outcome in again)
        assert outcomes == {"duplicate": payments_at_kill,
                            "recorded": EVENTS - payments_at_kill}, outcomes
        # Stripe may deliver yet again: still nothing new.
        assert {_deliver(second.base, bodies[0])[1], _deliver(second.base, bodies[-1])[1]} == {
            "duplicate"}
        second.kill()
    finally:
        for server in servers:
            server.stop()

    assert _count(engine, Payment) == EVENTS
    assert _count(engine, ProcessedEvent) == EVENTS
    assert _receipts(engine) == EVENTS
    with Session(engine) as s:
        payments = s.exec(select(Payment)).all()
        invoices = s.exec(select(Invoice)).all()
    assert len({p.receipt_number for p in payments}) == EVENTS
    assert Counter(p.invoice_id for p in payments) == Counter({inv.id: 1 for inv in invoices})
    assert len(invoices) == EVENTS
    for inv in invoices:
        assert (inv.status, inv.paid_minor) == (InvoiceStatus.PAID, inv.total_minor), inv.number
    assert {p.provider_ref for p in payments} == {f"cs_kill_{i:03d}" for i in range(EVENTS)}
    engine.dispose()
    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    elapsed = time.monotonic() - started
    print(f"whole kill/restart/redeliver run: {elapsed:.1f}s")
    assert elapsed < 60
