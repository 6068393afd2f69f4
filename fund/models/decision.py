"""Beschikkingen: every decision the bestuursorgaan takes on an application."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.decision_kinds import BEROEP_KINDS
from fund.models.types import JSONType, UTCDateTime, money_column, utcnow


class Decision(db.Model):
    """A beschikking, shaped after the ZGW Besluiten API ``Besluit``.

    ``identificatie`` is ``number``; ``datum`` is ``decided_on``; ``verzenddatum`` is
    ``sent_on``; ``uiterlijkeReactiedatum`` is ``bezwaar_deadline``.
    """

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_decided_on_kind", "decided_on", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str | None] = mapped_column(String(20), unique=True)  # BES-2026-000045
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    decided_on: Mapped[date] = mapped_column(Date)
    sent_on: Mapped[date | None] = mapped_column(Date)
    effective_on: Mapped[date | None] = mapped_column(Date)  # ingangsdatum
    amount: Mapped[Decimal | None] = mapped_column(money_column())
    # Motivation drawn from the rule trace, plus the officer's own words.
    motivation: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[list] = mapped_column(JSONType, default=list)  # reason codes
    referrals: Mapped[list] = mapped_column(JSONType, default=list)  # voorziening codes
    ruleset_id: Mapped[str | None] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # Hardheidsclausule: the decision deviates from the rules' outcome (needs vier-ogen).
    deviates: Mapped[bool] = mapped_column(Boolean, default=False)
    deviation_motivation: Mapped[str | None] = mapped_column(Text)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    second_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    co_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    bezwaar_deadline: Mapped[date | None] = mapped_column(Date)
    # A bezwaar-beslissing points at the beschikking it reviews.
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    # Taken because that beslissing op bezwaar was gegrond (a new verlening, afwijzing or
    # vaststelling in place of the one objected to): part of the beslissing op bezwaar (Awb 7:11),
    # so the remedy against it is beroep, not a new bezwaar.
    op_bezwaar_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The letter (PDF/A-3b), immutable once stored; its SHA-256 is kept beside it.
    # Deferred: pages list decisions without their PDF bytes (tens of kB each); active_history
    # loads the stored bytes before a change, so fund.letters.immutable sees every overwrite.
    letter_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, active_history=True)
    letter_sha256: Mapped[str | None] = mapped_column(String(64))
    letter_generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application = relationship(
        "Application", back_populates="decisions", foreign_keys=[application_id]
    )
    officer = relationship("User", foreign_keys=[officer_id])
    second_officer = relationship("User", foreign_keys=[second_officer_id])
    supersedes = relationship("Decision", remote_side=[id], foreign_keys=[supersedes_id])

    @property
    def remedy_is_beroep(self) -> bool:
        """A beslissing op bezwaar, or a decision that is part of one (Awb 7:11): the remedy
        against it is beroep at the court (Awb 8:1), never another bezwaar."""
        return self.kind in BEROEP_KINDS or self.op_bezwaar_id is not None
