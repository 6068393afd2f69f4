"""Finance pays 20 files in one bank file: approve many at once, make the SEPA file, record the
bank's confirmation (1280 and 390 px, axe on every page). Counts the page loads."""
from __future__ import annotations

import pytest

from tests.browser.walker import Walker

pytestmark = pytest.mark.browser


@pytest.fixture
def proposed(live_app, seeded):
    """20 granted LLO files with a voorschot proposed by another finance officer."""
    from tests.facts import llo_facts
    from fund.extensions import db
    from fund.models.types import Role
    from fund.workflow import send
    from tests.workflow.conftest import make_people, make_user
    from tests.workflow.helpers import granted

    _, app = live_app
    with app.app_context():
        people = make_people()
        numbers = []
        for i in range(20):
            applicant = people.inwoner if i == 0 else make_user(Role.INWONER)
            a = granted(people, "llo", llo_facts(cost=f"{1000 + 50 * i}.00"), applicant=applicant)
            numbers.append(send(a, "propose_payment", people.finance).number)
        db.session.commit()
        db.session.remove()
    return numbers


@pytest.mark.parametrize("width", [1280, 390])
def test_twenty_payments_in_one_bank_file(browser, live_app, seeded, proposed, width):
    base_url, app = live_app
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    w = Walker(page, base_url)
    w.login(seeded["finance"])
    loads_before = w.loads
    w.goto("/financien/", screenshot=f"70-financien-goedkeuren-{width}")
    body = w.page.locator("main").inner_text()
    assert all(n in body for n in proposed)
    assert "NL•• •••• •••• 4300" in body and "NL91ABNA0417164300" not in body
    boxes = w.page.locator('input[name="betaling"]')
    assert boxes.count() == 20
    w.page.get_by_label("Kies alle betalingen die u mag goedkeuren").check()  # one click for all 20
    assert all(boxes.nth(i).is_checked() for i in range(20))
    w.submit(button="Gekozen betalingen goedkeuren", screenshot=f"71-financien-betaalbestand-{width}")
    assert "20 van de 20 betalingen zijn goedgekeurd" in w.flash()
    w.click(w.page.get_by_role("button", name="Maak betaalbestand (20 betalingen", exact=False),
            screenshot=f"72-financien-bestand-gemaakt-{width}")
    assert "20 betalingen" in w.flash()
    with w.page.expect_download() as download:
        w.page.get_by_role("link", name="Betaalbestand 1").click()
    xml = open(download.value.path(), "rb").read()
    from lxml import etree

    from tests.workflow.test_bank import NS, XSD

    doc = etree.fromstring(xml)
    XSD.assertValid(doc)
    assert doc.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:NbOfTxs", namespaces=NS) == "20"
    w.click(w.page.get_by_role("button", name="Betaalbestand 1: de bank heeft betaald"),
            screenshot=f"73-financien-betaald-{width}")
    assert "staat op betaald" in w.flash()
    # from the finance page: one load, one batch approval, one file, one confirmation
    assert w.loads - loads_before == 4
    w.all_pages_checked()
    with app.app_context():
        from sqlalchemy import select

        from fund.extensions import db
        from fund.models import Payment

        assert {p.status for p in db.session.scalars(select(Payment))} == {"betaald"}
        db.session.remove()
