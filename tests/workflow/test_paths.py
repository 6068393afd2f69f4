"""Each instrument's full path, on SQLite and PostgreSQL: grant, voorschot, result, vaststelling
(with a terugvordering), closing, and a bezwaar."""
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from fund import awb
from fund.audit import verify
from tests.facts import llo_facts, praktijkverklaring_facts, voucher_facts
from fund.extensions import db
from fund.models import AuditEvent, Budget, Decision
from fund.workflow import send
from tests.workflow.helpers import bank_confirms, granted, in_review, paid_voorschot


def _budget(app):
    return db.session.scalar(select(Budget).where(Budget.instrument == app.instrument, Budget.tijdvak == app.tijdvak))


def _pay_next(app, people):
    app = send(app, "propose_payment", people.finance)
    return bank_confirms(people, send(app, "approve_payment", people.finance2, payment_id=app.payments[-1].id))


def test_llo_dropped_out_is_reclaimed(people):
    app = paid_voorschot(people, "llo", llo_facts(cost="1800.00"))
    assert app.number.startswith("DOF-") and len(app.number) == len("DOF-2026-000001")
    assert app.status == "uitbetaald"
    assert app.payments[0].amount == Decimal("1440.00")  # 80 % (rules/llo/parameters.yaml)
    budget = _budget(app)
    assert budget.committed == Decimal("1800.00") and budget.paid == Decimal("1440.00")

    app = send(app, "report_outcome", people.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", people.officer)
    assert app.status == "vastgesteld" and app.final_amount == Decimal("700.00")
    kinds = [d.kind for d in app.decisions]
    assert kinds == ["verlening", "vaststelling", "terugvordering"]
    assert app.decisions[-1].amount == Decimal("740.00")
    assert _budget(app).committed == Decimal("700.00")  # the lower vaststelling released 1100

    app = _pay_next(app, people)
    assert app.payments[-1].kind == "terugvordering" and app.payments[-1].amount == Decimal("740.00")
    budget = _budget(app)
    assert budget.paid == Decimal("700.00")
    app = send(app, "close", people.officer)
    assert app.status == "gesloten"
    app = send(app, "record_followup", people.officer, employed=True)
    assert app.outcome.employed_after_6_months is True

    for d in app.decisions:
        assert d.number.startswith("BES-")
        assert d.legal_basis == "Regeling Drents ontwikkelfonds, tijdvak 2026, artikel 3 (LLO-traject)" or \
            d.legal_basis.startswith("Regeling Drents ontwikkelfonds, tijdvak")
        # six weeks from the day after dispatch, moved by the Algemene termijnenwet to the first
        # day that is no Saturday, Sunday or feestdag (so the test holds on any day it runs)
        six_weeks = d.sent_on + timedelta(days=42)
        assert d.bezwaar_deadline >= six_weeks
        assert not awb.is_rest_day(d.bezwaar_deadline)
        assert all(awb.is_rest_day(six_weeks + timedelta(days=n))
                   for n in range((d.bezwaar_deadline - six_weeks).days))
    assert verify() == (db.session.scalar(select(func.count()).select_from(AuditEvent)), None)


def test_voucher_completed_with_vier_ogen_and_rest_payment(people):
    # klein-mkb (8 employees), 75 % of 6000 = 4500 > vier-ogen threshold 2500 -> co-sign
    app = in_review(people, "voucher", voucher_facts(people.org, cost="6000.00"))
    assert app.computed_amount == Decimal("4500.00")
    app = send(app, "grant", people.officer, motivation="Goed plan.")
    assert app.status == "besluit_voorgesteld" and _budget(app).committed == 0
    app = send(app, "co_sign", people.supervisor, approve=True)
    assert app.status == "verleend"
    decision = app.decisions[-1]
    assert decision.officer_id == people.officer.id and decision.second_officer_id == people.supervisor.id
    app = _pay_next(app, people)
    assert app.payments[0].amount == Decimal("2250.00")  # 50 %
    app = send(app, "report_outcome", people.colleague, result="afgerond_zonder_bewijs", incurred_costs="5000.00")
    app = send(app, "settle", people.officer)
    assert app.final_amount == Decimal("3750.00")  # 75 % of the real costs, below the grant
    app = _pay_next(app, people)
    assert app.payments[-1].kind == "rest" and app.payments[-1].amount == Decimal("1500.00")
    app = send(app, "close", people.officer)
    budget = _budget(app)
    assert budget.committed == Decimal("3750.00") == budget.paid


def test_praktijkverklaring_rejected_then_bezwaar_gegrond_then_granted(people):
    app = in_review(people, "praktijkverklaring", praktijkverklaring_facts(sbb_erkend=False))
    assert app.eligibility_outcome == "ineligible"
    app = send(app, "reject", people.officer, motivation="Leerbedrijf niet erkend.")
    assert app.status == "afgewezen"
    assert app.decisions[-1].reasons == ["leerbedrijf_niet_erkend"]

    app = send(app, "object", people.inwoner, grounds="Het leerbedrijf is sinds vorige week erkend.")
    assert app.status == "bezwaar"
    try:
        send(app, "decide_objection", people.officer, upheld=True, motivation="x")
        raise AssertionError("an involved officer may not decide the objection")
    except Exception as exc:
        assert getattr(exc, "code", None) == "betrokken"
    facts = praktijkverklaring_facts(sbb_erkend=True)
    facts["application"]["date"] = app.facts["application"]["date"]
    app.facts = facts  # the new fact is part of the bezwaar file (set directly: the status is untouched)
    db.session.commit()
    app = send(app, "decide_objection", people.officer2, upheld=True, motivation="De erkending is aangetoond.")
    assert app.status == "in_behandeling" and app.assigned_officer_id == people.officer2.id
    assert app.eligibility_outcome == "eligible"
    assert app.decisions[-1].kind == "bezwaar_gegrond" and app.decisions[-1].supersedes_id == app.decisions[0].id
    app = send(app, "grant", people.officer2)
    assert app.status == "verleend" and app.granted_amount == Decimal("2000.00")
    app = _pay_next(app, people)
    assert app.payments[0].amount == Decimal("1500.00")  # 75 %
    app = send(app, "report_outcome", people.inwoner, result="niet_gestart")
    app = send(app, "settle", people.officer2)
    assert app.final_amount == Decimal("0.00")
    assert app.decisions[-1].kind == "terugvordering" and app.decisions[-1].amount == Decimal("1500.00")
    app = _pay_next(app, people)
    app = send(app, "close", people.officer2)
    budget = _budget(app)
    assert budget.committed == 0 and budget.paid == 0


def test_bezwaar_ongegrond_returns_to_the_decision(people):
    app = in_review(people, "llo", llo_facts(municipality="GM0106"))  # Assen: outside the werkgebied
    app = send(app, "reject", people.officer)
    app = send(app, "object", people.inwoner, grounds="Ik werk in Emmen.")
    app = send(app, "decide_objection", people.officer2, upheld=False, motivation="Het gaat om de woonplaats.")
    assert app.status == "afgewezen"
    assert [d.kind for d in app.decisions] == ["afwijzing", "bezwaar_ongegrond"]


def test_referral_names_the_voorziening(people):
    app = in_review(people, "llo", llo_facts(employment_status="ww"))
    assert app.eligibility_outcome == "referred"
    app = send(app, "refer", people.officer, motivation="Eerst het UWV.")
    assert app.status == "doorverwezen" and app.decisions[-1].referrals == ["uwv"]


def test_every_transition_is_audited(people):
    app = granted(people, "llo")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.application_id == app.id)
                                .order_by(AuditEvent.seq)).all()
    assert [e.event for e in events] == ["create", "submit", "assign", "grant"]
    grant = events[-1]
    assert (grant.from_state, grant.to_state, grant.actor_id) == ("in_behandeling", "verleend", people.officer.id)
    assert grant.data["committed"] == "1800.00"
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 1
