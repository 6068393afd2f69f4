"""The officer's queue at 1280 and 390 px: search, marks, assign to a colleague (axe on every page)."""
from __future__ import annotations

import pytest

from tests.browser.walker import Walker

pytestmark = pytest.mark.browser


@pytest.fixture
def files(live_app, seeded):
    from fund.extensions import db
    from tests.workflow.conftest import make_people
    from tests.workflow.helpers import submitted

    _, app = live_app
    with app.app_context():
        people = make_people()
        numbers = [submitted(people, "llo").number, submitted(people, "voucher").number]
        db.session.commit()
        db.session.remove()
    return numbers


@pytest.mark.parametrize("width", [1280, 390])
def test_officer_searches_and_assigns(browser, live_app, seeded, files, width):
    base_url, _ = live_app
    w = Walker(browser.new_context(viewport={"width": width, "height": 900}).new_page(), base_url)
    w.login(seeded["officer"])
    w.goto("/behandeling/", screenshot=f"80-werkvoorraad-{width}")
    w.submit({"zoek": "metaal hoogeveen"}, button="Toon", screenshot=f"81-zoeken-{width}")
    body = w.page.locator("main").inner_text()
    assert files[1] in body and files[0] not in body
    assert "zoek=metaal+hoogeveen" in w.page.url  # bookmarkable
    w.page.get_by_label(f"Toewijzen {files[1]} aan").select_option(label="Officer2")
    w.click(w.page.get_by_role("button", name=f"{files[1]} toewijzen aan wie gekozen is"))
    assert "Officer2" in w.page.locator("main").inner_text()
    w.all_pages_checked()
