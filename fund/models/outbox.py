"""The transactional outbox: every side effect of a committed event, written in the same
transaction as the event and delivered afterwards (``fund.delivery``), so a crash loses nothing.

A row is a letter to render (``kind="letter"``, ``payload={"decision_id": …}``) or an e-mail to
send (``kind="mail"``, with its rendered text and HTML). ``dedupe_key`` is unique: the same side
effect is never queued twice. Delivery claims a row with a short lease (``locked_until``), so two
dispatchers never deliver it at the same time; a failure schedules a retry with backoff and after
``MAX_ATTEMPTS`` the row is parked with its error for an admin.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.types import JSONType, UTCDateTime, utcnow

PENDING, DELIVERED, PARKED = "pending", "delivered", "parked"
STATES = (PENDING, DELIVERED, PARKED)


class OutboxMessage(db.Model):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="mail")  # "mail" or "letter"
    dedupe_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    to_address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)  # plain text
    html_body: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict | None] = mapped_column(JSONType)  # decision_id; attachment to make
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # delivered at

    def __repr__(self) -> str:  # no addresses in logs
        return f"<OutboxMessage {self.id} {self.kind} {self.state}>"
