"""The `portal` command: migrate, seed-demo, create-staff, backup and restore."""

import re

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from models import Business, Client, PortalAccess, PortalAccount, StaffRole, StaffUser
from portal_app import db as db_module
from portal_app.cli import app
from portal_app.services.errors import ServiceError
from portal_app.services.staff_auth import check_staff_password
from portal_app.settings import reset_settings_cache

pytestmark = pytest.mark.filterwarnings("ignore:No path_separator found:DeprecationWarning")

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path, monkeypatch):
    """DATABASE_URL points at a temp SQLite file; returns a function opening a Session on it."""
    path = tmp_path / "cli.db"
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    db_module._engine = None
    engine = db_module.make_engine(url)

    def open_session() -> Session:
        return Session(engine, expire_on_commit=False)

    open_session.path = path
    yield open_session
    engine.dispose()
    if db_module._engine is not None:
        db_module._engine.dispose()
    db_module._engine = None
    reset_settings_cache()


def invoke(*args):
    result = runner.invoke(app, list(args))
    return result


def ok(*args):
    result = invoke(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def _snapshot(open_session):
    with open_session() as s:
        return (
            [b.name for b in s.exec(select(Business)).all()],
            sorted(st.email for st in s.exec(select(StaffUser)).all()),
            sorted((c.full_name, c.email) for c in s.exec(select(Client)).all()),
        )


def test_migrate_creates_schema(cli_db):
    result = ok("migrate")

    assert "up to date" in result.output
    with cli_db() as s:
        assert s.exec(select(Business)).all() == []


def test_seed_demo_creates_business_owner_and_household(cli_db):
    ok("migrate")

    result = ok("seed-demo")

    password = re.search(r"password:\s+(\S+)", result.output).group(1)
    with cli_db() as s:
        assert len(s.exec(select(Business)).all()) == 1
        owner = s.exec(select(StaffUser).where(StaffUser.email == "owner@demo.test")).one()
        assert owner.role == StaffRole.OWNER
        assert owner.totp_secret and owner.totp_confirmed_at is not None
        account = s.exec(select(PortalAccount).where(
            PortalAccount.email == "client@demo.test")).one()
        clients = s.exec(select(Client).where(Client.account_id == account.id)).all()
        assert len(clients) == 2
        assert {c.portal_access for c in clients} == {PortalAccess.INVITED}
        step = check_staff_password(s, email="owner@demo.test", password=password)
        assert step.needs_enrolment is False
    assert owner.totp_secret in result.output
    credentials = (cli_db.path.parent / "data" / "demo-credentials.txt")
    assert password in credentials.read_text()


def test_seed_demo_twice_changes_nothing(cli_db):
    ok("migrate")
    ok("seed-demo")
    before = _snapshot(cli_db)

    result = ok("seed-demo")

    assert "nothing changed" in result.output
    assert "password:" not in result.output
    assert _snapshot(cli_db) == before


def test_create_staff_prints_working_temporary_password(cli_db):
    ok("migrate")

    result = ok("create-staff", "--email", "Nina@Studio.test", "--name", "Nina Nurse")

    password = re.search(r"Temporary password: (\S+)", result.output).group(1)
    with cli_db() as s:
        step = check_staff_password(s, email="nina@studio.test", password=password)
        staff = s.get(StaffUser, step.staff_id)
        assert (staff.email, staff.role) == ("nina@studio.test", StaffRole.STAFF)
        assert step.needs_enrolment is True
        with pytest.raises(ServiceError):
            check_staff_password(s, email="nina@studio.test", password=password + "x")


def test_create_staff_refuses_duplicate_email(cli_db):
    ok("migrate")
    ok("create-staff", "--email", "nina@studio.test", "--name", "Nina")

    result = invoke("create-staff", "--email", "nina@studio.test", "--name", "Nina Again")

    assert result.exit_code == 1
    assert "already exists" in result.output
    with cli_db() as s:
        assert len(s.exec(select(StaffUser)).all()) == 1


def test_backup_then_restore_brings_old_content_back(cli_db, tmp_path):
    ok("migrate")
    ok("seed-demo")
    before = _snapshot(cli_db)
    backup = tmp_path / "backups" / "portal-backup.db"
    ok("backup", str(backup))
    assert backup.exists()

    with cli_db() as s:
        business = s.exec(select(Business)).one()
        business.name = "Renamed After Backup"
        s.add(business)
        s.add(Client(full_name="Added After Backup", email="late@example.test"))
        s.commit()
    assert _snapshot(cli_db) != before

    ok("restore", str(backup))

    assert _snapshot(cli_db) == before


def test_the_database_its_wal_and_its_backups_are_readable_by_the_owner_only(cli_db, tmp_path):
    """The database holds every client's data: 0600 like the secret key (it was 0644)."""
    import os
    import stat

    def mode(path) -> int:
        return stat.S_IMODE(os.stat(path).st_mode)

    ok("migrate")
    with cli_db() as s:  # a write through the portal's engine: the WAL file exists
        s.add(Client(full_name="Wal Writer", email="wal@example.test"))
        s.commit()
    path = str(cli_db.path)
    assert mode(path) == 0o600
    assert os.path.exists(path + "-wal") and mode(path + "-wal") == 0o600
    backup = tmp_path / "backups" / "portal-backup.db"
    ok("backup", str(backup))
    assert mode(backup) == 0o600
    os.chmod(path, 0o644)  # a database made by an older version is tightened on open
    db_module.make_engine(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


def test_restore_refuses_file_that_is_not_a_database(cli_db, tmp_path):
    ok("migrate")
    ok("seed-demo")
    before = _snapshot(cli_db)
    bogus = tmp_path / "not-a-backup.db"
    bogus.write_text("this is a text file, not an SQLite database\n" * 100)

    result = invoke("restore", str(bogus))

    assert result.exit_code == 1
    assert "not a sound SQLite database" in result.output
    assert _snapshot(cli_db) == before


def test_restore_refuses_missing_file(cli_db, tmp_path):
    ok("migrate")

    result = invoke("restore", str(tmp_path / "missing.db"))

    assert result.exit_code == 1
    assert "does not exist" in result.output


@pytest.fixture
def pg_cli_db(pg_url, monkeypatch, tmp_path):
    """DATABASE_URL points at a fresh PostgreSQL database."""
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    db_module._engine = None
    engine = db_module.make_engine(pg_url)

    def open_session() -> Session:
        return Session(engine, expire_on_commit=False)

    yield open_session
    engine.dispose()
    if db_module._engine is not None:
        db_module._engine.dispose()
    db_module._engine = None
    reset_settings_cache()


@pytest.mark.postgres
def test_postgresql_backup_then_restore_brings_old_content_back(pg_cli_db, tmp_path):
    ok("migrate")
    ok("seed-demo")
    before = _snapshot(pg_cli_db)
    backup = tmp_path / "backups" / "portal.dump"
    ok("backup", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format

    with pg_cli_db() as s:
        business = s.exec(select(Business)).one()
        business.name = "Renamed After Backup"
        s.add(business)
        s.add(Client(full_name="Added After Backup", email="late@example.test"))
        s.commit()
    assert _snapshot(pg_cli_db) != before

    db_module.get_engine().dispose()  # pg_restore --clean drops tables: no idle sessions
    ok("restore", str(backup))

    assert _snapshot(pg_cli_db) == before


@pytest.mark.postgres
def test_postgresql_restore_refuses_a_file_that_is_not_a_dump(pg_cli_db, tmp_path):
    ok("migrate")
    ok("seed-demo")
    before = _snapshot(pg_cli_db)
    bogus = tmp_path / "not-a-dump.dump"
    bogus.write_text("this is a text file, not a pg_dump archive\n" * 100)

    result = invoke("restore", str(bogus))

    assert result.exit_code == 1
    assert "not a pg_dump archive" in result.output
    assert _snapshot(pg_cli_db) == before
