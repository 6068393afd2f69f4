"""Issue 14, stage 2: every error of a step at once and at its field, dates as three boxes,
documents per instrument, removing an upload, a too-large file inside the form, the receipt."""
from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, AuditEvent, Document
from tests.web.helpers import PDF, llo_answers, login


def _start(client, users) -> Application:
    login(client, users["inwoner"])
    client.post("/mijn/aanvragen/nieuw/llo", data=llo_answers()["over-u"])
    return db.session.scalar(select(Application))


def _date(name: str, day: str, month: str, year: str) -> dict:
    return {f"{name}-dag": day, f"{name}-maand": month, f"{name}-jaar": year}


def test_end_before_start_and_a_bad_cost_show_together_at_step_two(client, users):
    application = _start(client, users)
    data = {**llo_answers()["opleiding"], "training__cost": "veel"}
    del data["training__start_date"], data["training__end_date"]
    data |= _date("training__start_date", "1", "3", "2027") | _date("training__end_date", "1", "2", "2027")
    resp = client.post(f"/mijn/aanvragen/{application.id}/stap/opleiding", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Uw antwoorden zijn bewaard" not in html
    assert "De einddatum ligt voor de begindatum. Vul een einddatum in die op of na de begindatum ligt." in html
    assert "Vul een bedrag in euro" in html
    assert "Er zijn 2 dingen niet goed ingevuld" in html
    assert 'href="#training__end_date-dag"' in html and 'href="#training__cost"' in html
    assert "<title>Fout: " in html
    db.session.refresh(application)
    assert "training" not in (application.facts or {})  # nothing half-written


def test_date_boxes_say_exactly_what_is_wrong(client, users):
    login(client, users["inwoner"])
    base = {k: v for k, v in llo_answers()["over-u"].items() if k != "applicant__birth_date"}
    for parts, message in ((("10", "", "1990"), "Vul ook de maand in."),
                           (("10", "13", "1990"), "De maand moet een getal van 1 tot en met 12 zijn."),
                           (("10", "5", "90"), "Vul het jaar in met 4 cijfers"),
                           (("tien", "5", "1990"), "Vul de datum in met cijfers")):
        html = client.post("/mijn/aanvragen/nieuw/llo",
                           data=base | _date("applicant__birth_date", *parts)).get_data(as_text=True)
        assert message in html, (parts, message)
    resp = client.post("/mijn/aanvragen/nieuw/llo", data=base | _date("applicant__birth_date", "10", "5", "1990"))
    assert resp.status_code == 302
    assert db.session.scalar(select(Application)).facts["applicant"]["birth_date"] == "1990-05-10"
    html = client.get(resp.headers["Location"].replace("opleiding", "over-u")).get_data(as_text=True)
    assert 'name="applicant__birth_date-dag"' in html and 'value="10"' in html and 'value="1990"' in html


def test_document_types_follow_the_instrument(client, users):
    application = _start(client, users)
    html = client.get(f"/mijn/aanvragen/{application.id}/documenten").get_data(as_text=True)
    assert 'value="afwijzing_uwv"' in html and 'value="praktijkleerovereenkomst"' not in html
    werkgever = client.application.test_client()
    login(werkgever, users["werkgever"])
    werkgever.post("/mijn/aanvragen/nieuw/voucher", data={
        "employer__municipality": "GM0114", "employer__employees": "8",
        "employer__annual_turnover": "900000", "employer__de_minimis_received_3y": "0"})
    voucher = db.session.scalar(select(Application).where(Application.instrument == "voucher"))
    html = werkgever.get(f"/mijn/aanvragen/{voucher.id}/documenten").get_data(as_text=True)
    assert 'value="offerte"' in html and 'value="bewijs_bijdrage"' in html
    assert 'value="afwijzing_uwv"' not in html and 'value="afwijzing_gemeente"' not in html


def test_remove_a_wrong_upload_before_sending(client, users):
    application = _start(client, users)
    client.post(f"/mijn/aanvragen/{application.id}/documenten",
                data={"kind": "offerte", "file": (io.BytesIO(PDF), "verkeerd.pdf")},
                content_type="multipart/form-data")
    doc = db.session.scalar(select(Document))
    resp = client.post(f"/mijn/aanvragen/{application.id}/documenten/{doc.id}/verwijderen")
    assert resp.status_code == 302
    assert db.session.scalar(select(Document)) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event == "document_removed")) is not None


def test_too_large_file_gets_a_message_in_the_form(app, client, users):
    application = _start(client, users)
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    resp = client.post(f"/mijn/aanvragen/{application.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(PDF + b"0" * (3 * 1024 * 1024)), "o.pdf")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 413
    assert "Dit bestand is te groot. Een bestand mag hoogstens 2 MB zijn." in html
    assert 'name="file"' in html and "fund-error-summary" in html


def test_receipt_page_and_pdf_of_the_answers(client, users):
    application = _start(client, users)
    answers = llo_answers()
    for slug in ("opleiding", "betaling"):
        client.post(f"/mijn/aanvragen/{application.id}/stap/{slug}", data=answers[slug])
    client.post(f"/mijn/aanvragen/{application.id}/documenten",
                data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
                content_type="multipart/form-data")
    resp = client.post(f"/mijn/aanvragen/{application.id}/controleren", data={})
    assert resp.headers["Location"].endswith(f"/mijn/aanvragen/{application.id}/verstuurd")
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    db.session.refresh(application)
    assert application.number in html and "Wat gebeurt er nu?" in html
    assert "beslistermijn" in html and "antwoorden.pdf" in html
    pdf = client.get(f"/mijn/aanvragen/{application.id}/antwoorden.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Verzorgende IG" in text
