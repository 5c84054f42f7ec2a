"""One runner at a time for each background job, across processes: a PostgreSQL
advisory lock, or a file lock next to a SQLite database; freed when its holder dies."""

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlmodel import Session, SQLModel, select

from models import OutboxMessage, OutboxStatus
from models.base import utcnow
from portal_app import db as db_module
from portal_app.db import make_engine
from portal_app.job_lock import advisory_key, job_lock, lock_file_for
from portal_app.jobs import OUTBOX_JOB, deliver_once
from portal_app.services import outbox

ROOT = Path(__file__).resolve().parents[2]
HOLDER = textwrap.dedent("""
    import sys, time
    from portal_app.db import make_engine
    from portal_app.job_lock import job_lock
    engine = make_engine(sys.argv[1])
    with job_lock(engine, sys.argv[2]) as held:
        print("held" if held else "refused", flush=True)
        time.sleep(120)
""")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request, tmp_path):
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
        url = str(eng.url)
        yield eng, url
        eng.dispose()
    else:
        url = request.getfixturevalue("pg_url")
        eng = make_engine(url)
        yield eng, url
        eng.dispose()


def _holder(url: str, name: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, url, name], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_runner_is_refused_while_the_first_holds_the_lock(any_engine):
    engine, _ = any_engine
    with job_lock(engine, "outbox") as first:
        assert first is True
        with job_lock(engine, "outbox") as second:
            assert second is False
        with job_lock(engine, "reminders") as other_job:
            assert other_job is True  # each job has its own lock
    with job_lock(engine, "outbox") as again:
        assert again is True


def test_lock_held_by_another_process_is_freed_when_it_is_killed(any_engine):
    engine, url = any_engine
    proc = _holder(url, "outbox")
    try:
        with job_lock(engine, "outbox") as held:
            assert held is False
    finally:
        proc.kill()
        proc.wait()
    # PostgreSQL ends the dead client's backend (and its advisory lock) a moment after the
    # socket closes; the lock must be free within a few seconds, never held forever.
    deadline = time.monotonic() + 10
    while True:
        with job_lock(engine, "outbox") as held:
            if held or time.monotonic() > deadline:
                break
        time.sleep(0.1)
    assert held is True


def test_sqlite_lock_file_sits_next_to_the_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    assert lock_file_for(engine, "outbox") == tmp_path / "portal.db.outbox.lock"
    assert lock_file_for(make_engine("sqlite://"), "outbox") is None
    assert advisory_key("outbox") != advisory_key("reminders")
    assert -(2**63) <= advisory_key("outbox") < 2**63


def test_in_flight_messages_are_not_sent_again_after_their_lease_expires(engine, session):
    """Another worker mid-pass (holding the outbox job) with leases already past their
    end: this worker's pass skips instead of claiming and sending them a second time."""
    outbox.enqueue_email(session, to="slow@example.test", template="no_account", business=None,
                         idempotency_key="slow-1")
    session.commit()
    with job_lock(engine, OUTBOX_JOB) as held:
        assert held
        claimed = outbox._claim(session, now=utcnow(), limit=10)
        assert [m.idempotency_key for m in claimed] == ["slow-1"]
        claimed[0].lease_until = utcnow() - outbox.LEASE  # the send outlasted its lease
        session.add(claimed[0])
        session.commit()
        assert deliver_once() is None
        session.expire_all()
        row = session.exec(select(OutboxMessage)).one()
        assert row.status == OutboxStatus.PENDING and row.attempts == 0
    report = deliver_once()
    assert report is not None and report.sent == 1


def test_deliver_once_on_postgresql_skips_while_another_process_delivers(pg_url):
    engine = make_engine(pg_url)
    SQLModel.metadata.create_all(engine)
    db_module.use_engine(engine)
    try:
        with Session(engine) as s:
            outbox.enqueue_email(s, to="a@example.test", template="no_account", business=None,
                                 idempotency_key="pg-1")
            s.commit()
        proc = _holder(pg_url, OUTBOX_JOB)
        try:
            assert deliver_once() is None
        finally:
            proc.kill()
            proc.wait()
        # The dead holder's backend (and its advisory lock) ends a moment after its
        # socket closes: the next pass delivers within a few seconds.
        deadline = time.monotonic() + 10
        report = deliver_once()
        while report is None and time.monotonic() < deadline:
            time.sleep(0.1)
            report = deliver_once()
        assert report is not None and report.sent == 1
    finally:
        db_module._engine = None
        engine.dispose()
