"""calendar_feed: a staff member's secret iCalendar feed (token stored as its hash)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import models.base
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('include_client_names', sa.Boolean(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_staff_id'), ['staff_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_calendar_feed_token_hash'), ['token_hash'],
                              unique=True)


def downgrade() -> None:
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_token_hash'))
        batch_op.drop_index(batch_op.f('ix_calendar_feed_staff_id'))
    op.drop_table('calendar_feed')
