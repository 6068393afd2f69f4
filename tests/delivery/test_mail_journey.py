"""The done-when journey of issue 11, against a real SMTP server: an inwoner registers,
verifies, submits, gets a herstel request (and its reminder), supplements, is granted and paid:
six e-mails, each exactly once, and a letter addressed to her."""
from __future__ import annotations

import io
import re
import pypdf
from sqlalchemy import select

from fund.delivery import outbox
from fund.extensions import db
from fund.models import Application, OutboxMessage, User
from fund.workflow import clock, send
from fund.workflow.tick import tick
from tests.web.helpers import PDF, PASSWORD, llo_answers, make_users

EMAIL = "fatima@voorbeeld.nl"


def _link(msg) -> str:
    body = msg.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https://fonds\.test(/\S+)", body).group(1)


def _register_and_verify(client, inbox):
    resp = client.post("/auth/registreren", data={
        "account_type": "inwoner", "name": "Fatima El Amrani", "email": EMAIL, "password": PASSWORD,
        "password_repeat": PASSWORD, "street": "Hoofdstraat", "house_number": "12", "postcode": "7811 ea",
        "city": "Emmen"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/auth/login")
    # not logged in by registering (the same answer whether or not the address had an account)
    assert client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD}).status_code == 302
    user = db.session.scalar(select(User).where(User.email == EMAIL))
    assert user.email_verified is False
    [verify] = inbox.to(EMAIL)
    assert verify["Subject"] == "Bevestig uw e-mailadres"
    return user, _link(verify)


def _fill_llo(client) -> Application:
    answers = llo_answers(cost="2000,00")
    assert client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"]).status_code == 302
    app = db.session.scalar(select(Application))
    for slug in ("opleiding", "betaling"):
        assert client.post(f"/mijn/aanvragen/{app.id}/stap/{slug}", data=answers[slug]).status_code == 302
    resp = client.post(f"/mijn/aanvragen/{app.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    return app


def test_six_mails_each_once_and_a_letter_with_her_address(mail_app, smtp_server):
    inbox = smtp_server
    staff = make_users()
    client = mail_app.test_client()
    user, verify_path = _register_and_verify(client, inbox)
    app = _fill_llo(client)

    # not verified yet: submitting is refused with a clear message, nothing is sent
    resp = client.post(f"/mijn/aanvragen/{app.id}/controleren", data={})
    assert "Bevestig eerst uw e-mailadres" in resp.get_data(as_text=True)
    db.session.refresh(app)
    assert app.status == "concept"

    assert client.get(verify_path).status_code == 302
    db.session.refresh(user)
    assert user.email_verified is True
    assert client.post(f"/mijn/aanvragen/{app.id}/controleren", data={}).status_code == 302
    db.session.refresh(app)
    assert app.status == "ingediend"

    receipt = inbox.to(EMAIL)[-1]
    assert receipt["Subject"] == f"Wij hebben uw aanvraag {app.number} ontvangen"
    text = receipt.get_body(preferencelist=("plain",)).get_content()
    assert app.number in text and "uiterlijk op" in text and f"/mijn/aanvragen/{app.id}" in text
    html = receipt.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="https://fonds.test/mijn/aanvragen/{app.id}">' in html
    [attachment] = list(receipt.iter_attachments())
    assert attachment.get_filename() == f"aanvraag-{app.number}.pdf"
    answers = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert "Verzorgende IG" in answers
    assert "NL91" not in answers and "1990" not in answers  # no IBAN or birth date by e-mail

    app = send(app, "assign", staff["officer"])
    app = send(app, "request_info", staff["officer"], message="Stuur de offerte met de juiste datum mee.")
    assert app.status == "herstel"
    # three working days before the hersteltermijn ends, the tick reminds her (once)
    from fund.delivery.notifications import reminder_day

    with clock.frozen(reminder_day(app.herstel_deadline)):
        tick()
        tick()
    app = send(app, "supplement", user, message="De offerte is aangepast.")
    app = send(app, "grant", staff["officer"])
    assert app.status == "verleend"
    app = send(app, "propose_payment", staff["finance"])
    app = send(app, "approve_payment", staff["finance2"], payment_id=app.payments[0].id)
    # the "betaald" mail goes when the bank has carried out the SEPA file, not at the approval
    from fund.workflow import bank

    assert "betaald" not in " ".join(inbox.subjects(EMAIL))
    bank.batch_paid(staff["finance"], bank.make_batch(staff["finance"]).id)
    outbox.dispatch()
    assert outbox.sweep(ignore_backoff=True)["delivered"] == 0  # nothing left behind

    subjects = inbox.subjects(EMAIL)
    assert subjects == [
        "Bevestig uw e-mailadres",
        f"Wij hebben uw aanvraag {app.number} ontvangen",
        f"Wij hebben meer informatie nodig voor aanvraag {app.number}",
        f"Herinnering: vul aanvraag {app.number} aan",
        f"Er staat een besluit voor u klaar (aanvraag {app.number})",
        f"Wij hebben € 1.600,00 aan u betaald (aanvraag {app.number})",
    ]
    assert len({m["Message-ID"] for m in inbox.to(EMAIL)}) == 6
    for msg in inbox.to(EMAIL):
        body = msg.get_body(preferencelist=("plain",)).get_content()
        assert "NL91ABNA" not in body and "1990" not in body
        assert msg["From"] == "Drents ontwikkelfonds <noreply@drentsontwikkelfonds.nl>"

    decision = app.decisions[-1]
    assert decision.letter_pdf is not None
    letter = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(decision.letter_pdf)).pages)
    assert "Hoofdstraat 12" in letter and "7811 EA" in letter and "EMMEN" in letter
    resp = client.get(f"/mijn/aanvragen/{app.id}/besluiten/{decision.id}/brief.pdf")
    assert resp.status_code == 200 and resp.data == decision.letter_pdf
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.state != "delivered")) is None
