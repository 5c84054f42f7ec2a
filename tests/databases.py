"""Test databases made fast: a file copied into place instead of rows made again.

The `engine` fixture (tests/conftest.py) keeps one engine per test process, since
SQLAlchemy caches compiled statements per engine, and gives each test a copy of the
schema template on its file (`fresh_database`). A module whose tests all start from
the same rows makes them once (`database_template`) and copies that file per test."""

import shutil
from pathlib import Path

from sqlmodel import Session

from portal_app import db as db_module
from portal_app import live
from portal_app.services import session_cache
from portal_app.services.business import forget_kept
from portal_app.services.scheduling import slot_reads
from portal_app.settings import reset_settings_cache


def fresh_database(eng, target: Path, source: Path) -> None:
    """`target` becomes a copy of `source`, with no connection of `eng` left open
    on the file it replaces."""
    eng.dispose()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    db_module.private_file(target)


def forget_process_caches() -> None:
    """What the process keeps between transactions, of an earlier test's database."""
    reset_settings_cache()
    session_cache.clear()
    slot_reads.clear()
    forget_kept()
    live._tabs.clear()  # no tab of an earlier test's database is pushed to in this one


def database_template(schema_template: Path, folder: Path, build):
    """A database file made once: the schema plus what `build(session)` adds
    (committed); returns the file and what `build` returned. A fixture that copies it
    per test (`fresh_database`) gives each test the same rows without making them."""
    path = folder / "template.db"
    shutil.copyfile(schema_template, path)
    eng = db_module.make_engine(f"sqlite:///{path}")
    try:
        with Session(eng, expire_on_commit=False) as session:
            made = build(session)
            session.commit()
        with eng.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        eng.dispose()
    forget_process_caches()
    return path, made


