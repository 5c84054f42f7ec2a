"""The PostgreSQL and Redis servers some tests need (127.0.0.1:5432, 127.0.0.1:6379).

Missing, a test skips with the reason on a laptop and fails in CI (CI=true)."""

import os
import uuid

import psycopg
import pytest
from psycopg import sql

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_ADMIN_DSN = f"postgresql://postgres@{PG_HOST}:{PG_PORT}/test"
REDIS_URL = "redis://127.0.0.1:6379"
IN_CI = os.environ.get("CI") == "true"


def missing(reason: str):
    """Skip the test on a laptop; fail it in CI, where every service must be there."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def _admin():
    return psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=3)


def create_pg_database(prefix: str = "portal_test") -> str:
    """A new empty database; returns its SQLAlchemy URL."""
    try:
        admin = _admin()
    except psycopg.OperationalError as exc:
        missing(f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT} "
                f"({' '.join(str(exc).split())})")
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"


def drop_pg_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with _admin() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def need_redis(db: int = 0) -> str:
    """The Redis URL for logical database `db`, once the server answers a PING."""
    import redis

    url = f"{REDIS_URL}/{db}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        missing(f"Redis is not reachable at {REDIS_URL} ({exc})")
    return url
