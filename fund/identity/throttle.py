"""Growing delays after failed logins, per e-mail address and client address (issue 12, ASVS 2.2.1).

The first ``FUND_LOGIN_FREE_FAILURES`` failures cost nothing; each further one doubles the wait
before the next try (2, 4, 8 … seconds), up to ``FUND_LOGIN_MAX_DELAY_SECONDS``. The key is the
e-mail address *with* the client's address, so guessing someone's password from one place never
slows the real user down elsewhere (no lock-out of a known user), and the delay is the same for
addresses that have no account (no enumeration). A successful login clears it. Kept in the
database, so every worker sees it.
"""
from __future__ import annotations

import hashlib
import math
import time

from flask import current_app, request
from sqlalchemy import delete

from fund.extensions import db
from fund.models.session import LoginThrottle

FORGET_AFTER = 24 * 3600  # a day without failures starts again at zero


def _now() -> float:
    return time.time()


def _key(email: str) -> str:
    who = f"{request.remote_addr or '-'}|{email.strip().lower()}"
    return hashlib.sha256(who.encode("utf-8")).hexdigest()


def wait_seconds(email: str) -> int:
    """Seconds before this address may try this e-mail address again (0: now)."""
    row = db.session.get(LoginThrottle, _key(email))
    if row is None:
        return 0
    return max(0, math.ceil(row.next_attempt_at - _now()))


def failed(email: str) -> None:
    """Count a failure (the caller commits)."""
    cfg, now = current_app.config, _now()
    row = db.session.get(LoginThrottle, _key(email))
    if row is None or now - row.last_failure_at > FORGET_AFTER:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        row = LoginThrottle(key=_key(email), failures=0, next_attempt_at=now, last_failure_at=now)
        db.session.add(row)
    row.failures += 1
    row.last_failure_at = now
    over = row.failures - cfg["FUND_LOGIN_FREE_FAILURES"]
    row.next_attempt_at = now + (min(2 ** over, cfg["FUND_LOGIN_MAX_DELAY_SECONDS"]) if over > 0 else 0)


def succeeded(email: str) -> None:
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == _key(email)))
