"""An inwoner fills in the LLO form step by step, uploads the offerte and submits."""
from __future__ import annotations

import io

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Document
from tests.web.helpers import PDF, llo_answers, login


def _start_llo(client, users):
    login(client, users["inwoner"])
    answers = llo_answers()
    resp = client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    assert resp.status_code == 302, resp.get_data(as_text=True)
    app = db.session.scalar(select(Application))
    assert resp.headers["Location"].endswith(f"/mijn/aanvragen/{app.id}/stap/opleiding")
    for slug in ("opleiding", "betaling"):
        resp = client.post(f"/mijn/aanvragen/{app.id}/stap/{slug}", data=answers[slug])
        assert resp.status_code == 302, resp.get_data(as_text=True)
    return app


def test_step_shows_dutch_errors_next_to_fields(client, users):
    login(client, users["inwoner"])
    resp = client.post("/mijn/aanvragen/nieuw/llo", data={
        "applicant__birth_date-dag": "31", "applicant__birth_date-maand": "2",
        "applicant__birth_date-jaar": "1990"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Deze datum bestaat niet. Kijk de dag en de maand na" in html
    assert 'value="31"' in html  # what she typed stays in the boxes
    assert "<title>Fout: " in html
    assert "Maak een keuze." in html
    assert 'aria-invalid="true"' in html
    assert db.session.scalar(select(Application)) is None


def test_llo_walk_to_submitted(client, users):
    app = _start_llo(client, users)
    db.session.refresh(app)
    assert app.facts["training"]["cost"] == "3200.00"
    assert app.facts["applicant"]["has_startkwalificatie"] is False
    assert app.title == "Verzorgende IG" and app.iban == "NL91ABNA0417164300"

    # Summary says the offerte is missing.
    html = client.get(f"/mijn/aanvragen/{app.id}/controleren").get_data(as_text=True)
    assert "nog niet toegevoegd" in html
    assert "Verzorgende IG" in html

    resp = client.post(f"/mijn/aanvragen/{app.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302
    doc = db.session.scalar(select(Document))
    assert doc.content_type == "application/pdf" and len(doc.sha256) == 64

    resp = client.post(f"/mijn/aanvragen/{app.id}/controleren", data={})
    assert resp.status_code == 302
    db.session.refresh(app)
    assert app.status != "concept"
    html = client.get(f"/mijn/aanvragen/{app.id}").get_data(as_text=True)
    assert "De aanvraag is ingediend." in html
    assert "Wat gebeurt er nu?" in html


def test_upload_refuses_wrong_content_whatever_its_name(client, users):
    app = _start_llo(client, users)
    resp = client.post(f"/mijn/aanvragen/{app.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(b"MZ\x90\x00evil"), "offerte.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 200
    assert "Stuur een PDF, JPG of PNG" in resp.get_data(as_text=True)
    assert db.session.scalar(select(Document)) is None


def test_upload_too_large_is_refused(app, client, users):
    application = _start_llo(client, users)
    app.config["MAX_CONTENT_LENGTH"] = 2048
    resp = client.post(f"/mijn/aanvragen/{application.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(PDF + b"0" * 4096), "o.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "te groot" in resp.get_data(as_text=True)


def test_document_download_has_attachment_headers(client, users):
    app = _start_llo(client, users)
    client.post(f"/mijn/aanvragen/{app.id}/documenten",
                data={"kind": "offerte", "file": (io.BytesIO(PDF), "mijn offerte.pdf")},
                content_type="multipart/form-data")
    doc = db.session.scalar(select(Document))
    resp = client.get(f"/mijn/aanvragen/{app.id}/documenten/{doc.id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"].startswith("attachment;")


def test_the_page_offers_beroep_not_bezwaar_after_a_beslissing_op_bezwaar(client, users):
    """Awb 7:1/8:1: the applicant's page names the right remedy for each decision."""
    from fund.demo.applications import attach_required_documents
    from tests.facts import llo_facts
    from fund.workflow import create_application, send

    inwoner = users["inwoner"]
    app = create_application(inwoner, "llo", llo_facts(), title="Bezwaar")
    attach_required_documents(app, inwoner)
    app = send(app, "submit", inwoner)
    app = send(app, "assign", users["officer"])
    app = send(app, "grant", users["officer"])
    app = send(app, "object", inwoner, grounds="Het bedrag is te laag.")
    app = send(app, "decide_objection", users["officer2"], upheld=False, motivation="Het bedrag klopt.")
    login(client, inwoner)
    html = " ".join(client.get(f"/mijn/aanvragen/{app.id}").get_data(as_text=True).split())
    grant, ongegrond = app.decisions[0], app.decisions[-1]
    assert "Bezwaar maken kan tot en met" in html  # against the verlening
    assert html.count("Bezwaar maken kan tot en met") == 1
    assert "Dit is de beslissing op uw bezwaar. In beroep gaan bij de rechtbank kan tot en met" in html
    assert grant.kind == "verlening" and ongegrond.kind == "bezwaar_ongegrond"
