"""Shared by the portal tests (test client) and the browser tests."""
from __future__ import annotations

import time

import datetime as dt

from fund.workflow import clock

PASSWORD = "een-lang-wachtwoord-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

ROLES = ("inwoner", "inwoner2", "werkgever", "werkgever2", "officer", "officer2", "supervisor",
         "finance", "finance2", "auditor", "beleid", "admin")


ADDRESS = {"street": "Hoofdstraat", "house_number": "12", "postcode": "7811 EA", "city": "Emmen"}


def make_users(password: str = PASSWORD) -> dict:
    """Users for every role; werkgever and werkgever2 in different organisations."""
    from fund.accounts import create_user
    from fund.extensions import db
    from fund.models import Organisation

    org1 = Organisation(kvk_number="11112222", name="Bakkerij Bos", municipality="GM0114",
                        employees=8, annual_turnover="900000.00", sbb_erkend=True,
                        street="Markt", house_number="3", postcode="7811 AB", city="Emmen")
    org2 = Organisation(kvk_number="33334444", name="Garage Dijk", municipality="GM0118",
                        employees=20, annual_turnover="2000000.00", sbb_erkend=True,
                        street="Stationsweg", house_number="20", postcode="7901 AC", city="Hoogeveen")
    db.session.add_all([org1, org2])
    db.session.flush()
    spec = {
        "inwoner": ("inwoner", ADDRESS),
        "inwoner2": ("inwoner", ADDRESS),
        "werkgever": ("werkgever", {"organisation_id": org1.id}),
        "werkgever2": ("werkgever", {"organisation_id": org2.id}),
        "officer": ("officer", {}),
        "officer2": ("officer", {}),
        "supervisor": ("supervisor", {}),
        "finance": ("finance", {}),
        "finance2": ("finance", {}),
        "auditor": ("auditor", {}),
        "beleid": ("beleid", {}),
        "admin": ("admin", {}),
    }
    users = {}
    for key, (role, extra) in spec.items():
        users[key] = create_user(f"{key}@test.example", key.capitalize(), password, role, **extra)
    db.session.commit()
    return users


def login(client, user) -> None:
    """Log ``user`` in on a Flask test client without the (slow, rate-limited) login form."""
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user.id)
        sess["_fresh"] = True
        sess["_epoch"] = user.session_epoch or 0
        sess["_created"] = sess["_seen"] = int(time.time())


def future(days: int) -> str:
    return (clock.today() + dt.timedelta(days=days)).isoformat()


def llo_answers(cost: str = "3200,00") -> dict:
    """Form answers per step of the LLO form (prioritaire doelgroep: no startkwalificatie)."""
    return {
        "over-u": {
            "applicant__birth_date": "1990-05-10", "applicant__municipality": "GM0114",
            "applicant__employment_status": "employed", "applicant__has_startkwalificatie": "nee",
            "applicant__statushouder": "nee", "applicant__banenafspraak_indicatie": "nee",
            "applicant__inburgeringsplichtig": "nee",
        },
        "opleiding": {
            "meta__title": "Verzorgende IG", "training__provider_kind": "mbo",
            "training__kind": "certificaat", "training__sector": "zorg_welzijn",
            "training__full_time": "nee", "training__start_date": future(30),
            "training__end_date": future(300), "training__cost": cost,
        },
        "betaling": {
            "funding__coverage": "none", "funding__other_amount": "",
            "funding__uwv_declined": "nee", "funding__gemeente_declined": "nee",
            "meta__iban": "NL91ABNA0417164300",
        },
    }


def submit_llo(client, applicant_id: int):
    """The logged-in inwoner on ``client`` fills in, documents and submits an LLO application."""
    import io

    from sqlalchemy import select

    from fund.extensions import db
    from fund.models import Application

    answers = llo_answers()
    client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    application = db.session.scalar(select(Application).where(Application.applicant_id == applicant_id)
                                    .order_by(Application.id.desc()))
    for slug in ("opleiding", "betaling"):
        client.post(f"/mijn/aanvragen/{application.id}/stap/{slug}", data=answers[slug])
    client.post(f"/mijn/aanvragen/{application.id}/documenten",
                data={"kind": "offerte", "file": (io.BytesIO(PDF), "offerte.pdf")},
                content_type="multipart/form-data")
    client.post(f"/mijn/aanvragen/{application.id}/controleren", data={})
    db.session.refresh(application)
    return application
