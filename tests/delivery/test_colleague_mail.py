"""Issue 14: colleagues of a leerbedrijf hear about the organisation's applications. The status
mails of an organisation's application go to the user who applied and to every active, verified
colleague of the same organisation (they see the same applications in the portal), one message
each, through the outbox, delivered by the real SMTP server of the tests.

A colleague did not apply, so the colleague's mail says who did and for which organisation, and
why the colleague gets it; the applicant's own mail stays as it is (``test_mail_journey``)."""
from __future__ import annotations

import io

import pypdf
from flask import g
from sqlalchemy import select

from fund.delivery import outbox
from fund.delivery.notifications import reminder_day
from fund.extensions import db
from fund.letters.dutch import datum
from fund.models import Application, AuditEvent, User
from fund.workflow import bank, clock, send
from fund.workflow.tick import tick
from tests.web.helpers import PDF, login, make_users
from tests.web.test_praktijkverklaring_leerbedrijf import BETALING, CANDIDATE, TRAJECT

ORG = "Bakkerij Bos"  # the organisation of users["werkgever"] (tests.web.helpers.make_users)
WHY = f"U krijgt deze e-mail omdat u bij {ORG} werkt. U kunt deze aanvraag zien in Mijn aanvragen."


def _colleague(users, email: str, name: str | None = None, **extra) -> User:
    user = User(email=email, name=name or email.split("@")[0].title(), password_hash="x", role="werkgever",
                organisation_id=users["werkgever"].organisation_id, **extra)
    db.session.add(user)
    db.session.commit()
    return user


def _bakkerij():
    """All roles (tests.web.helpers.make_users); the werkgever of Bakkerij Bos is Jan de Vries,
    and Anna Smit works there too."""
    users = make_users()
    users["werkgever"].name = "Jan de Vries"
    db.session.commit()
    return users, users["werkgever"], _colleague(users, "anna@bakkerijbos.example", "Anna Smit")


def _browser(mail_app, user):
    """A test client logged in as ``user``. The test runs inside one app context, which the
    client's requests reuse, so Flask-Login's cached user of an earlier request is dropped."""
    g.pop("_login_user", None)
    client = mail_app.test_client()
    login(client, user)
    return client


def _body(msg, kind: str = "plain") -> str:
    return msg.get_body(preferencelist=(kind,)).get_content()


def _concept(client) -> Application:
    """A praktijkverklaring of the leerbedrijf for its candidate, filled in up to the summary."""
    client.post("/mijn/aanvragen/nieuw/praktijkverklaring", data={**CANDIDATE, "candidate__name": "Sanne de Vries"})
    app = db.session.scalar(select(Application))
    for slug, data in (("traject", TRAJECT), ("betaling", BETALING)):
        assert client.post(f"/mijn/aanvragen/{app.id}/stap/{slug}", data=data).status_code == 302
    client.post(f"/mijn/aanvragen/{app.id}/documenten",
                data={"kind": "praktijkleerovereenkomst", "file": (io.BytesIO(PDF), "plo.pdf")},
                content_type="multipart/form-data")
    return app


def _assert_colleague_wording(msg) -> None:
    """Nothing in a colleague's mail speaks as if the reader applied, and no IBAN or birth date."""
    for kind in ("plain", "html"):
        body = _body(msg, kind)
        assert "uw aanvraag" not in body.lower() and "uw antwoorden" not in body.lower()
        assert WHY in body
        assert "NL91ABNA" not in body and "1999" not in body  # IBAN, candidate's birth year
    assert "uw aanvraag" not in str(msg["Subject"]).lower()


def test_status_mails_reach_the_colleagues_of_the_leerbedrijf(mail_app, smtp_server):
    inbox = smtp_server
    users, applicant, colleague = _bakkerij()
    _colleague(users, "oud@bakkerijbos.example", active=False)
    _colleague(users, "nieuw@bakkerijbos.example", email_verified=False)
    client = _browser(mail_app, applicant)
    app = _concept(client)
    assert client.post(f"/mijn/aanvragen/{app.id}/controleren", data={}).status_code == 302
    db.session.refresh(app)
    app = send(app, "assign", users["officer"])
    app = send(app, "grant", users["officer"])
    assert app.status == "verleend"
    outbox.dispatch()
    assert outbox.sweep(ignore_backoff=True)["delivered"] == 0

    # the applicant's own mails, as before
    assert inbox.subjects(applicant.email) == [f"Wij hebben uw aanvraag {app.number} ontvangen",
                                               f"Er staat een besluit voor u klaar (aanvraag {app.number})"]
    receipt, decided = inbox.to(applicant.email)
    assert "Wij hebben uw aanvraag ontvangen op" in _body(receipt)
    assert f"Wij hebben een besluit genomen over uw aanvraag {app.number}." in _body(decided)
    for msg in (receipt, decided):
        assert "Uw collega" not in _body(msg) and WHY not in _body(msg)

    # the colleague's: who applied, for which organisation, why this mail comes to them
    assert inbox.subjects(colleague.email) == [f"Wij hebben aanvraag {app.number} van {ORG} ontvangen",
                                               f"Besluit over aanvraag {app.number} van {ORG}"]
    receipt, decided = inbox.to(colleague.email)
    text = _body(receipt)
    assert f"Uw collega Jan de Vries heeft aanvraag {app.number} ingediend namens {ORG}." in text
    assert "De aanvraag is voor Sanne de Vries." in text
    assert f"Dan krijgt {ORG} uiterlijk op {datum(app.decision_deadline)} een besluit." in text
    assert "In de bijlage staan de antwoorden van de aanvraag." in text
    [attachment] = list(receipt.iter_attachments())
    answers = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(attachment.get_content())).pages)
    assert "Sanne de Vries" in answers and "NL91" not in answers and "1999" not in answers
    text = _body(decided)
    assert f"Wij hebben een besluit genomen over aanvraag {app.number} van {ORG}." in text
    assert f"Is {ORG} het niet eens met het besluit? In de brief staat wat u dan kunt doen." in text
    for msg in (receipt, decided):
        _assert_colleague_wording(msg)
    # the link in the colleague's mail opens the application for the colleague
    theirs = _browser(mail_app, colleague)
    assert theirs.get(f"/mijn/aanvragen/{app.id}").status_code == 200

    # a blocked colleague, one who never confirmed the address, another organisation: nothing
    for nobody in ("oud@bakkerijbos.example", "nieuw@bakkerijbos.example", users["werkgever2"].email):
        assert inbox.to(nobody) == []


def test_a_colleague_who_acts_reads_u_and_the_others_read_their_name(mail_app, smtp_server):
    """Anna submits Jan's concept, is asked to supplement (and reminded), supplements herself
    through the portal as the mail says she can, the grant is paid, and Kees lodges a bezwaar.
    Each mail names the one who acted ("U heeft" for that reader); Jan reads his own mails, except
    where a colleague acted: then he reads the colleague wording too (not "uw bezwaar")."""
    inbox = smtp_server
    users, applicant, anna = _bakkerij()
    kees = _colleague(users, "kees@bakkerijbos.example", "Kees Mulder")
    app = _concept(_browser(mail_app, applicant))
    client = _browser(mail_app, anna)
    assert client.post(f"/mijn/aanvragen/{app.id}/controleren", data={}).status_code == 302
    db.session.refresh(app)
    assert app.status == "ingediend" and app.applicant_id == applicant.id
    submit = db.session.scalar(select(AuditEvent).where(AuditEvent.application_id == app.id,
                                                        AuditEvent.event == "submit"))
    assert submit.actor_id == anna.id

    app = send(app, "assign", users["officer"])
    app = send(app, "request_info", users["officer"], message="Stuur de getekende praktijkleerovereenkomst mee.")
    deadline = datum(app.herstel_deadline)
    with clock.frozen(reminder_day(app.herstel_deadline)):
        tick()
    # what the herstel mails say a colleague can do, she can: supplement through the portal
    assert client.post(f"/mijn/aanvragen/{app.id}/controleren", data={}).status_code == 302
    db.session.refresh(app)
    assert app.status == "in_behandeling"
    app = send(app, "grant", users["officer"])
    app = send(app, "propose_payment", users["finance"])
    app = send(app, "approve_payment", users["finance2"], payment_id=app.payments[0].id)
    bank.batch_paid(users["finance"], bank.make_batch(users["finance"]).id)
    amount = app.payments[0].amount
    app = send(app, "object", kees, grounds="Het bedrag is te laag.")
    outbox.dispatch()
    assert outbox.sweep(ignore_backoff=True)["delivered"] == 0

    n = app.number
    euro = mail_app.jinja_env.filters["euro"](amount)
    assert inbox.subjects(applicant.email) == [
        f"Wij hebben aanvraag {n} van {ORG} ontvangen",  # Anna submitted
        f"Wij hebben meer informatie nodig voor aanvraag {n}",
        f"Herinnering: vul aanvraag {n} aan",
        f"Er staat een besluit voor u klaar (aanvraag {n})",
        f"Wij hebben {euro} aan u betaald (aanvraag {n})",
        f"Wij hebben het bezwaar ontvangen (aanvraag {n})",  # Kees objected
    ]
    colleague_subjects = [
        f"Wij hebben aanvraag {n} van {ORG} ontvangen",
        f"Wij hebben meer informatie nodig voor aanvraag {n}",
        f"Herinnering: vul aanvraag {n} aan",
        f"Besluit over aanvraag {n} van {ORG}",
        f"Wij hebben {euro} aan {ORG} betaald (aanvraag {n})",
        f"Wij hebben het bezwaar ontvangen (aanvraag {n})",
    ]
    assert inbox.subjects(anna.email) == colleague_subjects
    assert inbox.subjects(kees.email) == colleague_subjects

    submitted, herstel, reminder, _decided, paid, bezwaar = inbox.to(anna.email)
    assert f"U heeft aanvraag {n} ingediend namens {ORG}." in _body(submitted)
    assert f"Uw collega Anna Smit heeft aanvraag {n} ingediend namens {ORG}." in _body(inbox.to(kees.email)[0])
    assert f"Voor aanvraag {n} van {ORG} hebben wij meer informatie nodig:" in _body(herstel)
    assert "Stuur de getekende praktijkleerovereenkomst mee." in _body(herstel)
    for msg in (herstel, reminder):
        assert f"U of een van uw collega's kan de aanvraag aanvullen tot en met {deadline}." in _body(msg)
    assert f"Wij vroegen om meer informatie voor aanvraag {n} van {ORG}." in _body(reminder)
    assert f"Het geld staat binnen een paar werkdagen op de rekening van {ORG}." in _body(paid)
    assert (f"Uw collega Kees Mulder heeft bezwaar gemaakt tegen het besluit over aanvraag {n} van {ORG}."
            in _body(bezwaar))
    assert (f"U heeft bezwaar gemaakt tegen het besluit over aanvraag {n} van {ORG}."
            in _body(inbox.to(kees.email)[-1]))
    jans = inbox.to(applicant.email)
    assert f"Uw collega Anna Smit heeft aanvraag {n} ingediend namens {ORG}." in _body(jans[0])
    assert "Uw collega Kees Mulder heeft bezwaar gemaakt" in _body(jans[5])
    for msg in inbox.to(anna.email) + inbox.to(kees.email) + [jans[0], jans[5]]:
        _assert_colleague_wording(msg)
    assert f"Vul uw aanvraag uiterlijk op {deadline} aan." in _body(jans[1])  # his own herstel mail
    for msg in jans[1:5]:
        assert "Uw collega" not in _body(msg) and WHY not in _body(msg)
