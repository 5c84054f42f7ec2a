"""The `portal` command: migrate, seed-demo, create-staff, backup, restore, send-outbox,
community-digest, storage (gc, migrate)."""

from __future__ import annotations

import secrets
import sqlite3
import sys
from pathlib import Path

import typer

from portal_app.cli_common import settings_or_exit
from portal_app.settings import ROOT, SettingsError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _add_storage_commands() -> None:
    from portal_app.storage_cli import storage_app

    app.add_typer(storage_app, name="storage")


def _sqlite_path() -> Path:
    url = settings_or_exit().database_url
    if not url.startswith("sqlite:///"):
        typer.echo("this command handles SQLite databases only", err=True)
        raise typer.Exit(2)
    return Path(url[len("sqlite:///") :])


_add_storage_commands()


@app.command()
def migrate() -> None:
    """Apply database migrations (alembic upgrade head)."""
    from alembic.config import Config

    from alembic import command

    settings = settings_or_exit()
    if settings.is_sqlite:
        _sqlite_path().parent.mkdir(parents=True, exist_ok=True)
    cfg = Config(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "alembic"))
    command.upgrade(cfg, "head")
    typer.echo("Database is up to date.")


def _credentials_file() -> Path:
    return settings_or_exit().data_dir / "demo-credentials.txt"


@app.command("seed-demo")
def seed_demo_cmd() -> None:
    """Create the demo business, owner and household (only on an empty database)."""
    from portal_app.db import session_scope
    from portal_app.services.demo import seed_demo

    with session_scope() as session:
        creds = seed_demo(session, base_url=settings_or_exit().base_url)
    path = _credentials_file()
    if creds is None:
        typer.echo("Demo data already present; nothing changed.")
        if path.exists():
            typer.echo(f"Demo sign-in details: {path}")
        return
    text = (
        "Demo accounts (shown once; keep this file private)\n"
        f"  Client portal:  {creds.client_email}  (sign in with a code from the dev mailbox)\n"
        f"  Staff console:  {creds.owner_email}\n"
        f"    password:     {creds.owner_password}\n"
        f"    TOTP secret:  {creds.totp_secret}\n"
        f"    TOTP URI:     {creds.totp_uri}\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)
    typer.echo(text)
    typer.echo(f"(saved to {path})")


@app.command("create-staff")
def create_staff_cmd(
    email: str = typer.Option(..., help="Sign-in email"),
    name: str = typer.Option(..., help="Full name"),
    role: str = typer.Option("staff", help="owner or staff"),
) -> None:
    """Add a staff member; prints a temporary password. TOTP is set up at first sign-in."""
    from portal_app.db import session_scope
    from portal_app.services.errors import ServiceError
    from portal_app.services.staff_auth import create_staff

    password = secrets.token_urlsafe(12)
    try:
        with session_scope() as session:
            staff = create_staff(session, email=email, full_name=name, password=password,
                                 role=role)
            staff_email = staff.email
    except ServiceError as exc:
        typer.echo(exc.message, err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Created {role} {staff_email}. Temporary password: {password}")
    typer.echo(f"Sign in at {settings_or_exit().base_url}/console/login to set up the authenticator.")


def _pg_command(tool: str) -> tuple[str, dict]:
    """The path of a PostgreSQL client tool, and an environment carrying the
    password (kept off the command line, where `ps` would show it)."""
    import os
    import shutil

    path = shutil.which(tool)
    if path is None:
        typer.echo(f"{tool} is needed for a PostgreSQL database "
                   "(Debian: apt install postgresql-client)", err=True)
        raise typer.Exit(2)
    env = dict(os.environ)
    password = _pg_url().password
    if password:
        env["PGPASSWORD"] = password
    return path, env


def _pg_url():
    from sqlalchemy.engine import make_url

    return make_url(settings_or_exit().database_url).set(drivername="postgresql")


def _pg_dsn() -> str:
    return _pg_url().set(password=None).render_as_string(hide_password=False)


def _is_postgresql() -> bool:
    return settings_or_exit().database_url.startswith("postgresql")


@app.command()
def backup(destination: Path = typer.Argument(..., help="File to write")) -> None:
    """Copy the database while the portal runs: SQLite's online backup, or
    pg_dump (custom format) for PostgreSQL; then say what else to back up."""
    from portal_app.db import private_file

    destination.parent.mkdir(parents=True, exist_ok=True)
    if _is_postgresql():
        import subprocess

        pg_dump, env = _pg_command("pg_dump")
        command = [pg_dump, "--format=custom", "--no-owner", "--file", str(destination),
                   "--dbname", _pg_dsn()]
        private_file(destination)  # pg_dump writes into it: readable by the owner only
        done = subprocess.run(command, env=env, check=False)  # noqa: S603 - a list, no shell
        if done.returncode != 0:
            typer.echo("pg_dump failed; see its message above", err=True)
            raise typer.Exit(1)
        typer.echo(f"Backed up the PostgreSQL database to {destination}")
        _backup_notes()
        return
    source = _sqlite_path()
    private_file(destination)
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    typer.echo(f"Backed up {source} to {destination}")
    _backup_notes()


def _backup_notes() -> None:
    from portal_app.storage_cli import print_backup_notes

    print_backup_notes(settings_or_exit())


@app.command()
def restore(source: Path = typer.Argument(..., help="A file written by `portal backup`")) -> None:
    """Replace the database with a backup (stop the portal first)."""
    if not source.exists():
        typer.echo(f"{source} does not exist", err=True)
        raise typer.Exit(1)
    if _is_postgresql():
        _restore_postgresql(source)
        return
    try:
        with sqlite3.connect(source) as check:
            sound = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        sound = False
    if not sound:
        typer.echo(f"{source} is not a sound SQLite database; nothing was changed", err=True)
        raise typer.Exit(1)
    target = _sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    from portal_app.db import private_file

    private_file(target)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    typer.echo(f"Restored {target} from {source}")


def _restore_postgresql(source: Path) -> None:
    """pg_restore in one transaction: a failure leaves the database as it was."""
    import subprocess

    pg_restore, env = _pg_command("pg_restore")
    listing = subprocess.run([pg_restore, "--list", str(source)],  # noqa: S603 - no shell
                             env=env, check=False, capture_output=True)
    if listing.returncode != 0:
        typer.echo(f"{source} is not a pg_dump archive; nothing was changed", err=True)
        raise typer.Exit(1)
    command = [pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
               "--exit-on-error", "--dbname", _pg_dsn(), str(source)]
    done = subprocess.run(command, env=env, check=False)  # noqa: S603 - a list, no shell
    if done.returncode != 0:
        typer.echo("pg_restore failed; nothing was changed (see its message above)", err=True)
        raise typer.Exit(1)
    typer.echo(f"Restored the PostgreSQL database from {source}")


@app.command("send-outbox")
def send_outbox() -> None:
    """Deliver due email and SMS once (the running portal does this continuously)."""
    from portal_app.jobs import deliver_once

    report = deliver_once()
    if report is None:
        typer.echo("another process is delivering the outbox right now; nothing done")
        return
    typer.echo(f"sent {report.sent}, retried {report.retried}, failed {report.failed}")


@app.command("community-digest")
def community_digest_cmd(
    at: str = typer.Option("", help="Run as if it were this moment (ISO 8601, UTC if no "
                                    "offset): a test moves the clock to the next morning"),
) -> None:
    """Queue the daily Community digests that are due (the running portal does this on its own)."""
    from datetime import UTC, datetime

    from portal_app.jobs import community_digest_once

    now = None
    if at:
        now = datetime.fromisoformat(at)
        now = now if now.tzinfo else now.replace(tzinfo=UTC)
    sent = community_digest_once(now)
    if sent is None:
        typer.echo("another process is running the digest right now; nothing done")
        return
    typer.echo(f"queued {sent} digest emails")


def main() -> None:
    try:
        app()
    except SettingsError as exc:  # pragma: no cover
        print(exc, file=sys.stderr)
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
