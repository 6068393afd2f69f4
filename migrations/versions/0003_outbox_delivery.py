"""Transactional outbox for letters and e-mail; postal addresses; e-mail verification.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

import fund.models.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), nullable=False, server_default='mail'))
        batch.add_column(sa.Column('dedupe_key', sa.String(length=160), nullable=True))
        batch.add_column(sa.Column('html_body', sa.Text(), nullable=True))
        batch.add_column(sa.Column('payload', fund.models.types.JSONType, nullable=True))
        batch.add_column(sa.Column('application_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='pending'))
        batch.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('next_attempt_at', fund.models.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('locked_until', fund.models.types.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))
        batch.alter_column('to_address', existing_type=sa.String(length=254), nullable=True)
        batch.alter_column('subject', existing_type=sa.String(length=200), nullable=True)
        batch.alter_column('body', existing_type=sa.Text(), nullable=True)
        batch.create_unique_constraint(batch.f('uq_outbox_dedupe_key'), ['dedupe_key'])
        batch.create_foreign_key(batch.f('fk_outbox_application_id_applications'), 'applications',
                                 ['application_id'], ['id'])
        batch.create_index(batch.f('ix_outbox_application_id'), ['application_id'], unique=False)
        batch.create_index('ix_outbox_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)
    # messages written before the outbox was delivered are still owed
    op.execute("UPDATE outbox SET state = 'delivered' WHERE sent_at IS NOT NULL")
    for table in ('users', 'organisations'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('house_number', sa.String(length=12), nullable=True))
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email_verified', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.add_column(sa.Column('daily_summary', sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('daily_summary')
        batch.drop_column('email_verified')
    for table in ('organisations', 'users'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('house_number')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_index('ix_outbox_state_next_attempt_at')
        batch.drop_index(batch.f('ix_outbox_application_id'))
        batch.drop_constraint(batch.f('fk_outbox_application_id_applications'), type_='foreignkey')
        batch.drop_constraint(batch.f('uq_outbox_dedupe_key'), type_='unique')
        batch.alter_column('body', existing_type=sa.Text(), nullable=False)
        batch.alter_column('subject', existing_type=sa.String(length=200), nullable=False)
        batch.alter_column('to_address', existing_type=sa.String(length=254), nullable=False)
        for column in ('last_error', 'locked_until', 'next_attempt_at', 'attempts', 'state',
                       'application_id', 'payload', 'html_body', 'dedupe_key', 'kind'):
            batch.drop_column(column)
