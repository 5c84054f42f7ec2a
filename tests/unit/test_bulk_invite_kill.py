"""Bulk invite of 500 clients against real processes that are killed midway.

The issue: "Bulk invite of 500 clients completes without a timeout and sends 500 outbox
messages exactly once, even if the process is killed midway and restarted."

A child Python process works on a file-backed SQLite database; the test SIGKILLs it
(no cleanup, no rollback handler runs) and then starts a fresh one.
"""

import email
import email.policy
import os
import queue
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlmodel import Session, SQLModel, select

from models import Business, Client, Invitation, OutboxMessage, OutboxStatus, PortalAccess
from portal_app import db as db_module
from portal_app.services.crypto import sha256_hex
from tests.unit.helpers import INVITE_KEY_RE, NOW, count

pytestmark = [pytest.mark.timeout(180), pytest.mark.serial]

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 500

# Runs the real bulk invite in one session_scope(). With SLOW_AFTER set, an engine hook
# (in this child only) says STARTED after that many queued messages and then slows every
# further insert, so the parent can kill it inside the transaction.
INVITE_SCRIPT = textwrap.dedent("""
    import os, sys, time
    from sqlalchemy import event
    from sqlmodel import select
    from models import Client
    from portal_app.db import get_engine, session_scope
    from portal_app.services.invitations import invite_clients

    slow_after = int(os.environ.get("SLOW_AFTER", "0"))
    queued = 0

    if slow_after:
        @event.listens_for(get_engine(), "after_cursor_execute")
        def _slow(conn, cursor, statement, parameters, context, executemany):
            global queued
            if statement.startswith("INSERT INTO outbox_message"):
                queued += 1
                if queued == slow_after:
                    print("STARTED", flush=True)
                if queued >= slow_after:
                    time.sleep(0.05)

    start = time.perf_counter()
    with session_scope() as s:
        ids = list(s.exec(select(Client.id)).all())
        result = invite_clients(s, staff_id=None, client_ids=ids,
                                base_url="http://portal.test", request_key=sys.argv[1])
    elapsed = time.perf_counter() - start
    print(f"COMMITTED {result.invited} {len(result.skipped)} {elapsed:.3f}", flush=True)
""")

# Delivers everything that is due through the file provider, one message at a time
# (5 ms each), until nothing is pending. FUTURE_MINUTES moves the clock on, so leases of
# a killed sender have run out.
DELIVER_SCRIPT = textwrap.dedent("""
    import os, sys, time
    from datetime import timedelta
    from pathlib import Path
    from sqlalchemy import func
    from sqlmodel import Session, select
    from models import OutboxMessage, OutboxStatus
    from models.base import utcnow
    from portal_app.db import get_engine
    from portal_app.providers.dev import FileProvider
    from portal_app.services.outbox import deliver_due

    class SlowFiles(FileProvider):
        def send_email(self, message):
            time.sleep(0.005)
            return super().send_email(message)

    engine = get_engine()
    provider = SlowFiles(Path(sys.argv[1]))
    minutes = int(os.environ.get("FUTURE_MINUTES", "0"))
    print("DELIVERING", flush=True)
    while True:
        now = utcnow() + timedelta(minutes=minutes) if minutes else None
        report = deliver_due(lambda: Session(engine, expire_on_commit=False), email=provider,
                             sms=None, sender="Studio <portal@studio.test>", now=now)
        with Session(engine) as s:
            pending = s.exec(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.status == OutboxStatus.PENDING)).one()
        if report.sent == 0 and pending == 0:
            break
    print("DONE", flush=True)
""")


class Child:
    """A child Python process whose stdout lines are collected by a reader thread."""

    def __init__(self, script: str, args: list[str], env: dict[str, str]):
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args], cwd=ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # end of output

    def wait_for(self, prefix: str, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            if line == "" and self.proc.poll() is not None:
                break
            self.seen.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"child never printed {prefix!r}; stdout={self.seen} "
                             f"stderr={self.stderr()}")

    def kill(self) -> int:
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=30)

    def finish(self, timeout: float = 150) -> None:
        rc = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        assert rc == 0, f"child failed ({rc}): {self.stderr()}"

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return "(still running)"
        return self.proc.stderr.read()[-3000:]


@pytest.fixture
def portal_db(tmp_path):
    """A file-backed SQLite database with a business and 500 clients; returns (env, engine)."""
    path = tmp_path / "bulk.db"
    url = f"sqlite:///{path}"
    engine = db_module.make_engine(url)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Business(name="Bulk Studio", contact_email="hello@bulk.test"))
        s.connection().execute(insert(Client), [
            {"full_name": f"Bulk Client {i:03d}", "email": f"bulk{i:03d}@example.test",
             "portal_access": PortalAccess.NOT_INVITED, "timezone": "UTC", "created_at": NOW}
            for i in range(CLIENTS)])
        s.commit()
    env = {**os.environ, "DATABASE_URL": url, "PORTAL_DATA_DIR": str(tmp_path / "data"),
           "PORTAL_SECRET_KEY": os.environ["PORTAL_SECRET_KEY"], "PYTHONUNBUFFERED": "1"}
    env.pop("SLOW_AFTER", None)
    env.pop("FUTURE_MINUTES", None)
    try:
        yield env, engine
    finally:
        engine.dispose()


def _rows(engine):
    with Session(engine) as s:
        return (count(s, Invitation), count(s, OutboxMessage),
                Counter(s.exec(select(OutboxMessage.status)).all()))


def _run_invite(env, request_key: str) -> float:
    child = Child(INVITE_SCRIPT, [request_key], env)
    line = child.wait_for("COMMITTED")
    child.finish()
    _, invited, skipped, elapsed = line.split()
    assert (int(invited), int(skipped)) == (CLIENTS, 0)
    return float(elapsed)


def test_bulk_invite_killed_during_delivery_sends_each_message_once(portal_db, tmp_path):
    env, engine = portal_db
    mail_dir = tmp_path / "mail"

    elapsed = _run_invite(env, "bulk-1")
    print(f"\n500-invite transaction: {elapsed:.2f}s")
    assert elapsed < 30, "the bulk invite would time out"
    assert _rows(engine) == (CLIENTS, CLIENTS, Counter({OutboxStatus.PENDING: CLIENTS}))

    sender = Child(DELIVER_SCRIPT, [str(mail_dir)], env)
    sender.wait_for("DELIVERING")
    deadline = time.monotonic() + 120
    while len(list(mail_dir.glob("*.eml"))) < 100:
        assert sender.proc.poll() is None, f"sender stopped early: {sender.stderr()}"
        assert time.monotonic() < deadline, "sender wrote too few files"
        time.sleep(0.005)
    assert sender.kill() == -signal.SIGKILL
    files_at_kill = len(list(mail_dir.glob("*.eml")))
    _, _, statuses = _rows(engine)
    print(f"killed the sender after {files_at_kill} files; statuses then: {dict(statuses)}")
    assert 100 <= files_at_kill < CLIENTS, "the kill came too late to test a restart"
    assert statuses[OutboxStatus.PENDING] > 0

    restarted = Child(DELIVER_SCRIPT, [str(mail_dir)], {**env, "FUTURE_MINUTES": "2"})
    restarted.wait_for("DONE")
    restarted.finish()

    assert _rows(engine) == (CLIENTS, CLIENTS, Counter({OutboxStatus.SENT: CLIENTS}))
    files = sorted(mail_dir.glob("*.eml"))
    assert len(files) == CLIENTS
    with Session(engine) as s:
        keys = set(s.exec(select(OutboxMessage.idempotency_key)).all())
        clients = {c.email: c.id for c in s.exec(select(Client))}
        token_hashes = {i.client_id: i.token_hash for i in s.exec(select(Invitation))}
    assert {f.stem for f in files} == keys
    recipients = Counter()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        recipients[message["To"]] += 1
        key = INVITE_KEY_RE.search(message.get_body(preferencelist=("plain",)).get_content())
        assert key, f"no invitation link in {path.name}"
        assert sha256_hex(key.group(1)) == token_hashes[clients[message["To"]]]
    assert recipients == Counter(dict.fromkeys(clients, 1))


def test_bulk_invite_killed_inside_transaction_leaves_nothing_then_reruns(portal_db):
    env, engine = portal_db

    child = Child(INVITE_SCRIPT, ["bulk-1"], {**env, "SLOW_AFTER": "100"})
    child.wait_for("STARTED")
    assert child.kill() == -signal.SIGKILL
    assert not any(line.startswith("COMMITTED") for line in child.seen)

    assert _rows(engine) == (0, 0, Counter())
    with Session(engine) as s:
        assert {c.portal_access for c in s.exec(select(Client))} == {PortalAccess.NOT_INVITED}

    elapsed = _run_invite(env, "bulk-1")  # the same request, restarted
    print(f"\n500-invite transaction after the kill: {elapsed:.2f}s")

    assert _rows(engine) == (CLIENTS, CLIENTS, Counter({OutboxStatus.PENDING: CLIENTS}))
    with Session(engine) as s:
        assert {c.portal_access for c in s.exec(select(Client))} == {PortalAccess.INVITED}
        recipients = Counter(s.exec(select(OutboxMessage.to)).all())
    assert len(recipients) == CLIENTS and set(recipients.values()) == {1}
