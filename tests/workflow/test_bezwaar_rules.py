"""Awb: corrections at a new vaststelling are audited; a beslissing op bezwaar leads to beroep."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.facts import praktijkverklaring_facts
from fund.extensions import db
from fund.letters.render import letter_html
from fund.models import AuditEvent
from fund.workflow import WorkflowError, available_events, send
from tests.workflow.helpers import granted, in_review, paid_voorschot
from tests.workflow.test_money_review import _pay_next


def test_officer_corrects_reported_costs_at_the_vaststelling_and_it_is_audited(people):
    p = people
    app = paid_voorschot(p)
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700")
    app = send(app, "settle", p.officer, incurred_costs="1200.50", motivation="Factuur van 1200,50 ontvangen.")
    assert app.final_amount == Decimal("1200.00")  # rounded down to whole euros
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.application_id == app.id,
                                                        AuditEvent.event == "settle")).one()
    assert event.data["outcome_corrected"] == {
        "from": {"result": "uitgevallen", "incurred_costs": "700.00"},
        "to": {"result": "uitgevallen", "incurred_costs": "1200.50"}}


def test_settle_refuses_an_unknown_corrected_result(people):
    p = people
    app = paid_voorschot(p)
    app = send(app, "report_outcome", p.inwoner, result="diploma")
    with pytest.raises(WorkflowError) as exc:
        send(app, "settle", p.officer, result="geslaagd")
    assert exc.value.code == "onbekend_resultaat"


def test_no_bezwaar_against_a_beslissing_op_bezwaar(people):
    p = people
    app = granted(p)
    app = send(app, "object", p.inwoner, grounds="Het bedrag is te laag.")
    app = send(app, "decide_objection", p.officer2, upheld=False, motivation="Het bedrag klopt.")
    assert app.decisions[-1].kind == "bezwaar_ongegrond"
    assert "object" not in {o.name for o in available_events(app, p.inwoner)}
    with pytest.raises(WorkflowError) as exc:
        send(app, "object", p.inwoner, grounds="Nog steeds te laag.")
    assert exc.value.code == "beroep"
    assert "rechtbank" in exc.value.message


def _object_refused_with_beroep(app, p):
    assert "object" not in {o.name for o in available_events(app, p.inwoner)}
    with pytest.raises(WorkflowError) as exc:
        send(app, "object", p.inwoner, grounds="Ik ben het er weer niet mee eens.")
    assert exc.value.code == "beroep"


def test_a_grant_after_a_gegrond_bezwaar_is_part_of_the_beslissing_op_bezwaar(people):
    """Awb 7:11: the verlening taken because the bezwaar against an afwijzing was gegrond belongs
    to the beslissing op bezwaar: beroep, not a second bezwaar, and its letter says so."""
    p = people
    app = in_review(p, "praktijkverklaring", praktijkverklaring_facts(sbb_erkend=False))
    app = send(app, "reject", p.officer, motivation="Leerbedrijf niet erkend.")
    app = send(app, "object", p.inwoner, grounds="Het leerbedrijf is erkend.")
    facts = praktijkverklaring_facts(sbb_erkend=True)
    facts["application"]["date"] = app.facts["application"]["date"]
    app.facts = facts
    db.session.commit()
    app = send(app, "decide_objection", p.officer2, upheld=True, motivation="De erkending is aangetoond.")
    gegrond = app.decisions[-1]
    app = send(app, "grant", p.officer2)
    verlening = app.decisions[-1]
    assert verlening.kind == "verlening" and verlening.op_bezwaar_id == gegrond.id
    _object_refused_with_beroep(app, p)
    html = letter_html(verlening)
    assert "in beroep gaan bij de rechtbank" in html and "hoort daarom bij de beslissing op uw bezwaar" in html
    assert "Dan kunt u bezwaar maken" not in html
    # the decisions after it are ordinary beschikkingen again: the vaststelling can be objected to
    app = _pay_next(app, p)
    app = send(app, "report_outcome", p.inwoner, result="niet_gestart")
    app = send(app, "settle", p.officer2)
    assert all(d.op_bezwaar_id is None for d in app.decisions if d.kind in ("vaststelling", "terugvordering"))
    assert "object" in {o.name for o in available_events(app, p.inwoner)}


def test_a_new_vaststelling_after_a_gegrond_bezwaar_is_part_of_the_beslissing_op_bezwaar(people):
    p = people
    app = paid_voorschot(p)
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", p.officer)
    app = send(app, "object", p.inwoner, grounds="Ik heb 1500 euro aan kosten gemaakt.")
    app = send(app, "decide_objection", p.officer2, upheld=True, motivation="De facturen tonen 1500 euro.")
    gegrond = app.decisions[-1]
    app = send(app, "settle", p.officer2, incurred_costs="1500.00")
    new = [d for d in app.decisions if d.id > gegrond.id]
    assert new and all(d.op_bezwaar_id == gegrond.id for d in new)
    _object_refused_with_beroep(app, p)


def test_an_ongegrond_bezwaar_marks_no_later_decision(people):
    p = people
    app = granted(p)
    app = send(app, "object", p.inwoner, grounds="Het bedrag is te laag.")
    app = send(app, "decide_objection", p.officer2, upheld=False, motivation="Het bedrag klopt.")
    assert app.bezwaar_redecide_id is None
