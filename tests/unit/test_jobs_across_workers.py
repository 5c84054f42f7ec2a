"""Three worker processes run the job loop against one PostgreSQL database: every
queued email and every due reminder is delivered exactly once."""

import email
import email.policy
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from models import Booking, BookingStatus, OutboxMessage, OutboxStatus
from portal_app.db import make_engine
from portal_app.services import outbox
from tests import factories

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
N = 20
EXTRA_PASSES = 20


def _seed(engine) -> tuple[list[str], dict[int, str]]:
    """N queued emails and N confirmed bookings inside the 24-hour reminder lead."""
    with Session(engine) as s:
        factories.business(s, reminder_hours=24)
        staff = factories.staff(s)
        service = factories.service(s, providers=[staff])
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
        bookings = {}
        for i in range(N):
            account, (client,) = factories.household(s, names=(f"Rem{i}",), access="active")
            booking = Booking(client_id=client.id, service_id=service.id, staff_id=staff.id,
                              start_at=start + timedelta(hours=i), status=BookingStatus.CONFIRMED,
                              end_at=start + timedelta(hours=i, minutes=30))
            s.add(booking)
            s.flush()
            bookings[booking.id] = account.email
        keys = [f"bulk-{i}" for i in range(N)]
        for i, key in enumerate(keys):
            outbox.enqueue_email(s, to=f"bulk{i}@example.test", template="no_account",
                                 business=None, idempotency_key=key)
        s.commit()
    return keys, bookings


def _passes(log: Path) -> int:
    return sum(1 for line in log.read_text().splitlines() if line.split(" ")[1] == "pass")


def _all_done(engine) -> bool:
    with Session(engine) as s:
        unreminded = s.exec(select(Booking.id).where(Booking.reminder_sent_at.is_(None))).all()
        unsent = s.exec(select(OutboxMessage.id).where(
            OutboxMessage.status != OutboxStatus.SENT)).all()
        total = len(s.exec(select(OutboxMessage.id)).all())
    return not unreminded and not unsent and total >= 2 * N


def test_three_workers_deliver_each_email_and_reminder_exactly_once(pg_url, tmp_path):
    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    keys, bookings = _seed(engine)
    log, mail = tmp_path / "jobs.log", tmp_path / "mail"
    env = {**os.environ, "DATABASE_URL": pg_url, "PORTAL_EMAIL_BACKEND": "file",
           "PORTAL_MAIL_DIR": str(mail), "PORTAL_DATA_DIR": str(tmp_path / "data"),
           "PORTAL_SMS_BACKEND": "none", "PORTAL_OUTBOX_POLL_SECONDS": "0.05",
           "JOB_TEST_LOG": str(log)}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.job_worker"], cwd=ROOT, env=env)
             for _ in range(WORKERS)]
    try:
        deadline = time.monotonic() + 120
        while not _all_done(engine):
            assert all(p.poll() is None for p in procs), "a worker died"
            assert time.monotonic() < deadline, "the workers did not deliver everything"
            time.sleep(0.2)
        # Twenty more passes of the job after the last delivery: a late duplicate
        # would show up (waits for the passes, not a fixed time).
        wanted = _passes(log) + EXTRA_PASSES
        while _passes(log) < wanted:
            assert all(p.poll() is None for p in procs), "a worker died"
            assert time.monotonic() < deadline, "the job stopped passing"
            time.sleep(0.05)
        assert all(p.poll() is None for p in procs), "a worker died"
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=20)

    lines = [line.split(" ", 2) for line in log.read_text().splitlines()]
    started = {pid for pid, what, *_ in lines if what == "started"}
    passes = Counter(pid for pid, what, *_ in lines if what == "pass")
    sends = Counter(rest[0] for _, what, *rest in lines if what == "send")
    assert len(started) == WORKERS
    assert len(passes) >= 2, f"the outbox job never moved between workers: {passes}"

    with Session(engine) as s:
        rows = s.exec(select(OutboxMessage)).all()
    reminder_keys = {r.idempotency_key for r in rows if r.subject.startswith("Reminder")}
    assert len(rows) == 2 * N and len(reminder_keys) == N
    assert set(sends) == set(keys) | reminder_keys
    assert [k for k, n in sends.items() if n != 1] == []  # each sent exactly once
    assert all(r.attempts == 1 for r in rows)

    files = sorted(mail.glob("*.eml"))
    assert len(files) == 2 * N
    reminders_to = Counter()
    for path in files:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if msg["Subject"].startswith("Reminder"):
            reminders_to[msg["To"]] += 1
    assert reminders_to == Counter(bookings.values())  # one reminder per booking
    engine.dispose()
