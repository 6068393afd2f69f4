"""The two OpenID Connect brokers (DigiD for inwoners, eHerkenning for werkgevers), configured by
environment, and their levels of assurance.

A provider is on when its issuer, client id and client secret are all set; otherwise its button
does not show and password login remains (development, demo).
"""
from __future__ import annotations

from dataclasses import dataclass

# Levels of assurance, lowest first, with the values brokers send for them (short names, the
# SAML AuthnContextClassRefs DigiD uses, the eToegang assurance classes of eHerkenning).
LEVELS: dict[str, list[tuple[str, set[str]]]] = {
    "digid": [
        ("basis", {"basis", "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"}),
        ("midden", {"midden", "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"}),
        ("substantieel", {"substantieel", "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"}),
        ("hoog", {"hoog", "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI"}),
    ],
    "eherkenning": [
        ("eh1", {"eh1", "1", "urn:etoegang:core:assurance-class:loa1"}),
        ("eh2", {"eh2", "2", "urn:etoegang:core:assurance-class:loa2"}),
        ("eh2+", {"eh2+", "2+", "urn:etoegang:core:assurance-class:loa2plus"}),
        ("eh3", {"eh3", "3", "urn:etoegang:core:assurance-class:loa3"}),
        ("eh4", {"eh4", "4", "urn:etoegang:core:assurance-class:loa4"}),
    ],
}
DEFAULT_MIN_LEVEL = {"digid": "substantieel", "eherkenning": "eh3"}
LABELS = {"digid": "DigiD", "eherkenning": "eHerkenning"}
LEVEL_LABELS = {"basis": "Basis", "midden": "Midden", "substantieel": "Substantieel", "hoog": "Hoog",
                "eh1": "EH1", "eh2": "EH2", "eh2+": "EH2+", "eh3": "EH3", "eh4": "EH4"}


@dataclass(frozen=True)
class Provider:
    name: str  # "digid" | "eherkenning"
    issuer: str
    client_id: str
    client_secret: str
    min_level: str
    bsn_claim: str = "bsn"
    kvk_claim: str = "kvk"
    vestiging_claim: str = "vestigingsnummer"
    loa_claim: str = "loa"
    scope: str = "openid"

    @property
    def label(self) -> str:
        return LABELS[self.name]

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def level_rank(provider: str, value) -> int | None:
    """The rank of a level value as sent by the broker (None: unknown, refused)."""
    text = str(value or "").strip().lower()
    for rank, (_name, values) in enumerate(LEVELS[provider]):
        if text in {v.lower() for v in values}:
            return rank
    return None


def min_rank(provider: str, level: str) -> int:
    rank = level_rank(provider, level)
    if rank is None:
        from fund.config import ConfigError

        names = ", ".join(n for n, _ in LEVELS[provider])
        raise ConfigError(f"FUND_OIDC_{provider.upper()}_MIN_LOA='{level}' kennen wij niet. "
                          f"Kies uit: {names}.")
    return rank


def providers_from_env(env) -> dict[str, Provider]:
    """FUND_OIDC_DIGID_ISSUER/_CLIENT_ID/_CLIENT_SECRET (and the same for EHERKENNING), optional
    _MIN_LOA, _SCOPE and the claim names FUND_OIDC_CLAIM_BSN/_KVK/_VESTIGINGSNUMMER/_LOA."""
    out = {}
    for name in ("digid", "eherkenning"):
        prefix = f"FUND_OIDC_{name.upper()}_"
        issuer, client_id, secret = (env.get(prefix + k, "").strip()
                                     for k in ("ISSUER", "CLIENT_ID", "CLIENT_SECRET"))
        if not (issuer and client_id and secret):
            continue
        level = env.get(prefix + "MIN_LOA", DEFAULT_MIN_LEVEL[name]).strip().lower()
        min_rank(name, level)
        out[name] = Provider(
            name=name, issuer=issuer, client_id=client_id, client_secret=secret, min_level=level,
            bsn_claim=env.get("FUND_OIDC_CLAIM_BSN", "bsn"),
            kvk_claim=env.get("FUND_OIDC_CLAIM_KVK", "kvk"),
            vestiging_claim=env.get("FUND_OIDC_CLAIM_VESTIGINGSNUMMER", "vestigingsnummer"),
            loa_claim=env.get("FUND_OIDC_CLAIM_LOA", "loa"),
            scope=env.get(prefix + "SCOPE", "openid").strip() or "openid",
        )
    return out
