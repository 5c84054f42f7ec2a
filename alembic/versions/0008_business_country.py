"""business.country (ISO code; picks Letter or A4 for the PDFs)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 07:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2),
                                      server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_column('country')
