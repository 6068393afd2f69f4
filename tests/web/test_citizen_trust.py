"""Issue 14, stage 1: contact details everywhere, real trust pages, confirm before withdrawing,
"Vorige" on every step, yes/no fieldsets outside the narrow radio grid."""
from __future__ import annotations

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application
from tests.web.helpers import llo_answers, login


def test_footer_privacy_and_accessibility_show_the_configured_contact(app, client):
    from fund.config import Contact

    app.config["FUND_CONTACT"] = Contact(phone="050 123 45 67", email="vragen@fonds.test",
                                         postal_address="Postbus 9, 9400 AA Assen",
                                         opening_hours="op werkdagen van 8.30 tot 12.00 uur")
    for url in ("/", "/privacy", "/toegankelijkheid"):
        html = client.get(url).get_data(as_text=True)
        assert "050 123 45 67" in html and 'href="tel:0501234567"' in html, url
        assert "vragen@fonds.test" in html and "Postbus 9, 9400 AA Assen" in html, url
    privacy = client.get("/privacy").get_data(as_text=True)
    for must in ("college van burgemeester en wethouders van Emmen", "Welke gegevens",
                 "Op welke grond", "Hoe lang bewaren", "Wie krijgt uw gegevens",
                 "Wat zijn uw rechten", "Autoriteit Persoonsgegevens", "op werkdagen van 8.30"):
        assert must in privacy, must
    a11y = client.get("/toegankelijkheid").get_data(as_text=True)
    for must in ("Nalevingsstatus", "voldoet gedeeltelijk", "WCAG 2.1 niveau AA", "Wat gaat nog niet goed",
                 "Nationale ombudsman"):
        assert must in a11y, must


def test_contact_details_come_from_the_environment(monkeypatch, tmp_path):
    from fund.config import load_config

    monkeypatch.setenv("FUND_CONTACT_PHONE", "0592 00 00 00")
    monkeypatch.setenv("FUND_CONTACT_HOURS", "dinsdag 9-12 uur")
    cfg = load_config(str(tmp_path))
    assert cfg["FUND_CONTACT"].phone == "0592 00 00 00"
    assert cfg["FUND_CONTACT"].opening_hours == "dinsdag 9-12 uur"


def test_yes_no_fieldset_is_not_in_the_radio_grid(client, users):
    login(client, users["inwoner"])
    html = client.get("/mijn/aanvragen/nieuw/llo").get_data(as_text=True)
    assert "<fieldset" in html
    assert "utrecht-form-field--radio" not in html
    assert "utrecht-form-field--radio" not in client.get("/check/llo").get_data(as_text=True)


def test_every_step_has_vorige(client, users):
    login(client, users["inwoner"])
    answers = llo_answers()
    first = client.get("/mijn/aanvragen/nieuw/llo").get_data(as_text=True)
    assert ">Vorige</a>" in first and 'href="/mijn/aanvragen/nieuw"' in first
    client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    application = db.session.scalar(select(Application))
    html = client.get(f"/mijn/aanvragen/{application.id}/stap/opleiding").get_data(as_text=True)
    assert f'href="/mijn/aanvragen/{application.id}/stap/over-u">Vorige</a>' in html
    html = client.get(f"/mijn/aanvragen/{application.id}/controleren").get_data(as_text=True)
    assert f'href="/mijn/aanvragen/{application.id}/stap/documenten">Vorige</a>' in html


def test_withdrawing_asks_for_confirmation_first(client, users):
    login(client, users["inwoner"])
    answers = llo_answers()
    client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    application = db.session.scalar(select(Application))
    url = f"/mijn/aanvragen/{application.id}/actie/withdraw"
    resp = client.post(url, data={"withdraw-reason": "Ik heb al een baan"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Weet u zeker dat u uw aanvraag wilt intrekken?" in html
    assert 'value="Ik heb al een baan"' in html
    db.session.refresh(application)
    assert application.status == "concept"
    resp = client.post(url, data={"withdraw-reason": "Ik heb al een baan", "bevestigd": "ja"})
    assert resp.status_code == 302
    db.session.refresh(application)
    assert application.status == "ingetrokken"


def test_check_result_for_an_assen_resident_says_where_to_go(client):
    answers = llo_answers()
    data = {**answers["over-u"], "applicant__municipality": "GM0106",
            **{k: v for k, v in answers["opleiding"].items() if not k.startswith("meta")},
            "funding__coverage": "none", "funding__uwv_declined": "nee", "funding__gemeente_declined": "nee"}
    html = client.post("/check?voor=llo", data=data).get_data(as_text=True)
    assert "Het fonds kan u helaas niet helpen." in html
    reasons = html.index("Waarom niet?")
    assert reasons < html.index("Wat kunt u nu doen?") < html.index("Zo kijken wij ernaar")
    assert "U woont in Assen. Die gemeente hoort niet bij het werkgebied." in html
    assert "leerwerkloketten.nl" in html
    assert "GM0106" not in html.replace('value="GM0106"', "")  # no CBS code shown, only the option value
    assert "U hoort bij de groep die het fonds voorrang geeft" in html


def test_applicant_sees_what_happens_not_the_internal_state(client, users):
    login(client, users["inwoner"])
    client.post("/mijn/aanvragen/nieuw/llo", data=llo_answers()["over-u"])
    html = client.get("/mijn/aanvragen").get_data(as_text=True)
    assert "Nog niet verstuurd" in html
    html = client.get("/mijn/aanvragen/nieuw/llo").get_data(as_text=True)
    assert "Is u statushouder" not in html and "verblijfsvergunning asiel (statushouder)" in html
