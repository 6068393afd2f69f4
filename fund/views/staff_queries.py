"""Queries behind the staff pages: the officer queue (filters, sort, pages) and review data.

The queue must stay fast with a million applications: every filter and sort maps onto an index
of ``applications`` (see ``fund/models/application.py``; the default view of open work has a
partial index on ``(decision_deadline, id)``). Pages use keyset paging: a page starts after (or
ends before) the sort key and id of a row, carried in the address as a cursor, so a deep page
costs what the first one does (no OFFSET, no COUNT over the whole table). List rows are loaded
without the JSON columns the list does not show.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from fund.extensions import db
from fund.forms.display import today
from fund.models import Application, AuditEvent, Budget, Payment, User
from fund.models.application import OPEN_STATUSES  # noqa: F401 (the queue's default view)
from fund.models.types import Role
from fund.workflow.machine import STATES

PAGE_SIZE = 50
DUE_SOON_DAYS = 7  # "verloopt binnenkort" in the queue, and its filter
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
    page: int = 1  # the page number shown; where the page starts is the cursor below
    after: str = ""  # cursor of the last row of the previous page ("Volgende pagina")
    before: str = ""  # cursor of the first row of the next page ("Vorige pagina")


def _search(q, text: str):
    """Number, applicant name, organisation name (case-insensitive, anywhere) or exact KvK."""
    from sqlalchemy import func, or_, union

    from fund.models import Organisation

    needle = text.strip().lower()
    applicant = select(User.id).where(func.lower(User.name).contains(needle, autoescape=True))
    orgs = select(Organisation.id).where(or_(func.lower(Organisation.name).contains(needle, autoescape=True),
                                             Organisation.kvk_number == needle.replace(" ", "")))
    # One list of ids from three index lookups (trigram indexes on PostgreSQL, migration 0010);
    # the same three conditions joined by OR make PostgreSQL read every application.
    found = union(select(Application.id).where(func.lower(Application.number).contains(needle, autoescape=True)),
                  select(Application.id).where(Application.applicant_id.in_(applicant)),
                  select(Application.id).where(Application.organisation_id.in_(orgs)))
    return q.where(Application.id.in_(found))


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
    return q


def _sort_key(sort: str):
    """(column, descending) of a sort; the id breaks ties in the same direction."""
    if sort == "ontvangen":
        return Application.received_at, False
    if sort == "nieuw":
        return Application.received_at, True
    return Application.decision_deadline, False


def cursor_of(application: Application, sort: str) -> str:
    """Where a page starts or ends, for the address: '<sort value or ->_<id>'."""
    value = getattr(application, _sort_key(sort)[0].key)
    return f"{value.isoformat() if value is not None else '-'}_{application.id}"


def _parse_cursor(raw: str, sort: str):
    """(value, id) of a cursor, or None for a missing or broken one (then: the first page)."""
    value, _, ident = raw.rpartition("_")
    if not value or not ident.isdigit():
        return None
    if value == "-":
        return None, int(ident)
    parse = dt.datetime.fromisoformat if _sort_key(sort)[0].key == "received_at" else dt.date.fromisoformat
    try:
        return parse(value), int(ident)
    except ValueError:
        return None


def _keyset(q, sort: str, cursor, backward: bool, limit: int) -> list[Application]:
    """Up to ``limit`` rows after ``cursor`` (before it when ``backward``), in the page's order.

    The order is: rows with a sort value by (value, id), then rows without one by id (NULLs
    last on every database). Each half is one index-ordered query with a row-value bound, so
    PostgreSQL walks the index from the cursor; the rows without a value are only read once the
    rows with one are exhausted.
    """
    from sqlalchemy import tuple_

    column, desc = _sort_key(sort)
    forward = desc == backward  # walk the index ascending?
    ident = Application.id

    def order(*cols):
        return [c.asc() if forward else c.desc() for c in cols]

    def beyond(left, right):  # strictly later in the walking direction
        return left > right if forward else left < right

    with_value = q.where(column.is_not(None)).order_by(*order(column, ident))
    without = q.where(column.is_(None)).order_by(*order(ident))
    if cursor is not None:
        value, last_id = cursor
        if value is None:
            without = without.where(beyond(ident, last_id))
        else:
            with_value = with_value.where(beyond(tuple_(column, ident), tuple_(value, last_id)))
    halves = [with_value, without]
    if backward:
        halves.reverse()
    if cursor is not None and (cursor[0] is None) != backward:
        halves = halves[1:]  # past a NULL row going on (or before a valued one going back)
    rows: list[Application] = []
    for half in halves:
        rows += db.session.scalars(half.limit(limit - len(rows))).all()
        if len(rows) >= limit:
            break
    return rows[::-1] if backward else rows


def queue_page(f: QueueFilter, user: User) -> tuple[list[Application], bool, bool]:
    """One page of the queue: (rows, has previous page, has next page), by keyset paging."""
    from sqlalchemy.orm import defer, selectinload

    q = queue_query(f, user).options(
        defer(Application.facts), defer(Application.eligibility_result),  # not shown in lists
        selectinload(Application.applicant), selectinload(Application.organisation),
        selectinload(Application.assigned_officer))
    before = _parse_cursor(f.before, f.sort) if f.before else None
    after = _parse_cursor(f.after, f.sort) if f.after and before is None else None
    if before is not None:
        rows = _keyset(q, f.sort, before, True, PAGE_SIZE + 1)
        return rows[-PAGE_SIZE:], len(rows) > PAGE_SIZE, True
    rows = _keyset(q, f.sort, after, False, PAGE_SIZE + 1)
    return rows[:PAGE_SIZE], after is not None, len(rows) > PAGE_SIZE


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


@dataclass(frozen=True)
class TrailLine:
    """One line of the Verloop: an audit event, or a run of the same edit (``count`` > 1)."""

    first: AuditEvent
    last: AuditEvent
    count: int = 1


def grouped_trail(events: list[AuditEvent]) -> list[TrailLine]:
    """The Verloop with runs of the same event by the same person that change no status and
    carry no reason ("Gegevens gewijzigd" nine times) as one line; the audit trail itself keeps
    every event."""
    lines: list[TrailLine] = []
    for ev in events:
        quiet = ev.to_state in (None, ev.from_state) and not ev.reason
        prev = lines[-1] if lines else None
        if (prev and quiet and prev.last.event == ev.event and prev.last.actor_id == ev.actor_id
                and prev.last.to_state in (None, prev.last.from_state) and not prev.last.reason):
            lines[-1] = TrailLine(prev.first, ev, prev.count + 1)
        else:
            lines.append(TrailLine(ev, ev))
    return lines


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
