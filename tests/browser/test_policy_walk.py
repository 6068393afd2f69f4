"""The beleidsmedewerker lowers the 2026 LLO maximum and reads the simulation (1280 and 390 px)."""
from __future__ import annotations

import pytest

from tests.browser.walker import Walker

pytestmark = pytest.mark.browser


@pytest.fixture
def received(live_app, seeded):
    from tests.facts import llo_facts
    from fund.extensions import db
    from tests.workflow.conftest import make_people
    from tests.workflow.helpers import submitted

    _, app = live_app
    with app.app_context():
        people = make_people()
        numbers = [submitted(people, "llo", llo_facts(cost=c)).number for c in ("1200.00", "2400.00", "3000.00")]
        db.session.commit()
        db.session.remove()
    return numbers


@pytest.mark.parametrize("width", [1280, 390])
def test_beleidsmedewerker_simulates_a_lower_maximum(browser, live_app, seeded, received, width):
    base_url, _ = live_app
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    w = Walker(page, base_url)
    w.login(seeded["beleid"])
    assert "/beleid/simulatie" in w.page.url
    w.goto("/beleid/simulatie?regelset=llo-2026", screenshot=f"60-simulatie-formulier-{width}")
    w.submit({"p_maximum_overig": "veel"}, button="Start de simulatie")
    assert "is geen getal" in w.flash()
    w.submit({"p_maximum_overig": "2000,00"}, button="Start de simulatie", screenshot=f"61-simulatie-uitkomst-{width}")
    body = w.page.locator("main").inner_text()
    assert "Aanvragen die veranderen (2)" in body
    assert received[1] in body and received[2] in body and received[0] not in body
    w.click(w.page.get_by_role("link", name="Terug naar de simulatie"), screenshot=f"62-simulatie-eerder-{width}")
    assert "Eerdere simulaties" in w.page.locator("main").inner_text()
    w.all_pages_checked()


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_says_when_the_budget_runs_out(browser, live_app, seeded, received, width):
    base_url, _ = live_app
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    w = Walker(page, base_url)
    w.login(seeded["supervisor"])
    w.goto("/verantwoording/dashboard", screenshot=f"63-dashboard-budget-op-{width}")
    section = w.page.locator("section", has=w.page.get_by_role("heading", name="Wanneer is het budget op?"))
    row = section.get_by_role("row", name="Ontwikkelbudget (LLO-traject) 2026")
    # The three applications received today wait for a decision and set the pace.
    assert "3 aanvragen" in row.inner_text()
    assert "Genoeg tot het einde van het tijdvak (31 december 2026)" in row.inner_text()
    w.all_pages_checked()
