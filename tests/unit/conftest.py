"""Fixtures for the unit tests that need a real PostgreSQL server."""

import os
import uuid

import psycopg
import pytest
from psycopg import sql

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_ADMIN_DSN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"


def _admin():
    return psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)


@pytest.fixture
def pg_url():
    """A throwaway PostgreSQL database (created empty, dropped afterwards).

    Skipped when the server is unreachable, except in CI (CI=true) where that fails.
    """
    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} ({' '.join(str(exc).split())})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    name = f"portal_test_{uuid.uuid4().hex[:16]}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with _admin() as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
