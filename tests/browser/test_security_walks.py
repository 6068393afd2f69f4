"""The issue-12 messages in a real browser at 1280 and 390 px, axe-checked: growing waits after
wrong passwords, and a session that expired after two idle hours."""
from __future__ import annotations

import pytest

from fund.identity import sessions, throttle
from tests.browser.walker import Walker
from tests.web.helpers import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", (1280, 390))
def test_wrong_passwords_wait_and_an_idle_session_expires(browser, live_app, seeded, width, monkeypatch):
    base_url, _app = live_app
    clock = {"now": 1_800_000_000.0}
    monkeypatch.setattr(throttle, "_now", lambda: clock["now"])
    monkeypatch.setattr(sessions, "_now", lambda: clock["now"])
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.goto("/auth/login")
    for _ in range(4):
        w.submit({"email": seeded["inwoner"], "password": "niet-het-wachtwoord"}, button="Inloggen")
    w.submit({"email": seeded["inwoner"], "password": PASSWORD}, button="Inloggen",
             screenshot=f"security-login-wait-{width}")
    assert "Wacht 2 seconden en probeer het dan opnieuw" in w.flash()
    clock["now"] += 2
    w.login(seeded["inwoner"])
    assert "/mijn/aanvragen" in w.page.url
    clock["now"] += 121 * 60  # two hours and a minute without a request
    w.goto("/mijn/aanvragen", screenshot=f"security-session-expired-{width}")
    assert "/auth/login" in w.page.url
    assert "U bent uitgelogd, omdat u een tijd niets deed of al lang was ingelogd." in w.flash()
    ctx.close()
