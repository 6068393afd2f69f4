"""Read-only questions officers and reports ask: deadlines and the budget."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Budget
from fund.models.types import ZERO
from fund.rules import load_rulebook
from fund.workflow import clock, ledger

# Statuses in which a decision is still to be taken (the beslistermijn runs).
AWAITING_DECISION = ("ingediend", "in_behandeling", "besluit_voorgesteld")


def due_within(days: int) -> list[Application]:
    """Applications whose beslistermijn ends within ``days`` days from today (not yet late)."""
    today = clock.today()
    return list(db.session.scalars(
        select(Application)
        .where(Application.status.in_(AWAITING_DECISION),
               Application.decision_deadline >= today,
               Application.decision_deadline <= today + timedelta(days=days))
        .order_by(Application.decision_deadline, Application.number)
    ))


def overdue() -> list[Application]:
    """Applications past their beslistermijn, and herstel cases past their hersteltermijn."""
    today = clock.today()
    late = select(Application).where(
        ((Application.status.in_(AWAITING_DECISION)) & (Application.decision_deadline < today))
        | ((Application.status == "herstel") & (Application.herstel_deadline < today))
    ).order_by(Application.decision_deadline, Application.number)
    return list(db.session.scalars(late))


def herstel_expired() -> list[int]:
    today = clock.today()
    return list(db.session.scalars(
        select(Application.id).where(Application.status == "herstel", Application.herstel_deadline < today)
        .order_by(Application.id)
    ))


def budget_overview() -> list[dict]:
    """Per instrument and tijdvak: ceiling, committed, paid, remaining (Decimals).

    Read-only: a tijdvak whose Budget row does not exist yet (no grant so far) is shown with its
    ceiling from the rules and nothing used.
    """
    rows = {(b.instrument, b.tijdvak): b for b in db.session.scalars(select(Budget))}
    book = load_rulebook()
    overview = []
    for period in book.tijdvakken:
        for instrument in book.instruments:
            b = rows.get((instrument, int(period.id)))
            ceiling = b.ceiling if b else ledger.ceiling(instrument, int(period.id))
            committed, paid = (b.committed, b.paid) if b else (ZERO, ZERO)
            overview.append({"instrument": instrument, "tijdvak": int(period.id), "ceiling": ceiling,
                             "committed": committed, "paid": paid, "remaining": ceiling - committed})
    return sorted(overview, key=lambda r: (r["tijdvak"], r["instrument"]))
