"""Decisions shaped as the VNG Besluiten API ``Besluit`` (schema: schemas/besluit.json).

Source of the schema: VNG-Realisatie/besluiten-api, ``src/openapi.yaml``,
``components.schemas.Besluit`` (Besluiten API 1.0.x): required verantwoordelijkeOrganisatie,
besluittype, datum, ingangsdatum; identificatie ≤ 50; RSIN 9 characters; bestuursorgaan ≤ 50;
dates ``YYYY-MM-DD``. URLs point into ``FUND_BASE_URL``: this application is the registration
of record, not a ZGW server, so the URLs identify rather than resolve.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from flask import current_app

from fund.exports.decisions import DecisionFilter, iter_raw
from fund.letters.context import REMEDY_KINDS
from fund.letters.dutch import KIND_LABELS

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "besluit.json"
TOELICHTING_MAX = 1000
BESTUURSORGAAN_MAX = 50


@lru_cache(maxsize=1)
def besluit_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def short_bestuursorgaan(name: str) -> str:
    """The API allows 50 characters; 'burgemeester en wethouders' is commonly written 'B&W'."""
    short = name.replace("burgemeester en wethouders", "B&W")
    return short if len(short) <= BESTUURSORGAAN_MAX else short[: BESTUURSORGAAN_MAX - 1] + "…"


def _toelichting(kind: str, motivation: str | None) -> str:
    text = KIND_LABELS.get(kind, kind)
    if motivation:
        text = f"{text}. {motivation}"
    return text if len(text) <= TOELICHTING_MAX else text[: TOELICHTING_MAX - 1] + "…"


def to_besluit(raw, *, base_url: str, rsin: str, bestuursorgaan: str) -> dict[str, Any]:
    reactie = raw.bezwaar_deadline
    if reactie is None and raw.kind in REMEDY_KINDS:
        from fund.workflow.decisions import remedy_deadline

        sent = raw.sent_on or raw.decided_on
        reactie = remedy_deadline(sent, ruleset_id=raw.ruleset_id, instrument=raw.instrument, on=sent)
    return {
        "url": f"{base_url}/zgw/besluiten/{raw.number}",
        "identificatie": raw.number,
        "verantwoordelijkeOrganisatie": rsin,
        "besluittype": f"{base_url}/zgw/besluittypen/{raw.instrument}-{raw.kind}",
        "zaak": f"{base_url}/zgw/zaken/{raw.application_number}",
        "datum": raw.decided_on.isoformat(),
        "toelichting": _toelichting(raw.kind, raw.motivation),
        "bestuursorgaan": bestuursorgaan,
        "ingangsdatum": (raw.effective_on or raw.decided_on).isoformat(),
        # Revoked after a successful objection (bezwaar gegrond) by the belanghebbende.
        "vervaldatum": raw.revoked_on.isoformat() if raw.revoked_on else None,
        "vervalreden": "ingetrokken_belanghebbende" if raw.revoked_on else "",
        "publicatiedatum": None,  # beschikkingen are sent, not published
        "verzenddatum": raw.sent_on.isoformat() if raw.sent_on else None,
        "uiterlijkeReactiedatum": reactie.isoformat() if reactie else None,
    }


def iter_besluiten(flt: DecisionFilter) -> Iterator[dict[str, Any]]:
    cfg = current_app.config
    base = cfg["FUND_BASE_URL"].rstrip("/")
    org = cfg["FUND_BESTUURSORGAAN"]
    short = short_bestuursorgaan(org.name)
    for raw in iter_raw(flt):
        yield to_besluit(raw, base_url=base, rsin=org.rsin, bestuursorgaan=short)
