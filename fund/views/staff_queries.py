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
    sort: str = "termijn"
    page: int = 1


def queue_query(f: QueueFilter, user: User):
    q = select(Application)
    if f.status:
        q = q.where(Application.status == f.status)
    else:
        q = q.where(Application.status.in_(OPEN_STATUSES))
    if f.instrument:
        q = q.where(Application.instrument == f.instrument)
    if f.municipality:
        q = q.where(Application.municipality == f.municipality)
    day = today()
    if f.termijn == "verlopen":
        q = q.where(Application.decision_deadline < day)
    elif f.termijn == "7dagen":
        q = q.where(Application.decision_deadline >= day,
                    Application.decision_deadline <= day + dt.timedelta(days=7))
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
