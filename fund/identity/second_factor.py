"""The second factor of staff: TOTP (RFC 6238, pyotp) with one-time recovery codes.

Staff enrol on their first login after the password: the secret is stored unconfirmed, shown as a
QR code (segno, SVG made on the server) and as text, and confirmed by the first right code. Only
then do they get ten recovery codes, shown once and stored as argon2 hashes like passwords.
"""
from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app

from fund.accounts import hash_password, verify_hash
from fund.extensions import db
from fund.models import RecoveryCode, User
from fund.models.types import utcnow

ISSUER = "Drents ontwikkelfonds"
RECOVERY_CODE_COUNT = 10
STEP = 30  # seconds per TOTP code (the authenticator apps' default)


def now() -> datetime:
    """The real time for TOTP codes: never the project's pinned business date (FUND_TODAY moves
    the date of demos and tests, but the authenticator app on the phone keeps real time).
    Tests pin this function."""
    return utcnow()


def required_for(user: User) -> bool:
    """Staff need a second factor when the set-up demands it (always in production) or when they
    have one already."""
    if not user.is_staff:
        return False
    return bool(current_app.config.get("FUND_STAFF_TOTP")) or user.has_second_factor


def start_enrolment(user: User) -> str:
    """The (unconfirmed) secret to show; a new one unless an enrolment is under way."""
    if user.has_second_factor:
        raise ValueError("second factor already enrolled")
    if not user.totp_secret:
        user.totp_secret = pyotp.random_base32()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret, interval=STEP).provisioning_uri(name=user.email,
                                                                        issuer_name=ISSUER)


def qr_data_uri(user: User) -> str:
    """The otpauth:// URI as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    return segno.make(provisioning_uri(user), error="m").svg_data_uri(scale=5, border=2)


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def verify_totp(user: User, code: str, at: datetime) -> bool:
    """A right code for the time step of ``at`` or one step either side (clock drift), used at
    most once: a code seen before (same or earlier step) is refused."""
    code = _normalise(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret, interval=STEP)
    now_step = int(at.timestamp()) // STEP
    for step in (now_step - 1, now_step, now_step + 1):
        if hmac.compare_digest(totp.at(step * STEP), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str, at: datetime) -> list[str] | None:
    """Confirm the secret with a first right code; return the new recovery codes (plain, to show
    once) or None when the code is wrong."""
    if user.has_second_factor or not verify_totp(user, code, at):
        return None
    user.totp_confirmed_at = utcnow()
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    user.recovery_codes.clear()
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)  # 40 bits, argon2-hashed and usable once
        codes.append(f"{raw[:5]}-{raw[5:]}")
        user.recovery_codes.append(RecoveryCode(code_hash=hash_password(raw)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    code = _normalise(code)
    if len(code) != 10:
        return False
    for rc in user.recovery_codes:
        if rc.used_at is not None:
            continue
        if not verify_hash(rc.code_hash, code):
            continue
        rc.used_at = utcnow()
        return True
    return False


def remaining_recovery_codes(user: User) -> int:
    return sum(1 for rc in user.recovery_codes if rc.used_at is None)


def reset(user: User) -> None:
    """Forget the second factor (an admin's reset): the user enrols again at the next login."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    user.totp_last_step = None
    user.recovery_codes.clear()
    db.session.flush()
