"""invoice (client_id, kind, status) index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:10:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index('ix_invoice_client_kind_status', ['client_id', 'kind', 'status'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index('ix_invoice_client_kind_status')
