"""The review page (issue 13): a confirmation step that shows the letter before it goes, inline
document preview served safely, the Verloop with repeated edits grouped, claim-and-open."""
from __future__ import annotations

import datetime as dt
import io

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from fund.documents import store_upload
from fund.extensions import db
from fund.models import AuditEvent, Decision
from fund.views.staff_queries import grouped_trail
from tests.web.helpers import PDF, PNG, login
from tests.facts import llo_facts
from tests.workflow.conftest import make_people
from tests.workflow.helpers import in_review, submitted


def _events(a) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.application_id == a.id))


def test_grant_is_confirmed_after_seeing_what_the_letter_says(app):
    people = make_people()
    a = in_review(people, "llo", llo_facts(cost="3200.00", has_startkwalificatie=False))  # priority: above vier-ogen
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    before = _events(a)
    data = {"grant-deviate": "nee", "grant-motivation": "Past binnen de regels."}
    resp = officer.post(f"/behandeling/{a.id}/actie/grant", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Controleren: verlenen" in html
    amount = f"{a.computed_amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    assert f"Besluit: Toekenning (verlening) van € {amount}" in html
    assert "Past binnen de regels." in html and "de regeling vraagt 18 tot 67 jaar" in html
    assert "tweede medewerker" in html and "direct naar de aanvrager" not in html
    assert 'name="grant-motivation" value="Past binnen de regels."' in html
    assert 'name="bevestigd" value="ja"' in html
    db.session.refresh(a)
    assert a.status == "in_behandeling" and _events(a) == before  # nothing sent yet
    resp = officer.post(f"/behandeling/{a.id}/actie/grant", data={**data, "bevestigd": "ja"})
    assert resp.status_code == 302
    db.session.refresh(a)
    assert a.status == "besluit_voorgesteld"


def test_confirmation_refuses_what_the_workflow_would_refuse(app):
    people = make_people()
    a = in_review(people, "llo")
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    # rejecting an eligible file without the hardheidsclausule: the workflow's own message, at once
    resp = officer.post(f"/behandeling/{a.id}/actie/reject",
                        data={"reject-deviate": "nee", "reject-motivation": "Nee."})
    assert resp.status_code == 400
    assert "wijkt af van de uitkomst van de regels" in resp.get_data(as_text=True)
    db.session.refresh(a)
    assert a.status == "in_behandeling"


def test_herstel_and_verdaging_confirmations_name_the_new_dates(app):
    people = make_people()
    a = in_review(people, "llo")
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    from fund.letters.dutch import datum
    from fund.workflow import intake

    html = officer.post(f"/behandeling/{a.id}/actie/request_info",
                        data={"request_info-message": "De offerte ontbreekt."}).get_data(as_text=True)
    assert "De offerte ontbreekt." in html and datum(intake.herstel_deadline_for(a)) in html
    html = officer.post(f"/behandeling/{a.id}/actie/extend_deadline",
                        data={"extend_deadline-reason": "Advies nodig."}).get_data(as_text=True)
    assert "Advies nodig." in html and datum(intake.extended_deadline(a)) in html
    assert datum(intake.extended_deadline(a)) != datum(a.decision_deadline)
    db.session.refresh(a)
    assert a.herstel_deadline is None and not a.deadline_extended
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_documents_inline_only_for_staff_and_only_checked_types(app):
    people = make_people()
    a = submitted(people, "llo")
    doc = store_upload(a, FileStorage(io.BytesIO(PDF), "offerte.pdf"), "offerte", people.inwoner)
    png = store_upload(a, FileStorage(io.BytesIO(PNG), "foto.png"), "offerte", people.inwoner)
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    page = officer.get(f"/behandeling/{a.id}").get_data(as_text=True)
    src = f"/behandeling/{a.id}/documenten/{doc.id}?bekijken=1"
    assert f'<iframe class="fund-doc__frame" src="{src}"' in page
    shown = officer.get(src)
    assert shown.status_code == 200 and shown.data.startswith(b"%PDF")
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["Content-Type"] == "application/pdf"
    assert "frame-ancestors 'self'" in shown.headers["Content-Security-Policy"]
    assert "script-src" not in shown.headers["Content-Security-Policy"]  # default-src 'none'
    assert shown.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert f'<img class="fund-doc__image" src="/behandeling/{a.id}/documenten/{png.id}?bekijken=1"' in page
    image = officer.get(f"/behandeling/{a.id}/documenten/{png.id}?bekijken=1")
    assert image.headers["Content-Type"] == "image/png" and image.headers["Content-Disposition"].startswith("inline;")
    plain = officer.get(f"/behandeling/{a.id}/documenten/{doc.id}")
    assert plain.headers["Content-Disposition"].startswith("attachment;")
    assert plain.headers["X-Frame-Options"] == "DENY"
    # the applicant's own link never serves inline, whatever the address says
    applicant = app.test_client()
    login(applicant, people.inwoner)
    own = applicant.get(f"/mijn/aanvragen/{a.id}/documenten/{doc.id}?bekijken=1")
    assert own.headers["Content-Disposition"].startswith("attachment;")


def test_claim_from_the_queue_opens_the_file(app):
    people = make_people()
    a = submitted(people, "llo")
    db.session.commit()
    officer = app.test_client()
    login(officer, people.officer)
    resp = officer.post(f"/behandeling/{a.id}/actie/assign?terug=werkvoorraad",
                        data={"assign-officer_id": "", "openen": "ja"})
    assert resp.headers["Location"].endswith(f"/behandeling/{a.id}")
    # assigning to a colleague stays in the queue
    b = submitted(people, "llo")
    db.session.commit()
    resp = officer.post(f"/behandeling/{b.id}/actie/assign?terug=werkvoorraad",
                        data={"assign-officer_id": str(people.officer2.id), "openen": "ja"})
    assert resp.headers["Location"].endswith("/behandeling/")


def test_verloop_groups_a_run_of_the_same_edit():
    t = dt.datetime(2026, 11, 2, 9, 0)

    def ev(name, minutes, actor=1, frm="concept", to="concept", reason=None):
        return AuditEvent(event=name, actor_id=actor, from_state=frm, to_state=to, reason=reason,
                          occurred_at=t + dt.timedelta(minutes=minutes))

    events = [ev("created", 0, to="concept", frm=None)] + [ev("facts_updated", m) for m in range(1, 10)] + [
        ev("submit", 11, to="ingediend"), ev("facts_updated", 12, actor=2, frm="ingediend", to="ingediend"),
        ev("facts_updated", 13, actor=3, frm="ingediend", to="ingediend")]
    lines = grouped_trail(events)
    assert [(line.first.event, line.count) for line in lines] == [
        ("created", 1), ("facts_updated", 9), ("submit", 1), ("facts_updated", 1), ("facts_updated", 1)]
    assert lines[1].last.occurred_at == t + dt.timedelta(minutes=9)
