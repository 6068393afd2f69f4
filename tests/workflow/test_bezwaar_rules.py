"""Awb: corrections at a new vaststelling are audited; a beslissing op bezwaar leads to beroep."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent
from fund.workflow import WorkflowError, available_events, send
from tests.workflow.helpers import granted, paid_voorschot


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
