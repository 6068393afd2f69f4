"""Decision rows for auditors: one row per beschikking, streamed from the database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from fund.exports.period import ExportError, Period
from fund.exports.pseudonym import applicant_key, applicant_keys
from fund.extensions import db
from fund.models import Application, Decision, Payment, User

BATCH = 2000

# (key, Dutch column heading). Keys are the JSON field names.
COLUMNS: list[tuple[str, str]] = [
    ("decision_number", "Besluitnummer"),
    ("application_number", "Aanvraagnummer"),
    ("instrument", "Instrument"),
    ("kind", "Soort besluit"),
    ("decided_on", "Besluitdatum"),
    ("sent_on", "Verzenddatum"),
    ("decision_amount", "Bedrag in besluit"),
    ("granted_amount", "Verleend"),
    ("paid_amount", "Betaald"),
    ("final_amount", "Vastgesteld"),
    ("ruleset_id", "Regelset"),
    ("reasons", "Redenen"),
    ("referrals", "Doorverwijzingen"),
    ("deviates", "Afwijking (hardheidsclausule)"),
    ("motivation", "Motivering"),
    ("officer", "Behandelaar"),
    ("second_officer", "Tweede behandelaar (vier ogen)"),
    ("municipality", "Gemeente"),
    ("applicant_key", "Aanvrager (pseudoniem)"),
]
MONEY_KEYS = {"decision_amount", "granted_amount", "paid_amount", "final_amount"}
DATE_KEYS = {"decided_on", "sent_on"}


@dataclass(frozen=True)
class DecisionFilter:
    period: Period = Period()
    instrument: str | None = None

    def __post_init__(self):
        from fund.rules import load_rulebook

        instruments = load_rulebook().instruments
        if self.instrument and self.instrument not in instruments:
            keuzes = ", ".join(instruments)
            raise ExportError(f"onbekend instrument '{self.instrument}'; kies uit: {keuzes}")


def _paid_per_application():
    """Cash out minus reclaims received, per application (only booked payments count)."""
    signed = case((Payment.kind == "terugvordering", -Payment.amount), else_=Payment.amount)
    return (
        select(Payment.application_id.label("application_id"), func.sum(signed).label("paid"))
        .where(Payment.status == "betaald")
        .group_by(Payment.application_id)
        .subquery("paid")
    )


def decision_query(flt: DecisionFilter):
    officer = aliased(User, name="officer")
    second = aliased(User, name="second_officer")
    paid = _paid_per_application()
    revoker = aliased(Decision, name="revoker")  # a bezwaar_gegrond that replaced this decision
    stmt = (
        select(
            Decision.id, Decision.number, Decision.kind, Decision.decided_on, Decision.sent_on,
            Decision.effective_on, Decision.amount, Decision.ruleset_id, Decision.reasons,
            Decision.referrals, Decision.deviates, Decision.motivation, Decision.bezwaar_deadline,
            Application.number.label("application_number"), Application.instrument,
            Application.granted_amount, Application.final_amount, Application.municipality,
            Application.applicant_id,
            officer.name.label("officer_name"), second.name.label("second_officer_name"),
            paid.c.paid, revoker.decided_on.label("revoked_on"),
        )
        .join(Application, Application.id == Decision.application_id)
        .join(officer, officer.id == Decision.officer_id)
        .outerjoin(second, second.id == Decision.second_officer_id)
        .outerjoin(paid, paid.c.application_id == Decision.application_id)
        .outerjoin(revoker, (revoker.supersedes_id == Decision.id) & (revoker.kind == "bezwaar_gegrond"))
        .order_by(Decision.decided_on, Decision.id)
    )
    if flt.period.start:
        stmt = stmt.where(Decision.decided_on >= flt.period.start)
    if flt.period.end:
        stmt = stmt.where(Decision.decided_on <= flt.period.end)
    if flt.instrument:
        stmt = stmt.where(Application.instrument == flt.instrument)
    return stmt


def iter_raw(flt: DecisionFilter) -> Iterator[Any]:
    """Database rows in batches: a server-side cursor on PostgreSQL (``yield_per``)."""
    result = db.session.execute(decision_query(flt), execution_options={"yield_per": BATCH})
    try:
        yield from result
    finally:
        result.close()


def _money(value) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


def to_row(raw, secret: str | None) -> dict[str, Any]:
    """One decision as export values; without ``secret`` the caller fills applicant_key."""
    return {
        "decision_number": raw.number,
        "application_number": raw.application_number,
        "instrument": raw.instrument,
        "kind": raw.kind,
        "decided_on": raw.decided_on,
        "sent_on": raw.sent_on,
        "decision_amount": _money(raw.amount),
        "granted_amount": _money(raw.granted_amount),
        "paid_amount": _money(raw.paid) if raw.paid is not None else Decimal("0.00"),
        "final_amount": _money(raw.final_amount),
        "ruleset_id": raw.ruleset_id,
        "reasons": list(raw.reasons or []),
        "referrals": list(raw.referrals or []),
        "deviates": bool(raw.deviates),
        "motivation": raw.motivation or "",
        "officer": raw.officer_name,
        "second_officer": raw.second_officer_name,
        "municipality": raw.municipality,
        "applicant_key": applicant_key(raw.applicant_id, secret) if secret is not None else "",
    }


def iter_rows(flt: DecisionFilter) -> Iterator[dict[str, Any]]:
    key = applicant_keys(current_app.config["FUND_PSEUDONYM_KEY"])  # one HMAC per applicant, bounded
    for raw in iter_raw(flt):
        row = to_row(raw, None)
        row["applicant_key"] = key(raw.applicant_id)
        yield row


def text_value(key: str, value: Any) -> str:
    """One value as text for CSV: ISO dates, money with two decimals, lists joined by ';'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _csv_cell(key: str):
    """The text_value of one column as a function of the value alone, picked once per column
    (the CSV writer calls it 19 times per row; see docs/performance.md, exports)."""
    from fund.exports.writers import neutralise_formula

    if key in MONEY_KEYS:
        return lambda v: "" if v is None else f"{v:.2f}"
    if key in DATE_KEYS:
        return lambda v: "" if v is None else v.isoformat()
    if key == "deviates":
        return lambda v: "ja" if v else "nee"
    if key in ("reasons", "referrals"):
        return lambda v: neutralise_formula(";".join(str(x) for x in v)) if v else ""
    return lambda v: "" if v is None else neutralise_formula(str(v))


CSV_CELLS = [(key, _csv_cell(key)) for key, _ in COLUMNS]
