"""Internal notes: staff write them on a file; the applicant never sees them; they are in the
audit trail and in the auditor's export of that file."""
from __future__ import annotations

import json

from sqlalchemy import select

from fund.extensions import db
from fund.models import AuditEvent, Note
from fund.workflow.notes import MAX_LENGTH
from tests.web.helpers import login, submit_llo

SECRET = "Gebeld met de werkgever: de opleiding start pas in maart. <b>Niet doorsturen</b>."


def test_an_officer_note_is_for_staff_only_and_in_the_trail(app, users):
    applicant = app.test_client()
    login(applicant, users["inwoner"])
    application = submit_llo(applicant, users["inwoner"].id)
    officer = app.test_client()
    login(officer, users["officer"])

    resp = officer.post(f"/behandeling/{application.id}/notities", data={"notitie": f"  {SECRET}  "})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("#notities-kop")
    note = db.session.scalars(select(Note)).one()
    assert (note.text, note.author_id, note.application_id) == (SECRET, users["officer"].id, application.id)

    page = officer.get(f"/behandeling/{application.id}").get_data(as_text=True)
    assert "Gebeld met de werkgever" in page and "&lt;b&gt;Niet doorsturen&lt;/b&gt;" in page  # escaped
    assert users["officer"].name in page and "Notitie (intern)" in page  # in the Verloop too

    # never on the applicant's side: page, timeline, answers PDF
    mine = applicant.get(f"/mijn/aanvragen/{application.id}").get_data(as_text=True)
    assert "Gebeld met de werkgever" not in mine and "Notitie" not in mine

    event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "note_added")).one()
    assert event.data["text"] == SECRET and event.actor_id == users["officer"].id

    auditor = app.test_client()
    login(auditor, users["auditor"])
    export = auditor.get(f"/verantwoording/export/controlespoor?aanvraag={application.number}&formaat=json")
    body = export.get_data(as_text=True)
    assert export.status_code == 200 and '"note_added"' in body
    assert json.dumps(SECRET, ensure_ascii=False)[1:-1] in body or json.dumps(SECRET)[1:-1] in body

def test_empty_and_too_long_notes_are_refused_in_dutch(app, users):
    applicant = app.test_client()
    login(applicant, users["inwoner"])
    application = submit_llo(applicant, users["inwoner"].id)
    supervisor = app.test_client()
    login(supervisor, users["supervisor"])
    empty = supervisor.post(f"/behandeling/{application.id}/notities", data={"notitie": "   "},
                            follow_redirects=True)
    assert "Schrijf eerst de notitie." in empty.get_data(as_text=True)
    long = supervisor.post(f"/behandeling/{application.id}/notities", data={"notitie": "x" * (MAX_LENGTH + 1)},
                           follow_redirects=True)
    assert f"hoogstens {MAX_LENGTH} tekens" in long.get_data(as_text=True)
    assert db.session.scalars(select(Note)).all() == []
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.event == "note_added")).all() == []
