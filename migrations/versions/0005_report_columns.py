"""Report columns on applications: the application date and the fact the targets count by,
backfilled from the facts JSON, with a partial index over granted applications.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_WHERE = "granted_amount IS NOT NULL"


def _json(dialect: str, dotted: str) -> str:
    if dialect == "postgresql":
        return "facts #>> '{%s}'" % dotted.replace(".", ",")
    return "json_extract(facts, '$.%s')" % dotted


def upgrade():
    from fund.reports.targets import kind_facts

    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('received_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('report_kind', sa.String(length=40), nullable=True))
    dialect = op.get_bind().dialect.name
    day = _json(dialect, "application.date")
    if dialect == "postgresql":
        received = "COALESCE(CAST(%s AS date), CAST(received_at AT TIME ZONE 'UTC' AS date))" % day
    else:
        received = "COALESCE(date(%s), date(received_at))" % day
    kinds = kind_facts()
    kind = "CASE instrument %s END" % " ".join(
        "WHEN '%s' THEN %s" % (instrument, _json(dialect, fact)) for instrument, fact in sorted(kinds.items())
    ) if kinds else "NULL"
    op.execute(f"UPDATE applications SET received_on = {received}, report_kind = {kind} "
               f"WHERE received_at IS NOT NULL OR {day} IS NOT NULL")
    op.create_index('ix_applications_report', 'applications',
                    ['instrument', 'received_on', 'report_kind', 'organisation_id', 'applicant_id'],
                    unique=False, postgresql_where=sa.text(_WHERE), sqlite_where=sa.text(_WHERE))


def downgrade():
    op.drop_index('ix_applications_report', table_name='applications')
    with op.batch_alter_table('applications') as batch:
        batch.drop_column('report_kind')
        batch.drop_column('received_on')
