"""Demo applications in every workflow state, made by sending the workflow's own events.

Also the facts builders the tests and the benchmark use (``llo_facts``, ``voucher_facts``,
``praktijkverklaring_facts``): realistic facts documents whose dates are relative to today.
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Document, Organisation, User

# -- facts builders ------------------------------------------------------------------------------


def _period(start_in_days: int = 21, months: int = 6) -> tuple[str, str]:
    from fund.workflow import clock

    start = clock.today() + timedelta(days=start_in_days)
    return start.isoformat(), (start + relativedelta(months=months)).isoformat()


def llo_facts(*, municipality: str = "GM0114", birth_date: str = "1980-05-10", cost: str = "1800.00",
              employment_status: str = "employed", has_startkwalificatie: bool = True,
              coverage: str = "none", other_amount: str = "0", sector: str = "zorg_welzijn",
              uwv_declined: bool = False) -> dict:
    start, end = _period()
    return {
        "instrument": "llo",
        "applicant": {"birth_date": birth_date, "municipality": municipality,
                      "employment_status": employment_status, "has_startkwalificatie": has_startkwalificatie,
                      "statushouder": False, "inburgeringsplichtig": False, "banenafspraak_indicatie": False},
        "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": sector, "full_time": False,
                     "start_date": start, "end_date": end, "cost": cost},
        "funding": {"coverage": coverage, "other_amount": other_amount, "uwv_declined": uwv_declined},
    }


def voucher_facts(org: Organisation | None = None, *, kvk: str | None = None, municipality: str | None = None,
                  employees: int | None = None, turnover: str | None = None, cost: str = "3000.00",
                  kind: str = "scholing", coverage: str = "none", legally_required: bool = False) -> dict:
    start, end = _period(months=4)
    return {
        "instrument": "voucher",
        "employer": {"kvk_number": kvk or (org.kvk_number if org else "12345678"),
                     "municipality": municipality or (org.municipality if org else "GM0114"),
                     "employees": employees if employees is not None else (org.employees if org else 40),
                     "annual_turnover": turnover or (f"{org.annual_turnover:.2f}" if org else "5000000.00"),
                     "de_minimis_received_3y": "0.00"},
        "activity": {"kind": kind, "provider_kind": "mbo" if kind == "scholing" else "adviseur",
                     "legally_required": legally_required, "participants": 4,
                     "start_date": start, "end_date": end, "cost": cost},
        "funding": {"coverage": coverage, "other_amount": "0"},
    }


def praktijkverklaring_facts(*, applicant_kind: str = "person", municipality: str = "GM0118",
                             employment_status: str = "jobseeker", has_startkwalificatie: bool = False,
                             sbb_erkend: bool = True, leerbedrijf: str = "Zorggroep Zuidoost-Drenthe",
                             birth_date: str = "1990-02-14", uwv_declined: bool = False) -> dict:
    start, end = _period(months=9)
    return {
        "instrument": "praktijkverklaring",
        "application": {"applicant_kind": applicant_kind},
        "candidate": {"birth_date": birth_date, "municipality": municipality,
                      "employment_status": employment_status, "has_startkwalificatie": has_startkwalificatie,
                      "statushouder": False, "banenafspraak_indicatie": False},
        "leerbedrijf": {"sbb_erkend": sbb_erkend, "name": leerbedrijf},
        "traject": {"mbo_instelling": "Drenthe College", "crebo": "25491",
                    "werkprocessen": ["B1-K1-W1", "B1-K1-W2"], "start_date": start, "end_date": end},
        "funding": {"uwv_declined": uwv_declined, "gemeente_declined": False},
    }


def attach_required_documents(app: Application, uploader: User) -> None:
    """Document rows for every required kind (demo/test: the content is a placeholder)."""
    from fund.workflow.documents import required_kinds

    present = {d.kind for d in app.documents}
    for kind in required_kinds(app.instrument, app.facts):
        if kind in present:
            continue
        content = f"{app.number}:{kind}".encode()
        db.session.add(Document(application=app, kind=kind, filename=f"{kind}.pdf",
                                content_type="application/pdf", size=len(content),
                                sha256=hashlib.sha256(content).hexdigest(), uploaded_by_id=uploader.id))
    db.session.commit()


# -- demo seed ------------------------------------------------------------------------------------

# The path to each state, as the events that lead there (after create and, except for concept,
# the required documents). "decide" grants (with a co-sign when the workflow asks for one).
PATHS: dict[str, list[str]] = {
    "concept": [],
    "ingediend": ["submit"],
    "in_behandeling": ["submit", "assign"],
    "herstel": ["submit", "assign", "request_info"],
    "buiten_behandeling": ["submit", "assign", "request_info", "expire_herstel"],
    "ingetrokken": ["submit", "withdraw"],
    "besluit_voorgesteld": ["submit", "assign", "propose"],
    "verleend": ["submit", "assign", "decide"],
    "afgewezen": ["submit", "assign", "reject"],
    "doorverwezen": ["submit", "assign", "refer"],
    "bezwaar": ["submit", "assign", "reject", "object"],
    "uitbetaald": ["submit", "assign", "decide", "pay"],
    "uitkomst_gemeld": ["submit", "assign", "decide", "pay", "bank", "report"],
    "vastgesteld": ["submit", "assign", "decide", "pay", "bank", "report", "settle"],
    "gesloten": ["submit", "assign", "decide", "pay", "bank", "report_completed", "settle", "pay", "bank", "close"],
}
GRANTED = ("verleend", "uitbetaald", "uitkomst_gemeld", "vastgesteld", "gesloten")

# A fund in operation: each demo application was received this many days before today and every
# step happened some days after the one before (GAP), so deadlines, overdue files, the dashboard
# and the quarterly reports have a year of history. No date falls before the first tijdvak.
RECEIVED_DAYS_AGO: dict[str, int] = {
    "concept": 2, "ingediend": 4, "in_behandeling": 75, "herstel": 18, "buiten_behandeling": 120,
    "ingetrokken": 150, "besluit_voorgesteld": 40, "verleend": 60, "afgewezen": 200, "doorverwezen": 240,
    "bezwaar": 90, "uitbetaald": 100, "uitkomst_gemeld": 230, "vastgesteld": 280, "gesloten": 320,
}
INSTRUMENT_SHIFT_DAYS = {"llo": 0, "voucher": -12, "praktijkverklaring": 8}
GAP_DAYS = {"submit": 0, "assign": 3, "request_info": 7, "expire_herstel": 0, "withdraw": 12, "propose": 21,
            "decide": 24, "reject": 24, "refer": 14, "object": 18, "pay": 8, "bank": 3, "report": 160,
            "report_completed": 200, "settle": 12, "close": 10}
FIRST_DAY = date(2026, 1, 2)  # the first working day of the first tijdvak (rules/shared/tijdvakken.yaml)


def received_on(instrument: str, status: str, today: date) -> date:
    days = RECEIVED_DAYS_AGO[status] + INSTRUMENT_SHIFT_DAYS.get(instrument, 0)
    return max(FIRST_DAY, today - timedelta(days=max(days, 0)))

TITLES = {
    "llo": "Opleiding {status}",
    "voucher": "Ontwikkelvoucher {status}",
    "praktijkverklaring": "Praktijkleren {status}",
}


def _staff() -> dict[str, User]:
    emails = {"officer": "officer@ontwikkelfonds.test", "officer2": "officer2@ontwikkelfonds.test",
              "supervisor": "supervisor@ontwikkelfonds.test", "finance": "finance@ontwikkelfonds.test",
              "finance2": "finance2@ontwikkelfonds.test"}
    return {key: db.session.scalar(select(User).where(User.email == email)) for key, email in emails.items()}


def _llo_case(status: str, inwoners: dict) -> tuple[User, dict, dict]:
    from fund.demo.seed import INWONERS

    gm = {row[0]: row[2] for row in INWONERS}
    # every granted (or to-be-granted) LLO needs its own inwoner: one LLO per 12 months
    granted_owner = dict(zip(("besluit_voorgesteld",) + GRANTED, [r[0] for r in INWONERS[:6]]))
    email = granted_owner.get(status) or {"afgewezen": INWONERS[6][0], "bezwaar": INWONERS[6][0]}.get(
        status, INWONERS[len(status) % 6][0])
    kwargs = {"municipality": gm[email]}
    if status == "besluit_voorgesteld":
        kwargs.update(cost="3400.00", has_startkwalificatie=False)  # above the vier-ogen threshold
    if status == "doorverwezen":
        kwargs.update(employment_status="ww")
    return inwoners[email], llo_facts(**kwargs), {}


def _voucher_case(status: str, organisations: dict) -> tuple[User, dict, dict]:
    orgs = list(organisations.values())
    org = orgs[len(status) % len(orgs)]
    if status == "besluit_voorgesteld":  # klein-mkb, 75 % of 8000 capped: above the vier-ogen threshold
        org = next(o for o in orgs if o.employees < 10)
    kwargs: dict = {"cost": "8000.00" if status == "besluit_voorgesteld" else "3000.00"}
    if status == "afgewezen" or status == "bezwaar":
        kwargs["legally_required"] = True
    if status == "doorverwezen":
        kwargs["coverage"] = "full"
    user = org.users[0]
    return user, voucher_facts(org, **kwargs), {"organisation": org}


def _praktijk_case(status: str, inwoners: dict, organisations: dict) -> tuple[User, dict, dict]:
    from fund.demo.seed import INWONERS

    row = INWONERS[len(status) % 6]
    kwargs: dict = {"municipality": row[2]}
    if status in ("afgewezen", "bezwaar"):
        kwargs["sbb_erkend"] = False
    if status == "doorverwezen":
        kwargs["employment_status"] = "ww"
    if status in ("verleend", "gesloten", "herstel"):  # the leerbedrijf applies for the candidate
        org = next(o for o in organisations.values() if o.sbb_erkend)
        return org.users[0], praktijkverklaring_facts(applicant_kind="organisation", leerbedrijf=org.name,
                                                       **kwargs), {"organisation": org}
    return inwoners[row[0]], praktijkverklaring_facts(**kwargs), {}


def _drive(app, applicant: User, steps: list[str], staff: dict, *, start: date, until: date) -> None:
    """Send ``steps``: from ``start`` on, each on its own day (GAP_DAYS), never after ``until``."""
    from fund.workflow import clock

    day, last = start, until
    for step in steps:
        day = min(day + timedelta(days=GAP_DAYS.get(step, 0)), last)
        if step == "expire_herstel" and app.herstel_deadline is not None:
            day = min(app.herstel_deadline + timedelta(days=1), last)
        with clock.frozen(day):
            app = _step(app, applicant, step, staff)


def _step(app, applicant: User, step: str, staff: dict):
    from fund.workflow import send

    officer, finance, finance2 = staff["officer"], staff["finance"], staff["finance2"]
    if step == "submit":
        attach_required_documents(app, applicant)
        app = send(app, "submit", applicant)
    elif step == "assign":
        app = send(app, "assign", officer)
    elif step == "request_info":
        app = send(app, "request_info", officer, message="Stuur de offerte met de uitsplitsing van de kosten.")
    elif step == "expire_herstel":
        app = send(app, "expire_herstel", None)
    elif step == "withdraw":
        app = send(app, "withdraw", applicant, reason="Ik heb een baan gevonden met opleiding.")
    elif step == "propose":
        if app.instrument == "praktijkverklaring":
            app = send(app, "reject", officer, deviate=True,
                       deviation_motivation="Het leerbedrijf verliest per volgende maand de SBB-erkenning.")
        else:
            app = send(app, "grant", officer, motivation="Past goed bij de vacatures in de regio.")
    elif step == "decide":
        app = send(app, "grant", officer, motivation="Past bij de regionale arbeidsmarkt.")
        if app.status == "besluit_voorgesteld":
            app = send(app, "co_sign", staff["supervisor"], approve=True)
    elif step == "reject":
        app = send(app, "reject", officer)
    elif step == "refer":
        app = send(app, "refer", officer, motivation="Vraag dit eerst aan bij de voorliggende voorziening.")
    elif step == "object":
        app = send(app, "object", applicant, grounds="Ik ben het niet eens met de afwijzing.")
    elif step == "pay":
        app = send(app, "propose_payment", finance)
        app = send(app, "approve_payment", finance2, payment_id=app.payments[-1].id)
    elif step == "bank":  # the approved payment went out in a SEPA file and the bank paid it
        from fund.workflow import bank

        bank.carry_out_approved(finance, app)
        app = db.session.get(Application, app.id)
    elif step in ("report", "report_completed"):
        if step == "report" and app.instrument != "praktijkverklaring":
            result, costs = "gedeeltelijk", f"{app.granted_amount / 2:.2f}"  # lower: a terugvordering
        elif app.instrument == "praktijkverklaring":
            result, costs = ("praktijkverklaring_behaald" if step == "report_completed" else "uitgevallen"), None
        else:
            result, costs = "certificaat", app.facts.get("activity", app.facts.get("training"))["cost"]
        app = send(app, "report_outcome", applicant, result=result, incurred_costs=costs)
    elif step == "settle":
        app = send(app, "settle", officer)
    elif step == "close":
        app = send(app, "close", officer)
    return app


def seed_applications(report, *, inwoners, organisations) -> None:
    """Three instruments x every status, each made by the workflow's own events. Idempotent:
    an application is looked up by title and applicant before it is created."""
    from fund.workflow import clock
    from fund.workflow.ledger import ensure_budgets

    created = ensure_budgets()
    db.session.commit()
    if created:
        report.count("budgetten", created)
    staff = _staff()
    today = clock.today()
    for instrument in ("llo", "voucher", "praktijkverklaring"):
        for status, steps in PATHS.items():
            with clock.frozen(received_on(instrument, status, today)) as start:
                _seed_one(report, instrument, status, steps, staff, inwoners, organisations, start, today)


def _seed_one(report, instrument, status, steps, staff, inwoners, organisations, start, today) -> None:
    from fund.workflow import create_application

    if instrument == "llo":
        applicant, facts, extra = _llo_case(status, inwoners)
    elif instrument == "voucher":
        applicant, facts, extra = _voucher_case(status, organisations)
    else:
        applicant, facts, extra = _praktijk_case(status, inwoners, organisations)
    title = TITLES[instrument].format(status=status.replace("_", " "))
    exists = db.session.scalar(select(Application.id).where(
        Application.title == title, Application.instrument == instrument))
    if exists:
        return
    app = create_application(applicant, instrument, facts, title=title, iban="NL91ABNA0417164300", **extra)
    _drive(app, applicant, steps, staff, start=start, until=today)
    report.count("aanvragen")
