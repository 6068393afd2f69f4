"""Issue 14: colleagues of a leerbedrijf hear about the organisation's applications. The status
mails of an organisation's application go to the user who applied and to every active, verified
colleague of the same organisation (they see the same applications in the portal), one message
each, through the outbox, delivered by the real SMTP server of the tests."""
from __future__ import annotations

import io

from sqlalchemy import select

from fund.delivery import outbox
from fund.extensions import db
from fund.models import Application, User
from fund.workflow import send
from tests.web.helpers import PDF, login, make_users
from tests.web.test_praktijkverklaring_leerbedrijf import BETALING, CANDIDATE, TRAJECT


def _colleague(users, email: str, **extra) -> User:
    user = User(email=email, name=email.split("@")[0].title(), password_hash="x", role="werkgever",
                organisation_id=users["werkgever"].organisation_id, **extra)
    db.session.add(user)
    db.session.commit()
    return user


def test_status_mails_reach_the_colleagues_of_the_leerbedrijf(mail_app, smtp_server):
    inbox = smtp_server
    users = make_users()
    colleague = _colleague(users, "jan@bakkerijbos.example")
    _colleague(users, "oud@bakkerijbos.example", active=False)
    _colleague(users, "nieuw@bakkerijbos.example", email_verified=False)
    client = mail_app.test_client()
    login(client, users["werkgever"])
    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring",
                       data={**CANDIDATE, "candidate__name": "Sanne de Vries"})
    app = db.session.scalar(select(Application))
    for slug, data in (("traject", TRAJECT), ("betaling", BETALING)):
        assert client.post(f"/mijn/aanvragen/{app.id}/stap/{slug}", data=data).status_code == 302
    client.post(f"/mijn/aanvragen/{app.id}/documenten",
                data={"kind": "praktijkleerovereenkomst", "file": (io.BytesIO(PDF), "plo.pdf")},
                content_type="multipart/form-data")
    assert client.post(f"/mijn/aanvragen/{app.id}/controleren", data={}).status_code == 302
    db.session.refresh(app)
    app = send(app, "assign", users["officer"])
    app = send(app, "grant", users["officer"])
    assert app.status == "verleend"
    outbox.dispatch()
    assert outbox.sweep(ignore_backoff=True)["delivered"] == 0

    expected = [f"Wij hebben uw aanvraag {app.number} ontvangen",
                f"Er staat een besluit voor u klaar (aanvraag {app.number})"]
    assert inbox.subjects(users["werkgever"].email) == expected
    assert inbox.subjects(colleague.email) == expected
    body = inbox.to(colleague.email)[0].get_body(preferencelist=("plain",)).get_content()
    assert app.number in body and "Sanne de Vries" in body
    # a blocked colleague, one who never confirmed the address, another organisation: nothing
    for nobody in ("oud@bakkerijbos.example", "nieuw@bakkerijbos.example", users["werkgever2"].email):
        assert inbox.to(nobody) == []
