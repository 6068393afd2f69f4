"""Server-side sessions: the browser holds only a random id; the data lives here (or in Redis)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from fund.extensions import db
from fund.models.types import UTCDateTime


class StoredSession(db.Model):
    """One browser session. ``user_id`` is filled once someone logs in, so all sessions of a user
    can be ended at once (logout, password change, deactivation)."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expiry: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RateLimitCounter(db.Model):
    """A Flask-Limiter fixed-window counter when there is no Redis (fund/web/ratelimit_store.py)."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[float] = mapped_column(Float)  # Unix time, as ``limits`` counts


class LoginThrottle(db.Model):
    """Failed logins per e-mail address and client address: each failure past the free ones
    doubles the wait before the next try, up to a maximum (fund/identity/throttle.py)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of address + e-mail
    failures: Mapped[int] = mapped_column(Integer)
    next_attempt_at: Mapped[float] = mapped_column(Float)
    last_failure_at: Mapped[float] = mapped_column(Float)
