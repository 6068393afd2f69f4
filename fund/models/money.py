"""Budget per instrument per tijdvak, and payments (voorschot, rest, terugvordering)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.types import UTCDateTime, money_column, utcnow


class Budget(db.Model):
    """The subsidieplafond of one instrument in one tijdvak and what is used of it.

    ``committed`` is the sum of open grants (granted minus what a vaststelling released);
    ``paid`` is cash out minus reclaims received. A grant raises ``committed`` in one
    conditional UPDATE (``fund.workflow.ledger.apply``), so concurrent approvals cannot
    overshoot the ceiling (and the check constraint below would refuse it too).
    """

    __tablename__ = "budgets"
    __table_args__ = (
        UniqueConstraint("instrument", "tijdvak"),
        CheckConstraint("committed <= ceiling", name="within_ceiling"),
        CheckConstraint("committed >= 0", name="committed_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument: Mapped[str] = mapped_column(String(24))
    tijdvak: Mapped[int] = mapped_column(Integer)
    ceiling: Mapped[Decimal] = mapped_column(money_column())
    committed: Mapped[Decimal] = mapped_column(money_column(), default=Decimal("0.00"))
    paid: Mapped[Decimal] = mapped_column(money_column(), default=Decimal("0.00"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def remaining(self) -> Decimal:
        return self.ceiling - self.committed


class Payment(db.Model):
    """One payment order. ``idempotency_key`` is unique so a retried event cannot pay twice."""

    __tablename__ = "payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(money_column())
    status: Mapped[str] = mapped_column(String(16), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The one bank file this payment went out in (fund.workflow.bank); never a second one.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)

    application = relationship("Application", back_populates="payments")
    decision = relationship("Decision")
    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    batch = relationship("PaymentBatch", back_populates="payments")


class PaymentBatch(db.Model):
    """One SEPA credit-transfer file (pain.001.001.03) of approved payments, kept as sent.

    ``paid_at`` is set when finance records that the bank carried it out; only then are its
    payments ``betaald`` and counted in ``Budget.paid``.
    """

    __tablename__ = "payment_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(35), unique=True)  # GrpHdr/MsgId
    execution_date: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer)
    control_sum: Mapped[Decimal] = mapped_column(money_column())
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    payments = relationship("Payment", back_populates="batch", order_by="Payment.id")
    created_by = relationship("User", foreign_keys=[created_by_id])
    paid_by = relationship("User", foreign_keys=[paid_by_id])
