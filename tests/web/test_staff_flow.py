"""Staff walk an LLO application: claim, grant (> € 2.500: vier-ogen), co-sign, pay, outcome."""
from __future__ import annotations

import io

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Payment
from tests.web.helpers import PDF, llo_answers, login


def submitted_llo(client, users) -> Application:
    login(client, users["inwoner"])
    answers = llo_answers()
    client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    app = db.session.scalar(select(Application).order_by(Application.id.desc()))
    for slug in ("opleiding", "betaling"):
        client.post(f"/mijn/aanvragen/{app.id}/stap/{slug}", data=answers[slug])
    client.post(f"/mijn/aanvragen/{app.id}/documenten",
                data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
                content_type="multipart/form-data")
    resp = client.post(f"/mijn/aanvragen/{app.id}/controleren", data={})
    assert resp.status_code == 302
    db.session.refresh(app)
    return app


def test_queue_filters_and_review(app, users):
    client = app.test_client()
    application = submitted_llo(client, users)
    officer = app.test_client()
    login(officer, users["officer"])
    html = officer.get("/behandeling/").get_data(as_text=True)
    assert application.number in html
    html = officer.get("/behandeling/?instrument=voucher").get_data(as_text=True)
    assert application.number not in html
    html = officer.get("/behandeling/?municipality=GM0114&sort=nieuw&termijn=7dagen&pagina=1").get_data(as_text=True)
    assert "Werkvoorraad" in html
    html = officer.get(f"/behandeling/{application.id}").get_data(as_text=True)
    assert "de regeling vraagt 18 tot 67 jaar" in html  # the trace sentence
    assert "Budget" in html


def test_grant_cosign_pay_outcome(app, users):
    applicant = app.test_client()
    application = submitted_llo(applicant, users)
    officer = app.test_client()
    login(officer, users["officer"])

    resp = officer.post(f"/behandeling/{application.id}/actie/assign", data={})
    assert resp.status_code == 302
    db.session.refresh(application)
    assert application.assigned_officer_id == users["officer"].id

    resp = officer.post(f"/behandeling/{application.id}/actie/grant",
                        data={"grant-deviate": "nee", "grant-motivation": "Past binnen de regels.",
                              "bevestigd": "ja"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.refresh(application)
    assert application.status == "besluit_voorgesteld"

    # The same officer may not co-sign; the supervisor can.
    supervisor = app.test_client()
    login(supervisor, users["supervisor"])
    queue = supervisor.get("/behandeling/vier-ogen").get_data(as_text=True)
    # the two columns the supervisor needs: what is proposed and by whom (issue 13: they were empty)
    row = queue[queue.index(application.number):]
    row = row[:row.index("</tr>")]
    amount = f"{application.computed_amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert "Toekenning (verlening)" in row and amount in row and users["officer"].name in row
    # the co-sign page shows the proposal before anything else: kind, amount, motivation, who, when,
    # the hardheidsclausule, and the rule sentences the letter will carry
    page = supervisor.get(f"/behandeling/{application.id}").get_data(as_text=True)
    block = page[page.index('id="voorstel-kop"'):page.index('id="regels-kop"')]
    assert "Voorgesteld besluit: Toekenning (verlening) van € " + amount in block
    assert "Past binnen de regels." in block and users["officer"].name in block
    assert "Nee, het besluit volgt de regels." in block
    assert "de regeling vraagt 18 tot 67 jaar" in block
    resp = supervisor.post(f"/behandeling/{application.id}/actie/co_sign?terug=vier-ogen",
                           data={"co_sign-approve": "ja"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/behandeling/vier-ogen")
    db.session.refresh(application)
    assert application.status == "verleend"

    finance = app.test_client()
    login(finance, users["finance"])
    assert application.number in finance.get("/financien/").get_data(as_text=True)
    finance.post(f"/financien/{application.id}/voorstellen", data={})
    payment = db.session.scalar(select(Payment))
    assert payment is not None and payment.status == "voorgesteld"
    # The proposer cannot approve their own payment.
    finance.post(f"/financien/betalingen/{payment.id}/goedkeuren", data={})
    db.session.refresh(payment)
    assert payment.status == "voorgesteld"
    finance2 = app.test_client()
    login(finance2, users["finance2"])
    finance2.post(f"/financien/betalingen/{payment.id}/goedkeuren", data={})
    db.session.refresh(payment)
    assert payment.status != "voorgesteld"

    html = applicant.get(f"/mijn/aanvragen/{application.id}").get_data(as_text=True)
    assert "Toekenning" in html
    resp = applicant.post(f"/mijn/aanvragen/{application.id}/actie/report_outcome",
                          data={"report_outcome-result": "certificaat",
                                "report_outcome-incurred_costs": "3200"})
    assert resp.status_code == 302
    db.session.refresh(application)
    assert application.status == "uitkomst_gemeld"


def test_form_errors_and_workflow_errors(app, users, monkeypatch):
    applicant = app.test_client()
    application = submitted_llo(applicant, users)
    officer = app.test_client()
    login(officer, users["officer"])
    officer.post(f"/behandeling/{application.id}/actie/assign", data={})
    # Deviating without saying why: refused next to the field, nothing sent.
    resp = officer.post(f"/behandeling/{application.id}/actie/reject",
                        data={"reject-deviate": "ja", "reject-motivation": "x"})
    assert resp.status_code == 400
    assert "Vul dit in." in resp.get_data(as_text=True)

    # A WorkflowError from the workflow is shown as a flash with its Dutch message.
    import fund.workflow as wf

    def refuse(*args, **kwargs):
        raise wf.WorkflowError("Het budget voor deze regeling is op.", "plafond_bereikt")

    monkeypatch.setattr(wf, "send", refuse)
    resp = officer.post(f"/behandeling/{application.id}/actie/grant",
                        data={"grant-deviate": "nee", "bevestigd": "ja"}, follow_redirects=True)
    assert "Het budget voor deze regeling is op." in resp.get_data(as_text=True)


def test_a_deviating_proposal_shows_the_hardheidsclausule_and_its_reason(app):
    from fund.workflow import send
    from tests.workflow.conftest import make_people
    from tests.workflow.helpers import in_review

    people = make_people()
    application = in_review(people, "praktijkverklaring")
    application = send(application, "reject", people.officer, deviate=True,
                       deviation_motivation="Het leerbedrijf verliest volgende maand de SBB-erkenning.")
    assert application.status == "besluit_voorgesteld"
    supervisor = app.test_client()
    login(supervisor, people.supervisor)
    queue = supervisor.get("/behandeling/vier-ogen").get_data(as_text=True)
    assert "Afwijzing (wijkt af van de regels)" in queue and people.officer.name in queue
    page = supervisor.get(f"/behandeling/{application.id}").get_data(as_text=True)
    block = page[page.index('id="voorstel-kop"'):page.index('id="regels-kop"')]
    assert "Voorgesteld besluit: Afwijzing" in block
    assert "Ja, dit besluit wijkt af van de regels." in block
    assert "Het leerbedrijf verliest volgende maand de SBB-erkenning." in block
