"""The staff workbench measured (issue 13): from the queue an officer claims and decides an eligible
file, a supervisor co-signs it. Counts page loads and clicks per file (docs/workbench.md), with axe
on every page at 1280 and 390 px. Paying it with 19 others is tests/browser/test_finance_walk.py."""
from __future__ import annotations

import re

import pytest

from tests.browser.walker import Walker

pytestmark = pytest.mark.browser


@pytest.fixture
def eligible(live_app, seeded):
    """An eligible LLO file of the prioritaire doelgroep (€ 3.200 > vier-ogen threshold), with a PDF."""
    import io

    from werkzeug.datastructures import FileStorage

    from tests.facts import llo_facts
    from fund.documents import store_upload
    from fund.extensions import db
    from tests.web.helpers import PDF
    from tests.workflow.conftest import make_people
    from tests.workflow.helpers import submitted

    _, app = live_app
    with app.app_context():
        people = make_people()
        a = submitted(people, "llo", llo_facts(cost="3200.00", has_startkwalificatie=False))
        store_upload(a, FileStorage(io.BytesIO(PDF), "offerte.pdf"), "offerte", people.inwoner)
        db.session.commit()
        number = a.number
        db.session.remove()
    return number


@pytest.mark.parametrize("width", [1280, 390])
def test_claim_decide_and_co_sign(browser, live_app, seeded, eligible, width):
    base_url, _ = live_app
    o = Walker(browser.new_context(viewport={"width": width, "height": 900}).new_page(), base_url)
    o.login(seeded["officer"])
    o.goto(f"/behandeling/?zoek={eligible}", screenshot=f"90-werkvoorraad-{width}")
    start, clicks = o.loads, 0
    o.click(o.page.get_by_role("button", name=f"{eligible} oppakken"), screenshot=f"91-beoordelen-{width}")
    clicks += 1
    assert "Behandelaar: " + "Officer" in o.page.locator("main").inner_text()
    # two columns at desktop width: the panel beside the answers, not under them
    main, panel = (o.page.locator(sel).bounding_box() for sel in (".fund-review__main", ".fund-review__panel"))
    assert (panel["x"] > main["x"] + main["width"] - 1) == (width >= 1024), (main, panel)
    # passes collapsed, the decision panel shows one action at a time
    assert o.page.locator("details.fund-details", has_text="in orde").get_attribute("open") is None
    grant = o.page.locator("form.fund-event-form", has=o.page.get_by_role("heading", name="Verlenen"))
    assert not grant.is_visible()
    o.page.locator("details.fund-decision > summary", has_text="Verlenen").click()
    clicks += 1
    o.page.locator('input[name="grant-deviate"][value="nee"]').check()
    o.page.locator('[name="grant-motivation"]').fill("De opleiding past in de regeling.")
    clicks += 1  # the radio; typing is not a click
    o.click(grant.get_by_role("button", name="Verlenen"), screenshot=f"92-controleren-{width}")
    clicks += 1
    text = o.page.locator("main").inner_text()
    assert "Toekenning (verlening) van € 3.200,00" in text and "tweede medewerker" in text
    o.click(o.page.get_by_role("button", name="Ja, verlenen"), screenshot=f"93-voorgesteld-{width}")
    clicks += 1
    assert "wacht op tweede handtekening" in o.page.content()
    officer_loads, officer_clicks = o.loads - start, clicks
    assert officer_loads <= 3, officer_loads
    o.all_pages_checked()

    s = Walker(browser.new_context(viewport={"width": width, "height": 900}).new_page(), base_url)
    s.login(seeded["supervisor"])
    s.goto("/behandeling/vier-ogen", screenshot=f"94-vier-ogen-{width}")
    start, clicks = s.loads, 0
    s.click(s.page.get_by_role("link", name=eligible), screenshot=f"95-medeondertekenen-{width}")
    clicks += 1
    # the proposal comes first, before the answers
    assert s.page.locator("#voorstel-kop").bounding_box()["y"] < s.page.locator("#gegevens-kop").bounding_box()["y"]
    form = s.page.locator("form.fund-event-form", has=s.page.get_by_role("heading", name="Besluit medeondertekenen"))
    assert form.is_visible()  # open: it is what the supervisor came for
    s.page.locator('input[name="co_sign-approve"][value="ja"]').check()
    s.click(form.get_by_role("button", name="Besluit medeondertekenen"), screenshot=f"96-verleend-{width}")
    clicks += 2
    assert "Verleend" in s.page.content()
    supervisor_loads = s.loads - start
    assert supervisor_loads <= 2, supervisor_loads
    s.all_pages_checked()
    print(f"\nwidth {width}: officer {officer_loads} loads / {officer_clicks} clicks, "
          f"supervisor {supervisor_loads} loads / {clicks} clicks")
