"""Accounts: password hashing (argon2id), registration, password reset and colleagues.

Logging in is ``fund.views.auth.log_in_user(user, method)``; a future DigiD/eHerkenning (OIDC)
blueprint finds or creates the user here and ends in that same call.
"""
from __future__ import annotations

import functools
import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from fund.audit import record
from fund.extensions import db
from fund.delivery import notifications
from fund.models import Organisation, User
from fund.models.types import Role

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_hash(stored: str, secret: str) -> bool:
    """``secret`` matches the argon2 hash ``stored`` (passwords, recovery codes)."""
    try:
        return _hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(user: User, password: str) -> bool:
    ok = verify_hash(user.password_hash, password)
    if ok and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return ok


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("geen-echt-account")


def password_matches(user: User | None, password: str) -> bool:
    """The login check. Always exactly one argon2 verification, also for an unknown or inactive
    account, so the answer time does not tell whether an account exists (ASVS 2.2 / 3.x)."""
    if user is None or not user.active:
        verify_hash(_dummy_hash(), password)
        return False
    return verify_password(user, password)


MIN_PASSWORD = 12
MAX_PASSWORD = 128


def guessable_password_message(password: str) -> str | None:
    """Common, breached and trivial passwords are refused (ASVS 2.1.7): zxcvbn ships frequency
    lists of leaked passwords and scores repeats, sequences and keyboard patterns; below 3 is
    refused. Returns the Dutch message, or None."""
    from zxcvbn import zxcvbn

    if zxcvbn(password[:MAX_PASSWORD])["score"] < 3:
        return ("Dit wachtwoord is te makkelijk te raden. Of het staat op een lijst van wachtwoorden "
                "die op internet zijn uitgelekt. Kies een langer wachtwoord, bijvoorbeeld een paar "
                "losse woorden.")
    return None


def password_problem(password: str) -> str | None:
    """The whole password policy (length, then guessability) as one Dutch message, or None."""
    if not (MIN_PASSWORD <= len(password) <= MAX_PASSWORD):
        return f"Kies een wachtwoord van {MIN_PASSWORD} tot {MAX_PASSWORD} tekens."
    return guessable_password_message(password)


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, name: str, password: str, role: Role | str, **extra) -> User:
    user = User(
        email=email.strip().lower(), name=name, password_hash=hash_password(password),
        role=Role(role).value, **extra,
    )
    db.session.add(user)
    return user


# -- registration, password reset, colleagues ------------------------------------------------

RESET_SALT = "fund.password-reset"
RESET_MAX_AGE = 60 * 60  # one hour
INVITE_MAX_AGE = 7 * 24 * 60 * 60  # a colleague has a week to set a password


class AccountError(ValueError):
    """Registration refused; ``field`` names the form field, ``str(exc)`` is Dutch."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class AlreadyRegistered(Exception):
    """Registration with details that already belong to an account: no account is made, and the
    form answers exactly as for a new one (no enumeration of e-mail addresses, BSNs or KvK numbers).
    ``matched`` is "email", "bsn" or "kvk_number"; ``owners`` are the users who hear about it."""

    def __init__(self, matched: str, owners: list[User], organisation: Organisation | None = None):
        self.matched, self.owners, self.organisation = matched, owners, organisation
        super().__init__(matched)


def _refuse_taken_email(email: str) -> None:
    if (user := find_user_by_email(email)) is not None:
        raise AlreadyRegistered("email", [user])


def _flush_new_account(matched: str, is_taken) -> None:
    """Flush the new rows. When a parallel registration took the same unique key at this very
    moment, the answer is the one for a key taken before (rolled back: nothing half-written);
    any other database error stays an error."""
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if is_taken():
            raise AlreadyRegistered(matched, []) from None
        raise


def register_inwoner(email: str, name: str, password: str, *, bsn: str | None = None,
                     address: dict | None = None) -> User:
    """A self-registered inwoner: the e-mail address is unverified until the link is followed.
    One BSN belongs to one inwoner account: a taken one raises :class:`AlreadyRegistered`."""
    _refuse_taken_email(email)
    if bsn and (owner := db.session.scalar(
            select(User).where(User.bsn == bsn, User.role == Role.INWONER.value))) is not None:
        raise AlreadyRegistered("bsn", [owner])
    user = create_user(email, name, password, Role.INWONER, bsn=bsn or None, email_verified=False,
                       **(address or {}))
    _flush_new_account("email", lambda: find_user_by_email(email) is not None)
    return user


def register_werkgever(email: str, name: str, password: str, *, kvk_number: str,
                       organisation_name: str, municipality: str, address: dict | None = None) -> User:
    """A new organisation with its first user.

    An organisation that already has an account is not joined by registration (anyone knows a
    KvK number): :class:`AlreadyRegistered` tells its users, who add colleagues
    (:func:`invite_colleague`).
    """
    _refuse_taken_email(email)
    if (org := db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk_number))) is not None:
        owners = db.session.scalars(select(User).where(User.organisation_id == org.id, User.active)
                                    .order_by(User.id)).all()
        raise AlreadyRegistered("kvk_number", list(owners), organisation=org)
    org = Organisation(kvk_number=kvk_number, name=organisation_name.strip(),
                       municipality=municipality, **(address or {}))  # the vestigingsadres
    db.session.add(org)
    _flush_new_account("kvk_number", lambda: db.session.scalar(
        select(Organisation.id).where(Organisation.kvk_number == kvk_number)) is not None)
    user = create_user(email, name, password, Role.WERKGEVER, organisation_id=org.id, email_verified=False)
    _flush_new_account("email", lambda: find_user_by_email(email) is not None)
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    # Part of the current hash: the token stops working once the password has changed.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, kind: str = "reset") -> str:
    """A signed, timed token to choose a password; it dies once the password changes."""
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user), "k": kind})


VERIFY_MAX_AGE = 2 * 24 * 3600  # the verification link works 2 days


def send_verification_mail(user: User) -> None:
    """Ask a self-registered user to confirm the e-mail address (the caller commits)."""
    token = _serializer().dumps({"u": user.id, "e": user.email, "k": "verify"})
    notifications.verify_email(user, notifications.portal_link("auth.verify_email", token=token))


def verify_email_token(token: str) -> User | None:
    """The user whose address this link confirms; marks it verified (the caller commits)."""
    try:
        payload = _serializer().loads(token, max_age=VERIFY_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(payload, dict) or payload.get("k") != "verify" or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or not user.active or user.email != payload.get("e"):
        return None
    user.email_verified = True
    return user


def user_for_reset_token(token: str) -> User | None:
    """The user a valid token belongs to: reset links live 1 hour, invitations 7 days."""
    try:
        payload = _serializer().loads(token, max_age=INVITE_MAX_AGE)
        if not isinstance(payload, dict):
            return None
        if payload.get("k") != "invite":
            _serializer().loads(token, max_age=RESET_MAX_AGE)
    except (SignatureExpired, BadSignature):
        return None
    user_id = payload.get("u")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.active or payload.get("p") != _fingerprint(user):
        return None
    return user


def unusable_password_hash() -> str:
    """A hash no password matches (not an argon2 string: ``verify_password`` says no).

    It is random, so the fingerprint in an invitation link is unique, and the link stops
    working once the user has chosen a password.
    """
    return "!unusable$" + secrets.token_urlsafe(32)


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the account (the caller commits)."""
    from fund.identity import sessions

    user.password_hash = hash_password(password)
    sessions.end_all(user)


def answer_existing_registration(taken: AlreadyRegistered, password: str, email: str) -> None:
    """A registration with details that already have an account: the same work as a real one
    (one argon2 hash), and a mail to each owner instead of a new account (the caller commits
    after rolling back whatever the attempt wrote). ``email`` is the address the form gave."""
    from fund.workflow import clock

    hash_password(password)  # the same time as creating an account: the answer tells nothing
    organisation_page = notifications.portal_link("applicant.organisation")
    for owner in taken.owners:
        if not owner.active:
            continue
        link = (organisation_page if taken.matched == "kvk_number"
                else notifications.portal_link("auth.reset_password", token=make_reset_token(owner)))
        notifications.account_exists(owner, link, clock.today(), matched=taken.matched,
                                     given_email=email.strip().lower(), organisation=taken.organisation)
    record("registration_existing_account", entity=taken.organisation or (taken.owners or [None])[0],
           data={"matched": taken.matched})


def send_reset_mail(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way (no account probing)."""
    user = find_user_by_email(email)
    if user is None or not user.active:
        return
    link = notifications.portal_link("auth.reset_password", token=make_reset_token(user))
    notifications.password_reset(user, link)


def invited_user(email: str, name: str, role: str, duplicate_message: str,
                  organisation_id: int | None = None) -> tuple[User, str]:
    """A new account without a password (unusable hash) and its one-time invitation link
    (reset token of kind ``invite``: valid 7 days, dead once a password is set)."""
    if find_user_by_email(email) is not None:
        raise AccountError("email", duplicate_message)
    user = User(email=email.strip().lower(), name=name.strip(), password_hash=unusable_password_hash(),
                role=role, organisation_id=organisation_id)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # created at the same moment by someone else; caller rolls back
        raise AccountError("email", duplicate_message) from None
    return user, notifications.portal_link("auth.reset_password", token=make_reset_token(user, "invite"))


def invite_colleague(inviter: User, email: str, name: str) -> User:
    """Add a colleague to the inviter's organisation; they choose a password via the mail."""
    if inviter.organisation_id is None:
        raise AccountError("email", "U hoort niet bij een organisatie.")
    user, link = invited_user(email, name, Role.WERKGEVER.value, "Er is al een account met dit e-mailadres.",
                               organisation_id=inviter.organisation_id)
    notifications.colleague_invited(user, inviter, link)
    return user


STAFF_ACCOUNT_ROLES = ("officer", "supervisor", "finance", "auditor", "beleid", "admin")


def create_staff_user(actor: User, email: str, name: str, role: Role | str) -> User:
    """An admin adds a staff member: no password yet, an invitation mail to choose one.

    The account gets an unusable password hash; the mail holds a one-time link (the reset
    token of kind ``invite``: valid 7 days, dead once a password is set). Audited as
    ``user_created`` (without password or token). The caller commits.
    """
    role = role.value if isinstance(role, Role) else str(role)
    if role not in STAFF_ACCOUNT_ROLES:
        raise AccountError("role", "Kies een rol.")
    user, link = invited_user(email, name, role, "Er is al een account met dit e-mailadres. "
                                                  "Zoek het account op in de lijst met gebruikers.")
    notifications.staff_invited(user, actor, link)
    record("user_created", actor=actor, entity=user, data={"role": role, "invited": True})
    return user
