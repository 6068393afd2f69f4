"""Authorization on every route and every object.

* The access matrix requests every route of ``app.url_map`` as every role (and anonymous) and
  compares the set of roles that get in with an explicit table. A new route without a row in
  the table fails the test: decide who may use it, then add it.
* The IDOR tests try other users' application ids: always 404, never a hint it exists.
* CSRF: with protection on (as in production), a POST without a token is refused.
"""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Decision, Document, Payment, PaymentBatch
from fund.workflow import clock
from tests.web.helpers import PDF, llo_answers, login, submit_llo

ANON = "anonymous"
ROLES = (ANON, "inwoner", "werkgever", "officer", "supervisor", "finance", "auditor", "beleid", "admin")
EVERYONE = frozenset(ROLES)
APPLICANTS = frozenset({"inwoner", "werkgever"})
OWNER = frozenset({"inwoner"})  # the objects below belong to the inwoner
OFFICERS = frozenset({"officer", "supervisor"})
REVIEWERS = frozenset({"officer", "supervisor", "finance"})

# (endpoint, method) -> roles that get in. Everyone else: login redirect, 403 or 404.
EXPECTED: dict[tuple[str, str], frozenset] = {
    ("public.home", "GET"): EVERYONE,
    ("public.check", "GET"): EVERYONE,
    ("public.check", "POST"): EVERYONE,
    ("public.privacy", "GET"): EVERYONE,
    ("public.toegankelijkheid", "GET"): EVERYONE,
    ("public.healthz", "GET"): EVERYONE,
    ("api.eligibility", "POST"): EVERYONE,
    ("api.openapi", "GET"): EVERYONE,
    # development only (no SMTP server): the .eml inbox of `make run`
    ("dev.mails", "GET"): EVERYONE,
    ("dev.mail", "GET"): frozenset(),  # the world has no mail with that name: 404 for everyone
    ("admin.outbox_page", "GET"): frozenset({"admin"}),
    ("admin.outbox_page", "POST"): frozenset({"admin"}),
    ("officer.summary_settings", "GET"): OFFICERS,
    ("officer.summary_settings", "POST"): OFFICERS,
    ("auth.login", "GET"): EVERYONE,
    ("auth.login", "POST"): EVERYONE,
    ("auth.logout", "POST"): EVERYONE,
    ("auth.register", "GET"): EVERYONE,
    ("auth.register", "POST"): EVERYONE,
    # without a right password in the last 5 minutes: back to the login page
    ("auth.second_factor", "GET"): frozenset(),
    ("auth.second_factor", "POST"): frozenset(),
    ("auth.enrol_second_factor", "GET"): frozenset(),
    ("auth.enrol_second_factor", "POST"): frozenset(),
    # DigiD/eHerkenning: not configured in this test, so 404 for everyone (tests/web/test_oidc.py)
    ("oidc.start", "GET"): frozenset(),
    ("oidc.link", "GET"): frozenset(),
    ("oidc.callback", "GET"): frozenset(),
    # first login through a broker; anyone else logged in is sent home
    ("oidc.details", "GET"): EVERYONE - {ANON},
    ("oidc.details", "POST"): EVERYONE - {ANON},
    ("auth.forgot_password", "GET"): EVERYONE,
    ("auth.forgot_password", "POST"): EVERYONE,
    ("auth.reset_password", "GET"): EVERYONE,
    ("auth.reset_password", "POST"): EVERYONE,
    # the world's token is a reset token, no verification token: everyone is sent to the login page
    ("auth.verify_email", "GET"): frozenset(),
    ("applicant.my_applications", "GET"): APPLICANTS,
    ("applicant.choose_instrument", "GET"): APPLICANTS,
    ("applicant.new_application", "GET"): OWNER,  # instrument llo: inwoners only
    ("applicant.new_application", "POST"): OWNER,
    ("applicant.detail", "GET"): OWNER,
    ("applicant.step", "GET"): OWNER,
    ("applicant.step", "POST"): OWNER,
    ("applicant.upload", "GET"): OWNER,
    ("applicant.upload", "POST"): OWNER,
    ("applicant.download_document", "GET"): OWNER,
    ("applicant.remove_document", "POST"): OWNER,
    ("applicant.received", "GET"): OWNER,
    ("applicant.answers_pdf", "GET"): OWNER,
    ("applicant.summary", "GET"): OWNER,
    ("applicant.summary", "POST"): OWNER,
    ("applicant.action", "POST"): OWNER,
    ("applicant.letter", "GET"): OWNER,
    ("applicant.contact", "GET"): frozenset({"inwoner", "werkgever"}),
    ("applicant.contact", "POST"): frozenset({"inwoner", "werkgever"}),
    ("applicant.organisation", "GET"): frozenset({"werkgever"}),
    ("applicant.organisation", "POST"): frozenset({"werkgever"}),
    ("officer.queue", "GET"): OFFICERS,
    ("officer.co_sign_queue", "GET"): frozenset({"supervisor"}),
    ("officer.review", "GET"): REVIEWERS,
    ("officer.action", "POST"): REVIEWERS,
    ("officer.document", "GET"): REVIEWERS,
    ("officer.letter", "GET"): REVIEWERS,
    ("finance.queue", "GET"): frozenset({"finance"}),
    ("finance.propose", "POST"): frozenset({"finance"}),
    ("finance.approve", "POST"): frozenset({"finance", "supervisor"}),
    ("finance.approve_many", "POST"): frozenset({"finance"}),
    ("officer.add_note", "POST"): OFFICERS,
    ("finance.make_file", "POST"): frozenset({"finance"}),
    ("finance.download_file", "GET"): frozenset({"finance"}),
    ("finance.file_paid", "POST"): frozenset({"finance"}),
    ("finance.reclaim_received", "POST"): frozenset({"finance"}),
    ("admin.users", "GET"): frozenset({"admin"}),
    ("admin.new_user", "GET"): frozenset({"admin"}),
    ("admin.reset_second_factor", "POST"): frozenset({"admin"}),
    ("admin.new_user", "POST"): frozenset({"admin"}),
    ("admin.edit_user", "GET"): frozenset({"admin"}),
    ("admin.edit_user", "POST"): frozenset({"admin"}),
    ("audit.index", "GET"): frozenset({"auditor"}),
    ("audit.export_decisions", "GET"): frozenset({"auditor"}),
    ("audit.export_trail", "GET"): frozenset({"auditor"}),
    ("audit.dashboard", "GET"): frozenset({"auditor", "supervisor", "admin"}),
    ("audit.quarter_report", "GET"): frozenset({"auditor", "supervisor", "admin"}),
    ("policy.index", "GET"): frozenset({"beleid"}),
    ("policy.start", "POST"): frozenset({"beleid"}),  # 400: the empty form is refused with a message
    ("policy.run", "GET"): frozenset({"beleid"}),
    ("policy.run_xlsx", "GET"): frozenset({"beleid"}),
}

ALLOWED_CODES = {200, 302, 400, 409, 422}
DENIED_CODES = {401, 403, 404}


@pytest.fixture
def world(app, users):
    """An inwoner's submitted LLO application with a document, a letter and a payment."""
    client = app.test_client()
    login(client, users["inwoner"])
    application = submit_llo(client, users["inwoner"].id)
    assert application.status == "ingediend"
    decision = Decision(application_id=application.id, kind="verlening", decided_on=clock.today(),
                        officer_id=users["officer"].id, letter_pdf=PDF)
    db.session.add(decision)
    db.session.flush()
    payment = Payment(application_id=application.id, kind="voorschot", amount="100.00",
                      status="voorgesteld", idempotency_key="matrix-test",
                      proposed_by_id=users["finance2"].id)
    db.session.add(payment)
    batch = PaymentBatch(message_id="MATRIX-TEST", execution_date=clock.today(), count=0,
                         control_sum="0.00", xml=b"<Document/>", sha256="0" * 64,
                         created_by_id=users["finance"].id)
    db.session.add(batch)
    db.session.commit()
    from fund.accounts import make_reset_token

    return {
        "app_id": application.id,
        "doc_id": db.session.scalar(select(Document.id)),
        "decision_id": decision.id,
        "payment_id": payment.id,
        "batch_id": batch.id,
        "user_id": users["inwoner2"].id,
        "token": make_reset_token(users["inwoner2"]),
        "name": "99999999",  # no such mail in the development inbox
        "instrument": "llo",
        "provider": "digid",
        "slug": "opleiding",
        "event_applicant": "object",
        "event_officer": "assign",
        "run_id": _simulation_run(users["beleid"]),
    }


def _simulation_run(user) -> str:
    from fund.reports.simulation_runs import create_run

    return create_run(user_id=user.id, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), instrument=None,
                      ruleset_id="llo-2026", values={"maximum_overig": "2000.00"})


def _url(app, rule, world) -> str:
    values = {}
    for arg in rule.arguments:
        if arg == "event":
            values[arg] = world["event_applicant" if rule.endpoint.startswith("applicant.")
                                else "event_officer"]
        elif arg == "filename":
            values[arg] = "css/fund.css"
        else:
            values[arg] = world[arg]
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _gets_in(resp) -> bool:
    if resp.status_code in DENIED_CODES:
        return False
    if resp.status_code == 302 and "/auth/login" in resp.headers.get("Location", "") \
            and resp.request.path != "/auth/login":
        return False
    assert resp.status_code in ALLOWED_CODES, (resp.request.path, resp.status_code)
    return True


def test_access_matrix(app, users, world):
    routes = [(rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
              for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    missing = sorted({(r.endpoint, m) for r, m in routes} - set(EXPECTED))
    assert not missing, f"routes without a row in EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - {(r.endpoint, m) for r, m in routes})
    assert not stale, f"rows in EXPECTED for routes that no longer exist: {stale}"

    problems = []
    for rule, method in routes:
        url = _url(app, rule, world)
        got_in = set()
        for role in ROLES:
            client = app.test_client()
            if role != ANON:
                login(client, users[role])
            if method == "GET":
                resp = client.get(url)
            elif rule.endpoint == "api.eligibility":
                resp = client.post(url, json={"instrument": "llo"})
            else:
                resp = client.post(url, data={})
            if _gets_in(resp):
                got_in.add(role)
        expected = EXPECTED[(rule.endpoint, method)]
        if got_in != expected:
            problems.append(f"{method} {rule.rule} ({rule.endpoint}): got {sorted(got_in)}, "
                            f"expected {sorted(expected)}")
    assert not problems, "\n".join(problems)


APPLICANT_URLS = [
    "/mijn/aanvragen/{app_id}",
    "/mijn/aanvragen/{app_id}/stap/opleiding",
    "/mijn/aanvragen/{app_id}/documenten",
    "/mijn/aanvragen/{app_id}/documenten/{doc_id}",
    "/mijn/aanvragen/{app_id}/controleren",
    "/mijn/aanvragen/{app_id}/besluiten/{decision_id}/brief.pdf",
]


def test_idor_other_inwoner_gets_404(app, users, world):
    intruder = app.test_client()
    login(intruder, users["inwoner2"])
    for template in APPLICANT_URLS:
        url = template.format(**world)
        assert intruder.get(url).status_code == 404, url
        if not url.endswith((".pdf",)) and "/documenten/" not in url and url.count("/") > 3:
            assert intruder.post(url, data={}).status_code in (404, 405), url
    for event in ("withdraw", "object", "supplement", "report_outcome"):
        resp = intruder.post(f"/mijn/aanvragen/{world['app_id']}/actie/{event}", data={})
        assert resp.status_code == 404
    # Guessing ids next to one's own shows nothing either.
    for guess in range(world["app_id"] + 1, world["app_id"] + 5):
        assert intruder.get(f"/mijn/aanvragen/{guess}").status_code == 404
    assert f"/mijn/aanvragen/{world['app_id']}" not in intruder.get("/mijn/aanvragen").get_data(as_text=True)


def test_idor_document_and_letter_of_another_application(app, users, world):
    # The owner asking for a document id through another application id: 404.
    other = app.test_client()
    login(other, users["inwoner2"])
    other.post("/mijn/aanvragen/nieuw/llo", data=llo_answers()["over-u"])
    own = db.session.scalar(select(Application).where(Application.applicant_id == users["inwoner2"].id))
    assert other.get(f"/mijn/aanvragen/{own.id}").status_code == 200
    assert other.get(f"/mijn/aanvragen/{own.id}/documenten/{world['doc_id']}").status_code == 404
    assert other.get(f"/mijn/aanvragen/{own.id}/besluiten/{world['decision_id']}/brief.pdf").status_code == 404
    # Staff do not see concepts.
    officer = app.test_client()
    login(officer, users["officer"])
    assert officer.get(f"/behandeling/{own.id}").status_code == 404


def test_organisation_colleagues_share_applications_others_do_not(app, users):
    from fund.accounts import create_user

    colleague = create_user("collega@test.example", "Collega", "x" * 20, "werkgever",
                            organisation_id=users["werkgever"].organisation_id)
    db.session.commit()
    client = app.test_client()
    login(client, users["werkgever"])
    resp = client.post("/mijn/aanvragen/nieuw/voucher", data={
        "employer__municipality": "GM0114", "employer__employees": "8",
        "employer__annual_turnover": "900000", "employer__de_minimis_received_3y": "0"})
    assert resp.status_code == 302
    voucher = db.session.scalar(select(Application).where(Application.instrument == "voucher"))
    mate = app.test_client()
    login(mate, colleague)
    assert mate.get(f"/mijn/aanvragen/{voucher.id}").status_code == 200
    stranger = app.test_client()
    login(stranger, users["werkgever2"])
    assert stranger.get(f"/mijn/aanvragen/{voucher.id}").status_code == 404


def test_letter_is_pdf_attachment_and_404_when_not_generated(app, users, world):
    client = app.test_client()
    login(client, users["inwoner"])
    resp = client.get(f"/mijn/aanvragen/{world['app_id']}/besluiten/{world['decision_id']}/brief.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    pending = Decision(application_id=world["app_id"], kind="verlening", decided_on=clock.today(),
                       officer_id=users["officer"].id)
    db.session.add(pending)
    db.session.commit()
    resp = client.get(f"/mijn/aanvragen/{world['app_id']}/besluiten/{pending.id}/brief.pdf")
    assert resp.status_code == 404


def test_post_without_csrf_token_is_refused(sqlite_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        resp = client.post("/auth/login", data={"email": "a@b.nl", "password": "x"})
        assert resp.status_code == 400
        assert "Er ging iets mis" in resp.get_data(as_text=True)
        resp = client.post("/check?voor=llo", data={})
        assert resp.status_code == 400
        # With the token from the form, the same POST is handled (wrong password: 200).
        html = client.get("/auth/login").get_data(as_text=True)
        token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        resp = client.post("/auth/login", data={"email": "a@b.nl", "password": "x",
                                                "csrf_token": token})
        assert resp.status_code == 200 and "klopt niet" in resp.get_data(as_text=True)
        from fund.extensions import db as _db

        _db.session.remove()
        _db.engine.dispose()


def test_no_bsn_or_iban_in_urls(app, users, world):
    """Every link and form action the applicant and officer pages render is free of them."""
    import re

    iban = "NL91ABNA0417164300"
    for role, url in (("inwoner", f"/mijn/aanvragen/{world['app_id']}"),
                      ("officer", f"/behandeling/{world['app_id']}"),
                      ("officer", "/behandeling/")):
        client = app.test_client()
        login(client, users[role])
        html = client.get(url).get_data(as_text=True)
        for target in re.findall(r'(?:href|action)="([^"]*)"', html):
            if target.startswith("tel:"):  # the fund's own phone number (footer), not a BSN
                continue
            assert iban not in target and not re.search(r"\d{9}", target), target
