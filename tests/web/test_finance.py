"""The finance page: who gets paid and to which account, approve many at once, the bank file, and
the bank's confirmation (fund.views.staff_finance on fund.workflow.bank)."""
from __future__ import annotations

from decimal import Decimal

from lxml import etree
from sqlalchemy import select

from tests.facts import llo_facts
from fund.extensions import db
from fund.models import Payment, PaymentBatch
from fund.models.types import Role
from fund.workflow import send
from tests.web.helpers import login
from tests.workflow.conftest import make_people, make_user
from tests.workflow.helpers import granted
from tests.workflow.test_bank import NS, XSD


def _proposed(people, n: int):
    apps = []
    for i in range(n):
        applicant = people.inwoner if i == 0 else make_user(Role.INWONER)
        app = granted(people, "llo", llo_facts(cost=f"{1000 + 100 * i}.00"), applicant=applicant)
        apps.append(send(app, "propose_payment", people.finance))
    db.session.commit()
    return apps


def test_finance_sees_payee_masked_iban_and_decision_then_approves_files_and_pays(app):
    people = make_people()
    apps = _proposed(people, 3)
    client = app.test_client()
    login(client, people.finance2)

    page = client.get("/financien/").get_data(as_text=True)
    for a in apps:
        payment = a.payments[-1]
        assert a.number in page and a.applicant.name in page and payment.decision.number in page
    assert "NL•• •••• •••• 4300" in page and "NL91ABNA0417164300" not in page  # IBAN masked

    # one batch action for all three, each still approved by a second person
    resp = client.post("/financien/goedkeuren", data={"betaling": [str(a.payments[-1].id) for a in apps]})
    assert resp.status_code == 302
    db.session.expire_all()
    payments = db.session.scalars(select(Payment).order_by(Payment.id)).all()
    assert {p.status for p in payments} == {"goedgekeurd"}
    assert {p.approved_by_id for p in payments} == {people.finance2.id}
    page = client.get("/financien/").get_data(as_text=True)
    total = sum((p.amount for p in payments), Decimal("0.00"))
    assert "Maak betaalbestand (3 betalingen" in page

    resp = client.post("/financien/betaalbestand")
    assert resp.status_code == 302
    batch = db.session.scalars(select(PaymentBatch)).one()
    assert batch.control_sum == total
    xml = client.get(f"/financien/betaalbestand/{batch.id}.xml")
    assert xml.headers["Content-Disposition"] == f'attachment; filename="betaalbestand-{batch.id}.xml"'
    doc = etree.fromstring(xml.data)
    XSD.assertValid(doc)
    assert Decimal(doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:CtrlSum", namespaces=NS)) == total

    assert "Wacht op de bank" in client.get("/financien/").get_data(as_text=True)
    client.post(f"/financien/betaalbestand/{batch.id}/betaald")
    db.session.expire_all()
    assert {p.status for p in db.session.scalars(select(Payment))} == {"betaald"}
    follow = client.post(f"/financien/betaalbestand/{batch.id}/betaald", follow_redirects=True)
    assert "al als betaald gemeld" in follow.get_data(as_text=True)


def test_own_proposals_cannot_be_ticked_and_an_empty_choice_is_explained(app):
    people = make_people()
    apps = _proposed(people, 1)
    client = app.test_client()
    login(client, people.finance)  # the one who proposed
    page = client.get("/financien/").get_data(as_text=True)
    assert "Door u voorgesteld" in page and f'name="betaling" value="{apps[0].payments[-1].id}"' not in page
    resp = client.post("/financien/goedkeuren", data={"betaling": [str(apps[0].payments[-1].id)]},
                       follow_redirects=True)
    assert "goedgekeurd door een ander" in resp.get_data(as_text=True)
    assert db.session.get(Payment, apps[0].payments[-1].id).status == "voorgesteld"
    empty = client.post("/financien/goedkeuren", data={}, follow_redirects=True)
    assert "Kies eerst een of meer betalingen" in empty.get_data(as_text=True)
