"""The officer queue: search, the columns an officer judges by, assign to a colleague, Mijn werk."""
from __future__ import annotations

import datetime as dt

from fund.extensions import db
from fund.workflow import clock, send
from tests.web.helpers import login
from tests.workflow.conftest import make_people
from tests.workflow.helpers import in_review, submitted


def _row(html: str, number: str) -> str:
    start = html.index(number)
    return html[start:html.index("</tr>", start)]


def test_search_by_number_name_organisation_and_kvk(app):
    people = make_people()
    llo = submitted(people, "llo")
    voucher = submitted(people, "voucher")
    db.session.commit()
    client = app.test_client()
    login(client, people.officer)

    def found(q):
        html = client.get("/behandeling/", query_string={"zoek": q}).get_data(as_text=True)
        return {n for n in (llo.number, voucher.number) if n in html}

    assert found(llo.number[-6:]) == {llo.number}
    assert found(people.inwoner.name.upper()) == {llo.number}  # any case
    assert found("metaal hoogeveen") == {voucher.number}  # organisation name
    assert found(people.org.kvk_number) == {voucher.number}
    assert found("%") == set()  # a LIKE wildcard is a plain character
    # a search also finds closed files; without one the queue shows open work only
    send(llo, "withdraw", people.inwoner, reason="Toch niet.")
    db.session.commit()
    assert found(llo.number) == {llo.number}
    assert llo.number not in client.get("/behandeling/").get_data(as_text=True)


def test_columns_amount_days_left_and_marks(app):
    people = make_people()
    soon = in_review(people, "llo")
    late = submitted(people, "voucher")
    db.session.commit()
    late.decision_deadline = clock.today() - dt.timedelta(days=3)
    soon.decision_deadline = clock.today() + dt.timedelta(days=5)
    db.session.commit()
    client = app.test_client()
    login(client, people.officer)
    html = client.get("/behandeling/").get_data(as_text=True)
    row = _row(html, soon.number)
    assert people.inwoner.name in row and "nog 5 dagen" in row and "fund-badge--soon" in row
    amount = f"{soon.computed_amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert amount in row and "volgens regels" in row
    row = _row(html, late.number)
    assert "3 dagen te laat" in row and "fund-badge--late" in row
    assert people.org.name in row and f"KvK {people.org.kvk_number}" in row


def test_assign_to_a_colleague_and_mijn_werk(app):
    people = make_people()
    a = submitted(people, "llo")
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    page = officer.get("/behandeling/").get_data(as_text=True)
    assert f'<option value="{people.officer2.id}">{people.officer2.name}</option>' in page
    resp = officer.post(f"/behandeling/{a.id}/actie/assign?terug=werkvoorraad",
                        data={"assign-officer_id": str(people.officer2.id)})
    assert resp.status_code == 302
    db.session.refresh(a)
    assert a.assigned_officer_id == people.officer2.id and a.status == "in_behandeling"

    colleague = app.test_client()
    login(colleague, people.officer2)
    mine = colleague.get("/behandeling/?toegewezen=mij").get_data(as_text=True)
    assert "Mijn werk" in mine and a.number in mine
    assert a.number not in officer.get("/behandeling/?toegewezen=mij").get_data(as_text=True)
