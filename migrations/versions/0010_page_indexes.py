"""Indexes for pages at a million applications (issue 18, docs/performance.md "Pages at a million").

- ``(status, decision_deadline, id)``: the queue filtered on one status (closed files too) walks
  it by keyset instead of sorting every row of that status;
- covering partial indexes for the dashboard's money figures: what complete, eligible
  applications still wait for (``ledger.waiting_for``, also read by every grant) and the
  forecast's pace over the last weeks, read without visiting the table;
- PostgreSQL only: trigram indexes (``pg_trgm``, a trusted extension) on the lowercased
  application number and applicant and organisation names, so the queue's search ("contains")
  does not read every row. Where the extension cannot be created the search still works, by a
  scan; the migration says so and goes on.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# The lists as in fund.models.application.WAITING_STATUSES and fund.reports.forecast.ASK_NOTHING at this revision.
WAITING = sa.text("status IN ('ingediend', 'in_behandeling', 'besluit_voorgesteld') "
                  "AND eligibility_outcome = 'eligible'")
ELIGIBLE = sa.text("eligibility_outcome = 'eligible'")
TRIGRAM = (("ix_applications_number_trgm", "applications", "number"),
           ("ix_users_name_trgm", "users", "name"),
           ("ix_organisations_name_trgm", "organisations", "name"))


def upgrade():
    op.create_index('ix_applications_status_deadline', 'applications', ['status', 'decision_deadline', 'id'])
    op.create_index('ix_applications_waiting', 'applications', ['instrument', 'tijdvak', 'computed_amount'],
                    postgresql_where=WAITING, sqlite_where=WAITING)
    op.create_index('ix_applications_pace', 'applications',
                    ['instrument', 'tijdvak', 'complete_at', 'status', 'final_amount', 'granted_amount',
                     'computed_amount'], postgresql_where=ELIGIBLE, sqlite_where=ELIGIBLE)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        for name, table, column in TRIGRAM:  # the same names, as plain expression indexes
            bind.exec_driver_sql(f"CREATE INDEX {name} ON {table} (lower({column}))")
        return
    try:
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        print(f"pg_trgm not available ({str(exc.orig).strip().splitlines()[0]}): the queue search scans.")
        return
    for name, table, column in TRIGRAM:
        bind.exec_driver_sql(f"CREATE INDEX {name} ON {table} USING gin (lower({column}) gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    for name, _, _ in TRIGRAM:
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
    op.drop_index('ix_applications_pace', table_name='applications')
    op.drop_index('ix_applications_waiting', table_name='applications')
    op.drop_index('ix_applications_status_deadline', table_name='applications')
