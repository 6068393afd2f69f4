"""DigiD and eHerkenning through an OpenID Connect broker, on Authlib's Flask client.

Authlib does the protocol: authorization-code flow with PKCE (S256), ``state`` and ``nonce`` kept
in the session and checked, the ID token's signature checked against the JWKS named in the
provider's discovery document, and its ``iss``, ``aud``, ``exp`` and ``nonce`` claims. This module
checks the level of assurance and turns the claims into a ``User``.
"""
from __future__ import annotations

import re
import secrets

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError
from sqlalchemy import select
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from fund.accounts import hash_password
from fund.extensions import db
from fund.identity.providers import LEVEL_LABELS, Provider, level_rank, min_rank
from fund.models import LoginIdentity, Organisation, User
from fund.models.types import Role

# What can go wrong talking to the broker or checking its answer: all end in a Dutch message.
PROTOCOL_ERRORS = (AuthlibBaseError, JoseError, ValueError, KeyError, TypeError)
NETWORK_ERRORS = (requests.RequestException,)
TIMEOUT = 10  # seconds for discovery, JWKS and the token request


class LoginRefused(Exception):
    """The broker's answer is valid but we cannot log this person in; ``str(exc)`` is Dutch and
    ``reason`` goes into the audit trail."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def init_oidc(app: Flask) -> None:
    """One Authlib registry per app (so tests can point apps at different brokers)."""
    first = "fund_oidc" not in app.extensions
    oauth = OAuth(app)
    app.extensions["fund_oidc"] = oauth
    if first:
        app.jinja_env.globals["oidc_link_options"] = link_options
        app.after_request(_allow_broker_logout)
    for provider in app.config.get("FUND_OIDC_PROVIDERS", {}).values():
        oauth.register(
            name=provider.name,
            client_id=provider.client_id, client_secret=provider.client_secret,
            server_metadata_url=provider.metadata_url,
            client_kwargs={"scope": provider.scope, "code_challenge_method": "S256",
                           "timeout": TIMEOUT},
        )


def link_options(user) -> list[Provider]:
    """The brokers this logged-in applicant can still link the account to (once)."""
    wanted = {"inwoner": "digid", "werkgever": "eherkenning"}.get(user.role)
    provider = configured().get(wanted) if wanted else None
    if provider is None:
        return []
    linked = user.bsn_from_digid if wanted == "digid" else any(
        i.provider == wanted for i in user.identities)
    return [] if linked else [provider]


def _allow_broker_logout(response):
    """The logout button is a form; its redirect to the broker's end-session endpoint (RP-initiated
    logout) must be allowed by the CSP's form-action, which browsers apply to redirects too."""
    from urllib.parse import urlsplit

    from fund.web.security import CSP

    providers = current_app.config.get("FUND_OIDC_PROVIDERS") or {}
    if providers and "Content-Security-Policy" not in response.headers:
        origins = sorted({"{0.scheme}://{0.netloc}".format(urlsplit(p.issuer)) for p in providers.values()})
        response.headers["Content-Security-Policy"] = CSP.replace(
            "form-action 'self'", "form-action 'self' " + " ".join(origins))
    return response


def configured() -> dict[str, Provider]:
    return current_app.config.get("FUND_OIDC_PROVIDERS", {})


def client(name: str):
    return current_app.extensions["fund_oidc"].create_client(name)


def fresh_client(name: str):
    """The client after reading the broker's discovery document again (one GET per login start):
    a broker that is down is noticed before the browser is sent there, and a new signing key
    is picked up (the JWKS is fetched again at the callback)."""
    rp = client(name)
    rp.server_metadata.pop("_loaded_at", None)
    rp.server_metadata.pop("jwks", None)
    rp.load_server_metadata()
    return rp


def check_level(provider: Provider, claims: dict) -> None:
    rank = level_rank(provider.name, claims.get(provider.loa_claim))
    if rank is None or rank < min_rank(provider.name, provider.min_level):
        raise LoginRefused(
            "level_too_low",
            f"U logde in met {provider.label} op een te laag niveau. Voor dit fonds is minimaal "
            f"{provider.label} {LEVEL_LABELS[provider.min_level]} nodig. Log opnieuw in met "
            f"{provider.label} en kies dat niveau"
            + (" (bijvoorbeeld met de DigiD app met ID-check)." if provider.name == "digid" else "."))


def _unusable_password() -> str:
    return hash_password(secrets.token_urlsafe(32))


def placeholder_email(provider: str) -> str:
    """Brokers send no e-mail address: the new account asks for one at once (``.invalid`` is a
    domain that can never receive mail, RFC 2606)."""
    return f"{provider}-{secrets.token_hex(8)}@nog-niet-ingevuld.invalid"


def needs_details(user: User) -> bool:
    return user.email.endswith("@nog-niet-ingevuld.invalid")


def digid_user(provider: Provider, claims: dict, *, link_to: User | None = None) -> tuple[User, bool]:
    """The inwoner of the BSN in the claims: found, linked to ``link_to`` or created.
    Returns (user, created)."""
    check_level(provider, claims)
    try:
        bsn = stdnum_bsn.validate(str(claims.get(provider.bsn_claim) or ""))
    except StdnumError:
        raise LoginRefused("no_bsn", "DigiD gaf geen geldig burgerservicenummer door. Probeer het "
                                     "opnieuw of neem contact met ons op.") from None
    owner = db.session.scalar(select(User).where(User.bsn == bsn, User.role == Role.INWONER.value,
                                                 User.bsn_from_digid.is_(True)))
    if link_to is not None:
        if link_to.bsn_from_digid or (owner is not None and owner.id != link_to.id):
            raise LoginRefused("already_linked", "Dit account of dit burgerservicenummer is al "
                                                 "gekoppeld aan DigiD. Log voortaan in met DigiD.")
        if link_to.bsn and link_to.bsn != bsn:
            raise LoginRefused("bsn_mismatch", "Het burgerservicenummer van uw DigiD is anders dan "
                                               "het nummer in uw account. Neem contact met ons op.")
        link_to.bsn, link_to.bsn_from_digid = bsn, True
        return link_to, False
    if owner is not None:
        return owner, False
    # an account that typed this BSN earlier is not proof of anything: a new, DigiD-bound account
    user = User(email=placeholder_email("digid"), name=str(claims.get("name") or "Inwoner")[:200],
                password_hash=_unusable_password(), role=Role.INWONER.value, bsn=bsn,
                bsn_from_digid=True, email_verified=False)
    db.session.add(user)
    db.session.flush()
    return user, True


def eherkenning_user(provider: Provider, claims: dict, *,
                     link_to: User | None = None) -> tuple[User, bool]:
    """The werkgever user of this eHerkenning identity, bound to the organisation of the KvK
    number in the claims (created on first login). Returns (user, created)."""
    check_level(provider, claims)
    # python-stdnum has no KvK module; a KvK number is 8 digits without a check digit
    kvk = re.sub(r"\s", "", str(claims.get(provider.kvk_claim) or ""))
    if not re.fullmatch(r"[0-9]{8}", kvk):
        raise LoginRefused("no_kvk", "eHerkenning gaf geen geldig KvK-nummer door. Probeer het "
                                     "opnieuw of neem contact met ons op.")
    subject = str(claims["sub"])
    identity = db.session.scalar(select(LoginIdentity).where(
        LoginIdentity.provider == "eherkenning", LoginIdentity.subject == subject))
    org = db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk))
    if identity is not None and link_to is None:
        user = identity.user
        if user.organisation is None or user.organisation.kvk_number != kvk:
            raise LoginRefused("other_organisation", "U logde in met eHerkenning voor een andere "
                                                     "organisatie dan die van uw account. Neem "
                                                     "contact met ons op.")
        return user, False
    if link_to is not None:
        if identity is not None or any(i.provider == "eherkenning" for i in link_to.identities):
            raise LoginRefused("already_linked", "Dit account is al gekoppeld aan eHerkenning. Log "
                                                 "voortaan in met eHerkenning.")
        if link_to.organisation is None or link_to.organisation.kvk_number != kvk:
            raise LoginRefused("other_organisation", "Uw eHerkenning is van een andere organisatie "
                                                     "dan die van dit account. Log in met de "
                                                     "eHerkenning van uw eigen organisatie. Of "
                                                     "neem contact met ons op.")
        link_to.identities.append(LoginIdentity(provider="eherkenning", subject=subject))
        return link_to, False
    created = False
    if org is None:
        org = Organisation(kvk_number=kvk, name=str(claims.get("organisation_name") or
                                                    claims.get("name") or f"KvK {kvk}")[:200],
                           municipality="")
        db.session.add(org)
        created = True
    user = User(email=placeholder_email("eherkenning"), name=str(claims.get("name") or "Medewerker")[:200],
                password_hash=_unusable_password(), role=Role.WERKGEVER.value, organisation=org,
                email_verified=False)
    user.identities.append(LoginIdentity(provider="eherkenning", subject=subject))
    db.session.add(user)
    db.session.flush()
    return user, created
