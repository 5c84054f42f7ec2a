"""One counter that moves whenever something a signed-in session is resolved
from changes (a session revoked or re-pointed, an account's email, a record's
access, name, language, zone or permissions, a new or removed record, the
business row, a staff member's role or switch), and the database triggers that
move it. Triggers (installed by migration 0020 and by `create_all`) mean every
writer moves it — this process, another worker, the CLI, raw SQL — and the cache
of resolved sessions (portal_app/services/session_cache.py) compares one small
read per event with the generation it was filled at.

SQLite moves it inside the writing statement; PostgreSQL at commit (deferred
constraint triggers, so the one row is locked last and two writers cannot
deadlock on it). Either way the new number becomes visible together with the
change it stands for: a reader that sees the new number sees the new rows.
"""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, Column, event, inspect
from sqlmodel import Field, SQLModel


class AccessGeneration(SQLModel, table=True):
    __tablename__ = "access_generation"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


# table -> (columns whose UPDATE moves it (None: any), INSERT moves it, DELETE moves it)
WATCHED: dict[str, tuple[tuple[str, ...] | None, bool, bool]] = {
    "auth_session": (("token_hash", "kind", "account_id", "staff_id", "selected_client_id",
                      "expires_at", "revoked_at"), False, True),
    "portal_account": (("email",), False, True),
    "client": (("full_name", "language", "timezone", "account_id", "portal_access",
                "perm_booking", "perm_messaging", "perm_billing", "perm_pay", "perm_upload"),
               True, True),
    "business": (None, True, True),
    "staff_user": (("email", "full_name", "role", "active", "language", "timezone"),
                   False, True),
}

_BUMP = "UPDATE access_generation SET value = value + 1 WHERE id = 1"
# A random start: two databases (a test's copy of a template, a re-created one) almost
# never share a generation, so nothing kept for one is taken for the other.
_SEED = "INSERT INTO access_generation (id, value) VALUES (1, {start}) ON CONFLICT (id) DO NOTHING"


def _events(table: str):
    columns, on_insert, on_delete = WATCHED[table]
    yield "upd", "UPDATE" + (f" OF {', '.join(columns)}" if columns else "")
    if on_insert:
        yield "ins", "INSERT"
    if on_delete:
        yield "del", "DELETE"


def trigger_ddl(dialect: str, tables=None) -> list[str]:
    """The statements that install the triggers (idempotent) and the counter's row;
    with `tables`, only the triggers of those of the watched tables."""
    statements = [_SEED.format(start=secrets.randbelow(2**62))]
    if dialect == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION access_generation_bump() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {_BUMP}; RETURN NULL; END $$")
    for table in WATCHED:
        if tables is not None and table not in tables:
            continue
        for suffix, what in _events(table):
            name = f"access_gen_{table}_{suffix}"
            if dialect == "postgresql":
                statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                statements.append(
                    f"CREATE CONSTRAINT TRIGGER {name} AFTER {what} ON {table} "
                    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                    "EXECUTE FUNCTION access_generation_bump()")
            else:
                statements.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {what} ON {table} "
                                  f"BEGIN {_BUMP}; END")
    return statements


def trigger_names() -> list[tuple[str, str]]:
    """(trigger, table) for every trigger `trigger_ddl` installs."""
    return [(f"access_gen_{table}_{suffix}", table)
            for table in WATCHED for suffix, _what in _events(table)]


def install(connection, tables=None) -> None:
    """Install the triggers and the row on `connection` (a migration's or create_all's;
    with `tables`, only on those)."""
    for statement in trigger_ddl(connection.dialect.name, tables):
        connection.exec_driver_sql(statement)


@event.listens_for(SQLModel.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    """`create_all`: the counter and the triggers of the watched tables that exist."""
    present = set(inspect(connection).get_table_names())
    if "access_generation" in present:
        install(connection, present)

