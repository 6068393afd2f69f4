"""Configuration read from the environment.

Every setting has a safe default for a laptop (SQLite in ``instance/``); production sets
``FUND_ENV=production`` and must then provide a real ``SECRET_KEY`` and ``DATABASE_URL``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from fund.identity.providers import providers_from_env

DEFAULT_SECRET = "dev-only-not-secret"  # refused when FUND_ENV=production
# A placeholder that passes the 11-proef, for laptops and tests; production must set the real
# RSIN of the bestuursorgaan in FUND_BESTUURSORGAAN_RSIN.
DEFAULT_RSIN = "001711118"


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and how to fix it (Dutch + English)."""


@dataclass(frozen=True)
class Bestuursorgaan:
    """The administrative body in whose name every beschikking is taken (regeling §1)."""

    name: str
    rsin: str
    address: str
    signing_title: str
    municipality_name: str


@dataclass(frozen=True)
class Debtor:
    """The fund's own bank account, the debtor of every SEPA credit-transfer file."""

    name: str
    iban: str
    bic: str
    configured: bool  # False: the example account below, refused for a bank file in production


# A valid example account (the ABN AMRO IBAN of the Dutch IBAN documentation) for development.
EXAMPLE_DEBTOR_IBAN, EXAMPLE_DEBTOR_BIC = "NL91ABNA0417164300", "ABNANL2A"


@dataclass(frozen=True)
class Contact:
    """How an inwoner or werkgever reaches the fund: footer, privacy page and every letter."""

    phone: str
    email: str
    postal_address: str
    opening_hours: str

    @property
    def phone_href(self) -> str:
        return "tel:" + "".join(ch for ch in self.phone if ch.isdigit() or ch == "+")


SUPPORTED_DATABASES = ("postgresql", "postgres", "sqlite")


def _normalise_database_url(url: str) -> str:
    scheme = url.split(":", 1)[0].split("+", 1)[0].lower() if ":" in url else ""
    if scheme not in SUPPORTED_DATABASES:
        raise ConfigError(
            f"DATABASE_URL gebruikt '{scheme or url[:20]}': die database ondersteunt het fonds niet. "
            "Gebruik postgresql://… (productie) of sqlite:///… (op een laptop)."
        )
    # Heroku-style "postgres://" and bare "postgresql://" both map onto psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Build the Flask config mapping from environment variables and explicit overrides."""
    env = os.environ
    overrides = dict(overrides or {})
    fund_env = overrides.get("FUND_ENV", env.get("FUND_ENV", "development"))
    database_url = overrides.pop("DATABASE_URL", None) or env.get("DATABASE_URL")
    if not database_url:
        database_url = "sqlite:///" + str(Path(instance_path) / "fund.sqlite3")
    cfg: dict = {
        "FUND_ENV": fund_env,
        "SECRET_KEY": env.get("SECRET_KEY", DEFAULT_SECRET),
        "SQLALCHEMY_DATABASE_URI": _normalise_database_url(database_url),
        # hide_parameters: a database error's text never carries the bound values (BSN, IBAN,
        # password hash) into a log or traceback (issue 12).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SQLALCHEMY_RECORD_QUERIES": False,
        "MAX_CONTENT_LENGTH": int(env.get("FUND_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        # Upload quota (fund/documents.py): files and bytes per aanvraag, bytes per account per 24 h
        "FUND_UPLOAD_MAX_FILES_PER_APPLICATION": int(env.get("FUND_UPLOAD_MAX_FILES_PER_APPLICATION", "20")),
        "FUND_UPLOAD_MAX_BYTES_PER_APPLICATION": int(env.get("FUND_UPLOAD_MAX_BYTES_PER_APPLICATION",
                                                             str(50 * 1024 * 1024))),
        "FUND_UPLOAD_MAX_BYTES_PER_ACCOUNT_DAY": int(env.get("FUND_UPLOAD_MAX_BYTES_PER_ACCOUNT_DAY",
                                                             str(100 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": fund_env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": fund_env == "production",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Server-side sessions (fund/identity/sessions.py): idle limits per kind of user, absolute limit
        "FUND_SESSION_IDLE_STAFF_MINUTES": int(env.get("FUND_SESSION_IDLE_STAFF_MINUTES", "30")),
        "FUND_SESSION_IDLE_APPLICANT_MINUTES": int(env.get("FUND_SESSION_IDLE_APPLICANT_MINUTES", "120")),
        "FUND_SESSION_ABSOLUTE_HOURS": int(env.get("FUND_SESSION_ABSOLUTE_HOURS", "12")),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        # Background jobs: RQ on Redis when FUND_REDIS_URL is set, in-process otherwise.
        "FUND_REDIS_URL": env.get("FUND_REDIS_URL") or env.get("REDIS_URL") or "",
        # Rate-limit counters shared by every worker: Redis when configured, else the database
        # (fund/web/ratelimit_store.py); never process memory in production.
        "RATELIMIT_STORAGE_URI": env.get("FUND_RATELIMIT_STORAGE_URI")
        or env.get("FUND_REDIS_URL") or env.get("REDIS_URL") or "fund+db://",
        # Per-account login delays (fund/identity/throttle.py): free failures, then doubling waits
        "FUND_LOGIN_FREE_FAILURES": int(env.get("FUND_LOGIN_FREE_FAILURES", "3")),
        "FUND_LOGIN_MAX_DELAY_SECONDS": int(env.get("FUND_LOGIN_MAX_DELAY_SECONDS", "60")),
        # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed (0: none)
        "FUND_TRUSTED_PROXIES": int(env.get("FUND_TRUSTED_PROXIES", "0") or 0),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Signed checkpoints of the audit chain, outside the database (fund/audit/checkpoint.py)
        "FUND_AUDIT_SIGNING_KEY_FILE": env.get("FUND_AUDIT_SIGNING_KEY_FILE", ""),
        "FUND_AUDIT_CHECKPOINT_DIR": env.get("FUND_AUDIT_CHECKPOINT_DIR", ""),
        "FUND_DOCUMENT_DIR": env.get("FUND_DOCUMENT_DIR", str(Path(instance_path) / "documents")),
        "FUND_PSEUDONYM_KEY": env.get("FUND_PSEUDONYM_KEY", ""),
        "FUND_BASE_URL": env.get("FUND_BASE_URL", "http://127.0.0.1:5000"),
        # The dashboard shows figures computed at most this long ago (fund.reports.dashboard.current)
        "FUND_DASHBOARD_MAX_AGE_SECONDS": int(env.get("FUND_DASHBOARD_MAX_AGE_SECONDS", "300")),
        # Render each beschikking's PDF letter when it is made ("0"/"false" switches it off).
        "FUND_LETTERS": env.get("FUND_LETTERS", "1").strip().lower() not in ("0", "false", "nee", "no", "off"),
        # E-mail: smtp://user:password@host:587?starttls=1 or smtps://host:465; empty: .eml files
        # under <instance>/mail (development; listed at /dev/mail)
        "FUND_SMTP_URL": env.get("FUND_SMTP_URL", ""),
        # Staff log in with password + TOTP: always in production, by choice elsewhere ("1").
        "FUND_STAFF_TOTP": fund_env == "production"
        or env.get("FUND_STAFF_TOTP", "0").strip().lower() in ("1", "true", "ja", "yes", "on"),
        # DigiD/eHerkenning through an OpenID Connect broker: {"digid": Provider, ...}
        "FUND_OIDC_PROVIDERS": providers_from_env(env),
        "FUND_MAIL_FROM": env.get("FUND_MAIL_FROM", "Drents ontwikkelfonds <noreply@drentsontwikkelfonds.nl>"),
        # how long a dispatcher holds a mail it is sending; after a crash it is sent again after this
        "FUND_OUTBOX_LEASE_SECONDS": int(env.get("FUND_OUTBOX_LEASE_SECONDS", "120")),
        "FUND_BESTUURSORGAAN": Bestuursorgaan(
            name=env.get(
                "FUND_BESTUURSORGAAN_NAME",
                "Het college van burgemeester en wethouders van Emmen",
            ),
            rsin=env.get("FUND_BESTUURSORGAAN_RSIN", DEFAULT_RSIN).strip(),
            address=env.get("FUND_BESTUURSORGAAN_ADDRESS", "Postbus 30001, 7800 RA Emmen"),
            signing_title=env.get(
                "FUND_BESTUURSORGAAN_SIGNER", "de teammanager Drents ontwikkelfonds"
            ),
            municipality_name=env.get("FUND_BESTUURSORGAAN_PLACE", "Emmen"),
        ),
        "FUND_DEBTOR": Debtor(
            name=env.get("FUND_DEBTOR_NAME", "Drents ontwikkelfonds"),
            iban=env.get("FUND_DEBTOR_IBAN", EXAMPLE_DEBTOR_IBAN).replace(" ", "").upper(),
            bic=env.get("FUND_DEBTOR_BIC", EXAMPLE_DEBTOR_BIC).strip().upper(),
            configured=bool(env.get("FUND_DEBTOR_IBAN", "").strip()),
        ),
        "FUND_CONTACT": Contact(
            phone=env.get("FUND_CONTACT_PHONE", "0591 68 54 00"),
            email=env.get("FUND_CONTACT_EMAIL", "info@drentsontwikkelfonds.nl"),
            postal_address=env.get("FUND_CONTACT_ADDRESS", "Postbus 30001, 7800 RA Emmen"),
            opening_hours=env.get("FUND_CONTACT_HOURS", "maandag tot en met vrijdag van 9.00 tot 17.00 uur"),
        ),
    }
    cfg.update(overrides)
    cfg["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=cfg["FUND_SESSION_ABSOLUTE_HOURS"])
    _check_rsin(cfg["FUND_BESTUURSORGAAN"].rsin)
    _check_debtor(cfg["FUND_DEBTOR"])
    if cfg["FUND_SMTP_URL"]:
        from fund.delivery.mail import MailConfigError, parse_smtp_url

        try:
            parse_smtp_url(cfg["FUND_SMTP_URL"])
        except MailConfigError as exc:
            raise ConfigError(str(exc)) from None
    if cfg["FUND_ENV"] == "production":
        if cfg["RATELIMIT_STORAGE_URI"].startswith("memory"):
            raise ConfigError(
                "FUND_RATELIMIT_STORAGE_URI=memory:// telt per proces en is niet toegestaan in productie. "
                "Laat de instelling leeg (database) of gebruik redis://…"
            )
        cfg["FUND_STAFF_TOTP"] = True  # staff never log in with a password alone in production
        if cfg["SECRET_KEY"] in ("", DEFAULT_SECRET) or len(cfg["SECRET_KEY"]) < 32:
            raise ConfigError(
                "SECRET_KEY ontbreekt of is te kort (minimaal 32 tekens) in productie. "
                "Set a random SECRET_KEY of at least 32 characters before starting with "
                "FUND_ENV=production."
            )
        if not cfg["FUND_PSEUDONYM_KEY"]:
            raise ConfigError(
                "FUND_PSEUDONYM_KEY ontbreekt in productie. Set a random key for the "
                "pseudonymous applicant keys in auditor exports."
            )
        if env.get("FUND_TODAY"):
            raise ConfigError(
                "FUND_TODAY zet de datum vast en is alleen voor tests en demo's, niet voor productie."
            )
        if not env.get("FUND_BESTUURSORGAAN_RSIN", "").strip() and "FUND_BESTUURSORGAAN" not in overrides:
            raise ConfigError(
                "FUND_BESTUURSORGAAN_RSIN ontbreekt in productie. Zet het RSIN van het bestuursorgaan; "
                "het staat in elke beschikking en in de ZGW-export."
            )
    if not cfg["FUND_PSEUDONYM_KEY"]:
        cfg["FUND_PSEUDONYM_KEY"] = "pseudonym:" + cfg["SECRET_KEY"]
    return cfg


def _check_debtor(account: Debtor) -> None:
    from stdnum import bic, iban

    if not iban.is_valid(account.iban):
        raise ConfigError(f"FUND_DEBTOR_IBAN '{account.iban}' is geen geldig IBAN (de controle klopt niet).")
    if not bic.is_valid(account.bic):
        raise ConfigError(f"FUND_DEBTOR_BIC '{account.bic}' is geen geldige BIC (8 of 11 tekens, zoals ABNANL2A).")


def _check_rsin(rsin: str) -> None:
    """An RSIN has 9 digits and passes the 11-proef, the same check as a BSN (python-stdnum has no
    separate RSIN module; ``stdnum.nl.bsn`` is that 11-proef)."""
    from stdnum.nl import bsn

    if not (len(rsin) == 9 and rsin.isdigit() and bsn.is_valid(rsin)):
        raise ConfigError(
            f"FUND_BESTUURSORGAAN_RSIN '{rsin}' is geen geldig RSIN: het moet 9 cijfers hebben en "
            "door de 11-proef komen. Zet het RSIN van het bestuursorgaan."
        )
