"""An admin adds a staff account: no password chosen by the admin, an invitation in the outbox
with a one-time link (the reset token of kind "invite": 7 days, dead once used), audited."""
from __future__ import annotations

import re
import time

from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from fund.accounts import verify_password
from fund.extensions import db
from fund.models import AuditEvent, OutboxMessage, User
from tests.web.helpers import PASSWORD, login

NEW = {"name": "Anna de Vries", "email": "Anna.deVries@Ontwikkelfonds.nl", "role": "officer"}


def _invite_path(user: User) -> str:
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == user.id))
    assert mail is not None and mail.to_address == user.email
    link = re.search(r"http\S+", mail.body).group(0)
    return "/" + link.split("/", 3)[3]


def _create(client, **data) -> User:
    resp = client.post("/beheer/gebruikers/nieuw", data={**NEW, **data})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/beheer/gebruikers"), \
        resp.get_data(as_text=True)
    return db.session.scalar(select(User).where(User.email == (data.get("email") or NEW["email"]).lower()))


def test_admin_creates_officer_who_sets_password_and_logs_in(app, client, users):
    login(client, users["admin"])
    html = client.get("/beheer/gebruikers").get_data(as_text=True)
    assert 'href="/beheer/gebruikers/nieuw"' in html
    form = client.get("/beheer/gebruikers/nieuw").get_data(as_text=True)
    assert "Nieuw account voor een medewerker" in form
    assert 'type="password"' not in form  # the admin chooses no password
    # Applicant roles are not offered: they register themselves.
    assert 'value="inwoner"' not in form and 'value="werkgever"' not in form

    resp = client.post("/beheer/gebruikers/nieuw", data=NEW, follow_redirects=True)
    assert "Het account van Anna de Vries is gemaakt." in resp.get_data(as_text=True)
    anna = db.session.scalar(select(User).where(User.email == "anna.devries@ontwikkelfonds.nl"))
    assert anna.role == "officer" and anna.active and anna.name == "Anna de Vries"
    # An unusable random hash: no password at all logs in, not even an empty one.
    assert not anna.password_hash.startswith("$argon2")
    assert not verify_password(anna, "") and not verify_password(anna, anna.password_hash)

    # The invitation is in the outbox, in Dutch, with the one-time link.
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == anna.id))
    assert mail.subject == "Uw account bij het Drents ontwikkelfonds"
    assert "De link werkt 7 dagen en maar 1 keer." in mail.body
    path = _invite_path(anna)
    assert path.startswith("/auth/wachtwoord/")

    # Audited, without password or token.
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "user_created"))
    assert event.actor_id == users["admin"].id and event.entity_id == anna.id
    assert event.data == {"role": "officer", "invited": True}
    token = path.rsplit("/", 1)[1]
    assert token not in str(event.data) and anna.password_hash not in str(event.data)

    # Anna chooses her password through the link, then logs in and sees the queue.
    anna_client = app.test_client()
    assert anna_client.get(path).status_code == 200
    resp = anna_client.post(path, data={"password": PASSWORD, "password_repeat": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    # The link is single use.
    assert anna_client.get(path).status_code == 404
    assert anna_client.post(path, data={"password": "een-ander-wachtwoord!",
                                        "password_repeat": "een-ander-wachtwoord!"}).status_code == 404
    resp = anna_client.post("/auth/login", data={"email": NEW["email"], "password": PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/behandeling/")
    assert anna_client.get("/behandeling/").status_code == 200


def test_invitation_link_expires_after_7_days(client, users, monkeypatch):
    login(client, users["admin"])
    bob = _create(client, name="Bob", email="bob@ontwikkelfonds.nl", role="finance")
    path = _invite_path(bob)
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: real(self) + 6 * 24 * 3600)
    assert client.get(path).status_code == 200  # still valid after 6 days
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) + 8 * 24 * 3600)
    assert client.get(path).status_code == 404


def test_duplicate_email_and_missing_fields_give_dutch_errors(client, users):
    login(client, users["admin"])
    resp = client.post("/beheer/gebruikers/nieuw",
                       data={**NEW, "email": users["officer"].email.upper()})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    # Next to the e-mail field, and in the summary at the top that links to it.
    assert re.search(r'id="email-error">Er is al een account met dit e-mailadres\.', html)
    assert 'href="#email"' in html
    resp = client.post("/beheer/gebruikers/nieuw", data={"name": "", "email": "geen-adres",
                                                         "role": ""})
    html = resp.get_data(as_text=True)
    assert "Vul de naam in." in html
    assert "Vul een geldig e-mailadres in" in html
    assert "Kies een rol." in html
    # A role outside the staff roles is refused in Dutch, also when posted by hand.
    for role in ("inwoner", "werkgever", "root"):
        html = client.post("/beheer/gebruikers/nieuw",
                           data={**NEW, "email": f"{role}@ontwikkelfonds.nl", "role": role}
                           ).get_data(as_text=True)
        assert "Kies een rol." in html, role
    assert db.session.scalar(select(OutboxMessage)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event == "user_created")) is None
    assert db.session.scalar(select(User).where(User.email.like("%@ontwikkelfonds.nl"))) is None


def test_every_staff_role_can_be_created(client, users):
    login(client, users["admin"])
    for role in ("officer", "supervisor", "finance", "auditor", "admin"):
        user = _create(client, name=role.capitalize(), email=f"nieuw-{role}@ontwikkelfonds.nl",
                       role=role)
        assert user.role == role


def test_non_admins_get_403(app, users):
    for role in ("inwoner", "werkgever", "officer", "supervisor", "finance", "auditor"):
        client = app.test_client()
        login(client, users[role])
        assert client.get("/beheer/gebruikers/nieuw").status_code == 403, role
        assert client.post("/beheer/gebruikers/nieuw", data=NEW).status_code == 403, role
    anonymous = app.test_client()
    resp = anonymous.get("/beheer/gebruikers/nieuw")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert db.session.scalar(select(User).where(User.email == NEW["email"].lower())) is None
