"""DigiD and eHerkenning through a REAL OpenID Connect provider (oidc-provider-mock, started on
loopback by these tests): real discovery, JWKS, RS256-signed ID tokens, PKCE and nonce."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from oidc_provider_mock import run_server_in_thread
from sqlalchemy import select

from fund.extensions import db
from fund.identity.oidc import init_oidc
from fund.identity.providers import providers_from_env
from fund.models import AuditEvent, LoginIdentity, Organisation, OutboxMessage, User
from tests.web.helpers import ADDRESS, PASSWORD, submit_llo

DIGID_SUBSTANTIEEL = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
DIGID_MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
EH3 = "urn:etoegang:core:assurance-class:loa3"
CALLBACKS = ["http://localhost/auth/oidc/digid/callback",
             "http://localhost/auth/oidc/eherkenning/callback"]


def _broker(**kwargs):
    return run_server_in_thread(require_client_registration=True, require_nonce=True, **kwargs)


@pytest.fixture(scope="module")
def broker():
    with _broker() as server:
        yield f"http://localhost:{server.server_port}"


def _configure(app, issuer, **extra):
    """Register this app as a client at the broker (a real client secret) and point both
    providers at it, the way the environment does in production."""
    reg = requests.post(f"{issuer}/oauth2/clients", json={"redirect_uris": CALLBACKS}, timeout=5).json()
    env = {}
    for name in ("DIGID", "EHERKENNING"):
        env |= {f"FUND_OIDC_{name}_ISSUER": issuer, f"FUND_OIDC_{name}_CLIENT_ID": reg["client_id"],
                f"FUND_OIDC_{name}_CLIENT_SECRET": reg["client_secret"]}
    env |= extra
    app.config["FUND_OIDC_PROVIDERS"] = providers_from_env(env)
    init_oidc(app)


@pytest.fixture
def oidc_app(app, broker):
    _configure(app, broker)
    yield app
    app.config["FUND_OIDC_PROVIDERS"] = {}
    init_oidc(app)


def _to_broker(client, provider):
    resp = client.get(f"/auth/oidc/{provider}/start")
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return resp.headers["Location"]


def _approve(auth_url, sub, claims, issuer):
    """The person logs in at the broker: set the claims the broker will assert, approve."""
    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()
    resp = requests.post(auth_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert resp.status_code == 302, resp.text
    return resp.headers["Location"].replace("http://localhost", "")


def _login(client, provider, sub, claims, issuer):
    auth_url = _to_broker(client, provider)
    return client.get(_approve(auth_url, sub, claims, issuer))


def _events(name):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.event == name).order_by(AuditEvent.seq)).all()


def _flash(client):
    return client.get("/auth/login").get_data(as_text=True)


def test_authorization_request_uses_pkce_state_and_nonce(oidc_app, broker):
    url = _to_broker(oidc_app.test_client(), "digid")
    q = parse_qs(urlsplit(url).query)
    assert url.startswith(broker + "/oauth2/authorize")
    assert q["response_type"] == ["code"] and q["code_challenge_method"] == ["S256"]
    assert len(q["code_challenge"][0]) >= 43 and q["state"][0] and q["nonce"][0]


def test_digid_creates_the_inwoner_who_then_applies_without_typing_a_bsn(oidc_app, broker):
    client = oidc_app.test_client()
    resp = _login(client, "digid", "digid-anna", {"bsn": "111222333", "loa": DIGID_SUBSTANTIEEL}, broker)
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/oidc/gegevens")
    user = db.session.scalar(select(User).where(User.bsn == "111222333"))
    assert user.role == "inwoner" and user.bsn_from_digid
    assert _events("login")[-1].data == {"method": "digid"} and _events("login")[-1].actor_id == user.id
    page = client.get("/auth/oidc/gegevens").get_data(as_text=True)
    assert "111222333" not in page
    resp = client.post("/auth/oidc/gegevens", data={"email": "anna@voorbeeld.nl", **ADDRESS})
    assert resp.status_code == 302
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"/auth/bevestigen/[\w.\-]+", mail.body).group(0)
    client.get(link)
    db.session.refresh(user)
    assert user.email == "anna@voorbeeld.nl" and user.email_verified
    # she applies; no screen asks for a BSN
    application = submit_llo(client, user.id)
    for slug in ("over-u", "opleiding", "betaling"):
        assert "BSN" not in client.get(f"/mijn/aanvragen/{application.id}/stap/{slug}").get_data(as_text=True)
    assert application.status == "ingediend"
    # the trail names the method, never the BSN
    trail = " ".join(str(e.data) for e in db.session.scalars(select(AuditEvent)))
    assert "111222333" not in trail
    # RP-initiated logout: the broker's session ends too
    resp = client.post("/auth/logout")
    assert resp.headers["Location"].startswith(broker + "/oauth2/end_session")
    assert "id_token_hint=" in resp.headers["Location"]
    # the next DigiD login finds the same account
    client = oidc_app.test_client()
    resp = _login(client, "digid", "digid-anna", {"bsn": "111222333", "loa": "hoog"}, broker)
    assert resp.headers["Location"].endswith("/mijn/aanvragen")
    assert db.session.scalar(select(db.func.count(User.id)).where(User.bsn == "111222333")) == 1


def test_eherkenning_binds_the_werkgever_to_the_organisation_of_the_claim(oidc_app, broker, users):
    client = oidc_app.test_client()
    resp = _login(client, "eherkenning", "eh-piet", {"kvk": "11112222", "loa": EH3,
                                                      "vestigingsnummer": "000012345678"}, broker)
    assert resp.headers["Location"].endswith("/auth/oidc/gegevens")
    identity = db.session.scalar(select(LoginIdentity).where(LoginIdentity.subject == "eh-piet"))
    assert identity.user.role == "werkgever"
    assert identity.user.organisation_id == users["werkgever"].organisation_id  # Bakkerij Bos
    # a KvK number nobody registered yet: the organisation is made on first login
    client = oidc_app.test_client()
    _login(client, "eherkenning", "eh-kees", {"kvk": "55556666", "loa": "eh4"}, broker)
    org = db.session.scalar(select(Organisation).where(Organisation.kvk_number == "55556666"))
    assert org is not None and [u.role for u in org.users] == ["werkgever"]
    assert _events("login")[-1].data == {"method": "eherkenning"}


def test_with_eherkenning_a_kvk_number_cannot_be_claimed_by_typing(oidc_app):
    client = oidc_app.test_client()
    page = client.get("/auth/registreren").get_data(as_text=True)
    assert "Inloggen met eHerkenning" in page and "Inloggen met DigiD" in page
    assert 'name="bsn"' not in page  # the BSN comes from DigiD only
    resp = client.post("/auth/registreren", data={
        "account_type": "werkgever", "name": "Vreemde", "email": "vreemd@voorbeeld.nl",
        "password": PASSWORD, "password_repeat": PASSWORD, "kvk_number": "77778888",
        "organisation_name": "Niet van mij", "organisation_municipality": "GM0114", **ADDRESS})
    assert "Werkgevers en leerbedrijven maken een account met eHerkenning" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Organisation).where(Organisation.kvk_number == "77778888")) is None
    # without a KvK number: told to use eHerkenning, not asked to fill in boxes it will not need
    resp = client.post("/auth/registreren", data={
        "account_type": "werkgever", "name": "Vreemde", "email": "vreemd@voorbeeld.nl",
        "password": PASSWORD, "password_repeat": PASSWORD, **ADDRESS})
    page = resp.get_data(as_text=True)
    assert "Gebruik de knop Inloggen met eHerkenning." in page and "Er is iets niet goed ingevuld" in page
    assert "Vul het KvK-nummer" not in page and db.session.scalar(select(Organisation)) is None


def test_too_low_an_assurance_level_is_refused(oidc_app, broker):
    client = oidc_app.test_client()
    resp = _login(client, "digid", "digid-bert", {"bsn": "123456782", "loa": DIGID_MIDDEN}, broker)
    assert resp.headers["Location"].endswith("/auth/login")
    assert "minimaal DigiD Substantieel nodig" in _flash(client)
    assert db.session.scalar(select(User).where(User.bsn == "123456782")) is None
    assert _events("login_failed")[-1].data == {"method": "digid", "reason": "level_too_low"}
    resp = _login(oidc_app.test_client(), "eherkenning", "eh-x", {"kvk": "55556666", "loa": "eh2+"}, broker)
    assert _events("login_failed")[-1].data == {"method": "eherkenning", "reason": "level_too_low"}


def test_wrong_state_is_refused(oidc_app, broker):
    client = oidc_app.test_client()
    callback = _approve(_to_broker(client, "digid"), "digid-c", {"bsn": "111222333", "loa": "hoog"}, broker)
    forged = re.sub(r"state=[^&]+", "state=aangepast", callback)
    resp = client.get(forged)
    assert resp.headers["Location"].endswith("/auth/login")
    assert "Het inloggen met DigiD is niet gelukt" in _flash(client)
    assert db.session.scalar(select(User).where(User.bsn == "111222333")) is None
    assert _events("login_failed")[-1].data["reason"] == "invalid_response"
    assert _events("login_failed")[-1].data["error"] == "MismatchingStateError"


def test_wrong_nonce_is_refused(oidc_app, broker):
    client = oidc_app.test_client()
    callback = _approve(_to_broker(client, "digid"), "digid-d", {"bsn": "111222333", "loa": "hoog"}, broker)
    with client.session_transaction() as sess:  # the nonce we expect is not the one in the token
        key = next(k for k in sess if k.startswith("_state_digid_"))
        data = sess[key]
        data["data"]["nonce"] = "een-andere-nonce"
        sess[key] = data
    resp = client.get(callback)
    assert resp.headers["Location"].endswith("/auth/login")
    assert "niet gelukt" in _flash(client)
    assert db.session.scalar(select(User).where(User.bsn == "111222333")) is None
    assert _events("login_failed")[-1].data["error"] == "InvalidClaimError"


def test_expired_id_token_is_refused(app):
    with _broker(access_token_max_age=dt.timedelta(minutes=-10)) as server:
        issuer = f"http://localhost:{server.server_port}"
        _configure(app, issuer)
        client = app.test_client()
        resp = _login(client, "digid", "digid-e", {"bsn": "111222333", "loa": "hoog"}, issuer)
    assert resp.headers["Location"].endswith("/auth/login")
    assert "niet gelukt" in _flash(client)
    assert db.session.scalar(select(User).where(User.bsn == "111222333")) is None
    assert _events("login_failed")[-1].data["error"] == "ExpiredTokenError"


def test_token_signed_by_another_key_is_refused(oidc_app, broker):
    """The broker's metadata names the JWKS of another (real) provider: the ID token's RS256
    signature does not verify against those keys."""
    from fund.identity.oidc import client as oidc_client

    with _broker() as other:
        client = oidc_app.test_client()
        auth_url = _to_broker(client, "digid")
        with oidc_app.test_request_context():
            rp = oidc_client("digid")
            rp.server_metadata["jwks_uri"] = f"http://localhost:{other.server_port}/jwks"
            rp.server_metadata.pop("jwks", None)
        resp = client.get(_approve(auth_url, "digid-f", {"bsn": "111222333", "loa": "hoog"}, broker))
    assert resp.headers["Location"].endswith("/auth/login")
    assert "niet gelukt" in _flash(client)
    assert db.session.scalar(select(User).where(User.bsn == "111222333")) is None
    assert _events("login_failed")[-1].data["error"] == "BadSignatureError"


def test_provider_down_gives_a_dutch_message(app):
    with _broker() as server:
        issuer = f"http://localhost:{server.server_port}"
        _configure(app, issuer)
        assert app.test_client().get("/auth/oidc/digid/start").status_code == 302  # discovery read
    # the broker has stopped
    client = app.test_client()
    resp = client.get("/auth/oidc/digid/start")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    page = _flash(client)
    assert "DigiD is nu niet bereikbaar" in page and "Traceback" not in page


def test_password_account_links_once_after_a_fresh_login(oidc_app, broker, users):
    client = oidc_app.test_client()
    inwoner = users["inwoner"]
    client.post("/auth/login", data={"email": inwoner.email, "password": PASSWORD})
    resp = client.get(_approve(_to_broker_link(client, "digid"), "digid-link",
                               {"bsn": "111222333", "loa": "substantieel"}, broker))
    db.session.refresh(inwoner)
    assert inwoner.bsn == "111222333" and inwoner.bsn_from_digid
    assert _events("login_linked")[-1].data == {"method": "digid"}
    # once: a second link is refused
    resp = client.get(_approve(_to_broker_link(client, "digid"), "digid-link",
                               {"bsn": "111222333", "loa": "substantieel"}, broker), follow_redirects=True)
    assert "al gekoppeld" in resp.get_data(as_text=True)
    # the werkgever links eHerkenning of its own organisation only
    client = oidc_app.test_client()
    client.post("/auth/login", data={"email": users["werkgever2"].email, "password": PASSWORD})
    resp = client.get(_approve(_to_broker_link(client, "eherkenning"), "eh-other",
                               {"kvk": "11112222", "loa": EH3}, broker), follow_redirects=True)
    assert ("Uw eHerkenning is van een andere organisatie dan die van dit account. Log in met de "
            "eHerkenning van uw eigen organisatie. Of neem contact met ons op.") in resp.get_data(as_text=True)
    client.get(_approve(_to_broker_link(client, "eherkenning"), "eh-own",
                        {"kvk": "33334444", "loa": EH3}, broker))
    assert [i.subject for i in users["werkgever2"].identities] == ["eh-own"]


def _to_broker_link(client, provider):
    resp = client.get(f"/auth/oidc/{provider}/koppelen")
    assert resp.status_code == 302 and "/oauth2/authorize" in resp.headers["Location"], resp.headers
    return resp.headers["Location"]


def test_not_configured_means_no_button(app):
    page = app.test_client().get("/auth/login").get_data(as_text=True)
    assert "DigiD" not in page and "eHerkenning" not in page
    assert app.test_client().get("/auth/oidc/digid/start").status_code == 404


def test_digid_texts_say_what_happened_and_what_to_do(oidc_app, broker, users):
    """Cancelled at DigiD, the first-login page, an address that has an account, a blocked account,
    and the offer to link a password account (issue 14, docs/citizen-texts.md)."""
    client = oidc_app.test_client()
    denied = requests.post(_to_broker(client, "digid"), data={"action": "deny"}, allow_redirects=False, timeout=5)
    client.get(denied.headers["Location"].replace("http://localhost", ""))
    assert ("U heeft het inloggen met DigiD afgebroken. Wilt u toch inloggen? Kies dan opnieuw Inloggen "
            "met DigiD.") in _flash(client)
    _login(client, "digid", "digid-kees", {"bsn": "111222333", "loa": DIGID_SUBSTANTIEEL}, broker)
    page = client.get("/auth/oidc/gegevens").get_data(as_text=True)
    assert "Wij hebben nog twee dingen van u nodig. Uw e-mailadres: daarmee laten wij u weten" in page
    assert "En uw adres: daar sturen wij onze brieven heen." in page
    resp = client.post("/auth/oidc/gegevens", data={"email": users["inwoner"].email, **ADDRESS})
    assert resp.status_code == 422
    assert ("Dit e-mailadres hoort al bij een ander account. Kies een ander e-mailadres. Wilt u dat "
            "andere account gebruiken? Neem dan contact met ons op. Wij helpen u verder.") in resp.get_data(as_text=True)
    resp = client.post("/auth/oidc/gegevens", data={"email": "kees@voorbeeld.nl", **ADDRESS},
                       follow_redirects=True)
    assert ("Uw gegevens zijn opgeslagen. Wij stuurden u een e-mail. Klik op de link in die e-mail om uw "
            "e-mailadres te bevestigen.") in resp.get_data(as_text=True)
    kees = db.session.scalar(select(User).where(User.bsn == "111222333"))
    kees.active = False
    db.session.commit()
    client = oidc_app.test_client()
    _login(client, "digid", "digid-kees", {"bsn": "111222333", "loa": DIGID_SUBSTANTIEEL}, broker)
    assert "Dit account is geblokkeerd. Neem contact met ons op." in _flash(client)
    # a password account is offered the link once, with what it means
    client = oidc_app.test_client()
    client.post("/auth/login", data={"email": users["inwoner"].email, "password": PASSWORD})
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    assert ("Daarna logt u in met DigiD. Uw burgerservicenummer (BSN) krijgen wij dan van DigiD. Logde u al "
            "een tijdje geleden in? Dan vragen wij u eerst opnieuw in te loggen met uw wachtwoord.") in page
    # why the first-login page does not advise "log in with that account and link it": the BSN
    # is bound to the DigiD account made above, so linking it to the password account is refused
    resp = client.get(_approve(_to_broker_link(client, "digid"), "digid-kees",
                               {"bsn": "111222333", "loa": DIGID_SUBSTANTIEEL}, broker), follow_redirects=True)
    assert "al gekoppeld aan DigiD" in resp.get_data(as_text=True)
    db.session.refresh(users["inwoner"])
    assert not users["inwoner"].bsn_from_digid
