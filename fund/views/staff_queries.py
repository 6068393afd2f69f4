"""Queries behind the staff pages: the officer queue (filters, sort, pages) and review data.

The queue must stay fast with 100,000 applications: every filter and sort maps onto an index
of ``applications`` (see ``fund/models/application.py``) and pages use LIMIT/OFFSET with one
extra row to know whether a next page exists (no COUNT over the whole table).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from fund.extensions import db
from fund.forms.display import today
from fund.models import Application, AuditEvent, Budget, Payment, User
from fund.models.types import Role
from fund.workflow.machine import STATES

PAGE_SIZE = 50
DUE_SOON_DAYS = 7  # "verloopt binnenkort" in the queue, and its filter
# Statuses an officer works on; the default view of the queue.
OPEN_STATUSES = ("ingediend", "in_behandeling", "herstel", "besluit_voorgesteld",
                 "uitkomst_gemeld", "bezwaar")
# Every state of the workflow machine but concept (staff never see drafts), in its order.
ALL_STATUSES = tuple(state for state in STATES if state != "concept")
SORTS = {
    "termijn": "Beslistermijn (eerst)",
    "ontvangen": "Datum van ontvangst (oudste eerst)",
    "nieuw": "Datum van ontvangst (nieuwste eerst)",
}


@dataclass
class QueueFilter:
    instrument: str = ""
    status: str = ""
    municipality: str = ""
    termijn: str = ""  # "", "verlopen", "7dagen"
    toegewezen: str = ""  # "", "mij", "niemand"
    zoek: str = ""  # free text: application number, applicant or organisation name, KvK number
    sort: str = "termijn"
    page: int = 1


def _search(q, text: str):
    """Number, applicant name, organisation name (case-insensitive, anywhere) or exact KvK."""
    from sqlalchemy import func, or_

    from fund.models import Organisation

    needle = text.strip().lower()
    applicant = select(User.id).where(func.lower(User.name).contains(needle, autoescape=True))
    orgs = select(Organisation.id).where(or_(func.lower(Organisation.name).contains(needle, autoescape=True),
                                             Organisation.kvk_number == needle.replace(" ", "")))
    return q.where(or_(func.lower(Application.number).contains(needle, autoescape=True),
                       Application.applicant_id.in_(applicant), Application.organisation_id.in_(orgs)))


def queue_query(f: QueueFilter, user: User):
    q = select(Application)
    if f.zoek.strip():
        q = _search(q, f.zoek)
    if f.status:
        q = q.where(Application.status == f.status)
    elif not f.zoek.strip():  # a search finds closed files too
        q = q.where(Application.status.in_(OPEN_STATUSES))
    else:
        q = q.where(Application.status != "concept")
    if f.instrument:
        q = q.where(Application.instrument == f.instrument)
    if f.municipality:
        q = q.where(Application.municipality == f.municipality)
    day = today()
    if f.termijn == "verlopen":
        q = q.where(Application.decision_deadline < day)
    elif f.termijn == "7dagen":
        q = q.where(Application.decision_deadline >= day,
                    Application.decision_deadline <= day + dt.timedelta(days=DUE_SOON_DAYS))
    if f.toegewezen == "mij":
        q = q.where(Application.assigned_officer_id == user.id)
    elif f.toegewezen == "niemand":
        q = q.where(Application.assigned_officer_id.is_(None))
    if f.sort == "ontvangen":
        q = q.order_by(Application.received_at.asc(), Application.id.asc())
    elif f.sort == "nieuw":
        q = q.order_by(Application.received_at.desc(), Application.id.desc())
    else:
        q = q.order_by(Application.decision_deadline.asc().nulls_last(), Application.id.asc())
    return q


def queue_page(f: QueueFilter, user: User) -> tuple[list[Application], bool]:
    page = max(f.page, 1)
    rows = db.session.scalars(
        queue_query(f, user).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def budget_for(application: Application) -> Budget | None:
    if application.tijdvak is None:
        return None
    return db.session.scalar(select(Budget).where(
        Budget.instrument == application.instrument, Budget.tijdvak == application.tijdvak))


def eligibility_for(application: Application) -> dict | None:
    """The stored evaluation, or a fresh one for display when none is stored yet."""
    if application.eligibility_result:
        return application.eligibility_result
    from fund.rules import InputError, evaluate

    try:
        return evaluate({**(application.facts or {}), "instrument": application.instrument})
    except InputError:
        return None


def staff_users(*roles: str) -> list[User]:
    return db.session.scalars(
        select(User).where(User.role.in_(roles), User.active.is_(True)).order_by(User.name)
    ).all()


def officer_choices() -> list[tuple[str, str]]:
    return [("", "Mijzelf")] + [
        (str(u.id), u.name) for u in staff_users(Role.OFFICER.value, Role.SUPERVISOR.value)]


def proposed_payments(application: Application) -> list[Payment]:
    return [p for p in application.payments if p.status == "voorgesteld"]


def audit_trail(application: Application) -> list[AuditEvent]:
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.application_id == application.id)
        .order_by(AuditEvent.seq)).all()


def awaiting_co_sign(limit: int = 200) -> list[Application]:
    return db.session.scalars(
        select(Application).where(Application.status == "besluit_voorgesteld")
        .order_by(Application.decision_deadline.asc().nulls_last(), Application.id).limit(limit)
    ).all()


def payment_candidates(limit: int = 200) -> list[Application]:
    """Applications where finance may have a payment to propose (the workflow decides)."""
    return db.session.scalars(
        select(Application).where(Application.status.in_(("verleend", "vastgesteld")))
        .order_by(Application.id).limit(limit)
    ).all()


def payments_to_approve(limit: int = 200) -> list[Payment]:
    return db.session.scalars(
        select(Payment).where(Payment.status == "voorgesteld").order_by(Payment.id).limit(limit)
    ).all()


def days_left(application: Application) -> int | None:
    """Days until the beslistermijn ends (negative: overdue), only while a decision is due."""
    from fund.workflow.queries import AWAITING_DECISION

    if application.decision_deadline is None or application.status not in AWAITING_DECISION:
        return None
    return (application.decision_deadline - today()).days


def amount_in_view(application: Application):
    """(label, amount) for the queue: the amount decided, proposed, or as the rules computed it."""
    from decimal import Decimal

    if application.final_amount is not None:
        return "vastgesteld", application.final_amount
    if application.granted_amount is not None:
        return "verleend", application.granted_amount
    pending = application.pending or {}
    if application.status == "besluit_voorgesteld" and pending.get("amount"):
        return "voorgesteld", Decimal(pending["amount"])
    if application.computed_amount is not None:
        return "volgens regels", application.computed_amount
    return "", None
