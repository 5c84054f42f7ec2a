"""Migration 0009 gives old bell lines kind + parameters when their text can be
read back, and leaves the others showing their stored text."""

import json

import pytest
from alembic.config import Config
from sqlalchemy import text

from alembic import command
from portal_app.db import make_engine
from portal_app.settings import ROOT, reset_settings_cache

pytestmark = pytest.mark.filterwarnings("ignore:No path_separator found:DeprecationWarning")

OLD_LINES = [
    ("message", "Nuevo mensaje: Tu cita", "/messages?c=1", {"subject": "Tu cita"}),
    ("message", "New message: Your visit", "/messages?c=2", {"subject": "Your visit"}),
    ("document", "New document: Lease.pdf", "/documents",
     {"count": 1, "title": "Lease.pdf", "updated": False}),
    ("document", "Updated document: Lease.pdf", "/documents",
     {"count": 1, "title": "Lease.pdf", "updated": True}),
    ("document", "3 new documents", "/documents", {"count": 3, "title": "", "updated": False}),
    ("booking", "Booking confirmed: Massage, Mon, May 6, 9:30 AM EDT", "/bookings", {}),
    ("invoice", "New invoice INV-9 — $80.00", "/payments/invoice?id=999", {}),  # gone
    ("message", "Something else", "/messages", {}),
]


@pytest.fixture
def point_at(monkeypatch):
    def point(url: str) -> Config:
        monkeypatch.setenv("DATABASE_URL", url)
        reset_settings_cache()
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "alembic"))
        return config

    yield point
    reset_settings_cache()


def test_old_lines_get_params_when_they_can_be_read_back(point_at, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    _check_old_lines(point_at(url), url)


@pytest.mark.postgres
def test_old_lines_get_params_on_postgres(point_at, pg_url):
    _check_old_lines(point_at(pg_url), pg_url)


def _check_old_lines(config, url):
    command.upgrade(config, "0008")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO portal_account (email, created_at) VALUES"
                              " ('a@example.test', '2026-01-01 00:00:00')"))
            conn.execute(text(
                "INSERT INTO client (full_name, email, mobile, timezone, notes, account_id,"
                " portal_access, created_at) VALUES ('Ann', 'a@example.test', '', 'UTC', '',"
                " (SELECT id FROM portal_account), 'active', '2026-01-01 00:00:00')"))
            for kind, title, link, _ in OLD_LINES:
                conn.execute(text(
                    "INSERT INTO notification (client_id, kind, title, link, created_at)"
                    " VALUES ((SELECT id FROM client), :kind, :title, :link,"
                    " '2026-01-01 00:00:00')"),
                    {"kind": kind, "title": title, "link": link})
        command.upgrade(config, "head")
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT title, params FROM notification ORDER BY id")).all()
        assert [(title, params if isinstance(params, dict) else json.loads(params))
                for title, params in rows] == [
            (title, params) for _, title, _, params in OLD_LINES]
    finally:
        engine.dispose()
