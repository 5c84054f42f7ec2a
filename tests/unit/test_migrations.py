"""Alembic migrations match the models on SQLite and PostgreSQL; SQLite pragmas are set."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from alembic import command
from portal_app.db import make_engine
from portal_app.settings import ROOT, reset_settings_cache

# alembic.ini predates the path_separator option; the fallback is what we want.
pytestmark = pytest.mark.filterwarnings("ignore:No path_separator found:DeprecationWarning")


@pytest.fixture
def point_at(monkeypatch):
    """Point settings (and so alembic's env.py) at a database URL for this test."""

    def point(url: str) -> Config:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings_cache()
        cfg = Config(str(ROOT / "alembic.ini"))
        cfg.set_main_option("script_location", str(ROOT / "alembic"))
        return cfg

    yield point
    reset_settings_cache()


def _differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def _tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def _check_round_trip(cfg: Config, url: str) -> None:
    command.upgrade(cfg, "head")
    engine = make_engine(url)
    try:
        assert _tables(engine) >= set(SQLModel.metadata.tables)
        assert _differences(engine) == []
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert version == ScriptDirectory.from_config(cfg).get_current_head()

        command.downgrade(cfg, "base")
        assert _tables(engine) - {"alembic_version"} == set()

        command.upgrade(cfg, "head")  # and back up again
        assert _differences(engine) == []
    finally:
        engine.dispose()


def test_migrations_match_models_on_sqlite(point_at, tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"

    _check_round_trip(point_at(url), url)


@pytest.mark.postgres
def test_migrations_match_models_on_postgres(point_at, pg_url):
    _check_round_trip(point_at(pg_url), pg_url)


def test_compare_metadata_detects_drift_when_index_missing(point_at, tmp_path):
    """The comparison used above is not blind: a schema that drifted does show up."""
    url = f"sqlite:///{tmp_path / 'partial.db'}"
    command.upgrade(point_at(url), "head")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_outbox_message_to"))
        assert _differences(engine) != []
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine):
    with engine.connect() as conn:
        journal = conn.execute(text("PRAGMA journal_mode")).scalar_one()
        foreign_keys = conn.execute(text("PRAGMA foreign_keys")).scalar_one()
        busy_timeout = conn.execute(text("PRAGMA busy_timeout")).scalar_one()

    assert journal.lower() == "wal"
    assert foreign_keys == 1
    assert busy_timeout > 0


def test_sqlite_foreign_keys_are_enforced(engine):
    with engine.connect() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
        conn.execute(text(
            "INSERT INTO client (full_name, email, mobile, timezone, notes, account_id, "
            "portal_access, created_at) VALUES ('X', '', '', '', '', 9999, 'active', "
            "'2030-01-01 00:00:00')"
        ))
