"""access generation: the counter that a resolved session's cache is checked against

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 03:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from models.access_generation import install, trigger_names

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('access_generation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    install(op.get_bind())


def downgrade() -> None:
    bind = op.get_bind()
    for name, table in trigger_names():
        if bind.dialect.name == "postgresql":
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS access_generation_bump()")
    op.drop_table('access_generation')
