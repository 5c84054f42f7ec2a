"""statements and superbills: insurance fields, diagnoses, superbills, document sends,
balance payments

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 11:55:13.153999
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import models.base
from alembic import op

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('billing_document_send',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox_message.id'], ),
    sa.ForeignKeyConstraint(['sent_by_staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    with op.batch_alter_table('billing_document_send', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_billing_document_send_client_id'), ['client_id'], unique=False)

    op.create_table('client_diagnosis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=False),
    sa.Column('until_date', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('client_diagnosis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_diagnosis_client_id'), ['client_id'], unique=False)

    op.create_table('superbill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('requested_by_account_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('issued_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['issued_by_staff_id'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['requested_by_account_id'], ['portal_account.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('superbill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_superbill_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_superbill_status'), ['status'], unique=False)

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statement_auto_day', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('superbills_enabled', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('superbill_auto_day', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('legal_name', sqlmodel.sql.sqltypes.AutoString(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('npi_individual', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('npi_organisation', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tax_id', sqlmodel.sql.sqltypes.AutoString(length=11), server_default='', nullable=False))
        batch_op.add_column(sa.Column('tax_id_kind', sqlmodel.sql.sqltypes.AutoString(length=3), server_default='ein', nullable=False))
        batch_op.add_column(sa.Column('license_number', sqlmodel.sql.sqltypes.AutoString(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('license_state', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='', nullable=False))
        batch_op.add_column(sa.Column('taxonomy_code', sqlmodel.sql.sqltypes.AutoString(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('signature_file', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    with op.batch_alter_table('checkout_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_ids', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('insurance_member_id', sqlmodel.sql.sqltypes.AutoString(length=40), server_default='', nullable=False))

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allocation', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='', nullable=False))

    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cpt_code', sqlmodel.sql.sqltypes.AutoString(length=5), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pos_code', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='11', nullable=False))
        batch_op.add_column(sa.Column('modifiers', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('modifiers')
        batch_op.drop_column('pos_code')
        batch_op.drop_column('cpt_code')

    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('allocation')

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('insurance_member_id')

    with op.batch_alter_table('checkout_attempt', schema=None) as batch_op:
        batch_op.drop_column('invoice_ids')

    with op.batch_alter_table('business', schema=None) as batch_op:
        batch_op.drop_column('signature_file')
        batch_op.drop_column('taxonomy_code')
        batch_op.drop_column('license_state')
        batch_op.drop_column('license_number')
        batch_op.drop_column('tax_id_kind')
        batch_op.drop_column('tax_id')
        batch_op.drop_column('npi_organisation')
        batch_op.drop_column('npi_individual')
        batch_op.drop_column('legal_name')
        batch_op.drop_column('superbill_auto_day')
        batch_op.drop_column('superbills_enabled')
        batch_op.drop_column('statement_auto_day')

    with op.batch_alter_table('superbill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_superbill_status'))
        batch_op.drop_index(batch_op.f('ix_superbill_client_id'))

    op.drop_table('superbill')
    with op.batch_alter_table('client_diagnosis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_diagnosis_client_id'))

    op.drop_table('client_diagnosis')
    with op.batch_alter_table('billing_document_send', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_billing_document_send_client_id'))

    op.drop_table('billing_document_send')
