"""SEPA bank files: payment_batches, and the one batch each payment went out in.

Payments approved before this revision were booked as betaald at approval; they stay so.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

import fund.models.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'payment_batches',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('message_id', sa.String(length=35), nullable=False, unique=True),
        sa.Column('execution_date', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('control_sum', sa.Numeric(12, 2), nullable=False),
        sa.Column('xml', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', fund.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('paid_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('paid_at', fund.models.types.UTCDateTime(timezone=True), nullable=True),
    )
    with op.batch_alter_table('payments') as batch:
        batch.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_payments_batch_id', 'payment_batches', ['batch_id'], ['id'])
        batch.create_index('ix_payments_batch_id', ['batch_id'])


def downgrade():
    with op.batch_alter_table('payments') as batch:
        batch.drop_index('ix_payments_batch_id')
        batch.drop_constraint('fk_payments_batch_id', type_='foreignkey')
        batch.drop_column('batch_id')
    op.drop_table('payment_batches')
