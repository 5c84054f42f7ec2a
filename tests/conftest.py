"""Shared fixtures: every test gets its own SQLite database built from the models."""

import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="portal-tests-"))
os.environ.setdefault("PORTAL_ENV", "dev")
os.environ["PORTAL_DATA_DIR"] = str(_TMP / "data")
os.environ["PORTAL_SECRET_KEY"] = "test-secret-key-that-is-long-enough-0123456789"
os.environ["PORTAL_EMAIL_BACKEND"] = "outbox"
os.environ.setdefault("PORTAL_SMS_BACKEND", "none")
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"
os.environ["REFLEX_CHECK_LATEST_VERSION"] = "false"

from sqlalchemy import event  # noqa: E402
from sqlmodel import Session, SQLModel  # noqa: E402

import models  # noqa: E402,F401
from portal_app import db as db_module  # noqa: E402
from portal_app.services import crypto  # noqa: E402
from tests.databases import forget_process_caches, fresh_database  # noqa: E402

# bcrypt at cost 12 is ~0.25 s a hash; the suite makes hundreds of staff and
# accounts. Cost 4 everywhere except the tests marked `real_bcrypt`, which
# assert the production cost or time a sign-in against it.
TEST_BCRYPT_COST = 4
crypto.use_bcrypt_cost(TEST_BCRYPT_COST)


@pytest.fixture(autouse=True)
def _bcrypt_cost(request):
    if request.node.get_closest_marker("real_bcrypt") is None:
        yield
        return
    crypto.use_bcrypt_cost(crypto.BCRYPT_COST)
    try:
        yield
    finally:
        crypto.use_bcrypt_cost(TEST_BCRYPT_COST)


@pytest.fixture(scope="session")
def _schema_template(tmp_path_factory) -> Path:
    """The models' schema built once per test process; each test copies the file."""
    path = tmp_path_factory.mktemp("schema") / "template.db"
    eng = db_module.make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(eng)
    with eng.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def _process_engine(tmp_path_factory):
    """One engine per test process, on one file path. SQLAlchemy caches each
    statement's compiled SQL per engine: an engine per test compiled every INSERT
    and SELECT again in every test (a third of a test's time in the handler
    authorization walk). Between tests its pool is emptied and the file replaced."""
    target = tmp_path_factory.mktemp("db") / "portal.db"
    eng = db_module.make_engine(f"sqlite:///{target}")

    # After the portal's own pragmas: a test's database is thrown away, so nothing
    # waits for the disk (the WAL checkpoint as each test's last connection closes
    # synced the file, ~15 ms a test). The durability tests run their own engines.
    @event.listens_for(eng, "connect")
    def _no_fsync(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA synchronous=OFF")

    yield eng, target
    eng.dispose()


@pytest.fixture
def engine(_process_engine, _schema_template):
    """A fresh SQLite database (WAL, foreign keys) that session_scope() also uses:
    a copy of the schema template, the same as `create_all` on an empty file."""
    forget_process_caches()
    eng, target = _process_engine
    fresh_database(eng, target, _schema_template)
    db_module.use_engine(eng)
    yield eng
    eng.dispose()
    db_module._engine = None


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests last: they hold a Playwright event loop for the session.

    Tests on the shared PostgreSQL server are `serial` too (before `-m` selects).
    `serial` tests run one at a time: under pytest-xdist (`--dist loadgroup`) they
    share one group, so one worker takes them in turn while the other runs the rest;
    `timing` tests run alone after that (scripts/test.sh)."""
    for item in items:
        if item.get_closest_marker("postgres") or "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.serial)
        if item.get_closest_marker("serial"):
            item.add_marker(pytest.mark.xdist_group("serial"))
    # Browser tests last; the serial group first, so its waits overlap the most work.
    items.sort(key=lambda item: ("/e2e/" in str(item.fspath),
                                 item.get_closest_marker("serial") is None))


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, one per test process (tests/s3_server.py)."""
    from tests.s3_server import S3Server

    server = S3Server.start()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, monkeypatch):
    """An S3FileStorage on a new private bucket of the local S3 API (boto3 unchanged)."""
    from portal_app.providers.s3_storage import S3FileStorage
    from portal_app.storage_settings import StorageSettings

    for name, value in s3_server.credentials_env().items():
        monkeypatch.setenv(name, value)
    config = StorageSettings(backend="s3", bucket=s3_server.new_bucket(), prefix="files/",
                             endpoint_url=s3_server.endpoint_url, region="us-east-1",
                             addressing_style="path", multipart_mb=5)
    return S3FileStorage(config)
