"""client profile: language, detected time zone, closure request; business language

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 13:30:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default='en'))

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone_detected_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closure_requested_at', models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closure_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('closure_reason')
        batch_op.drop_column('closure_requested_at')
        batch_op.drop_column('language')
        batch_op.drop_column('timezone_detected_at')

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_column('language')
