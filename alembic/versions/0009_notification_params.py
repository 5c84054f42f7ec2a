"""notification params: bell lines stored as kind + parameters, worded when read

Old rows keep their stored title. Those whose facts can still be found (the
line's text in English or Spanish, or the invoice/payment its link names) get
parameters, so they too read in the reader's language; the others (booking
lines, whose time cannot be read back reliably) show their stored text.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:10:00
"""
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = re.compile(r"^(?:New message|Nuevo mensaje): (?P<subject>.+)$", re.DOTALL)
DOCUMENT = re.compile(r"^(?P<label>New document|Updated document): (?P<title>.+)$", re.DOTALL)
DOCUMENTS = re.compile(r"^(?P<count>\d+) new documents$")
REMINDER = ("Reminder", "Recordatorio")
ID_IN_LINK = re.compile(r"\?id=(\d+)$")


def _params(conn, kind: str, title: str, link: str) -> dict | None:
    """The parameters of an old line, or None when they cannot be found."""
    if kind == "message" and (m := MESSAGE.match(title)):
        return {"subject": m["subject"]}
    if kind == "document":
        if m := DOCUMENT.match(title):
            return {"count": 1, "title": m["title"], "updated": m["label"].startswith("Updated")}
        if m := DOCUMENTS.match(title):
            return {"count": int(m["count"]), "title": "", "updated": False}
        return None
    found = ID_IN_LINK.search(link or "")
    if not found:
        return None
    if kind == "invoice":
        row = conn.execute(sa.text(
            "SELECT kind, number, total_minor, currency FROM invoice WHERE id = :id"),
            {"id": int(found[1])}).first()
        if row is None:
            return None
        return {"doc": row.kind, "reminder": title.startswith(REMINDER), "number": row.number,
                "total_minor": int(row.total_minor), "currency": row.currency}
    if kind == "payment":
        row = conn.execute(sa.text(
            "SELECT payment.amount_minor, payment.currency, invoice.number FROM payment "
            "JOIN invoice ON invoice.id = payment.invoice_id WHERE payment.id = :id"),
            {"id": int(found[1])}).first()
        if row is None:
            return None
        return {"amount_minor": int(row.amount_minor), "currency": row.currency,
                "number": row.number}
    return None


def upgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=False, server_default='{}'))

    conn = op.get_bind()
    set_params = sa.text("UPDATE notification SET params = :params WHERE id = :id").bindparams(
        sa.bindparam("params", type_=sa.JSON()))
    rows = conn.execute(sa.text("SELECT id, kind, title, link FROM notification")).fetchall()
    for row in rows:
        params = _params(conn, row.kind, row.title or "", row.link or "")
        if params:
            conn.execute(set_params, {"params": params, "id": row.id})


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_column('params')
