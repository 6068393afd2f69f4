"""Registration, password reset through the outbox, colleagues, user administration, check."""
from __future__ import annotations

import re

from sqlalchemy import select

from fund.accounts import verify_password
from fund.extensions import db
from fund.models import Organisation, OutboxMessage, User
from tests.web.helpers import PASSWORD, llo_answers, login

REG = {"name": "Henk", "email": "henk@voorbeeld.nl", "password": PASSWORD,
       "password_repeat": PASSWORD, "street": "Raadhuisstraat", "house_number": "4",
       "postcode": "7901bn", "city": "Hoogeveen"}


def test_register_inwoner_validates_bsn(client):
    resp = client.post("/auth/registreren", data={**REG, "account_type": "inwoner", "bsn": "123456789"})
    assert "Dit BSN klopt niet" in resp.get_data(as_text=True)
    resp = client.post("/auth/registreren", data={**REG, "account_type": "inwoner", "bsn": "111222333"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    user = db.session.scalar(select(User).where(User.email == "henk@voorbeeld.nl"))
    assert user.role == "inwoner" and user.bsn == "111222333"
    assert user.password_hash.startswith("$argon2id$")
    assert user.address_lines == ["Raadhuisstraat 4", "7901 BN  HOOGEVEEN"]
    assert user.email_verified is False  # until the link in the verification mail is followed


def test_registration_refuses_a_bad_postcode_and_house_number(client):
    resp = client.post("/auth/registreren", data={**REG, "account_type": "inwoner", "postcode": "0811 AB",
                                                  "house_number": "vier"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Deze postcode klopt niet" in page and "Een huisnummer begint met een getal" in page
    assert db.session.scalar(select(User)) is None


def test_register_werkgever_creates_organisation_and_refuses_taken_kvk(client):
    data = {**REG, "account_type": "werkgever", "kvk_number": "1234 5678",
            "organisation_name": "Bakkerij", "organisation_municipality": "GM0114"}
    resp = client.post("/auth/registreren", data={**data, "kvk_number": "123"})
    assert "Dit KvK-nummer klopt niet. Een KvK-nummer heeft 8 cijfers." in resp.get_data(as_text=True)
    assert client.post("/auth/registreren", data=data).status_code == 302
    org = db.session.scalar(select(Organisation))
    assert org.kvk_number == "12345678"
    assert org.address_lines == ["Raadhuisstraat 4", "7901 BN  HOOGEVEEN"]  # the vestigingsadres
    client.post("/auth/logout")
    client.post("/auth/registreren", data={**data, "email": "ander@voorbeeld.nl"})
    assert db.session.scalar(select(User).where(User.email == "ander@voorbeeld.nl")) is None
    assert len(db.session.scalars(select(Organisation)).all()) == 1


def test_password_reset_via_outbox(client, users):
    resp = client.post("/auth/wachtwoord-vergeten", data={"email": "niemand@voorbeeld.nl"})
    assert resp.status_code == 302
    assert db.session.scalar(select(OutboxMessage)) is None  # nothing, and nothing told
    client.post("/auth/wachtwoord-vergeten", data={"email": users["inwoner"].email})
    mail = db.session.scalar(select(OutboxMessage))
    assert mail.to_address == users["inwoner"].email
    link = re.search(r"http\S+", mail.body).group(0)
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200
    new = "nog-een-lang-wachtwoord"
    resp = client.post(path, data={"password": new, "password_repeat": new})
    assert resp.status_code == 302
    # The token is single use: the password changed, so it is no longer valid.
    assert client.get(path).status_code == 404
    resp = client.post("/auth/login", data={"email": users["inwoner"].email, "password": new})
    assert resp.status_code == 302


def test_invite_colleague(client, users):
    login(client, users["werkgever"])
    resp = client.post("/mijn/organisatie", data={"name": "Jan", "email": "jan@voorbeeld.nl"})
    assert resp.status_code == 302
    jan = db.session.scalar(select(User).where(User.email == "jan@voorbeeld.nl"))
    assert jan.organisation_id == users["werkgever"].organisation_id and jan.role == "werkgever"
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == jan.id))
    assert mail and "/auth/" in mail.body
    # no password until Jan chooses one through the link: nothing logs in, not even an empty one
    assert not verify_password(jan, "") and not verify_password(jan, jan.password_hash)
    assert client.post("/mijn/organisatie", data={"name": "Jan", "email": "JAN@voorbeeld.nl"}).status_code == 200


def test_admin_changes_role_and_blocks_but_not_self(client, users):
    login(client, users["admin"])
    target = users["officer2"]
    resp = client.post(f"/beheer/gebruikers/{target.id}", data={"role": "supervisor", "active": "nee"})
    assert resp.status_code == 302
    db.session.refresh(target)
    assert target.role == "supervisor" and target.active is False
    me = users["admin"]
    client.post(f"/beheer/gebruikers/{me.id}", data={"role": "inwoner", "active": "ja"})
    db.session.refresh(me)
    assert me.role == "admin"


def test_check_shows_referral_and_trace(client):
    answers = {**llo_answers()["over-u"], "applicant__employment_status": "ww",
               **{k: v for k, v in llo_answers()["opleiding"].items() if not k.startswith("meta")},
               "funding__coverage": "none", "funding__uwv_declined": "nee",
               "funding__gemeente_declined": "nee"}
    html = client.post("/check?voor=llo", data=answers).get_data(as_text=True)
    assert "Vraag het eerst hier" in html and "het UWV" in html
    assert "de regeling vraagt 18 tot 67 jaar" in html
    assert client.get("/check?voor=onbekend").status_code == 404


def test_queue_pages_with_limit(client, users):
    login(client, users["officer"])
    # a bookmarked page whose rows are gone: the message and a way back to the first page
    html = client.get("/behandeling/?pagina=3&na=2026-01-01T00:00:00%2B00:00_999999&sort=ontvangen"
                      "&status=verleend").get_data(as_text=True)
    assert "Er zijn geen aanvragen" in html and "Naar de eerste pagina" in html
    assert 'href="/behandeling/?sort=ontvangen&amp;status=verleend"' in html
