"""A leerbedrijf applies for a praktijkverklaring on behalf of its candidate (issue 14): the
candidate's name is asked once, the questions speak of "de kandidaat", what the organisation
record holds is not asked again, and pages, mail and letter name the candidate."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application
from tests.web.helpers import PDF, future, login

CANDIDATE = {
    "candidate__birth_date": "1999-03-04", "candidate__municipality": "GM0114",
    "candidate__employment_status": "jobseeker", "candidate__has_startkwalificatie": "nee",
    "candidate__statushouder": "nee", "candidate__banenafspraak_indicatie": "nee",
}
TRAJECT = {
    "meta__title": "Medewerker bediening", "traject__mbo_instelling": "Drenthe College",
    "traject__crebo": "25655", "traject__werkprocessen": "B1-K1-W1\nB1-K1-W2",
    "traject__start_date": future(30), "traject__end_date": future(200),
}
BETALING = {"funding__uwv_declined": "nee", "funding__gemeente_declined": "nee",
            "meta__iban": "NL91ABNA0417164300"}


def test_leerbedrijf_asks_the_candidate_in_the_third_person(client, users):
    login(client, users["werkgever"])
    html = client.get("/mijn/aanvragen/nieuw/praktijkverklaring").get_data(as_text=True)
    assert "Over de kandidaat" in html
    assert "Wat is de naam van de kandidaat?" in html
    assert "In welke gemeente woont de kandidaat?" in html
    assert "woont u" not in html and "Heeft u" not in html

    # The name is required: without it nothing is stored and the error says what to do.
    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring", data=CANDIDATE)
    assert resp.status_code == 200 and "<title>Fout: " in resp.get_data(as_text=True)
    assert db.session.scalar(select(Application)) is None

    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring",
                       data={**CANDIDATE, "candidate__name": "Sanne de Vries"})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    app = db.session.scalar(select(Application))
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    # The organisation's own name is on its record: not asked again; nor SBB recognition, which
    # Bakkerij Bos's organisation page holds as 'ja'.
    assert "Naam van het leerbedrijf" not in html
    assert "erkend als leerbedrijf door SBB" not in html
    assert "Welke werkprocessen leert de kandidaat?" in html
    resp = client.post(f"/mijn/aanvragen/{app.id}/stap/traject", data=TRAJECT)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = client.post(f"/mijn/aanvragen/{app.id}/stap/betaling", data=BETALING)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    resp = client.post(f"/mijn/aanvragen/{app.id}/documenten",
                       data={"kind": "praktijkleerovereenkomst", "file": (io.BytesIO(PDF), "plo.pdf")},
                       content_type="multipart/form-data")
    assert resp.status_code == 302, resp.get_data(as_text=True)

    db.session.refresh(app)
    assert app.facts["application"]["applicant_kind"] == "organisation"
    assert app.facts["leerbedrijf"] == {"name": "Bakkerij Bos", "sbb_erkend": True}
    assert app.facts["candidate"]["name"] == "Sanne de Vries"
    summary = client.get(f"/mijn/aanvragen/{app.id}/controleren").get_data(as_text=True)
    assert "Wat is de naam van de kandidaat?" in summary and "Sanne de Vries" in summary

    resp = client.post(f"/mijn/aanvragen/{app.id}/controleren", data={})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.refresh(app)
    assert app.status == "ingediend"
    assert "Voor Sanne de Vries." in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "voor Sanne de Vries" in client.get(f"/mijn/aanvragen/{app.id}").get_data(as_text=True)


def test_candidate_who_applies_reads_u(client, users):
    login(client, users["inwoner"])
    html = client.get("/mijn/aanvragen/nieuw/praktijkverklaring").get_data(as_text=True)
    assert "Over u" in html and "In welke gemeente woont u?" in html
    assert "naam van de kandidaat" not in html and "de kandidaat?" not in html
    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring", data=CANDIDATE)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Naam van het leerbedrijf" in html and "Welke werkprocessen leert u?" in html


def test_summary_names_what_is_missing_in_sentences(client, users):
    """The summary lists what is missing as sentences, not as the rule engine's fragments."""
    login(client, users["werkgever"])
    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring",
                       data={**CANDIDATE, "candidate__name": "Sanne de Vries"})
    app = db.session.scalar(select(Application))
    app.facts = {**app.facts, "candidate": {**app.facts["candidate"], "name": ""}}
    db.session.commit()
    html = client.get(f"/mijn/aanvragen/{app.id}/controleren").get_data(as_text=True)
    assert "Wat is de naam van de kandidaat?</a> Dit is nog niet ingevuld." in html
    assert "Crebonummer van de kwalificatie</a>: Dit is nog niet ingevuld." in html
    assert "ontbreekt" not in html and "mag niet leeg zijn" not in html


def _check_answers(**extra) -> dict:
    """The check page's answers: dates as dag/maand/jaar boxes."""
    data = {k: v for k, v in {**CANDIDATE, **TRAJECT}.items() if not k.endswith("_date")}
    for name, iso in (("candidate__birth_date", CANDIDATE["candidate__birth_date"]),
                      ("traject__start_date", TRAJECT["traject__start_date"]),
                      ("traject__end_date", TRAJECT["traject__end_date"])):
        year, month, day = iso.split("-")
        data.update({f"{name}-dag": day, f"{name}-maand": month, f"{name}-jaar": year})
    return {**data, "funding__uwv_declined": "nee", "funding__gemeente_declined": "nee", **extra}


def test_check_asks_for_whom_and_speaks_of_the_candidate(client):
    """"Check uw kansen" for the praktijkverklaring first asks for whom; a leerbedrijf then reads
    the questions, the outcome and the reasons about "de kandidaat", as in the application."""
    html = client.get("/check?voor=praktijkverklaring").get_data(as_text=True)
    assert "Voor wie doet u de check?" in html and "Geboortedatum" not in html
    # choosing nothing is an error at the question, with the 'Fout:' title
    html = client.get("/check?voor=praktijkverklaring&kies=1").get_data(as_text=True)
    assert "<title>Fout: " in html and "Kies voor wie u de check doet." in html

    html = client.get("/check?voor=praktijkverklaring&kies=1&als=organisation").get_data(as_text=True)
    assert "In welke gemeente woont de kandidaat?" in html
    assert "Is uw organisatie erkend als leerbedrijf door SBB?" in html
    assert "woont u" not in html and "Heeft u" not in html
    html = client.post("/check?voor=praktijkverklaring&als=organisation",
                       data=_check_answers(candidate__municipality="GM0106",
                                           leerbedrijf__sbb_erkend="nee")).get_data(as_text=True)
    assert "Het fonds kan de kandidaat helaas niet helpen." in html
    assert "De kandidaat woont in Assen." in html
    assert "Woont de kandidaat in een gemeente die niet bij het fonds hoort" in html
    assert "U woont" not in html and "Het leerbedrijf - " not in html
    html = client.post("/check?voor=praktijkverklaring&als=organisation",
                       data=_check_answers(leerbedrijf__sbb_erkend="ja")).get_data(as_text=True)
    assert "het fonds kan de kandidaat waarschijnlijk helpen" in html
    # a referral: where the candidate asks first, in the words of the rules (refer_to, derde)
    html = client.post("/check?voor=praktijkverklaring&als=organisation",
                       data=_check_answers(candidate__employment_status="bijstand",
                                           leerbedrijf__sbb_erkend="ja")).get_data(as_text=True)
    assert "De kandidaat vraagt het eerst hier:" in html and "<li>de gemeente</li>" in html
    assert "uw gemeente" not in html
    html = client.post("/check?voor=praktijkverklaring&als=person",
                       data=_check_answers(candidate__employment_status="bijstand",
                                           leerbedrijf__sbb_erkend="ja")).get_data(as_text=True)
    assert "Vraag het eerst hier:" in html and "<li>uw gemeente</li>" in html

    # the candidate herself reads "u"
    html = client.post("/check?voor=praktijkverklaring&als=person",
                       data=_check_answers(candidate__municipality="GM0106",
                                           leerbedrijf__sbb_erkend="ja")).get_data(as_text=True)
    assert "Het fonds kan u helaas niet helpen." in html and "U woont in Assen." in html


def test_check_of_a_logged_in_leerbedrijf_needs_no_choice(client, users):
    login(client, users["werkgever"])
    html = client.get("/check?voor=praktijkverklaring").get_data(as_text=True)
    assert "In welke gemeente woont de kandidaat?" in html and "Voor wie doet u de check?" not in html
    # 'Wijzig' lets it choose after all
    html = client.get("/check?voor=praktijkverklaring&opnieuw=1").get_data(as_text=True)
    assert "Voor wie doet u de check?" in html


def test_sbb_erkend_on_the_organisation_page_is_not_asked_again(client, users):
    """The organisation page keeps whether the leerbedrijf is SBB-erkend (validated, audited);
    a 'ja' there is the fact the praktijkverklaring no longer asks; otherwise it asks."""
    from fund.models import AuditEvent

    org = users["werkgever"].organisation
    org.sbb_erkend = False
    db.session.commit()
    login(client, users["werkgever"])
    page = client.get("/mijn/organisatie").get_data(as_text=True)
    assert "Is uw organisatie erkend als leerbedrijf door SBB?" in page

    # not stated on the record: the application asks
    resp = client.post("/mijn/aanvragen/nieuw/praktijkverklaring",
                       data={**CANDIDATE, "candidate__name": "Sanne de Vries"})
    first = db.session.scalar(select(Application))
    html = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Is uw organisatie erkend als leerbedrijf door SBB?" in html

    # no choice, or a made-up one: a Dutch message at the field, nothing stored
    for data in ({"action": "leerbedrijf"}, {"action": "leerbedrijf", "sbb_erkend": "misschien"}):
        html = client.post("/mijn/organisatie", data=data).get_data(as_text=True)
        assert "<title>Fout: " in html and "Kies Ja of Nee." in html
        db.session.refresh(org)
        assert org.sbb_erkend is False
    resp = client.post("/mijn/organisatie", data={"action": "leerbedrijf", "sbb_erkend": "ja"})
    assert resp.status_code == 302
    db.session.refresh(org)
    assert org.sbb_erkend is True
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.event == "organisation_changed")) is not None
    assert re.search(r'<input checked[^>]*value="ja"', client.get("/mijn/organisatie").get_data(as_text=True))

    # now the (already started) application no longer asks, and stores the record's answer
    html = client.get(f"/mijn/aanvragen/{first.id}/stap/traject").get_data(as_text=True)
    assert "erkend als leerbedrijf door SBB" not in html
    resp = client.post(f"/mijn/aanvragen/{first.id}/stap/traject", data=TRAJECT)
    assert resp.status_code == 302, resp.get_data(as_text=True)
    db.session.refresh(first)
    assert first.facts["leerbedrijf"]["sbb_erkend"] is True
