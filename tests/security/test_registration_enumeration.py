"""Registration does not tell whether an address has an account (issue 12, Low): the same answer
and the same work either way; the owner of an existing account gets a mail instead."""
from sqlalchemy import func, select

from fund import accounts
from fund.extensions import db
from fund.models import OutboxMessage, User

REG = {"account_type": "inwoner", "name": "Henk de Boer", "password": "blauwe tram rijdt vannacht",
       "password_repeat": "blauwe tram rijdt vannacht", "street": "Raadhuisstraat", "house_number": "4",
       "postcode": "7901 BN", "city": "Hoogeveen"}


def _answer(resp):
    page = resp.headers.get("Location"), resp.status_code
    return page


def test_new_and_taken_addresses_get_the_same_answer(app, users, monkeypatch):
    hashes = []
    real_hash = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda pw: hashes.append(pw) or real_hash(pw))
    taken = users["inwoner"]
    new_client, taken_client = app.test_client(), app.test_client()
    new = new_client.post("/auth/registreren", data={**REG, "email": "nieuw@voorbeeld.nl"})
    old = taken_client.post("/auth/registreren", data={**REG, "email": taken.email.upper()})
    assert _answer(new) == _answer(old) == ("/auth/login", 302)
    new_page = new_client.get("/auth/login").get_data(as_text=True)
    old_page = taken_client.get("/auth/login").get_data(as_text=True)
    assert "Wij stuurden een e-mail" in new_page
    strip = lambda page: page.split('name="csrf_token"')[0]  # noqa: E731
    assert strip(new_page) == strip(old_page)
    assert "Er is al een account" not in old_page
    assert len(hashes) == 2  # one argon2 hash each: the same work
    # not logged in either way
    assert new_client.get("/mijn/aanvragen").status_code == 302
    # the existing account is unchanged, no second account; its owner gets a mail with a reset link
    assert db.session.scalar(select(func.count(User.id)).where(func.lower(User.email) == taken.email)) == 1
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == taken.email)).all()
    assert [m.subject for m in mails] == ["U heeft al een account bij het Drents ontwikkelfonds"]
    assert "/auth/wachtwoord/" in mails[0].body
    new_mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "nieuw@voorbeeld.nl")).one()
    assert new_mail.subject == "Bevestig uw e-mailadres"
