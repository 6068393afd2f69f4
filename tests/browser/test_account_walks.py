"""The account and error texts of issue 14 (docs/citizen-texts.md, third round) in a real browser
at 1280 and 390 px, axe-checked: a failed login, a dead password link, a werkgever who leaves the
organisation boxes empty, and a page that does not exist."""
from __future__ import annotations

import pytest

from tests.browser.walker import Walker

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", (1280, 390))
def test_account_errors_say_what_to_do(browser, live_app, seeded, width):
    base_url, _app = live_app
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.goto("/auth/login")
    w.submit({"email": seeded["inwoner"], "password": "niet-het-wachtwoord"}, button="Inloggen",
             screenshot=f"account-login-failed-{width}")
    assert "Kijk ze allebei na en probeer het opnieuw." in w.flash()
    w.goto("/auth/wachtwoord/een-oude-link", screenshot=f"account-dead-link-{width}")
    assert "Misschien heeft u de link al gebruikt, of is hij te oud." in w.page.content()
    w.click(w.page.get_by_role("link", name="Vraag een nieuwe link aan"))
    assert w.page.url.endswith("/auth/wachtwoord-vergeten")
    w.goto("/auth/registreren")
    w.submit({"account_type": "werkgever", "name": "Bea", "email": f"bea{width}@voorbeeld.nl",
              "password": "blauwe tram rijdt vannacht", "password_repeat": "blauwe tram rijdt vannacht",
              "street": "Hoofdstraat", "house_number": "12", "postcode": "7811 EA", "city": "Emmen"},
             button="Account maken", screenshot=f"account-werkgever-empty-{width}")
    summary = w.page.locator(".fund-error-summary").inner_text()
    assert "Er zijn 3 dingen niet goed ingevuld" in summary
    assert "Vul het KvK-nummer van de organisatie in." in summary
    assert "Kies de gemeente van de vestiging." in summary
    w.goto("/bestaat-niet", screenshot=f"account-not-found-{width}")
    assert "Heeft u het adres zelf getypt? Kijk dan of het goed is." in w.page.content()
    w.all_pages_checked()
    ctx.close()
