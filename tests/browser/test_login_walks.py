"""Login walks in a real browser at 1280 and 390 px, axe-checked: staff enrol their second factor
and log in with a code; an inwoner logs in with DigiD through a real OpenID Connect provider
(oidc-provider-mock on loopback) and a werkgever with eHerkenning."""
from __future__ import annotations

import re

import pyotp
import pytest
import requests
from oidc_provider_mock import run_server_in_thread

from tests.browser.walker import Walker
from tests.web.helpers import ADDRESS, PASSWORD

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_enrol_second_factor_and_log_in_with_a_code(browser, live_app, seeded, width):
    base_url, app = live_app
    app.config["FUND_STAFF_TOTP"] = True
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.goto("/auth/login")
    w.submit({"email": seeded["officer"], "password": PASSWORD}, button="Inloggen",
             screenshot=f"2fa-enrol-{width}")
    assert w.page.url.endswith("/auth/tweede-stap/instellen")
    assert w.page.locator("img.fund-qr").get_attribute("src").startswith("data:image/svg+xml")
    secret = w.page.locator(".fund-secret").inner_text().replace(" ", "")
    w.submit({"code": "000000"}, screenshot=f"2fa-enrol-error-{width}")
    assert "Deze code klopt niet" in w.page.content()
    w.submit({"code": pyotp.TOTP(secret).now()}, screenshot=f"2fa-recovery-codes-{width}")
    codes = re.findall(r"[0-9a-f]{5}-[0-9a-f]{5}", w.page.locator("main").inner_text())
    assert len(codes) == 10
    w.click(w.page.get_by_role("link", name=re.compile("Ik heb de codes bewaard")))
    assert "/behandeling/" in w.page.url
    w.logout()
    w.goto("/auth/login")
    w.submit({"email": seeded["officer"], "password": PASSWORD}, button="Inloggen",
             screenshot=f"2fa-code-{width}")
    assert w.page.url.endswith("/auth/tweede-stap")
    w.submit({"code": codes[0]})
    assert "/behandeling/" in w.page.url and "herstelcode" in w.flash()
    w.all_pages_checked()
    ctx.close()


def _configure(app, issuer):
    from fund.identity.oidc import init_oidc
    from fund.identity.providers import providers_from_env

    base = app.config["FUND_BASE_URL"]
    reg = requests.post(f"{issuer}/oauth2/clients", timeout=5, json={"redirect_uris": [
        f"{base}/auth/oidc/digid/callback", f"{base}/auth/oidc/eherkenning/callback"]}).json()
    env = {}
    for name in ("DIGID", "EHERKENNING"):
        env |= {f"FUND_OIDC_{name}_ISSUER": issuer, f"FUND_OIDC_{name}_CLIENT_ID": reg["client_id"],
                f"FUND_OIDC_{name}_CLIENT_SECRET": reg["client_secret"]}
    app.config["FUND_OIDC_PROVIDERS"] = providers_from_env(env)
    init_oidc(app)


def _at_broker(w: Walker, sub: str) -> None:
    """The provider's own page (not ours, so not axe-checked): log in as ``sub``."""
    w.page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    w.page.fill('input[name="sub"]', sub)
    with w.page.expect_navigation(url=re.compile(re.escape(w.base_url) + ".*")):
        w.page.get_by_role("button", name="Authorize").click()
    w.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_digid_and_eherkenning_through_a_real_provider(browser, live_app, seeded, width):
    base_url, app = live_app
    with run_server_in_thread(require_client_registration=True, require_nonce=True) as server:
        issuer = f"http://localhost:{server.server_port}"
        _configure(app, issuer)
        requests.put(f"{issuer}/users/anna", timeout=5,
                     json={"bsn": "111222333", "loa": "substantieel"}).raise_for_status()
        requests.put(f"{issuer}/users/bert", timeout=5,
                     json={"bsn": "123456782", "loa": "midden"}).raise_for_status()
        requests.put(f"{issuer}/users/piet", timeout=5,
                     json={"kvk": "11112222", "loa": "eh3"}).raise_for_status()
        ctx = browser.new_context(viewport={"width": width, "height": 900})
        w = Walker(ctx.new_page(), base_url)
        w.goto("/auth/login", screenshot=f"login-oidc-{width}")
        # DigiD Midden is too low
        w.page.get_by_role("link", name="Inloggen met DigiD").click()
        _at_broker(w, "bert")
        assert "minimaal DigiD Substantieel nodig" in w.flash()
        w.check(screenshot=f"digid-too-low-{width}")
        # DigiD Substantieel: the new inwoner gives e-mail and address, no BSN
        w.page.get_by_role("link", name="Inloggen met DigiD").click()
        _at_broker(w, "anna")
        assert w.page.url.endswith("/auth/oidc/gegevens")
        w.check(screenshot=f"digid-details-{width}")
        w.submit({"email": f"anna{width}@voorbeeld.nl", **ADDRESS}, button="Opslaan")
        assert "/mijn/aanvragen" in w.page.url
        w.goto("/mijn/gegevens", screenshot=f"digid-my-details-{width}")
        assert "Koppelen aan DigiD" not in w.page.content()
        # RP-initiated logout: the provider's end-session page, then back home
        w.page.get_by_role("button", name=re.compile("^Uitloggen")).click()
        w.page.wait_for_url(re.compile(r".*/oauth2/end_session.*"))
        with w.page.expect_navigation(url=re.compile(re.escape(base_url) + ".*")):
            w.page.get_by_role("button", name="End session").click()
        w.check()
        # eHerkenning: a werkgever of Bakkerij Bos
        w.goto("/auth/login")
        w.page.get_by_role("link", name="Inloggen met eHerkenning").click()
        _at_broker(w, "piet")
        w.submit({"email": f"piet{width}@voorbeeld.nl", **ADDRESS}, button="Opslaan")
        w.goto("/mijn/organisatie", screenshot=f"eherkenning-organisation-{width}")
        assert "Bakkerij Bos" in w.page.content()
        ctx.close()
    # the provider is down now
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.goto("/auth/login")
    w.click(w.page.get_by_role("link", name="Inloggen met DigiD"), screenshot=f"digid-down-{width}")
    assert "DigiD is nu niet bereikbaar" in w.flash()
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_admin_resets_a_colleagues_second_factor(browser, live_app, seeded, width):
    base_url, app = live_app
    app.config["FUND_STAFF_TOTP"] = True
    with app.app_context():  # the officer enrolled earlier
        from sqlalchemy import select

        from fund.extensions import db
        from fund.identity import second_factor
        from fund.models import User

        officer = db.session.scalar(select(User).where(User.email == seeded["officer"]))
        second_factor.start_enrolment(officer)
        second_factor.confirm_enrolment(officer, pyotp.TOTP(officer.totp_secret).now(),
                                        second_factor.now())
        db.session.commit()
        officer_id = officer.id
        db.session.remove()
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    w = Walker(ctx.new_page(), base_url)
    w.goto("/auth/login")
    w.submit({"email": seeded["admin"], "password": PASSWORD}, button="Inloggen")
    secret = w.page.locator(".fund-secret").inner_text().replace(" ", "")
    w.submit({"code": pyotp.TOTP(secret).now()})
    w.click(w.page.get_by_role("link", name=re.compile("Ik heb de codes bewaard")))
    w.goto(f"/beheer/gebruikers/{officer_id}", screenshot=f"admin-second-factor-{width}")
    w.submit(button="Tweede stap wissen", screenshot=f"admin-second-factor-reset-{width}")
    assert "is gewist" in w.flash()
    assert "nog geen tweede stap ingesteld" in w.page.content()
    w.all_pages_checked()
    ctx.close()
