"""History facts computed from the fund's own records (never from what the applicant typed)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Application, Decision
from fund.models.types import DecisionKind
from fund.rules import Ruleset


def _granted_apps(instrument: str, since: date, until: date):
    """Applications of ``instrument`` whose grant still stands and was decided in [since, until]."""
    granted_on = (
        select(Decision.application_id)
        .where(Decision.kind == DecisionKind.VERLENING.value,
               Decision.decided_on >= since, Decision.decided_on <= until)
    )
    return (select(Application)
            .where(Application.instrument == instrument,
                   Application.granted_amount.is_not(None),
                   Application.id.in_(granted_on)))


def llo_granted_last_12_months(app, ruleset: Ruleset) -> int:
    on = app.application_date
    months = ruleset.parameter("eerder_traject_periode_maanden")
    query = _granted_apps("llo", on - relativedelta(months=months), on).where(
        Application.applicant_id == app.applicant_id, Application.id != app.id)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def vouchers_granted_this_year(app) -> Decimal:
    on = app.application_date
    kvk = (app.facts or {}).get("employer", {}).get("kvk_number")
    total = Decimal("0.00")
    for other in db.session.scalars(
        _granted_apps("voucher", date(on.year, 1, 1), date(on.year, 12, 31)).where(Application.id != app.id)
    ):
        if (other.facts or {}).get("employer", {}).get("kvk_number") == kvk:
            total += other.final_amount if other.final_amount is not None else other.granted_amount
    return total


def history_facts(app, ruleset: Ruleset) -> dict:
    """The ``history`` section of the facts document for this application's instrument."""
    if app.instrument == "llo":
        return {"llo_granted_last_12_months": llo_granted_last_12_months(app, ruleset)}
    if app.instrument == "voucher":
        return {"vouchers_granted_this_year": vouchers_granted_this_year(app)}
    return {}
