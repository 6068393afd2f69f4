"""Money review against the regeling (§1, §3-§6): voorschot, rest, terugvordering, the Budget
ledger through every path, vier-ogen and idempotency. Runs on SQLite and PostgreSQL."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.facts import llo_facts, praktijkverklaring_facts, voucher_facts
from fund.extensions import db
from fund.models import Application, Budget, Payment
from fund.models.types import PaymentKind, PaymentStatus, Role
from fund.workflow import WorkflowError, clock, send
from fund.workflow.ledger import commitment
from tests.workflow.conftest import make_user
from tests.workflow.helpers import bank_confirms, granted, in_review, paid_voorschot


def _code(fn, *args, **kw):
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kw)
    return info.value.code


def _pay_next(app, people):
    app = send(app, "propose_payment", people.finance)
    return bank_confirms(people, send(app, "approve_payment", people.finance2, payment_id=app.payments[-1].id))


def _budget(app) -> Budget:
    return db.session.scalar(select(Budget).where(Budget.instrument == app.instrument, Budget.tijdvak == app.tijdvak))


def assert_ledger_consistent() -> None:
    """For every Budget row: committed = the applications' current commitments; paid = the
    payments booked as betaald (voorschot + rest - terugvordering)."""
    db.session.expire_all()
    budgets = db.session.scalars(select(Budget)).all()
    assert budgets
    for budget in budgets:
        apps = db.session.scalars(select(Application).where(
            Application.instrument == budget.instrument, Application.tijdvak == budget.tijdvak)).all()
        committed = sum((commitment(a) for a in apps), Decimal("0.00"))
        paid = Decimal("0.00")
        for a in apps:
            for p in a.payments:
                if p.status == PaymentStatus.BETAALD.value:
                    paid += -p.amount if p.kind == PaymentKind.TERUGVORDERING.value else p.amount
        assert (budget.instrument, budget.tijdvak, budget.committed) == (budget.instrument, budget.tijdvak, committed)
        assert (budget.instrument, budget.tijdvak, budget.paid) == (budget.instrument, budget.tijdvak, paid)
        assert budget.committed <= budget.ceiling


# -- amounts per instrument -----------------------------------------------------------------------

def test_llo_voorschot_rest_and_completed(people):
    app = paid_voorschot(people, "llo", llo_facts(cost="1833.00"))
    assert app.granted_amount == Decimal("1833.00")
    assert app.payments[0].amount == Decimal("1466.40")  # 80 %, to the cent
    app = send(app, "report_outcome", people.inwoner, result="diploma")
    app = send(app, "settle", people.officer)
    assert app.final_amount == Decimal("1833.00")
    app = _pay_next(app, people)
    assert (app.payments[-1].kind, app.payments[-1].amount) == ("rest", Decimal("366.60"))
    assert _budget(app).paid == Decimal("1833.00") == _budget(app).committed
    assert_ledger_consistent()


def test_llo_partly_followed_rounds_down_and_caps(people):
    app = paid_voorschot(people, "llo", llo_facts(cost="1800.00"))
    app = send(app, "report_outcome", people.inwoner, result="gedeeltelijk", incurred_costs="1500.99")
    app = send(app, "settle", people.officer)
    assert app.final_amount == Decimal("1500.00")  # rounded down to whole euros
    assert app.decisions[-1].kind == "vaststelling"  # paid 1440 < 1500: no terugvordering
    app = _pay_next(app, people)
    assert app.payments[-1].amount == Decimal("60.00")
    assert_ledger_consistent()

    other = paid_voorschot(people, "llo", llo_facts(cost="1800.00"), applicant=people.inwoner2)
    other = send(other, "report_outcome", people.inwoner2, result="uitgevallen", incurred_costs="9000.00")
    other = send(other, "settle", people.officer)
    assert other.final_amount == Decimal("1800.00")  # capped at the grant
    assert_ledger_consistent()


def test_voucher_klein_mkb_rate_at_vaststelling(people):
    app = paid_voorschot(people, "voucher", voucher_facts(people.org, cost="3000.00"))  # 8 employees: 75 %
    assert app.granted_amount == Decimal("2250.00")
    assert app.payments[0].amount == Decimal("1125.00")  # 50 %
    app = send(app, "report_outcome", people.werkgever, result="afgerond_zonder_bewijs", incurred_costs="1333.33")
    app = send(app, "settle", people.officer)
    assert app.final_amount == Decimal("999.00")  # floor(0.75 * 1333.33 = 999.9975)
    assert app.decisions[-1].kind == "terugvordering" and app.decisions[-1].amount == Decimal("126.00")
    app = _pay_next(app, people)
    assert app.payments[-1].kind == "terugvordering"
    assert _budget(app).paid == Decimal("999.00") == _budget(app).committed
    assert_ledger_consistent()


def test_praktijkverklaring_obtained_and_not_obtained(people):
    app = paid_voorschot(people, "praktijkverklaring")
    assert app.granted_amount == Decimal("2000.00") and app.payments[0].amount == Decimal("1500.00")
    app = send(app, "report_outcome", people.inwoner, result="praktijkverklaring_behaald")
    app = send(app, "settle", people.officer)
    assert app.final_amount == Decimal("2000.00")
    app = _pay_next(app, people)
    assert app.payments[-1].amount == Decimal("500.00")

    other = paid_voorschot(people, "praktijkverklaring", applicant=people.inwoner2)
    other = send(other, "report_outcome", people.inwoner2, result="uitgevallen")
    other = send(other, "settle", people.officer)
    assert other.final_amount == Decimal("1500.00")  # started, not obtained: the voorschot
    assert [d.kind for d in other.decisions] == ["verlening", "vaststelling"]
    assert_ledger_consistent()


# -- vier-ogen ------------------------------------------------------------------------------------

def test_vier_ogen_threshold_is_strictly_above(people):
    at = in_review(people, "llo", llo_facts(cost="2500.00"))
    at = send(at, "grant", people.officer)
    assert at.status == "verleend"  # exactly 2500: one officer
    above = in_review(people, "llo", llo_facts(cost="2501.00", has_startkwalificatie=False),
                      applicant=people.inwoner2)
    above = send(above, "grant", people.officer)
    assert above.status == "besluit_voorgesteld"
    assert_ledger_consistent()


# -- the ledger through many paths ----------------------------------------------------------------

def test_ledger_stays_consistent_through_every_path(people):
    p = people
    # 1. llo dropped out, terugvordering received, closed
    a = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))
    a = send(a, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    a = send(a, "settle", p.officer)
    assert_ledger_consistent()
    a = _pay_next(a, p)
    assert_ledger_consistent()

    # 2. voucher with co-sign, rest payment
    v = in_review(p, "voucher", voucher_facts(p.org, cost="6000.00"))
    v = send(v, "grant", p.officer)
    assert_ledger_consistent()
    v = send(v, "co_sign", p.supervisor, approve=True)
    v = _pay_next(v, p)
    v = send(v, "report_outcome", p.werkgever, result="diploma", incurred_costs="5000.00")
    v = send(v, "settle", p.officer)
    v = _pay_next(v, p)
    assert_ledger_consistent()

    # 3. praktijkverklaring rejected, bezwaar gegrond, granted, not started, reclaimed
    k = in_review(p, "praktijkverklaring", praktijkverklaring_facts(sbb_erkend=False))
    k = send(k, "reject", p.officer)
    k = send(k, "object", p.inwoner, grounds="Erkend.")
    facts = praktijkverklaring_facts(sbb_erkend=True)
    facts["application"]["date"] = k.facts["application"]["date"]
    k.facts = facts
    db.session.commit()
    k = send(k, "decide_objection", p.officer2, upheld=True, motivation="Aangetoond.")
    k = send(k, "grant", p.officer2)
    assert_ledger_consistent()
    k = _pay_next(k, p)
    k = send(k, "report_outcome", p.inwoner, result="niet_gestart")
    k = send(k, "settle", p.officer2)
    assert_ledger_consistent()
    k = _pay_next(k, p)
    assert_ledger_consistent()

    # 4. a grant objected to (gegrond) before any payment: released, then granted again
    g = in_review(p, "llo", llo_facts(cost="2000.00"), applicant=p.inwoner2)
    g = send(g, "grant", p.officer)
    g = send(g, "object", p.inwoner2, grounds="Te laag.")
    g = send(g, "decide_objection", p.officer2, upheld=True, motivation="Opnieuw bekijken.")
    assert g.status == "in_behandeling"
    assert_ledger_consistent()
    g = send(g, "grant", p.officer2)
    assert_ledger_consistent()

    # 5. bezwaar on a vaststelling: ongegrond, then (another case) gegrond and settled again
    s = paid_voorschot(p, "voucher", voucher_facts(p.org, cost="2000.00"))
    s = send(s, "report_outcome", p.werkgever, result="gedeeltelijk", incurred_costs="1000.00")
    s = send(s, "settle", p.officer)
    s = send(s, "object", p.werkgever, grounds="Meer kosten.")
    s = send(s, "decide_objection", p.officer2, upheld=False, motivation="Niet aangetoond.")
    assert s.status == "vastgesteld"
    assert_ledger_consistent()
    # after a beslissing op bezwaar only beroep is left, so the gegrond path is another case
    s = paid_voorschot(p, "voucher", voucher_facts(p.org, cost="2000.00"))
    s = send(s, "report_outcome", p.werkgever, result="gedeeltelijk", incurred_costs="1000.00")
    s = send(s, "settle", p.officer)
    s = send(s, "object", p.werkgever, grounds="Toch meer kosten.")
    s = send(s, "decide_objection", p.officer3, upheld=True, motivation="Wel aangetoond.")
    assert s.status == "uitkomst_gemeld"
    s = send(s, "settle", p.officer3)
    assert_ledger_consistent()
    if s.final_amount != Decimal(0) and s.final_amount != sum(x.amount for x in s.payments):
        s = _pay_next(s, p)
    assert_ledger_consistent()

    # 6. withdrawn while a proposal waits; 7. rejected
    third, fourth = make_user(Role.INWONER), make_user(Role.INWONER)
    db.session.commit()
    w = in_review(p, "llo", llo_facts(cost="3000.00", has_startkwalificatie=False), applicant=third)
    w = send(w, "grant", p.officer)
    w = send(w, "withdraw", third, reason="Niet meer nodig.")
    assert w.status == "ingetrokken"
    r = in_review(p, "llo", llo_facts(municipality="GM0106"), applicant=fourth)
    r = send(r, "reject", p.officer)
    assert_ledger_consistent()


# -- bezwaar on a vaststelling --------------------------------------------------------------------

def _llo_settled_with_reclaim(p):
    app = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))  # voorschot 1440
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", p.officer)
    assert app.final_amount == Decimal("700.00") and app.decisions[-1].amount == Decimal("740.00")
    return app


def test_gegrond_bezwaar_on_vaststelling_voids_the_open_reclaim(people):
    """A terugvordering proposed under a vaststelling that a gegrond bezwaar annulled must not be
    collectable afterwards: the new vaststelling decides what is paid or reclaimed."""
    p = people
    app = _llo_settled_with_reclaim(p)
    app = send(app, "propose_payment", p.finance)  # reclaim 740, waiting for the second person
    stale = app.payments[-1]
    assert (stale.kind, stale.amount) == ("terugvordering", Decimal("740.00"))
    app = send(app, "object", p.inwoner, grounds="Ik heb 1500 euro aan kosten gemaakt, niet 700.")
    app = send(app, "decide_objection", p.officer2, upheld=True, motivation="De facturen tonen 1500 euro.")
    assert app.status == "uitkomst_gemeld"
    # the officer corrects the costs at the new vaststelling (they are part of the bezwaar file)
    app = send(app, "settle", p.officer2, incurred_costs="1500.00")
    assert app.final_amount == Decimal("1500.00")
    assert app.outcome.incurred_costs == Decimal("1500.00")
    # the old reclaim is void: nothing open, and finance can propose the rest of 60 at once
    assert _code(send, app, "approve_payment", p.finance2, payment_id=stale.id) == "vervallen"
    assert stale.status == "vervallen"
    app = _pay_next(app, p)
    assert (app.payments[-1].kind, app.payments[-1].amount) == ("rest", Decimal("60.00"))
    assert all(x.kind != "terugvordering" or x.status not in ("goedgekeurd", "betaald") for x in app.payments)
    app = send(app, "close", p.officer2)
    assert _budget(app).paid == Decimal("1500.00") == _budget(app).committed
    assert_ledger_consistent()


def test_closing_does_not_cut_off_the_bezwaar_on_a_vaststelling(people):
    """Awb 6:7 / regeling §6: every beschikking can be objected to within six weeks. A file that
    is paid in full may be closed at once, but a timely bezwaar on the vaststelling still counts."""
    p = people
    app = paid_voorschot(p, "praktijkverklaring")
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen")
    app = send(app, "settle", p.officer)  # the voorschot: nothing to pay or reclaim
    app = send(app, "close", p.officer)
    assert app.status == "gesloten"
    with clock.frozen(app.decisions[-1].bezwaar_deadline):
        app = send(app, "object", p.inwoner, grounds="De kandidaat heeft de praktijkverklaring wel behaald.")
        assert app.status == "bezwaar"
        app = send(app, "decide_objection", p.officer2, upheld=True, motivation="Bewijs ontvangen.")
        assert app.status == "uitkomst_gemeld"
        app = send(app, "settle", p.officer2, result="praktijkverklaring_behaald")
        assert app.final_amount == Decimal("2000.00")
        app = _pay_next(app, p)
        assert (app.payments[-1].kind, app.payments[-1].amount) == ("rest", Decimal("500.00"))
        app = send(app, "close", p.officer2)
        # the new vaststelling is part of the beslissing op bezwaar (Awb 7:11): beroep, no bezwaar
        assert _code(send, app, "object", p.inwoner, grounds="Nog iets.") == "beroep"
    assert_ledger_consistent()


def test_bezwaar_ongegrond_on_a_closed_vaststelling_returns_to_gesloten(people):
    p = people
    app = paid_voorschot(p, "praktijkverklaring")
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen")
    app = send(app, "settle", p.officer)
    app = send(app, "close", p.officer)
    app = send(app, "object", p.inwoner, grounds="Niet eens met de vaststelling.")
    app = send(app, "decide_objection", p.officer2, upheld=False, motivation="Terecht vastgesteld.")
    assert app.status == "gesloten" and app.final_amount == Decimal("1500.00")
    assert [d.kind for d in app.decisions][-1] == "bezwaar_ongegrond"
    assert_ledger_consistent()


def test_double_sends_pay_and_reclaim_once(people):
    p = people
    app = granted(p, "llo", llo_facts(cost="1800.00"))
    app = send(app, "propose_payment", p.finance)
    assert _code(send, app, "propose_payment", p.finance2) == "al_voorgesteld"
    pid = app.payments[0].id
    app = send(app, "approve_payment", p.finance2, payment_id=pid)
    assert _code(send, app, "approve_payment", p.supervisor, payment_id=pid) == "al_goedgekeurd"
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", p.officer)
    assert _code(send, app, "settle", p.officer) == "niet_toegestaan"
    with pytest.raises(WorkflowError) as info:
        send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    # the applicant meets this refusal too: no staff status label in it
    assert info.value.code == "niet_toegestaan"
    assert info.value.message == ("Dit kan nu niet in deze fase van de aanvraag. Op de pagina van de "
                                  "aanvraag ziet u de status.")
    app = send(app, "propose_payment", p.finance)
    assert _code(send, app, "propose_payment", p.finance) == "al_voorgesteld"
    app = send(app, "approve_payment", p.finance2, payment_id=app.payments[-1].id)
    assert _code(send, app, "propose_payment", p.finance) == "niets_te_betalen"
    assert [(x.kind, x.amount) for x in app.payments] == [("voorschot", Decimal("1440.00")),
                                                         ("terugvordering", Decimal("740.00"))]
    # approved, not yet paid or received: the ledger counts money when it moves (fund.workflow.bank)
    assert _budget(app).paid == 0
    app = bank_confirms(p, app)
    assert _budget(app).paid == Decimal("700.00") == _budget(app).committed
    assert_ledger_consistent()
