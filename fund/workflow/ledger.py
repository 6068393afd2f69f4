"""The budget ledger: one Budget row per instrument per tijdvak (ceiling from rules/ YAML).

``committed`` = the sum of every application's current commitment (its final amount once
vastgesteld, else its granted amount); ``paid`` = cash out minus reclaims. Every change goes
through a row locked with SELECT ... FOR UPDATE (PostgreSQL), taken after the application's own
lock, so concurrent grants cannot overshoot the ceiling.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from fund.extensions import db
from fund.models import Application, Budget
from fund.models.application import WAITING_STATUSES
from fund.models.types import ZERO
from fund.rules import load_rulebook


def ceiling(instrument: str, tijdvak: int) -> Decimal:
    book = load_rulebook()
    period = next(t for t in book.tijdvakken if t.id == str(tijdvak))
    return Decimal(book.parameter(instrument, period.start, "subsidieplafond"))


def _create(instrument: str, tijdvak: int) -> None:
    """Insert the row if it is missing; a concurrent insert by another session is fine."""
    try:
        with db.session.begin_nested():
            db.session.add(Budget(instrument=instrument, tijdvak=tijdvak,
                                  ceiling=ceiling(instrument, tijdvak),
                                  committed=ZERO, paid=ZERO))
    except IntegrityError:
        pass


def ensure_budget(instrument: str, tijdvak: int) -> None:
    exists = db.session.scalar(select(Budget.id).where(Budget.instrument == instrument, Budget.tijdvak == tijdvak))
    if exists is None:
        _create(instrument, tijdvak)


def ensure_budgets() -> int:
    """Create the Budget rows the rule files define (every instrument, every tijdvak)."""
    book = load_rulebook()
    existing = {(b.instrument, b.tijdvak) for b in db.session.scalars(select(Budget))}
    created = 0
    for period in book.tijdvakken:
        for instrument in book.instruments:
            key = (instrument, int(period.id))
            if key not in existing:
                _create(*key)
                created += 1
    return created


def locked_budget(instrument: str, tijdvak: int) -> Budget:
    """The Budget row, locked until the end of the transaction (created if missing)."""
    query = (select(Budget).where(Budget.instrument == instrument, Budget.tijdvak == tijdvak)
             .with_for_update().execution_options(populate_existing=True))
    budget = db.session.scalar(query)
    if budget is None:
        _create(instrument, tijdvak)
        budget = db.session.scalar(query)
    return budget


def commitment(app) -> Decimal:
    """What this application holds of the budget now."""
    if app.final_amount is not None:
        return app.final_amount
    return app.granted_amount or ZERO


def fits(budget: Budget, amount: Decimal) -> bool:
    return budget.committed + amount <= budget.ceiling


# Complete applications still waiting for a decision on the grant (herstel is not complete);
# declared beside the partial index over them (fund/models/application.py).
WAITING = WAITING_STATUSES


def reserved_ahead(app) -> Decimal:
    """What complete, eligible applications received before ``app`` still wait for.

    Regeling §1: the ceiling is allocated in order of receipt of complete applications (the
    moment they became complete; ties: lower application number first), and checked when an
    application is approved. So a grant may only use what is left after every earlier complete
    application that the rules find eligible and that is not decided yet; deciding a later
    application first must not take their money. Read under the Budget row lock.
    """
    earlier = or_(Application.complete_at < app.complete_at,
                  and_(Application.complete_at == app.complete_at, Application.id < app.id))
    return waiting_for(app.instrument, app.tijdvak, Application.id != app.id, earlier)


def waiting_for(instrument: str, tijdvak: int, *where) -> Decimal:
    """The computed amounts of complete, eligible applications of one instrument and tijdvak
    that still wait for a decision (narrowed by ``where``): money the ceiling must keep free."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Application.computed_amount), 0)).where(
            Application.instrument == instrument, Application.tijdvak == tijdvak,
            Application.status.in_(WAITING), Application.eligibility_outcome == "eligible", *where))
    return Decimal(total)


def fits_in_order(budget: Budget, amount: Decimal, app) -> bool:
    """A grant fits when the ceiling holds it after what is committed and reserved ahead."""
    return budget.committed + reserved_ahead(app) + amount <= budget.ceiling


def commit(budget: Budget, amount: Decimal) -> None:
    budget.committed = budget.committed + amount


def release(budget: Budget, amount: Decimal) -> None:
    budget.committed = budget.committed - amount


def book_payment(budget: Budget, amount: Decimal, *, reclaim: bool) -> None:
    budget.paid = budget.paid - amount if reclaim else budget.paid + amount
