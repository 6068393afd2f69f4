"""Internal notes of staff on a file (never shown to the applicant).

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import fund.models.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'notes',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('application_id', sa.Integer(), sa.ForeignKey('applications.id'), nullable=False),
        sa.Column('author_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('created_at', fund.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
    )
    op.create_index('ix_notes_application_id', 'notes', ['application_id'])


def downgrade():
    op.drop_index('ix_notes_application_id', table_name='notes')
    op.drop_table('notes')
