"""Server-side sessions, shared rate-limit counters and per-account login delays (issue 12).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import fund.models.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sessions',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('session_id', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('expiry', fund.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('session_id', name='uq_sessions_session_id'),
    )
    op.create_index('ix_sessions_user_id', 'sessions', ['user_id'])
    op.create_index('ix_sessions_expiry', 'sessions', ['expiry'])
    op.create_table(
        'rate_limits',
        sa.Column('key', sa.String(length=255), primary_key=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Float(), nullable=False),
    )
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=64), primary_key=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.Float(), nullable=False),
        sa.Column('last_failure_at', sa.Float(), nullable=False),
    )
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('session_epoch')
    op.drop_table('login_throttle')
    op.drop_table('rate_limits')
    op.drop_index('ix_sessions_expiry', table_name='sessions')
    op.drop_index('ix_sessions_user_id', table_name='sessions')
    op.drop_table('sessions')
