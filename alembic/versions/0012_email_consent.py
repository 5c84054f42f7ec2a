"""client.email_ok ("Email OK", consent given for existing clients) and
business.portal_activation (when a client's portal is activated; manual by default)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 07:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_ok', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('portal_activation',
                                      sqlmodel.sql.sqltypes.AutoString(length=16),
                                      nullable=False, server_default='manual'))


def downgrade() -> None:
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_column('portal_activation')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('email_ok')
