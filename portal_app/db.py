"""Database engine and the one-transaction-per-event session scope.

SQLite gets WAL, a busy timeout and foreign keys on every connection; Reflex
sets none of these. Services flush; `session_scope()` commits once.
"""

from __future__ import annotations

import asyncio
import os
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from portal_app.services.errors import ServiceError
from portal_app.settings import get_settings

_engine: Engine | None = None
_engine_url: str | None = None


def private_file(path: os.PathLike | str) -> None:
    """Make `path` readable by its owner only (0600), creating it empty if missing.
    The database and its backups hold every client's data; SQLite creates the WAL
    and SHM files with the database file's permissions, so they follow."""
    path = os.fspath(path)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    for extra in (path + "-wal", path + "-shm"):
        if os.path.exists(extra):
            os.chmod(extra, 0o600)


def sqlite_file(url: str) -> str | None:
    """The file of a `sqlite:///path` URL; None for an in-memory database."""
    if not url.startswith("sqlite:///"):
        return None
    path = url[len("sqlite:///"):].split("?", 1)[0]
    return None if path in ("", ":memory:") else path


def make_engine(url: str, *, echo: bool = False, explicit_begin: bool = False) -> Engine:
    """Build an engine; SQLite connections get the pragmas we rely on.

    `explicit_begin` makes every transaction start with BEGIN, so DDL is
    transactional too (pysqlite otherwise runs DDL outside any transaction):
    used for migrations, so a failed one leaves nothing half-applied.
    """
    if url.startswith("sqlite"):
        path = sqlite_file(url)
        if path is not None and os.path.isdir(os.path.dirname(path) or "."):
            private_file(path)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 15}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=15000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()
            if explicit_begin:
                dbapi_conn.isolation_level = None

        if explicit_begin:

            @event.listens_for(engine, "begin")
            def _begin(conn):  # pragma: no cover - trivial
                conn.exec_driver_sql("BEGIN")

        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)


def get_engine() -> Engine:
    global _engine, _engine_url
    url = get_settings().database_url
    if _engine is None or _engine_url != url:
        _engine = make_engine(url)
        _engine_url = url
    return _engine


def _forget_engine_after_fork() -> None:
    """A forked worker must not share the parent's pooled connections (granian forks
    its workers after importing the app): give the child an empty pool of its own."""
    if _engine is not None:
        _engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_engine_after_fork)


def use_engine(engine: Engine) -> None:
    """Point session_scope() at a given engine (tests, CLI)."""
    global _engine, _engine_url
    _engine = engine
    _engine_url = get_settings().database_url


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error.

    A refusal marked `keep_changes` (a counted failed attempt) is committed.
    """
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except ServiceError as exc:
            if exc.keep_changes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise


_THREAD_WRITERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@asynccontextmanager
async def one_thread_writer() -> AsyncIterator[None]:
    """Around a write transaction run in a worker thread (`asyncio.to_thread`).

    SQLite takes one writer at a time, and a waiting writer polls in its busy
    handler until `busy_timeout` (15 s): in a burst (Stripe redelivering a
    backlog of webhooks) one unlucky waiter can be passed over past it and fail.
    On SQLite such writes therefore queue here, in order and without a time
    limit, one at a time per process (SQLite runs one process). PostgreSQL
    locks rows, so nothing waits here.

    It is used where writes come in bursts and hold the lock long (payment
    fulfilment renders the receipt PDF): the Stripe webhook and the test-mode
    checkout. It cannot live in `session_scope()`: that also runs on the event
    loop's own thread, which must never wait on a worker thread. The outbox
    job stays out on purpose: it would hold the turn while a provider answers.
    """
    if not get_settings().is_sqlite:
        yield
        return
    loop = asyncio.get_running_loop()
    lock = _THREAD_WRITERS.get(loop)
    if lock is None:
        lock = _THREAD_WRITERS[loop] = asyncio.Lock()
    async with lock:
        yield
