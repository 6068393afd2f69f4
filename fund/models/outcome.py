"""What came of a traject: the result and, six months after the end, work (monitoring)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fund.extensions import db
from fund.models.types import UTCDateTime, money_column, utcnow


class Outcome(db.Model):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    result: Mapped[str] = mapped_column(String(32))
    incurred_costs: Mapped[Decimal | None] = mapped_column(money_column())
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    followup_due: Mapped[date | None] = mapped_column(Date, index=True)  # end date + 6 months
    employed_after_6_months: Mapped[bool | None] = mapped_column(Boolean)  # duurzame plaatsing
    followup_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application = relationship("Application", back_populates="outcome")
    reported_by = relationship("User")
