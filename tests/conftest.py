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

from sqlmodel import Session, SQLModel  # noqa: E402

import models  # noqa: E402,F401
from portal_app import db as db_module  # noqa: E402
from portal_app.services import crypto  # noqa: E402
from portal_app.settings import reset_settings_cache  # noqa: E402

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


@pytest.fixture
def engine(tmp_path):
    """A fresh SQLite database (WAL, foreign keys) that session_scope() also uses."""
    reset_settings_cache()
    eng = db_module.make_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    SQLModel.metadata.create_all(eng)
    db_module.use_engine(eng)
    yield eng
    eng.dispose()
    db_module._engine = None


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as s:
        yield s


def pytest_collection_modifyitems(config, items):
    """Browser tests last: they hold a Playwright event loop for the session."""
    items.sort(key=lambda item: "/e2e/" in str(item.fspath))
