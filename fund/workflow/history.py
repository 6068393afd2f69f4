"""History facts computed from the fund's own records (never from what the applicant typed).

Which history facts an instrument has, and what each counts, is declared under ``history:`` in
``rules/<instrument>/form.yaml`` (:class:`fund.rules.instrument_form.HistoryFact`); this module only knows
the two kinds of count (applications, amounts) and the two windows (months, calendar year).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Decision
from fund.models.types import DecisionKind
from fund.rules import Ruleset, load_rulebook
from fund.rules.instrument_form import HistoryFact


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


def _fact(facts: dict | None, dotted: str):
    section, key = dotted.split(".", 1)
    return ((facts or {}).get(section) or {}).get(key)


def compute(app, ruleset: Ruleset, spec: HistoryFact):
    """One history fact of ``app`` as ``spec`` declares it."""
    on = app.application_date
    if spec.window == "months":
        since, until = on - relativedelta(months=ruleset.parameter(spec.months)), on
    else:
        since, until = date(on.year, 1, 1), date(on.year, 12, 31)
    query = _granted_apps(spec.instrument or app.instrument, since, until).where(Application.id != app.id)
    if spec.same == "applicant":
        query = query.where(Application.applicant_id == app.applicant_id)
    others = [o for o in db.session.scalars(query)
              if spec.same == "applicant" or _fact(o.facts, spec.same) == _fact(app.facts, spec.same)]
    if spec.counts == "applications":
        return len(others)
    return sum((o.final_amount if o.final_amount is not None else o.granted_amount for o in others),
               Decimal("0.00"))


def history_facts(app, ruleset: Ruleset) -> dict:
    """The ``history`` section of the facts document for this application's instrument."""
    return {name: compute(app, ruleset, spec)
            for name, spec in load_rulebook().form(app.instrument).history}
