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
The triggers are built by models/generation_triggers.py (shared with the
schedule generation).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, event
from sqlmodel import Field, SQLModel

from models.generation_triggers import Counter, Watched


class AccessGeneration(SQLModel, table=True):
    __tablename__ = "access_generation"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, default=0))


# table -> (columns whose UPDATE moves it (None: any), INSERT moves it, DELETE moves it)
WATCHED: Watched = {
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

COUNTER = Counter("access_generation", "access_gen", WATCHED)


def trigger_ddl(dialect: str, tables=None) -> list[str]:
    """The statements that install the triggers (idempotent) and the counter's row;
    with `tables`, only the triggers of those of the watched tables."""
    return COUNTER.trigger_ddl(dialect, tables)


def trigger_names() -> list[tuple[str, str]]:
    """(trigger, table) for every trigger `trigger_ddl` installs."""
    return COUNTER.trigger_names()


def install(connection, tables=None) -> None:
    """Install the triggers and the row on `connection` (a migration's or create_all's;
    with `tables`, only on those)."""
    COUNTER.install(connection, tables)


@event.listens_for(SQLModel.metadata, "after_create")
def _after_create(_metadata, connection, **_kw) -> None:
    """`create_all`: the counter and the triggers of the watched tables that exist."""
    COUNTER.after_create(connection)
