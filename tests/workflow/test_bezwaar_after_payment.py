"""Awb 6:7: bezwaar against a verlening whose voorschot is already paid (status uitbetaald).

Gegrond is a herziening of the granted amount (the difference is committed or released under
the Budget row lock); what was paid stays paid and the vaststelling settles final - paid."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.facts import llo_facts
from fund.extensions import db
from fund.letters.render import letter_html
from fund.workflow import WorkflowError, available_events, clock, send
from tests.workflow.helpers import paid_voorschot
from tests.workflow.test_money_review import (
    _budget,
    _pay_next,
    assert_ledger_consistent,
)


def _code(fn, *args, **kw):
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kw)
    return info.value.code


def _paid_and_objected(p):
    app = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))
    assert (app.status, app.granted_amount, app.payments[0].amount) == (
        "uitbetaald", Decimal("1800.00"), Decimal("1440.00"))
    assert "object" in {o.name for o in available_events(app, p.inwoner)}
    app = send(app, "object", p.inwoner, grounds="U heeft het verkeerde maximum toegepast.")
    assert app.status == "bezwaar"
    assert app.pending["return_to"] == "uitbetaald"
    return app


def test_gegrond_with_a_higher_amount_commits_the_difference_and_the_rest_is_paid(people):
    p = people
    app = _paid_and_objected(p)
    verlening = app.decisions[-1]
    committed = _budget(app).committed
    option = next(o for o in available_events(app, p.officer2) if o.name == "decide_objection")
    assert "amount" in option.fields
    app = send(app, "decide_objection", p.officer2, upheld=True, amount="2000.00",
               motivation="Het maximum voor de prioritaire doelgroep geldt.")
    assert app.status == "uitbetaald"
    assert app.granted_amount == Decimal("2000.00")
    assert _budget(app).committed == committed + Decimal("200.00")
    decision = app.decisions[-1]
    assert (decision.kind, decision.amount, decision.supersedes_id) == (
        "bezwaar_gegrond", Decimal("2000.00"), verlening.id)
    assert "de subsidie is nu € 2.000,00 (dat was € 1.800,00)" in letter_html(decision)
    assert [(p_.kind, p_.amount) for p_ in app.payments] == [("voorschot", Decimal("1440.00"))]  # paid stays
    # a beslissing op bezwaar: no second bezwaar
    assert _code(send, app, "object", p.inwoner, grounds="Nog meer.") == "beroep"
    app = send(app, "report_outcome", p.inwoner, result="diploma")
    app = send(app, "settle", p.officer2)
    assert app.final_amount == Decimal("2000.00")
    app = _pay_next(app, p)
    assert (app.payments[-1].kind, app.payments[-1].amount) == ("rest", Decimal("560.00"))
    assert _budget(app).paid == _budget(app).committed - committed + Decimal("1800.00")
    assert_ledger_consistent()


def test_gegrond_with_a_lower_amount_releases_and_ends_in_a_terugvordering(people):
    p = people
    app = _paid_and_objected(p)
    committed = _budget(app).committed
    app = send(app, "decide_objection", p.officer2, upheld=True, amount="1200,00",
               motivation="De opleiding kost minder dan opgegeven.")
    assert (app.status, app.granted_amount) == ("uitbetaald", Decimal("1200.00"))
    assert _budget(app).committed == committed - Decimal("600.00")
    assert app.decisions[-1].amount == Decimal("1200.00")
    app = send(app, "report_outcome", p.inwoner, result="diploma")
    app = send(app, "settle", p.officer2)
    assert app.final_amount == Decimal("1200.00")
    assert [d.kind for d in app.decisions[-2:]] == ["vaststelling", "terugvordering"]
    assert app.decisions[-1].amount == Decimal("240.00")  # 1440 paid - 1200
    app = _pay_next(app, p)
    assert (app.payments[-1].kind, app.payments[-1].amount) == ("terugvordering", Decimal("240.00"))
    app = send(app, "close", p.officer2)
    assert app.status == "gesloten"
    assert_ledger_consistent()


def test_gegrond_needs_an_amount_and_a_higher_amount_must_fit_the_ceiling(people):
    p = people
    app = _paid_and_objected(p)
    assert _code(send, app, "decide_objection", p.officer2, upheld=True, motivation="Gegrond.") == "bedrag_ontbreekt"
    assert _code(send, app, "decide_objection", p.officer2, upheld=True, amount="abc",
                 motivation="Gegrond.") == "ongeldig_bedrag"
    assert _code(send, app, "decide_objection", p.officer, upheld=True, amount="2000.00",
                 motivation="Gegrond.") == "betrokken"
    budget = _budget(app)
    budget.ceiling = budget.committed + Decimal("100.00")
    db.session.commit()
    assert _code(send, app, "decide_objection", p.officer2, upheld=True, amount="2000.00",
                 motivation="Gegrond.") == "plafond_bereikt"
    db.session.refresh(app)
    assert (app.status, app.granted_amount) == ("bezwaar", Decimal("1800.00"))
    app = send(app, "decide_objection", p.officer2, upheld=True, amount="1900.00", motivation="Gegrond.")
    assert app.granted_amount == Decimal("1900.00")
    assert _budget(app).committed == _budget(app).ceiling
    assert_ledger_consistent()


def test_ongegrond_returns_to_uitbetaald(people):
    p = people
    app = _paid_and_objected(p)
    committed = _budget(app).committed
    # an amount only belongs to a gegrond herziening: with ongegrond it is refused, not ignored
    assert _code(send, app, "decide_objection", p.officer2, upheld=False, amount="2000",
                 motivation="Het maximum klopt.") == "bedrag_niet_nodig"
    app = send(app, "decide_objection", p.officer2, upheld=False, motivation="Het maximum klopt.")
    assert (app.status, app.granted_amount) == ("uitbetaald", Decimal("1800.00"))
    assert app.decisions[-1].kind == "bezwaar_ongegrond"
    assert app.decisions[-1].amount is None
    assert app.assigned_officer_id == p.officer.id  # the file goes back to its officer
    assert _budget(app).committed == committed
    app = send(app, "report_outcome", p.inwoner, result="diploma")
    assert app.status == "uitkomst_gemeld"
    assert_ledger_consistent()


def test_no_bezwaar_from_uitbetaald_after_the_term(people):
    p = people
    app = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))
    deadline = app.decisions[-1].bezwaar_deadline
    with clock.frozen(deadline):
        assert "object" in {o.name for o in available_events(app, p.inwoner)}
    with clock.frozen(deadline + timedelta(days=1)):
        assert "object" not in {o.name for o in available_events(app, p.inwoner)}
        assert _code(send, app, "object", p.inwoner, grounds="Te laat.") == "bezwaartermijn_verlopen"
    db.session.refresh(app)
    assert app.status == "uitbetaald"
    assert_ledger_consistent()


def test_bezwaar_on_the_monday_after_a_gelijkgestelde_friday_is_in_time(people):
    """Sent Thursday 2 April 2026: six weeks end on Hemelvaartsdag, Friday 15 May 2026 is
    gelijkgesteld by Royal Decree, so the last day is Monday 18 May (Atw, regeling §6)."""
    p = people
    with clock.frozen(date(2026, 4, 2)):
        app = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))
    assert app.decisions[-1].sent_on == date(2026, 4, 2)
    assert app.decisions[-1].bezwaar_deadline == date(2026, 5, 18)
    assert "18 mei 2026" in letter_html(app.decisions[-1])
    with clock.frozen(date(2026, 5, 18)):
        app = send(app, "object", p.inwoner, grounds="Ik ben het niet eens met het bedrag.")
    assert app.status == "bezwaar"
