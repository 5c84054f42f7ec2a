"""Fixtures for the unit tests that need a real PostgreSQL server."""

import pytest

from tests.services import create_pg_database, drop_pg_database


@pytest.fixture
def pg_url():
    """A throwaway PostgreSQL database (created empty, dropped afterwards).

    Skipped when the server is unreachable, except in CI (CI=true) where that fails.
    """
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)
