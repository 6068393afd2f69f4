"""An aanvraag (application) and the documents that come with it."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.types import JSONType, UTCDateTime, money_column, trigram_index, utcnow

# Statuses an officer works on (the default view of the queue); the partial indexes below
# are over exactly these, so a query filtering on this list can use them.
OPEN_STATUSES = ("ingediend", "in_behandeling", "herstel", "besluit_voorgesteld",
                 "uitkomst_gemeld", "bezwaar")
OPEN_WORK_SQL = "status IN (%s)" % ", ".join(f"'{s}'" for s in OPEN_STATUSES)
# Complete applications waiting for a decision (fund.workflow.ledger.waiting_for): their computed
# amounts are kept free under the ceiling; a partial index over the eligible ones.
WAITING_STATUSES = ("ingediend", "in_behandeling", "besluit_voorgesteld")
WAITING_SQL = ("status IN (%s) AND eligibility_outcome = 'eligible'"
               % ", ".join(f"'{s}'" for s in WAITING_STATUSES))


class Application(db.Model):
    """One aanvraag for one instrument.

    ``facts`` holds the facts document of regeling §7 (validated by ``fund.rules``), so the
    same document is evaluated by the CLI, the API and the workflow. ``status`` is owned by
    ``fund.workflow``: no other code assigns it.
    """

    __tablename__ = "applications"
    __table_args__ = (
        # Officer queues: filter by status/instrument/municipality, sort by deadline or receipt.
        Index("ix_applications_queue", "status", "instrument", "decision_deadline"),
        Index("ix_applications_status_received", "status", "received_at"),
        # The default queue (open work by deadline, or by receipt) in keyset pages: partial
        # indexes over the open statuses only, walked from the cursor (docs/performance.md).
        Index("ix_applications_open_deadline", "decision_deadline", "id",
              postgresql_where=text(OPEN_WORK_SQL), sqlite_where=text(OPEN_WORK_SQL)),
        Index("ix_applications_open_received", "received_at", "id",
              postgresql_where=text(OPEN_WORK_SQL), sqlite_where=text(OPEN_WORK_SQL)),
        Index("ix_applications_municipality_status", "municipality", "status"),
        Index("ix_applications_officer_status", "assigned_officer_id", "status"),
        # Ceiling allocation order: complete timestamp, then number (regeling §1).
        Index("ix_applications_tijdvak_complete", "instrument", "tijdvak", "complete_at"),
        # A queue filtered on one status (closed files too), walked by keyset (migration 0010).
        Index("ix_applications_status_deadline", "status", "decision_deadline", "id"),
        # Dashboard money figures read from the index alone (migration 0010): what complete,
        # eligible applications wait for (ledger.waiting_for) and the forecast's pace.
        Index("ix_applications_waiting", "instrument", "tijdvak", "computed_amount",
              postgresql_where=text(WAITING_SQL), sqlite_where=text(WAITING_SQL)),
        Index("ix_applications_pace", "instrument", "tijdvak", "complete_at", "status", "final_amount",
              "granted_amount", "computed_amount", postgresql_where=text("eligibility_outcome = 'eligible'"),
              sqlite_where=text("eligibility_outcome = 'eligible'")),
        # The queue's search ("contains") on the number: a trigram index on PostgreSQL (pg_trgm),
        # a plain expression index elsewhere (migration 0010; names likewise in people.py).
        trigram_index("ix_applications_number_trgm", "number"),
        # Dashboard targets and quarterly figures in SQL: granted applications by instrument and
        # application date, covering the columns the counts read (docs/performance.md).
        Index("ix_applications_report", "instrument", "received_on", "report_kind",
              "organisation_id", "applicant_id", postgresql_where=text("granted_amount IS NOT NULL"),
              sqlite_where=text("granted_amount IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # DOF-2026-000123; assigned when the concept is created (year of creation, then the id).
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    instrument: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(32), default="concept")
    applicant_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    assigned_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    facts: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Denormalised from facts for the queues (applicant/employer/candidate municipality).
    municipality: Mapped[str | None] = mapped_column(String(6))
    # Short, human label for lists ("Verzorgende IG", "Ontwikkelplan bakkerij").
    title: Mapped[str | None] = mapped_column(String(200))
    # Where the grant is paid. Never shown in URLs or logs.
    iban: Mapped[str | None] = mapped_column(String(34))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # ingediend
    complete_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # all facts+documents in
    tijdvak: Mapped[int | None] = mapped_column(Integer)  # chosen by application.date
    # Denormalised by the eligibility check for reports (fund.reports.targets): the application
    # date (facts application.date, the day of receipt) and the fact the targets count by.
    received_on: Mapped[date | None] = mapped_column(Date)
    report_kind: Mapped[str | None] = mapped_column(String(40))

    # Latest eligibility evaluation (regeling §2): stored verbatim for review and audit.
    ruleset_id: Mapped[str | None] = mapped_column(String(40))
    eligibility_outcome: Mapped[str | None] = mapped_column(String(16))
    eligibility_result: Mapped[dict | None] = mapped_column(JSONType)
    computed_amount: Mapped[Decimal | None] = mapped_column(money_column())
    priority_group: Mapped[bool | None] = mapped_column(Boolean)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Money over the life of the grant.
    granted_amount: Mapped[Decimal | None] = mapped_column(money_column())
    final_amount: Mapped[Decimal | None] = mapped_column(money_column())

    # Awb deadlines (regeling §6).
    herstel_deadline: Mapped[date | None] = mapped_column(Date)
    herstel_request: Mapped[str | None] = mapped_column(Text)
    decision_deadline: Mapped[date | None] = mapped_column(Date)
    deadline_extended: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_extension_reason: Mapped[str | None] = mapped_column(Text)

    # What the current state waits on (owned by fund.workflow): the decision proposal awaiting
    # the vier-ogen co-sign (status besluit_voorgesteld) or the open objection (status bezwaar).
    pending: Mapped[dict | None] = mapped_column(JSONType)
    # A gegrond bezwaar sent the file back to be decided again: the decisions still to come are
    # part of that beslissing op bezwaar (Awb 7:11). Cleared by the first new decision.
    bezwaar_redecide_id: Mapped[int | None] = mapped_column(Integer)  # a decisions.id (no FK: no cycle)

    # Optimistic locking: a stale form or double submit cannot overwrite a newer state.
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    __mapper_args__ = {"version_id_col": version}

    applicant = relationship("User", foreign_keys=[applicant_id])
    assigned_officer = relationship("User", foreign_keys=[assigned_officer_id])
    organisation = relationship("Organisation")
    documents: Mapped[list["Document"]] = relationship(
        back_populates="application", order_by="Document.id"
    )
    decisions = relationship(
        "Decision", back_populates="application", order_by="Decision.id",
        foreign_keys="Decision.application_id",
    )
    payments = relationship("Payment", back_populates="application", order_by="Payment.id")
    outcome = relationship("Outcome", back_populates="application", uselist=False)
    notes = relationship("Note", back_populates="application", order_by="Note.id")

    @property
    def application_date(self) -> date | None:
        raw = (self.facts or {}).get("application", {}).get("date")
        return date.fromisoformat(raw) if raw else None

    def __repr__(self) -> str:
        return f"<Application {self.number} {self.instrument} {self.status}>"


class Document(db.Model):
    """An uploaded file. Content-addressed on disk by its SHA-256; the row is the record."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # offerte, afwijzing_uwv, bewijs, ...
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="documents")
    uploaded_by = relationship("User")


class Note(db.Model):
    """An internal note of a staff member on a file: never shown to the applicant or put in a
    letter; each one is also an audit event (``note_added``) with its text."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="notes")
    author = relationship("User")
