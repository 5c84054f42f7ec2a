"""Triggers that move a one-row counter with every change of some watched tables
(a "generation": models/access_generation.py, models/schedule_generation.py).

A `Counter` names its table, its trigger prefix and its WATCHED map; it builds the
statements that install the triggers (idempotent) and seed the row. SQLite moves
the counter inside the writing statement; PostgreSQL at commit (deferred
constraint triggers, so the one row is locked last and two writers cannot
deadlock on it). Either way the new number becomes visible together with the
change it stands for: a reader that sees the new number sees the new rows.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import inspect

# table -> (columns whose UPDATE moves it (None: any), INSERT moves it, DELETE moves it)
Watched = dict[str, tuple[tuple[str, ...] | None, bool, bool]]


@dataclass(frozen=True)
class Counter:
    table: str  # the counter's table (one row, id 1, column `value`)
    prefix: str  # of the triggers' names
    watched: Watched

    @property
    def function(self) -> str:
        """The PostgreSQL trigger function."""
        return f"{self.table}_bump()"

    def _bump(self) -> str:
        return f"UPDATE {self.table} SET value = value + 1 WHERE id = 1"  # noqa: S608 - our names

    def _seed(self) -> str:
        # A random start: two databases (a test's copy of a template, a re-created one)
        # almost never share a generation, so nothing kept for one is taken for the other.
        start = secrets.randbelow(2**62)
        return f"INSERT INTO {self.table} (id, value) VALUES (1, {start}) ON CONFLICT (id) DO NOTHING"  # noqa: S608, E501 - our names, a number

    def events(self, table: str):
        columns, on_insert, on_delete = self.watched[table]
        yield "upd", "UPDATE" + (f" OF {', '.join(columns)}" if columns else "")
        if on_insert:
            yield "ins", "INSERT"
        if on_delete:
            yield "del", "DELETE"

    def trigger_ddl(self, dialect: str, tables=None) -> list[str]:
        """The statements that install the triggers (idempotent) and the counter's row;
        with `tables`, only the triggers of those of the watched tables."""
        statements = [self._seed()]
        if dialect == "postgresql":
            statements.append(
                f"CREATE OR REPLACE FUNCTION {self.function} RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ BEGIN {self._bump()}; RETURN NULL; END $$")
        for table in self.watched:
            if tables is not None and table not in tables:
                continue
            for suffix, what in self.events(table):
                name = f"{self.prefix}_{table}_{suffix}"
                if dialect == "postgresql":
                    statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                    statements.append(
                        f"CREATE CONSTRAINT TRIGGER {name} AFTER {what} ON {table} "
                        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                        f"EXECUTE FUNCTION {self.function}")
                else:
                    statements.append(f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {what} "
                                      f"ON {table} BEGIN {self._bump()}; END")
        return statements

    def trigger_names(self) -> list[tuple[str, str]]:
        """(trigger, table) for every trigger `trigger_ddl` installs."""
        return [(f"{self.prefix}_{table}_{suffix}", table)
                for table in self.watched for suffix, _what in self.events(table)]

    def install(self, connection, tables=None) -> None:
        """Install the triggers and the row on `connection` (a migration's or
        create_all's; with `tables`, only on those)."""
        for statement in self.trigger_ddl(connection.dialect.name, tables):
            connection.exec_driver_sql(statement)

    def uninstall(self, connection) -> None:
        """Drop the triggers (and PostgreSQL's function); a migration's downgrade."""
        for name, table in self.trigger_names():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {self.function}")

    def after_create(self, connection) -> None:
        """`create_all`: the counter and the triggers of the watched tables that exist."""
        present = set(inspect(connection).get_table_names())
        if self.table in present:
            self.install(connection, present)
