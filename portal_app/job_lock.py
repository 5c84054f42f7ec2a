"""One runner at a time for a background job, across every worker process.

Each worker runs the same job loop (`app.register_lifespan_task` starts it in
every worker), so each pass first takes the job's lock and a worker that does
not get it skips the pass. The lock dies with its holder, so a killed worker
never blocks the others:

- PostgreSQL: `pg_try_advisory_xact_lock` on a connection of its own, held in
  an open transaction for the pass; it is released when that transaction
  ends, and by the server when the connection drops.
- SQLite: an exclusive `flock` on a file next to the database file (every
  worker of a SQLite portal runs on the machine that holds the file); the
  kernel releases it when the process exits.

Row-level claims (the outbox lease, the reminder's conditional UPDATE) stay
underneath as a second guard, e.g. for `portal send-outbox` on an older
deployment.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

_memory_locks: dict[str, threading.Lock] = {}
_memory_guard = threading.Lock()


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (PostgreSQL advisory locks take a bigint)."""
    digest = hashlib.sha256(f"portal-job:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_file_for(engine: Engine, name: str) -> Path | None:
    """Where the SQLite lock file for `name` lives; None for an in-memory database."""
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database).resolve().with_name(f"{Path(database).name}.{name}.lock")


@contextmanager
def job_lock(engine: Engine, name: str) -> Iterator[bool]:
    """Yield True while this process is the only runner of `name`, False if another is."""
    if engine.dialect.name == "postgresql":
        with _pg_lock(engine, name) as held:
            yield held
    elif (path := lock_file_for(engine, name)) is not None:
        with _file_lock(path) as held:
            yield held
    else:
        with _memory_lock(name) as held:
            yield held


@contextmanager
def _pg_lock(engine: Engine, name: str) -> Iterator[bool]:
    with engine.connect() as conn:
        held = bool(conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                 {"key": advisory_key(name)}).scalar())
        try:
            yield held
        finally:
            conn.rollback()  # ends the transaction, and with it the lock


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def _memory_lock(name: str) -> Iterator[bool]:
    with _memory_guard:
        lock = _memory_locks.setdefault(name, threading.Lock())
    if not lock.acquire(blocking=False):
        yield False
        return
    try:
        yield True
    finally:
        lock.release()
