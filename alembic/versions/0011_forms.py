"""forms: templates and versions, packets, trigger firings, requests, draft answers,
submissions, the e-sign consent text; client date of birth, address, emergency contact

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 07:40:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import models.base

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('esign_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )
    op.create_table('form_packet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('template_ids', sa.JSON(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('trigger_service_id', sa.Integer(), nullable=True),
    sa.Column('due_rule', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('due_amount', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['trigger_service_id'], ['service.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('form_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('intro', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('archived_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_staff_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('form_template_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('intro', sa.Text(), server_default='', nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['template_id'], ['form_template.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('template_id', 'number')
    )
    with op.batch_alter_table('form_template_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_template_version_template_id'), ['template_id'], unique=False)

    op.create_table('form_trigger_firing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('packet_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('fired_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['packet_id'], ['form_packet.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('packet_id', 'client_id')
    )
    with op.batch_alter_table('form_trigger_firing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_trigger_firing_client_id'), ['client_id'], unique=False)

    op.create_table('form_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('packet_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('due_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opened_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('completed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('reminder_count', sa.Integer(), nullable=False),
    sa.Column('last_reminder_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cancelled_by_staff_id'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['packet_id'], ['form_packet.id'], ),
    sa.ForeignKeyConstraint(['sent_by_staff_id'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['template_id'], ['form_template.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['form_template_version.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('form_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_request_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_request_template_id'), ['template_id'], unique=False)

    op.create_table('form_draft_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('field_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('saved_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['request_id'], ['form_request.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id', 'field_key')
    )
    with op.batch_alter_table('form_draft_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_draft_answer_request_id'), ['request_id'], unique=False)

    op.create_table('form_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('signer_account_id', sa.Integer(), nullable=True),
    sa.Column('signer_email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('submitted_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('consent_version', sa.Integer(), nullable=True),
    sa.Column('document_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('pdf_document_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], ),
    sa.ForeignKeyConstraint(['pdf_document_id'], ['document.id'], ),
    sa.ForeignKeyConstraint(['request_id'], ['form_request.id'], ),
    sa.ForeignKeyConstraint(['signer_account_id'], ['portal_account.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['form_template_version.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('request_id')
    )
    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submission_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submission_document_sha256'), ['document_sha256'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_of_birth', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('emergency_contact', sqlmodel.sql.sqltypes.AutoString(length=300), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_column('emergency_contact')
        batch_op.drop_column('address')
        batch_op.drop_column('date_of_birth')

    with op.batch_alter_table('form_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submission_document_sha256'))
        batch_op.drop_index(batch_op.f('ix_form_submission_client_id'))

    op.drop_table('form_submission')
    with op.batch_alter_table('form_draft_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_draft_answer_request_id'))

    op.drop_table('form_draft_answer')
    with op.batch_alter_table('form_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_request_template_id'))
        batch_op.drop_index(batch_op.f('ix_form_request_status'))
        batch_op.drop_index(batch_op.f('ix_form_request_client_id'))

    op.drop_table('form_request')
    with op.batch_alter_table('form_trigger_firing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_trigger_firing_client_id'))

    op.drop_table('form_trigger_firing')
    with op.batch_alter_table('form_template_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_template_version_template_id'))

    op.drop_table('form_template_version')
    op.drop_table('form_template')
    op.drop_table('form_packet')
    op.drop_table('esign_consent')
