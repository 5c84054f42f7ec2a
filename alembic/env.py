"""Alembic environment: the URL comes from our settings (or -x url=...)."""

from sqlmodel import SQLModel

import models  # noqa: F401  (registers every table)
from alembic import context
from portal_app.db import make_engine
from portal_app.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return context.get_x_argument(as_dictionary=True).get("url") or get_settings().database_url


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _run(connectable, url)
        return
    engine = make_engine(url, explicit_begin=True)
    with engine.connect() as connection:
        _run(connection, url)
    engine.dispose()


def _run(connection, url: str) -> None:
    sqlite = url.startswith("sqlite")
    raw = connection.connection.driver_connection if sqlite else None
    if sqlite:
        # Batch migrations rebuild tables (copy, drop, rename); with foreign keys
        # on, dropping a referenced table fails. The pragma only works outside a
        # transaction, so it goes to the driver directly; checked after.
        raw.execute("PRAGMA foreign_keys=OFF")
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=sqlite, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()
    if connection.in_transaction():
        connection.commit()
    if sqlite:
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        raw.execute("PRAGMA foreign_keys=ON")
        if broken:
            raise RuntimeError(f"foreign key check failed after migration: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
