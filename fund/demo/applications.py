"""Demo applications in every workflow state, made by sending the workflow's own events.

What is particular to an instrument (sample facts, title, who applies in which state, what the
officer proposes, what the applicant reports) is in ``rules/<instrument>/demo.yaml``; this module
is generic. :func:`sample_facts` gives that sample document with dates relative to today (the
tests and benchmarks build on it).
"""
from __future__ import annotations

import copy
import hashlib
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Document, User

# -- facts ---------------------------------------------------------------------------------------


def _demo(instrument: str) -> dict:
    from fund.rules import load_rulebook

    demo = load_rulebook().demo(instrument)
    if demo is None:
        raise LookupError(f"{instrument} heeft geen demo.yaml")
    return demo


def _resolve(value, today: date):
    from fund.rules.demo_file import is_relative_date

    if is_relative_date(value):  # {days, months} after today
        return (today + timedelta(days=value.get("days", 0)) + relativedelta(months=value.get("months", 0))).isoformat()
    return copy.deepcopy(value)


def sample_facts(instrument: str, changes: dict | None = None) -> dict:
    """The sample facts document of ``rules/<instrument>/demo.yaml``, dates counted from today,
    with ``changes`` ({dotted fact: value}) applied."""
    from fund.forms.instruments import set_fact
    from fund.workflow import clock

    today = clock.today()
    facts = {"instrument": instrument}
    for section, values in _demo(instrument)["facts"].items():
        facts[section] = {key: _resolve(value, today) for key, value in values.items()}
    for dotted, value in (changes or {}).items():
        set_fact(facts, dotted, _resolve(value, today))
    return facts


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
GAP_DAYS = {"submit": 0, "assign": 3, "request_info": 7, "expire_herstel": 0, "withdraw": 12, "propose": 21,
            "decide": 24, "reject": 24, "refer": 14, "object": 18, "pay": 8, "bank": 3, "report": 160,
            "report_completed": 200, "settle": 12, "close": 10}
def first_day() -> date:
    """The first working day of the first tijdvak (rules/shared/tijdvakken.yaml): no demo
    application is received before the regeling exists, nor on a feestdag."""
    from fund.awb import atw_last_day
    from fund.rules import load_rulebook

    return atw_last_day(min(t.start for t in load_rulebook().tijdvakken))


def received_on(instrument: str, status: str, today: date) -> date:
    days = RECEIVED_DAYS_AGO[status] + _demo(instrument)["days_earlier"]
    return max(first_day(), today - timedelta(days=max(days, 0)))


def _staff() -> dict[str, User]:
    emails = {"officer": "officer@ontwikkelfonds.test", "officer2": "officer2@ontwikkelfonds.test",
              "supervisor": "supervisor@ontwikkelfonds.test", "finance": "finance@ontwikkelfonds.test",
              "finance2": "finance2@ontwikkelfonds.test"}
    return {key: db.session.scalar(select(User).where(User.email == email)) for key, email in emails.items()}


def _case(instrument: str, status: str, inwoners: dict, organisations: dict) -> tuple[User, dict, dict]:
    """(applicant, facts, create_application extras) of the demo application in ``status``:
    ``states.<status>`` of demo.yaml, what it leaves out from its ``default``."""
    from fund.demo.seed import INWONERS
    from fund.forms.instruments import initial_facts, set_fact
    from fund.rules import load_rulebook
    from fund.workflow import clock

    demo = _demo(instrument)
    default, own = demo["default"], demo["states"].get(status) or {}
    case = {"inwoner": own.get("inwoner") or default["inwoner"],  # the state's own, else default's
            "organisation": own.get("organisation") or default["organisation"],
            "set": {**default["set"], **own.get("set", {})}}
    form = load_rulebook().form(instrument)
    facts = sample_facts(instrument, case["set"])
    extra: dict = {}
    person = org = None
    if case["inwoner"]:
        person = inwoners.get(case["inwoner"])
        if person is None:
            raise LookupError(f"demo.yaml van {instrument}: geen demo-inwoner {case['inwoner']}")
        gemeente = {row[0]: row[2] for row in INWONERS}[case["inwoner"]]
        set_fact(facts, f"{form.subject}.municipality", gemeente)  # where the person lives
    if case["organisation"]:
        org = organisations.get(case["organisation"])
        if org is None:
            raise LookupError(f"demo.yaml van {instrument}: geen demo-organisatie {case['organisation']}")
        extra["organisation"] = org
    applicant = org.users[0] if org is not None else person
    if applicant is None:
        raise LookupError(f"demo.yaml van {instrument}: wie vraagt '{status}' aan? (inwoner of organisation)")
    known = initial_facts(instrument, applicant)  # who applies, and what the organisation record says
    known.get("application", {}).pop("date", None)  # the application date is set when it is sent
    for section, values in known.items():
        if isinstance(values, dict) and values:
            facts.setdefault(section, {}).update(values)
    for dotted, value in case["set"].items():  # what the state sets wins
        set_fact(facts, dotted, _resolve(value, clock.today()))
    return applicant, facts, extra


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
    elif step == "propose":  # demo.yaml `proposal`
        proposal = _demo(app.instrument)["proposal"]
        app = send(app, proposal["event"], officer, **proposal["data"])
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
    elif step in ("report", "report_completed"):  # demo.yaml `reports`
        report = _demo(app.instrument)["reports"]["completed" if step == "report_completed" else "partly"]
        costs = None
        if report["costs"] == "half_granted":
            costs = f"{app.granted_amount / 2:.2f}"  # lower than granted: a terugvordering
        elif report["costs"] == "activity_cost":
            from fund.rules import load_rulebook

            costs = app.facts[load_rulebook().form(app.instrument).activiteit]["cost"]
        app = send(app, "report_outcome", applicant, result=report["result"], incurred_costs=costs)
    elif step == "settle":
        app = send(app, "settle", officer)
    elif step == "close":
        app = send(app, "close", officer)
    return app


def seed_applications(report, *, inwoners, organisations) -> None:
    """Every instrument with a demo.yaml x every status, each made by the workflow's own events.
    Idempotent: an application is looked up by title and instrument before it is created."""
    from fund.rules import load_rulebook
    from fund.workflow import clock
    from fund.workflow.ledger import ensure_budgets

    created = ensure_budgets()
    db.session.commit()
    if created:
        report.count("budgetten", created)
    staff = _staff()
    today = clock.today()
    book = load_rulebook()
    for instrument in (i for i in book.instruments if book.demo(i) is not None):
        demo = book.demo(instrument)
        unknown = (set(demo["states"]) | set(demo["skip"])) - set(PATHS)
        if unknown:
            raise LookupError(f"demo.yaml van {instrument}: onbekende toestand {', '.join(sorted(unknown))}")
        for status, steps in PATHS.items():
            if status in demo["skip"]:
                continue
            with clock.frozen(received_on(instrument, status, today)) as start:
                _seed_one(report, instrument, status, steps, staff, inwoners, organisations, start, today)


def _seed_one(report, instrument, status, steps, staff, inwoners, organisations, start, today) -> None:
    from fund.workflow import create_application

    title = _demo(instrument)["title"].format(status=status.replace("_", " "))
    exists = db.session.scalar(select(Application.id).where(
        Application.title == title, Application.instrument == instrument))
    if exists:
        return
    applicant, facts, extra = _case(instrument, status, inwoners, organisations)
    app = create_application(applicant, instrument, facts, title=title, iban="NL91ABNA0417164300", **extra)
    _drive(app, applicant, steps, staff, start=start, until=today)
    report.count("aanvragen")
