"""Course rows as plain named tuples, for the pages that only read them (the lesson
page's load): the same statements as the ORM's (`access._lesson_statement`,
`progress._facts_statement`), run on the connection, which returns each row flat
(every column of each model in turn) without building ORM objects — about a third
of the time. A record has the model's column names as attributes, so the drip, the
player's mark and the page read it as they read the model; nothing writes it back
(a write goes through the ORM paths: marking complete, a report, a quiz)."""

from __future__ import annotations

from functools import cache

from portal_app.services.reads import record_type


@cache
def _shape(model) -> tuple[type, int, int]:
    """The model's record type, its number of columns and the position of its key."""
    keys = [c.key for c in model.__table__.c]
    return record_type(tuple(keys)), len(keys), keys.index("id")


def split(row, *models) -> tuple[list, tuple]:
    """A flat row of `models`' columns in order, as one record per model (None for an
    outer-joined model that found no row), and the columns after them."""
    out: list = []
    at = 0
    for model in models:
        record, width, key = _shape(model)
        part = row[at:at + width]
        at += width
        out.append(None if part[key] is None else record._make(part))
    return out, tuple(row[at:])
