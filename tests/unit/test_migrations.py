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


def test_upgrade_keeps_data_of_a_populated_first_release(point_at, tmp_path):
    """Upgrading a real install (rows that reference each other) keeps every row.

    SQLite batch migrations rebuild tables; with foreign keys on this failed."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    cfg = point_at(url)
    command.upgrade(cfg, "0001")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO business (name, tagline, accent_color, contact_email, contact_phone,"
                " address, timezone, currency, portal_enabled, allow_self_signup, created_at)"
                " VALUES ('Old Studio', '', '#0F766E', '', '', '', 'UTC', 'USD', 1, 0,"
                " '2026-01-01 00:00:00')"))
            conn.execute(text("INSERT INTO portal_account (email, created_at) VALUES"
                              " ('a@example.test', '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO client (full_name, email, mobile, timezone, notes, account_id,"
                " portal_access, created_at) VALUES ('Ann', 'a@example.test', '', 'UTC', '', 1,"
                " 'active', '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO auth_session (token_hash, kind, account_id, selected_client_id,"
                " created_at, last_seen_at, expires_at, ip, user_agent) VALUES ('h', 'client', 1,"
                " 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', '2027-01-01 00:00:00', '',"
                " '')"))
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT full_name, portal_access, perm_booking, perm_pay FROM client")).one()
            assert tuple(row) == ("Ann", "active", 1, 1)
            business = conn.execute(text(
                "SELECT name, feature_bookings, invite_ttl_days FROM business")).one()
            assert tuple(business) == ("Old Studio", 1, 7)
            assert conn.execute(text("SELECT count(*) FROM auth_session")).scalar_one() == 1
            assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    finally:
        engine.dispose()
