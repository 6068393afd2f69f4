"""The delivery screens in Chromium at desktop and phone width, axe-core on every page:
Mijn gegevens (address, with a bad postcode), the admin's Berichten, the officer's Dagoverzicht
and the development inbox."""
from __future__ import annotations

import pytest

from tests.browser.walker import Walker


@pytest.mark.parametrize("width", [1280, 390])
def test_delivery_pages(browser, live_app, seeded, width):
    base_url, _ = live_app
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.login(seeded["inwoner"])
    w.goto("/mijn/gegevens", screenshot=f"50-mijn-gegevens-{width}")
    w.submit({"street": "Hoofdstraat", "house_number": "12", "postcode": "0811 AB", "city": "Emmen"},
             button="Adres opslaan", screenshot=f"51-mijn-gegevens-fout-{width}")
    assert "Deze postcode klopt niet" in w.page.content()
    assert w.page.title().startswith("Fout:")
    w.submit({"postcode": "7811 ab"}, button="Adres opslaan")
    assert "Uw adres is opgeslagen." in w.flash()
    assert w.page.locator('[name="postcode"]').input_value() == "7811 AB"
    w.logout()

    w.login(seeded["officer"])
    w.click(w.page.get_by_role("link", name="Dagoverzicht"), screenshot=f"52-dagoverzicht-{width}")
    w.submit({"daily_summary": "nee"}, button="Opslaan")
    assert "niet meer" in w.flash()
    w.logout()

    w.login(seeded["admin"])
    w.click(w.page.get_by_role("link", name="Berichten"), screenshot=f"53-berichten-{width}")
    assert "Aantal berichten per soort" in w.page.content()
    w.goto("/dev/mail", screenshot=f"54-dev-mail-{width}")
    w.all_pages_checked()
