"""Guards: roles, vier-ogen, termijnen, idempotency (SQLite; the logic is database-neutral)."""
from datetime import timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.facts import llo_facts
from fund.extensions import db
from fund.models import AuditEvent, Payment
from fund.workflow import WorkflowError, available_events, clock, create_application, send, update_facts
from fund.workflow.queries import due_within, overdue
from tests.workflow.helpers import granted, in_review, submitted


def _code(fn, *args, **kw):
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kw)
    return info.value.code


def test_wrong_role_is_refused(sqlite_people):
    p = sqlite_people
    app = submitted(p)
    assert _code(send, app, "assign", p.inwoner) == "geen_rechten"
    assert _code(send, app, "withdraw", p.inwoner2) == "geen_rechten"  # another inwoner
    app = send(app, "assign", p.officer)
    assert _code(send, app, "grant", p.finance) == "geen_rechten"
    app = send(app, "grant", p.officer)
    assert _code(send, app, "propose_payment", p.officer) == "geen_rechten"


def test_organisation_colleague_may_act_for_the_werkgever(sqlite_people):
    p = sqlite_people
    app = submitted(p, "voucher")
    app = send(app, "withdraw", p.colleague, reason="Toch niet nodig.")
    assert app.status == "ingetrokken"


def test_same_person_cannot_co_sign_or_approve_own_payment(sqlite_people):
    p = sqlite_people
    app = in_review(p, "llo", llo_facts(cost="3000.00", has_startkwalificatie=False))  # priority: max 3750
    app = send(app, "grant", p.supervisor)  # a supervisor acting as officer
    assert app.status == "besluit_voorgesteld"
    assert _code(send, app, "co_sign", p.supervisor, approve=True) == "vier_ogen"
    assert _code(send, app, "co_sign", p.officer2, approve=True) == "geen_rechten"
    assert "co_sign" not in [o.name for o in available_events(app, p.supervisor)]
    app = send(app, "co_sign", p.supervisor2, approve=True)
    assert app.status == "verleend" and app.granted_amount == Decimal("3000.00")
    app = send(app, "propose_payment", p.finance)
    assert _code(send, app, "approve_payment", p.finance, payment_id=app.payments[0].id) == "vier_ogen"
    app = send(app, "approve_payment", p.supervisor, payment_id=app.payments[0].id)
    assert app.status == "uitbetaald"


def test_co_sign_refusal_needs_motivation_and_returns_to_review(sqlite_people):
    p = sqlite_people
    app = in_review(p, "llo", llo_facts(cost="3000.00", has_startkwalificatie=False))
    app = send(app, "grant", p.officer)
    assert _code(send, app, "co_sign", p.supervisor, approve=False) == "motivering_ontbreekt"
    app = send(app, "co_sign", p.supervisor, approve=False, motivation="Eerst de offerte controleren.")
    assert app.status == "in_behandeling" and app.pending is None and app.decisions == []


def test_deviation_needs_motivation_and_co_sign(sqlite_people):
    p = sqlite_people
    app = in_review(p, "llo", llo_facts(municipality="GM0106"))  # ineligible
    assert _code(send, app, "grant", p.officer) == "afwijking"
    assert _code(send, app, "grant", p.officer, deviate=True, amount="500.00") == "motivering_ontbreekt"
    app = send(app, "grant", p.officer, deviate=True, amount="500.00",
               deviation_motivation="Verhuist aantoonbaar volgende maand naar Emmen.")
    assert app.status == "besluit_voorgesteld"  # every deviation needs a second person
    app = send(app, "co_sign", p.supervisor, approve=True)
    decision = app.decisions[-1]
    assert decision.deviates and "hardheidsclausule" in decision.motivation
    assert app.granted_amount == Decimal("500.00")


def test_herstel_expiry_via_tick(sqlite_people):
    from flask import current_app

    from fund.workflow.cli import workflow_cli

    p = sqlite_people
    app = in_review(p)
    app = send(app, "request_info", p.officer, message="Stuur de begroting van de opleiding.")
    assert app.status == "herstel" and app.herstel_deadline == clock.today() + timedelta(days=14)
    assert _code(send, app, "expire_herstel", None) == "termijn_loopt"
    runner = current_app.test_cli_runner()
    with clock.frozen(app.herstel_deadline + timedelta(days=1)):
        assert [a.id for a in overdue()] == [app.id]
        result = runner.invoke(workflow_cli, ["tick"])
        assert result.exit_code == 0, result.output
        assert app.number in result.output
    db.session.expire_all()
    assert app.status == "buiten_behandeling"
    assert app.decisions[-1].kind == "buiten_behandeling"


def test_supplement_returns_to_the_check(sqlite_people):
    p = sqlite_people
    app = in_review(p, "llo", llo_facts(coverage="unknown"))
    assert app.eligibility_outcome == "needs_info"
    app = send(app, "request_info", p.officer, message="Betaalt uw werkgever mee?")
    app = update_facts(app, p.inwoner, llo_facts(coverage="none"))
    app = send(app, "supplement", p.inwoner, message="Nee, niemand betaalt mee.")
    assert app.status == "in_behandeling" and app.eligibility_outcome == "eligible"
    assert app.herstel_deadline is None


def test_deadline_extension_only_once(sqlite_people):
    p = sqlite_people
    app = in_review(p)
    first = app.decision_deadline
    assert first == clock.today() + timedelta(weeks=8)
    assert [a.id for a in due_within(8 * 7)] == [app.id] and due_within(3) == []
    assert _code(send, app, "extend_deadline", p.officer) == "motivering_ontbreekt"
    app = send(app, "extend_deadline", p.officer, reason="Advies van de gemeente nodig.")
    assert app.decision_deadline == first + timedelta(weeks=8) and app.deadline_extended
    assert app.decisions[-1].kind == "verdaging"
    assert _code(send, app, "extend_deadline", p.officer, reason="Nog meer tijd.") == "al_verlengd"


def test_no_verdaging_after_the_beslistermijn_has_ended(sqlite_people):
    """Awb 4:14: the extension must be announced before the beslistermijn ends."""
    p = sqlite_people
    app = in_review(p)
    deadline = app.decision_deadline
    with clock.frozen(deadline + timedelta(days=1)):
        assert "extend_deadline" not in {o.name for o in available_events(app, p.officer)}
        assert _code(send, app, "extend_deadline", p.officer, reason="Te laat.") == "termijn_verlopen"
        assert not app.deadline_extended and app.decision_deadline == deadline
    with clock.frozen(deadline):  # the last day itself is still in time
        app = send(app, "extend_deadline", p.officer, reason="Advies van de gemeente nodig.")
    assert app.deadline_extended


def test_withdraw_after_decision_is_refused(sqlite_people):
    p = sqlite_people
    app = granted(p)
    assert _code(send, app, "withdraw", p.inwoner) == "al_besloten"
    assert app.status == "verleend"


def test_idempotent_double_submit_and_double_grant(sqlite_people):
    p = sqlite_people
    app = submitted(p)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    assert _code(send, app, "submit", p.inwoner) == "al_ingediend"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    app = send(app, "assign", p.officer)
    app = send(app, "grant", p.officer)
    assert _code(send, app, "grant", p.officer) == "al_besloten"
    assert len(app.decisions) == 1
    app = send(app, "propose_payment", p.finance)
    assert _code(send, app, "propose_payment", p.finance) == "al_voorgesteld"
    app = send(app, "approve_payment", p.finance2, payment_id=app.payments[0].id)
    assert _code(send, app, "approve_payment", p.finance2, payment_id=app.payments[0].id) == "al_goedgekeurd"
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 1


def test_submit_needs_valid_facts_and_documents(sqlite_people):
    p = sqlite_people
    app = create_application(p.inwoner, "llo", llo_facts(), title="Zonder offerte")
    assert app.status == "concept" and app.number.startswith(f"DOF-{clock.today().year}-")
    assert _code(send, app, "submit", p.inwoner) == "documenten_ontbreken"
    bad = llo_facts()
    del bad["applicant"]["birth_date"]
    app = update_facts(app, p.inwoner, bad)
    with pytest.raises(WorkflowError) as info:
        send(app, "submit", p.inwoner)
    assert info.value.code == "onjuiste_gegevens"
    assert {"field": "applicant.birth_date", "message": "ontbreekt"} in info.value.errors
    assert app.status == "concept"


def test_plafond_bereikt_is_an_afwijzing(sqlite_people):
    from fund.models import Budget

    p = sqlite_people
    app = in_review(p)
    budget = db.session.scalar(select(Budget).where(Budget.instrument == "llo", Budget.tijdvak == app.tijdvak))
    budget.ceiling = Decimal("1000.00")
    db.session.commit()
    app = send(app, "grant", p.officer)
    assert app.status == "afgewezen" and app.decisions[-1].reasons == ["plafond_bereikt"]
    assert budget.committed == 0


def test_history_makes_a_second_llo_ineligible(sqlite_people):
    p = sqlite_people
    granted(p)
    second = in_review(p, title="Tweede")
    assert second.eligibility_outcome == "ineligible"
    assert "eerder_traject" in second.eligibility_result["reasons"]
    assert second.eligibility_result["history"] == {"llo_granted_last_12_months": 1}


def test_available_events_follow_role_and_state(sqlite_people):
    p = sqlite_people
    app = submitted(p)
    assert [o.name for o in available_events(app, p.inwoner)] == ["withdraw"]
    assert [o.name for o in available_events(app, p.officer)] == ["assign", "extend_deadline"]
    assert available_events(app, p.finance) == []


def test_diagram_command_writes_mermaid(tmp_path, sqlite_people):
    from fund.cli import cli

    out = tmp_path / "diagram.md"
    result = CliRunner().invoke(cli, ["workflow", "diagram", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "stateDiagram-v2" in text and "besluit_voorgesteld --> verleend" in text
