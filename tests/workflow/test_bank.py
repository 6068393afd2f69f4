"""After approval: one SEPA file (pain.001.001.03, checked against the XSD), then paid when the
bank confirms; terugvorderingen are money to receive (fund.workflow.bank)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
from flask import current_app
from lxml import etree
from sqlalchemy import func, select

from fund.audit import verify
from tests.facts import llo_facts
from fund.extensions import db
from fund.models import AuditEvent, Budget, Payment, PaymentBatch
from fund.models.outbox import OutboxMessage as Outbox
from fund.workflow import WorkflowError, bank, send
from tests.workflow.conftest import make_user
from tests.workflow.helpers import bank_confirms, granted, paid_voorschot

# The XSD as published by ISO 20022 for pain.001.001.03, as shipped with sepaxml; validated here
# with lxml (libxml2), a second validator next to the xmlschema check sepaxml runs itself.
XSD = etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")))
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"}


def _approved(people, app):
    app = send(app, "propose_payment", people.finance)
    return send(app, "approve_payment", people.finance2, payment_id=app.payments[-1].id)


def _three_approved(people):
    from fund.models.types import Role

    first = _approved(people, granted(people, "llo", llo_facts(cost="1800.00")))
    second = _approved(people, granted(people, "llo", llo_facts(cost="1000.00"), applicant=make_user(Role.INWONER)))
    voucher = _approved(people, granted(people, "voucher"))
    return [first, second, voucher]


def _doc(xml: bytes):
    doc = etree.fromstring(xml)
    XSD.assertValid(doc)
    return doc


def _code(fn, *args, **kw) -> str:
    with pytest.raises(WorkflowError) as info:
        fn(*args, **kw)
    return info.value.code


def test_a_file_of_approved_payments_is_valid_and_adds_up(people):
    apps = _three_approved(people)
    payments = [a.payments[-1] for a in apps]
    assert [p.status for p in payments] == ["goedgekeurd"] * 3
    assert {p.id for p in bank.ready_for_file()} == {p.id for p in payments}

    batch = bank.make_batch(people.finance)

    doc = _doc(batch.xml)
    total = sum((p.amount for p in payments), Decimal("0.00"))
    assert doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "3"
    assert Decimal(doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == total == batch.control_sum
    info = doc.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    debtor = current_app.config["FUND_DEBTOR"]
    assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == debtor.name
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == debtor.iban
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == debtor.bic
    lines = {t.findtext("p:PmtId/p:EndToEndId", namespaces=NS): t for t in info.findall("p:CdtTrfTxInf", NS)}
    assert set(lines) == {f"DOF-BET-{p.id}" for p in payments}
    for p in payments:
        line = lines[f"DOF-BET-{p.id}"]
        assert Decimal(line.findtext("p:Amt/p:InstdAmt", namespaces=NS)) == p.amount
        assert line.findtext("p:Cdtr/p:Nm", namespaces=NS) == bank.payee(p)
        assert line.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == p.application.iban
        text = line.findtext("p:RmtInf/p:Ustrd", namespaces=NS)
        assert p.application.number in text and p.decision.number in text
    # the voucher is paid to the organisation, the LLO trajects to the person
    assert bank.payee(payments[2]) == apps[2].organisation.name
    assert bank.payee(payments[0]) == apps[0].applicant.name

    db.session.expire_all()
    assert {p.status for p in db.session.scalars(select(Payment))} == {"in_betaalbestand"}
    assert {p.batch_id for p in db.session.scalars(select(Payment))} == {batch.id}
    assert bank.ready_for_file() == []
    # money has not moved yet: the ledger does not count it
    assert all(b.paid == 0 for b in db.session.scalars(select(Budget)))
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "payment_in_file")).all()
    assert sorted(e.application_id for e in events) == sorted(a.id for a in apps)
    made = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "payment_file_made")).one()
    assert made.data["sha256"] == batch.sha256 and made.data["count"] == 3
    assert verify()[1] is None
    # AVG: no IBAN in the audit trail (it is exported to auditors)
    assert not any("NL91ABNA" in str(e.data) for e in db.session.scalars(select(AuditEvent)))


def test_a_payment_is_never_in_two_files(people):
    apps = _three_approved(people)
    ids = [a.payments[-1].id for a in apps]
    bank.make_batch(people.finance, ids[:2])
    assert _code(bank.make_batch, people.finance, ids) == "al_in_bestand"
    third = bank.make_batch(people.finance)  # only what is left
    assert [p.id for p in third.payments] == [ids[2]]
    assert _code(bank.make_batch, people.finance) == "niets_te_betalen"
    assert db.session.scalar(select(func.count()).select_from(PaymentBatch)) == 2
    assert sorted(b.control_sum for b in db.session.scalars(select(PaymentBatch))) == sorted(
        [apps[2].payments[-1].amount, apps[0].payments[-1].amount + apps[1].payments[-1].amount])


def test_the_bank_confirms_then_the_ledger_counts_and_the_applicant_hears(people):
    apps = _three_approved(people)
    batch = bank.make_batch(people.finance)
    before = db.session.scalar(select(func.count()).select_from(Outbox).where(Outbox.subject.ilike("%betaald%")))

    bank.batch_paid(people.finance, batch.id)

    db.session.expire_all()
    payments = db.session.scalars(select(Payment).order_by(Payment.id)).all()
    assert {p.status for p in payments} == {"betaald"} and all(p.paid_at for p in payments)
    for instrument in ("llo", "voucher"):
        budget = db.session.scalar(select(Budget).where(Budget.instrument == instrument))
        assert budget.paid == sum((p.amount for p in payments if p.application.instrument == instrument), Decimal(0))
    mails = db.session.scalars(select(Outbox).where(Outbox.subject.ilike("%betaald%"))).all()
    # one per applicant, and the werkgever's colleague hears of the voucher's payment too (issue 14)
    assert len(mails) - before == 3 + sum(1 for a in apps if a.organisation_id)
    assert {m.application_id for m in mails} >= {a.id for a in apps}
    assert _code(bank.batch_paid, people.finance, batch.id) == "al_betaald"
    assert db.session.scalars(select(AuditEvent.event).where(AuditEvent.event == "payment_paid")).all() == ["payment_paid"] * 3


def test_a_terugvordering_is_money_to_receive_not_a_transfer(people):
    p = people
    app = paid_voorschot(p, "llo", llo_facts(cost="1800.00"))  # 1,440 paid through a bank file
    app = send(app, "report_outcome", p.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", p.officer)
    app = _approved(p, app)
    reclaim = app.payments[-1]
    assert (reclaim.kind, reclaim.amount, reclaim.status) == ("terugvordering", Decimal("740.00"), "goedgekeurd")
    assert bank.ready_for_file() == [] and bank.to_receive() == [reclaim]
    assert _code(bank.make_batch, p.finance, [reclaim.id]) == "onbekende_betaling"
    budget = db.session.scalar(select(Budget).where(Budget.instrument == "llo"))
    assert budget.paid == Decimal("1440.00")

    bank.reclaim_received(p.finance, reclaim.id)

    db.session.expire_all()
    assert db.session.get(Payment, reclaim.id).status == "betaald"
    assert db.session.scalar(select(Budget).where(Budget.instrument == "llo")).paid == Decimal("700.00")
    assert _code(bank.reclaim_received, p.finance, reclaim.id) == "niet_open"


def test_a_wrong_iban_is_named_and_nothing_changes(people):
    apps = _three_approved(people)
    apps[1].iban = "NL00ABNA0417164300"  # fails the IBAN check digits
    db.session.commit()
    with pytest.raises(WorkflowError) as info:
        bank.make_batch(people.finance)
    assert info.value.code == "iban_onjuist" and apps[1].number in info.value.message
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PaymentBatch)) == 0
    assert {p.status for p in db.session.scalars(select(Payment))} == {"goedgekeurd"}
    # the other two can go
    batch = bank.make_batch(people.finance, [apps[0].payments[-1].id, apps[2].payments[-1].id])
    assert batch.count == 2


def test_production_needs_the_funds_own_account(people):
    _three_approved(people)
    before = current_app.config["FUND_ENV"]
    current_app.config["FUND_ENV"] = "production"
    try:
        assert _code(bank.make_batch, people.finance) == "geen_rekening"
    finally:
        current_app.config["FUND_ENV"] = before


def test_the_iban_is_masked_on_screens():
    assert bank.masked_iban("NL91ABNA0417164300") == "NL•• •••• •••• 4300"
    assert bank.masked_iban(None) == "geen IBAN"


def test_fund_payments_sepa_on_the_command_line(people, tmp_path):
    from fund.workflow.bank_cli import payments_cli

    apps = _three_approved(people)
    runner = current_app.test_cli_runner()
    out = tmp_path / "betaalbestand.xml"
    result = runner.invoke(payments_cli, ["sepa", "--output", str(out), "--door", people.finance.email])
    assert result.exit_code == 0, result.output
    total = sum((a.payments[-1].amount for a in apps), Decimal("0.00"))
    assert f"3 betalingen, samen EUR {total:.2f}" in result.output
    doc = _doc(out.read_bytes())
    assert Decimal(doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == total
    again = runner.invoke(payments_cli, ["sepa", "--output", str(out), "--door", people.finance.email])
    assert again.exit_code == 1 and "geen goedgekeurde betalingen" in again.output
    wrong = runner.invoke(payments_cli, ["sepa", "--output", str(out), "--door", people.inwoner.email])
    assert wrong.exit_code == 1 and "geen actieve medewerker financiën" in wrong.output
    status = runner.invoke(payments_cli, ["status"])
    assert "wacht op bevestiging van de bank" in status.output
    batch_id = db.session.scalar(select(PaymentBatch.id))
    paid = runner.invoke(payments_cli, ["paid", str(batch_id), "--door", people.finance.email])
    assert paid.exit_code == 0 and "3 betalingen staan nu op betaald" in paid.output


def test_the_demo_data_makes_a_valid_file_of_its_approved_payments(app):
    from fund.demo.seed import seed

    seed()
    db.session.commit()
    ready = bank.ready_for_file()
    assert len(ready) >= 2  # the demo's "uitbetaald" files: approved, not yet in a file
    finance = db.session.scalars(select(Payment.approved_by_id)).first()
    from fund.models import User

    batch = bank.make_batch(db.session.get(User, finance))
    doc = _doc(batch.xml)
    assert Decimal(doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == sum(
        (p.amount for p in ready), Decimal("0.00")) == batch.control_sum
    assert int(doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS)) == len(ready)


def test_settled_in_full_counts_approved_orders(people):
    """The vaststelling works from what was approved, paid or not yet (payments.DONE)."""
    p = people
    app = granted(p, "llo", llo_facts(cost="1800.00"))
    app = _approved(p, app)  # 1,440 approved, not yet in a file
    app = send(app, "report_outcome", p.inwoner, result="certificaat", incurred_costs="1800.00")
    app = send(app, "settle", p.officer)
    app = _approved(p, app)
    assert [(x.kind, x.amount) for x in app.payments] == [("voorschot", Decimal("1440.00")), ("rest", Decimal("360.00"))]
    bank_confirms(p, app)
    db.session.expire_all()
    assert db.session.scalar(select(Budget).where(Budget.instrument == "llo")).paid == Decimal("1800.00")
