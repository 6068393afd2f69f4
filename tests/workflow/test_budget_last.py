"""The Budget row is changed last, in one conditional UPDATE (issue 18), on real PostgreSQL.

Another connection holds the Budget row lock while a grant runs in a thread: the grant must get
all the way to its UPDATE of the budget before it waits (the history queries, the decision and
letter rows are done by then), and what the other transaction commits meanwhile must be honoured.
"""
import threading
import time
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, text

from fund.extensions import db
from fund.models import Budget, Decision, User
from fund.workflow import send
from tests.workflow.helpers import in_review


def _grant_in_thread(app_id: int, officer_id: int) -> tuple[threading.Thread, dict]:
    flask_app = current_app._get_current_object()
    result: dict = {}

    def run():
        with flask_app.app_context():
            try:
                done = send(app_id, "grant", db.session.get(User, officer_id))
                result["status"] = done.status
                result["reasons"] = [d.reasons for d in done.decisions]
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def _waiting_statement(blocker) -> str:
    """The statement of the session that waits for a lock held by ``blocker`` (polls 20 s)."""
    pid = blocker.execute(text("SELECT pg_backend_pid()")).scalar()
    for _ in range(200):
        blocker.execute(text("SELECT pg_stat_clear_snapshot()"))  # else one snapshot per transaction
        row = blocker.execute(text(
            "SELECT query FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"), {"pid": pid}).first()
        if row is not None:
            return row.query
        time.sleep(0.1)
    raise AssertionError("the grant never waited for the Budget row")


def _hold_budget_lock(app):
    blocker = db.engine.connect()
    blocker.execute(text("SELECT id FROM budgets WHERE instrument = :i AND tijdvak = :t FOR UPDATE"),
                    {"i": app.instrument, "t": app.tijdvak})
    return blocker


def test_a_grant_waits_for_the_budget_row_only_at_its_last_update(pg_people):
    p = pg_people
    app = in_review(p)
    blocker = _hold_budget_lock(app)
    thread, result = _grant_in_thread(app.id, p.officer.id)
    try:
        waiting = _waiting_statement(blocker)
        assert waiting.lstrip().upper().startswith("UPDATE BUDGETS"), waiting
        # by then the decision row is written (in the grant's open transaction, so not yet visible)
        assert "FOR UPDATE" not in waiting.upper()
    finally:
        blocker.rollback()
        blocker.close()
        thread.join(30)
    assert result["status"] == "verleend"
    db.session.expire_all()
    budget = db.session.scalar(select(Budget).where(Budget.instrument == app.instrument, Budget.tijdvak == app.tijdvak))
    assert budget.committed == app.computed_amount


def test_money_taken_while_a_grant_waited_is_honoured_and_the_grant_decided_again(pg_people):
    """The grant read a budget with room; another transaction commits nearly all of it before
    the grant's UPDATE runs. The UPDATE changes no row, the event runs again with the Budget row
    locked from the start, and it becomes an afwijzing (plafond_bereikt): no overshoot."""
    p = pg_people
    app = in_review(p)
    amount = app.computed_amount
    budget = db.session.scalar(select(Budget).where(Budget.instrument == app.instrument, Budget.tijdvak == app.tijdvak))
    budget.ceiling = amount * 3
    budget.committed = Decimal("0.00")
    db.session.commit()
    blocker = _hold_budget_lock(app)
    thread, result = _grant_in_thread(app.id, p.officer.id)
    try:
        _waiting_statement(blocker)  # the grant read room for itself and now waits at its UPDATE
        blocker.execute(text("UPDATE budgets SET committed = ceiling - :left WHERE instrument = :i AND tijdvak = :t"),
                        {"left": amount - Decimal("0.01"), "i": app.instrument, "t": app.tijdvak})
        blocker.commit()
    finally:
        blocker.close()
        thread.join(30)
    assert result["status"] == "afgewezen"
    assert result["reasons"] == [["plafond_bereikt"]]
    db.session.expire_all()
    budget = db.session.get(Budget, budget.id)
    assert budget.committed == amount * 3 - amount + Decimal("0.01")  # only the other transaction's money
    assert db.session.scalar(select(Decision.kind).where(Decision.application_id == app.id)) == "afwijzing"
