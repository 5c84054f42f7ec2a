"""schedule generation: the counter that the slot search's cache is checked against

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 04:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from models.schedule_generation import COUNTER

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('schedule_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    COUNTER.install(op.get_bind())


def downgrade() -> None:
    COUNTER.uninstall(op.get_bind())
    op.drop_table('schedule_generation')
