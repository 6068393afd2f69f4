"""Driving applications through the workflow in tests."""
from __future__ import annotations

from fund.demo.applications import attach_required_documents
from tests.facts import llo_facts, praktijkverklaring_facts, voucher_facts
from fund.workflow import create_application, send


def submitted(people, instrument: str = "llo", facts: dict | None = None, *, applicant=None, title="Test"):
    if instrument == "voucher":
        applicant = applicant or people.werkgever
        facts = facts or voucher_facts(people.org)
    elif instrument == "praktijkverklaring":
        applicant = applicant or people.inwoner
        facts = facts or praktijkverklaring_facts()
    else:
        applicant = applicant or people.inwoner
        facts = facts or llo_facts()
    app = create_application(applicant, instrument, facts, title=title, iban="NL91ABNA0417164300")
    attach_required_documents(app, applicant)
    return send(app, "submit", applicant)


def in_review(people, instrument: str = "llo", facts: dict | None = None, **kw):
    app = submitted(people, instrument, facts, **kw)
    return send(app, "assign", people.officer)


def granted(people, instrument: str = "llo", facts: dict | None = None, **kw):
    app = in_review(people, instrument, facts, **kw)
    app = send(app, "grant", people.officer)
    if app.status == "besluit_voorgesteld":
        app = send(app, "co_sign", people.supervisor, approve=True)
    return app


def bank_confirms(people, app):
    """What finance does after an approval: the approved payment in a SEPA file and the bank's
    confirmation, or the money of an approved terugvordering received (fund.workflow.bank)."""
    from fund.extensions import db
    from fund.workflow import bank

    bank.carry_out_approved(people.finance, app)
    db.session.expire_all()
    return app


def paid_voorschot(people, instrument: str = "llo", facts: dict | None = None, **kw):
    app = granted(people, instrument, facts, **kw)
    app = send(app, "propose_payment", people.finance)
    return bank_confirms(people, send(app, "approve_payment", people.finance2, payment_id=app.payments[-1].id))
