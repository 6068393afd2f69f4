"""Read-only questions officers and reports ask: deadlines and the budget."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application, Budget, User
from fund.models.types import ZERO
from fund.rules import load_rulebook
from fund.workflow import clock, ledger

# Statuses in which a decision is still to be taken (the beslistermijn runs).
AWAITING_DECISION = ("ingediend", "in_behandeling", "besluit_voorgesteld")


def due_within(days: int) -> list[Application]:
    """Applications whose beslistermijn ends within ``days`` days from today (not yet late)."""
    today = clock.today()
    return list(db.session.scalars(
        select(Application)
        .where(Application.status.in_(AWAITING_DECISION),
               Application.decision_deadline >= today,
               Application.decision_deadline <= today + timedelta(days=days))
        .order_by(Application.decision_deadline, Application.number)
    ))


def overdue() -> list[Application]:
    """Applications past their beslistermijn, and herstel cases past their hersteltermijn."""
    today = clock.today()
    late = select(Application).where(
        ((Application.status.in_(AWAITING_DECISION)) & (Application.decision_deadline < today))
        | ((Application.status == "herstel") & (Application.herstel_deadline < today))
    ).order_by(Application.decision_deadline, Application.number)
    return list(db.session.scalars(late))


def herstel_expired() -> list[int]:
    today = clock.today()
    return list(db.session.scalars(
        select(Application.id).where(Application.status == "herstel", Application.herstel_deadline < today)
        .order_by(Application.id)
    ))


def budget_overview() -> list[dict]:
    """Per instrument and tijdvak: ceiling, committed, paid, remaining (Decimals).

    Read-only: a tijdvak whose Budget row does not exist yet (no grant so far) is shown with its
    ceiling from the rules and nothing used.
    """
    rows = {(b.instrument, b.tijdvak): b for b in db.session.scalars(select(Budget))}
    book = load_rulebook()
    overview = []
    for period in book.tijdvakken:
        for instrument in book.instruments:
            b = rows.get((instrument, int(period.id)))
            ceiling = b.ceiling if b else ledger.ceiling(instrument, int(period.id))
            committed, paid = (b.committed, b.paid) if b else (ZERO, ZERO)
            overview.append({"instrument": instrument, "tijdvak": int(period.id), "ceiling": ceiling,
                             "committed": committed, "paid": paid, "remaining": ceiling - committed})
    return sorted(overview, key=lambda r: (r["tijdvak"], r["instrument"]))


@dataclass(frozen=True)
class Proposal:
    """A decision proposed by an officer and waiting for a second signature (vier-ogen), as
    kept in ``Application.pending`` by ``deciding.decide``."""

    kind: str
    amount: Decimal | None
    motivation: str | None
    deviates: bool  # the hardheidsclausule: the officer departs from the rules' outcome
    deviation_motivation: str | None
    reasons: list
    referrals: list
    officer: User | None
    proposed_on: date | None
    letter_lines: list[str]  # the rule sentences the letter will carry (fund.letters.context)


def proposal_of(app: Application) -> Proposal | None:
    """The proposal waiting for a co-sign, or None when the application has none."""
    pending = app.pending or {}
    if app.status != "besluit_voorgesteld" or "kind" not in pending:
        return None
    return _proposal(app, pending)


def _proposal(app: Application, pending: dict) -> Proposal:
    from fund.letters.context import trace_lines

    officer = db.session.get(User, pending["officer_id"]) if pending.get("officer_id") else None
    kind = pending["kind"]
    reasons, referrals = list(pending.get("reasons") or []), list(pending.get("referrals") or [])
    return Proposal(
        kind=kind,
        amount=Decimal(pending["amount"]) if pending.get("amount") is not None else None,
        motivation=pending.get("motivation"), deviates=bool(pending.get("deviates")),
        deviation_motivation=pending.get("deviation_motivation"),
        reasons=reasons, referrals=referrals, officer=officer,
        proposed_on=date.fromisoformat(pending["proposed_on"]) if pending.get("proposed_on") else None,
        letter_lines=trace_lines(app, kind, reasons, referrals),
    )


@dataclass(frozen=True)
class Preview:
    """What a decision the officer is about to send will do: the review page's confirmation."""

    event: str
    proposal: Proposal | None = None  # verlenen / afwijzen / doorverwijzen
    needs_co_sign: bool = False  # the proposal goes to a second officer first (vier-ogen)
    lines: tuple = ()  # (label, value) for herstel and verdaging letters


def preview(app: Application, actor: User, event: str, data: dict) -> Preview:
    """The letter ``event`` with ``data`` will send, without sending it; a WorkflowError when the
    workflow would refuse it (the same checks, nothing changed)."""
    from fund.workflow import deciding, intake
    from fund.workflow.events import EVENTS

    kind = deciding.proposed_kind(EVENTS[event])
    if kind is not None:
        pending = deciding.build_proposal(app, kind, data, actor.id)
        return Preview(event, proposal=_proposal(app, pending), needs_co_sign=pending["needs_co_sign"])
    if event == "request_info":
        return Preview(event, lines=(("Wat ontbreekt", data.get("message", "")),
                                     ("Aanvullen uiterlijk op", intake.herstel_deadline_for(app))))
    if event == "extend_deadline":
        return Preview(event, lines=(("Waarom meer tijd nodig is", data.get("reason", "")),
                                     ("Nieuwe uiterste beslisdatum", intake.extended_deadline(app))))
    return Preview(event)
