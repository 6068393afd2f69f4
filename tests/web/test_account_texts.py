"""The account, error and notice texts an applicant reads (issue 14, docs/citizen-texts.md):
each says what is wrong and what to do; the login, reset and registration answers stay neutral."""
from __future__ import annotations

import io

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Organisation, User
from fund.views.auth import LINK_EXPIRED, LOGIN_FAILED
from tests.web.helpers import PASSWORD, login, submit_llo
from tests.web.test_accounts import REG

WERKGEVER = {**REG, "account_type": "werkgever", "kvk_number": "12345678", "organisation_name": "Bakkerij",
             "organisation_municipality": "GM0114"}


def _page(resp) -> str:
    return resp.get_data(as_text=True).replace("&#39;", "'")


def test_a_werkgever_without_kvk_number_name_or_gemeente_is_told_and_nothing_is_written(client):
    resp = client.post("/auth/registreren", data={**WERKGEVER, "kvk_number": " ", "organisation_name": "",
                                                  "organisation_municipality": ""})
    page = _page(resp)
    assert resp.status_code == 200
    assert "Vul het KvK-nummer van de organisatie in." in page
    assert "Vul de naam van de organisatie in." in page
    assert "Kies de gemeente van de vestiging." in page
    assert "Er zijn 3 dingen niet goed ingevuld" in page
    assert db.session.scalar(select(Organisation)) is None and db.session.scalar(select(User)) is None


def test_registration_errors_say_how_to_fix_them(client):
    def errors(**changes):
        return _page(client.post("/auth/registreren", data={**WERKGEVER, **changes}))

    assert "Dit KvK-nummer klopt niet. Een KvK-nummer heeft 8 cijfers." in errors(kvk_number="1234")
    assert ("De twee wachtwoorden zijn niet gelijk. Vul twee keer hetzelfde wachtwoord in."
            in errors(password_repeat=PASSWORD + "x"))
    assert "Deze naam is te lang. Gebruik hoogstens 200 tekens." in errors(name="H" * 201)
    assert "Deze straatnaam is te lang. Gebruik hoogstens 200 tekens." in errors(street="S" * 201)
    assert "Deze plaatsnaam is te lang. Gebruik hoogstens 100 tekens." in errors(city="P" * 101)
    assert ("Dit wachtwoord is te makkelijk te raden. Of het staat op een lijst van wachtwoorden die op "
            "internet zijn uitgelekt." in errors(password="wachtwoord12", password_repeat="wachtwoord12"))
    bsn = _page(client.post("/auth/registreren", data={**REG, "account_type": "inwoner", "bsn": "123456789"}))
    assert "Dit BSN klopt niet. Een BSN heeft 9 cijfers. Kijk het nummer na op uw paspoort of ID-kaart." in bsn
    assert db.session.scalar(select(User)) is None


def test_a_failed_login_says_what_to_do_and_is_the_same_for_every_case(client, users):
    wrong = _page(client.post("/auth/login", data={"email": users["inwoner"].email, "password": "fout"}))
    unknown = _page(client.post("/auth/login", data={"email": "niemand@voorbeeld.nl", "password": "fout"}))
    users["inwoner2"].active = False
    db.session.commit()
    blocked = _page(client.post("/auth/login", data={"email": users["inwoner2"].email, "password": PASSWORD}))
    assert LOGIN_FAILED.startswith("Het e-mailadres of het wachtwoord klopt niet. Kijk ze allebei na")
    for page in (wrong, unknown, blocked):
        assert LOGIN_FAILED in page


def test_a_dead_password_link_says_what_to_do(client):
    resp = client.get("/auth/wachtwoord/geen-echte-link")
    page = _page(resp)
    assert resp.status_code == 404
    assert "<h1 class=\"utrecht-heading-1\">Deze link werkt niet meer</h1>" in page
    assert LINK_EXPIRED in page and 'href="/auth/wachtwoord-vergeten"' in page


def test_error_pages_say_what_to_do(app, client, users):
    assert "Heeft u het adres zelf getypt? Kijk dan of het goed is." in _page(client.get("/bestaat-niet"))
    assert "Dit kan op deze manier niet. Ga terug naar de vorige pagina" in _page(client.get("/auth/logout"))
    login(client, users["inwoner"])
    forbidden = client.get("/behandeling/")
    assert forbidden.status_code == 403
    assert ("U mag deze pagina niet bekijken. Denkt u dat dit niet klopt? Neem dan contact met ons op."
            in _page(forbidden))
    app.config["WTF_CSRF_ENABLED"] = True  # a form without its token (an expired page): a 400
    try:
        stale = client.post("/mijn/gegevens", data={"street": "Hoofdstraat"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert stale.status_code == 400
    assert "Wij konden uw verzoek niet verwerken. Ga terug naar de vorige pagina" in _page(stale)


def test_applicant_notices_say_what_happened_and_what_to_do(client, users):
    login(client, users["inwoner"])
    submit_llo(client, users["inwoner"].id)
    application = db.session.scalar(select(Application).where(Application.applicant_id == users["inwoner"].id))
    resp = client.post(f"/mijn/aanvragen/{application.id}/actie/object", data={"grounds": "Oneens"},
                       follow_redirects=True)
    assert "Dit kan nu niet bij deze aanvraag. Hieronder ziet u de status en wat u nu kunt doen." in _page(resp)
    login(client, users["werkgever"])
    resp = client.post("/mijn/organisatie", data={"name": "Jan", "email": "jan@voorbeeld.nl"},
                       follow_redirects=True)
    assert "U heeft uw collega toegevoegd. Uw collega krijgt een e-mail om een wachtwoord te kiezen." in _page(resp)


def test_an_upload_without_its_kind_asks_for_the_kind(client, users):
    login(client, users["inwoner"])
    from tests.web.helpers import llo_answers

    client.post("/mijn/aanvragen/nieuw/llo", data=llo_answers()["over-u"])
    application = db.session.scalar(select(Application).where(Application.applicant_id == users["inwoner"].id))
    resp = client.post(f"/mijn/aanvragen/{application.id}/documenten",
                       data={"kind": "", "file": (io.BytesIO(b"%PDF-1.4"), "offerte.pdf")},
                       content_type="multipart/form-data")
    assert "Kies wat voor document het is." in _page(resp)
    assert not application.documents


def test_a_session_of_an_old_epoch_is_told_it_was_logged_out(client, users):
    """A request still running elsewhere wrote back a session after 'log out everywhere' or a new
    password (fund.identity.sessions.end_all): the epoch refuses it, with this message."""
    from fund.identity.sessions import ENDED

    login(client, users["inwoner"])
    with client.session_transaction() as sess:
        sess["_epoch"] = (users["inwoner"].session_epoch or 0) + 1
    page = _page(client.get("/mijn/aanvragen", follow_redirects=True))
    assert ENDED == ("U bent uitgelogd. Dat gebeurt bijvoorbeeld als u op een ander apparaat uitlogt of uw "
                     "wachtwoord wijzigt. Log opnieuw in.")
    assert ENDED in page and "Log in om deze pagina te zien." not in page
