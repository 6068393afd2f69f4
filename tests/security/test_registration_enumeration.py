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


def _counts():
    from fund.models import AuditEvent, Organisation

    return (db.session.scalar(select(func.count(User.id))), db.session.scalar(select(func.count(Organisation.id))),
            db.session.scalar(select(func.count(AuditEvent.seq))))


def _login_page(client) -> str:
    return client.get("/auth/login").get_data(as_text=True).split('name="csrf_token"')[0]


def test_a_taken_bsn_gets_the_same_answer_and_its_owner_a_mail(app, users):
    owner = users["inwoner"]
    owner.bsn = "123456782"
    db.session.commit()
    users_before, orgs_before, _ = _counts()
    new_client, taken_client = app.test_client(), app.test_client()
    new = new_client.post("/auth/registreren", data={**REG, "email": "nieuw@voorbeeld.nl", "bsn": "111222333"})
    taken = taken_client.post("/auth/registreren", data={**REG, "email": "indringer@voorbeeld.nl",
                                                         "bsn": "1234.56.782"})
    assert _answer(new) == _answer(taken) == ("/auth/login", 302)
    assert _login_page(new_client) == _login_page(taken_client)
    assert "BSN" not in _login_page(taken_client)
    # one new account (the free BSN), none for the taken one; the BSN still belongs to one account
    assert _counts()[:2] == (users_before + 1, orgs_before)
    assert db.session.scalar(select(func.count(User.id)).where(User.bsn == "123456782")) == 1
    assert db.session.scalar(select(User).where(User.email == "indringer@voorbeeld.nl")) is None
    # the owner hears it (without the BSN in the mail); the address typed in gets nothing
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == owner.email)).one()
    assert mail.subject == "U heeft al een account bij het Drents ontwikkelfonds"
    assert "burgerservicenummer" in mail.body and "/auth/wachtwoord/" in mail.body
    assert "123456782" not in mail.body and "indringer" not in mail.body
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "indringer@voorbeeld.nl")) is None


def test_a_taken_kvk_number_gets_the_same_answer_and_the_organisation_a_mail(app, users):
    werkgever = {"account_type": "werkgever", "organisation_name": "Bakkerij Nieuw",
                 "organisation_municipality": "GM0114"}
    users_before, orgs_before, _ = _counts()
    new_client, taken_client = app.test_client(), app.test_client()
    new = new_client.post("/auth/registreren", data={**REG, **werkgever, "email": "nieuw@voorbeeld.nl",
                                                     "kvk_number": "55556666"})
    taken = taken_client.post("/auth/registreren", data={**REG, **werkgever, "email": "ander@voorbeeld.nl",
                                                         "kvk_number": "1111 2222"})
    assert _answer(new) == _answer(taken) == ("/auth/login", 302)
    assert _login_page(new_client) == _login_page(taken_client)
    assert "organisatie" not in _login_page(taken_client)
    # nothing half-written: no user and no second organisation for the taken KvK number
    assert _counts()[:2] == (users_before + 1, orgs_before + 1)
    assert db.session.scalar(select(User).where(User.email == "ander@voorbeeld.nl")) is None
    org = users["werkgever"].organisation
    assert org.name == "Bakkerij Bos"  # unchanged
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == users["werkgever"].email)).one()
    assert mail.subject == "Iemand wilde een nieuw account maken voor uw organisatie"
    assert "Bakkerij Bos" in mail.body and "ander@voorbeeld.nl" in mail.body and "/mijn/organisatie" in mail.body
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "ander@voorbeeld.nl")) is None
    # the other organisation's users hear nothing
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == users["werkgever2"].email)) is None


def test_a_second_try_the_same_day_mails_the_owner_once(app, users):
    owner = users["inwoner"]
    owner.bsn = "123456782"
    db.session.commit()
    for n in range(2):
        app.test_client().post("/auth/registreren", data={**REG, "email": f"poging{n}@voorbeeld.nl",
                                                          "bsn": "123456782"})
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.to_address == owner.email)) == 1


def test_an_address_taken_between_the_check_and_the_write_gets_the_same_answer(app, users, monkeypatch):
    """A parallel registration of the same address wins the race: the database's unique key
    refuses the second, which answers as for any taken address instead of a 500."""
    monkeypatch.setattr(accounts, "_refuse_taken_email", lambda email: None)  # the check saw nothing yet
    before = _counts()[:2]
    resp = app.test_client().post("/auth/registreren", data={**REG, "email": users["inwoner2"].email})
    assert _answer(resp) == ("/auth/login", 302)
    assert _counts()[:2] == before
