"""Partial indexes for the officer queue's open work, walked by keyset paging.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The same list as fund.models.application.OPEN_STATUSES at the time of this revision.
OPEN_WORK = sa.text("status IN ('ingediend', 'in_behandeling', 'herstel', 'besluit_voorgesteld', "
                    "'uitkomst_gemeld', 'bezwaar')")


def upgrade():
    op.create_index('ix_applications_open_deadline', 'applications', ['decision_deadline', 'id'],
                    postgresql_where=OPEN_WORK, sqlite_where=OPEN_WORK)
    op.create_index('ix_applications_open_received', 'applications', ['received_at', 'id'],
                    postgresql_where=OPEN_WORK, sqlite_where=OPEN_WORK)


def downgrade():
    op.drop_index('ix_applications_open_received', table_name='applications')
    op.drop_index('ix_applications_open_deadline', table_name='applications')
