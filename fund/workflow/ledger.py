"""The budget ledger: one Budget row per instrument per tijdvak (ceiling from rules/ YAML).

``committed`` = the sum of every application's current commitment (its final amount once
vastgesteld, else its granted amount); ``paid`` = cash out minus reclaims.

An event changes ``committed`` last (issue 18): its effects only note the change on the step
(``commit``/``release``), and ``apply`` writes it as the last statement before the audit event,
one conditional ``UPDATE budgets SET committed = committed + x WHERE ... AND <it fits>
RETURNING``. So the Budget row is locked from that statement to the commit, not through the
history queries, the decision and letter rows. ``fits`` answers "yes" from a plain read (the
UPDATE confirms it: when another grant took the money meanwhile it changes no row, and
``service.send`` runs the event once more with the row locked at the first read, the old way);
it answers "no" only after locking the row and reading again, so a refusal is never based on a
stale read.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from fund.extensions import db
from fund.models import Application, Budget
from fund.models.application import WAITING_STATUSES
from fund.models.types import ZERO
from fund.rules import load_rulebook
from fund.workflow.errors import WorkflowError


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


def read_budget(instrument: str, tijdvak: int, *, lock: bool = False) -> Budget:
    """The Budget row as stored now (created if missing); ``lock``: SELECT ... FOR UPDATE, held
    until the end of the transaction."""
    query = (select(Budget).where(Budget.instrument == instrument, Budget.tijdvak == tijdvak)
             .execution_options(populate_existing=True))
    if lock:
        query = query.with_for_update()
    budget = db.session.scalar(query)
    if budget is None:
        _create(instrument, tijdvak)
        budget = db.session.scalar(query)
    return budget


def locked_budget(instrument: str, tijdvak: int) -> Budget:
    """The Budget row, locked until the end of the transaction (created if missing)."""
    return read_budget(instrument, tijdvak, lock=True)


def commitment(app) -> Decimal:
    """What this application holds of the budget now."""
    if app.final_amount is not None:
        return app.final_amount
    return app.granted_amount or ZERO


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
    that still wait for a decision on the grant (``WAITING_STATUSES``; herstel is not complete),
    narrowed by ``where``: money the ceiling must keep free."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Application.computed_amount), 0)).where(
            Application.instrument == instrument, Application.tijdvak == tijdvak,
            Application.status.in_(WAITING_STATUSES), Application.eligibility_outcome == "eligible", *where))
    return Decimal(total)


class BudgetMoved(WorkflowError):
    """The conditional UPDATE found no room: another event changed the budget after this one
    read it. ``service.send`` runs the event again with the Budget row locked from the start."""

    def __init__(self) -> None:
        super().__init__("Het systeem is even druk. Probeer het zo nog eens.", "bezet")


def fits(step, amount: Decimal, *, in_order: bool = False) -> bool:
    """Does committing ``amount`` more (after what the step already noted) keep the ceiling?

    ``in_order``: also after what complete, eligible applications received earlier still wait
    for (regeling §1, ``reserved_ahead``): a grant. A "yes" from the plain read is noted on the
    step and confirmed by ``apply``'s conditional UPDATE; a "no" is read again on the locked row.
    """
    def room() -> bool:
        budget = step.budget
        ahead = reserved_ahead(step.app) if in_order else ZERO
        if budget.committed + step.budget_delta + amount + ahead > budget.ceiling:
            return False
        step.budget_ahead = max(step.budget_ahead, ahead)
        return True

    if room():
        return True
    if step.budget_locked:  # the "no" was read on the locked row already
        return False
    step.lock_budget()
    return room()


def fits_in_order(step, amount: Decimal) -> bool:
    """A grant fits when the ceiling holds it after what is committed and reserved ahead."""
    return fits(step, amount, in_order=True)


def commit(step, amount: Decimal) -> None:
    """Note ``amount`` more committed; ``apply`` writes it (checked against the ceiling)."""
    step.budget_delta += amount


def release(step, amount: Decimal) -> None:
    step.budget_delta -= amount


def apply(step) -> None:
    """Write the step's change of ``committed``: the last write of the event before its audit
    event, one conditional UPDATE. A raise keeps the ceiling (with what ``fits`` reserved for
    earlier applications); no row updated means the budget moved since it was read:
    ``BudgetMoved``. Then ``step.under_budget_lock`` runs (the history facts read again), now
    that every other grant of this instrument and tijdvak waits for this transaction."""
    delta = step.budget_delta
    if delta == 0:
        return
    after = func.round(Budget.committed + delta, 2)
    where = [Budget.instrument == step.app.instrument, Budget.tijdvak == step.app.tijdvak]
    if delta > 0:
        where.append(func.round(Budget.committed + (delta + step.budget_ahead), 2) <= Budget.ceiling)
    committed = db.session.execute(
        update(Budget).where(*where).values(committed=after).returning(Budget.committed)
        .execution_options(synchronize_session=False)).scalar()
    if committed is None:
        raise BudgetMoved()
    if step.known_budget is not None:
        set_committed_value(step.known_budget, "committed", committed)
    for confirm in step.under_budget_lock:
        confirm(step)


def book_payment(budget: Budget, amount: Decimal, *, reclaim: bool) -> None:
    budget.paid = budget.paid - amount if reclaim else budget.paid + amount
