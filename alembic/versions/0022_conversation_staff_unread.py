"""conversation staff_unread: a partial index of the conversations with unread messages

The console's unread count (asked by every console event and every live refresh of a
console tab) summed `staff_unread` over every conversation: a full scan, ~2 ms at 20,000
conversations. With this index it reads the unread ones only.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 09:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.create_index('ix_conversation_staff_unread', ['staff_unread'], unique=False,
                              sqlite_where=sa.text("staff_unread > 0"),
                              postgresql_where=sa.text("staff_unread > 0"))


def downgrade() -> None:
    with op.batch_alter_table('conversation', schema=None) as batch_op:
        batch_op.drop_index('ix_conversation_staff_unread')
