"""community_post: a partial index of the pinned posts per channel

The feed's first page reads a channel's pinned posts (at most 10) in the statement of
its posts. With only (channel_id, status, id) to go on, SQLite walked every published
post of the channel to find the pinned ones: ~75 µs at 500 posts, growing with the
channel. This index holds the pinned posts alone.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 11:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('community_post', schema=None) as batch_op:
        # `pinned` as a column too: the pinned posts' query then matches three columns of
        # this index against two of ix_post_feed's, so SQLite's planner takes this one
        # whatever order the indexes were made in (with the same columns it was a tie).
        batch_op.create_index('ix_post_pinned', ['channel_id', 'status', 'pinned', 'id'],
                              unique=False,
                              sqlite_where=sa.text("pinned = 1"),
                              postgresql_where=sa.text("pinned"))


def downgrade() -> None:
    with op.batch_alter_table('community_post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_pinned')
