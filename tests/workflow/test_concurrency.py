"""Real parallel connections on PostgreSQL: the ceiling holds and payments are not doubled."""
import threading
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from fund.audit import verify
from fund.extensions import db
from fund.models import Application, Budget, Decision, Payment, User
from fund.workflow import WorkflowError, send
from fund.models.types import Role
from tests.workflow.conftest import make_user
from tests.workflow.helpers import granted, in_review


def _parallel(n, work):
    """Run ``work(i)`` in n threads, each with its own app context (and so its own session)."""
    flask_app = current_app._get_current_object()
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        with flask_app.app_context():
            barrier.wait()
            try:
                results[i] = work(i)
            except WorkflowError as exc:
                results[i] = exc.code
            except Exception as exc:  # noqa: BLE001 - reported by the assertion
                results[i] = repr(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_50_parallel_grants_against_a_ceiling_for_20(pg_people):
    p = pg_people
    # 50 different inwoners: one person gets one LLO-traject a year (rule eerder_traject).
    applicants = [make_user(Role.INWONER) for _ in range(50)]
    db.session.commit()
    apps = [in_review(p, applicant=applicants[i], title=f"Aanvraag {i}") for i in range(50)]
    amount = apps[0].computed_amount
    budget = db.session.scalar(select(Budget).where(Budget.instrument == "llo", Budget.tijdvak == apps[0].tijdvak))
    budget.ceiling = amount * 20
    db.session.commit()
    ids, officer_id = [a.id for a in apps], p.officer.id

    def grant(i):
        return send(ids[i], "grant", db.session.get(User, officer_id)).status

    results = _parallel(50, grant)
    assert results.count("verleend") == 20, results
    assert results.count("afgewezen") == 30, results
    db.session.expire_all()
    statuses = db.session.scalars(select(Application.status).where(Application.id.in_(ids))).all()
    assert sorted(set(statuses)) == ["afgewezen", "verleend"]
    # In order of receipt of complete applications (regeling §1): the 20 earliest, whoever
    # was decided first.
    by_receipt = db.session.scalars(select(Application).where(Application.id.in_(ids))
                                    .order_by(Application.complete_at, Application.id)).all()
    assert [a.status for a in by_receipt] == ["verleend"] * 20 + ["afgewezen"] * 30
    refused = db.session.scalars(select(Decision).where(Decision.kind == "afwijzing")).all()
    assert len(refused) == 30 and all(d.reasons == ["plafond_bereikt"] for d in refused)
    budget = db.session.scalar(select(Budget).where(Budget.id == budget.id))
    granted_total = db.session.scalar(select(func.sum(Application.granted_amount)).where(Application.id.in_(ids)))
    assert budget.committed == granted_total == amount * 20
    assert verify()[1] is None


def test_10_parallel_payment_proposals_and_approvals_make_one_payment(pg_people):
    p = pg_people
    app = granted(p)
    app_id, finance_id, finance2_id = app.id, p.finance.id, p.finance2.id

    results = _parallel(10, lambda i: send(app_id, "propose_payment", db.session.get(User, finance_id)).status)
    assert results.count("verleend") == 1, results
    assert set(results) - {"verleend"} == {"al_voorgesteld"}, results
    payment_id = db.session.scalar(select(Payment.id).where(Payment.application_id == app_id))

    results = _parallel(10, lambda i: send(app_id, "approve_payment", db.session.get(User, finance2_id),
                                           payment_id=payment_id).status)
    assert results.count("uitbetaald") == 1, results
    assert set(results) - {"uitbetaald"} == {"al_goedgekeurd"}, results
    db.session.expire_all()
    payments = db.session.scalars(select(Payment)).all()
    assert len(payments) == 1 and payments[0].status == "goedgekeurd"

    # Ten finance officers make a bank file at once: the payment goes into exactly one.
    from fund.models import PaymentBatch
    from fund.workflow import bank

    results = _parallel(10, lambda i: bank.make_batch(db.session.get(User, finance_id), [payment_id]).id)
    made = [r for r in results if isinstance(r, int)]
    assert len(made) == 1 and set(results) - set(made) <= {"al_in_bestand"}, results
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PaymentBatch)) == 1
    results = _parallel(10, lambda i: bank.batch_paid(db.session.get(User, finance_id), made[0]) and "ok")
    assert results.count("ok") == 1 and set(results) - {"ok"} == {"al_betaald"}, results
    db.session.expire_all()
    payments = db.session.scalars(select(Payment)).all()
    assert payments[0].status == "betaald" and payments[0].batch_id == made[0]
    budget = db.session.scalar(select(Budget).where(Budget.instrument == "llo"))
    assert budget.paid == payments[0].amount == Decimal("1440.00")
