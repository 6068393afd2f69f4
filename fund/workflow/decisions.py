"""Beschikkingen: numbering, motivation from the rule trace, legal basis, bezwaar deadline."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from fund import awb
from fund.extensions import db
from fund.models import Decision
from fund.models.decision_kinds import kind as declared
from fund.models.types import DecisionKind
from fund.rules import load_rulebook
from fund.rules.dates import money_text
from fund.workflow import clock, notify
from fund.workflow.procedure import procedure_for

def legal_basis(app) -> str:
    """E.g. ``Regeling Drents ontwikkelfonds, tijdvak 2026, artikel 3 (LLO-traject)``."""
    if not app.ruleset_id:
        return "Regeling Drents ontwikkelfonds; Algemene wet bestuursrecht"
    ruleset = load_rulebook().ruleset_by_id(app.ruleset_id)
    article = ruleset.article.lstrip("§").strip()
    short_title = ruleset.title.split(" (")[0]
    return f"Regeling Drents ontwikkelfonds, tijdvak {ruleset.tijdvak.id}, artikel {article} ({short_title})"


def trace_sentences(app, *, failing_first: bool = True) -> list[str]:
    trace = (app.eligibility_result or {}).get("trace", [])
    def fails(s):
        return not s.get("passed", True) and s.get("kind") != "priority_group"

    steps = sorted(trace, key=lambda s: not fails(s)) if failing_first else trace
    return [s["explanation"] for s in steps if s.get("explanation")]


def motivation_text(app, kind: DecisionKind, *, amount: Decimal | None = None, officer_words: str | None = None,
                    deviation: str | None = None, with_trace: bool = True, on: date | None = None) -> str:
    parts = [declared(kind).intro.format(bedrag=money_text(amount) if amount is not None else "",
                                 datum=on.strftime("%d-%m-%Y") if on else "")]
    if with_trace:
        sentences = trace_sentences(app)
        if sentences:
            parts.append("Zo hebben wij uw aanvraag getoetst aan de regeling:\n"
                         + "\n".join(f"- {s}" for s in sentences))
    if deviation:
        parts.append(f"Wij wijken af van de uitkomst van de regels (hardheidsclausule): {deviation.strip()}")
    if officer_words and officer_words.strip():
        parts.append(f"Toelichting: {officer_words.strip()}")
    return "\n\n".join(parts)


def remedy_deadline(sent_on: date, *, ruleset_id: str | None, instrument: str, on: date) -> date:
    """THE computation of the last day to object (workflow, letters and ZGW export all use it):
    ``bezwaartermijn_weken`` of the ruleset (``ruleset_id``, else the one of ``instrument`` on
    ``on``) from the day after dispatch, extended by the Algemene termijnenwet. No fallback: a
    decision without a ruleset is an error, not six weeks by default."""
    from fund.rules import load_rulebook

    if ruleset_id:
        procedure = load_rulebook().ruleset_by_id(ruleset_id).procedure
    else:
        procedure = procedure_for(instrument, on)
    return awb.bezwaar_deadline(sent_on, procedure.bezwaartermijn_weken)


def bezwaar_deadline(app, sent_on: date) -> date:
    """The last day to object to a decision on ``app`` sent on ``sent_on``."""
    return remedy_deadline(sent_on, ruleset_id=None, instrument=app.instrument,
                           on=app.application_date or sent_on)


def make_decision(step, kind: DecisionKind, *, amount: Decimal | None = None, motivation: str,
                  reasons: list | None = None, referrals: list | None = None, deviates: bool = False,
                  deviation_motivation: str | None = None, officer_id: int | None = None,
                  second_officer_id: int | None = None, supersedes_id: int | None = None) -> Decision:
    app = step.app
    today = clock.today()
    decision = Decision(
        application_id=app.id,
        kind=kind.value,
        decided_on=today,
        sent_on=today,
        effective_on=today,
        amount=amount,
        motivation=motivation,
        reasons=list(reasons or []),
        referrals=list(referrals or []),
        ruleset_id=app.ruleset_id,
        legal_basis=legal_basis(app),
        deviates=deviates,
        deviation_motivation=deviation_motivation,
        officer_id=officer_id or step.actor_id or app.assigned_officer_id,
        second_officer_id=second_officer_id,
        co_signed_at=clock.now() if second_officer_id else None,
        bezwaar_deadline=bezwaar_deadline(app, today) if declared(kind).remedy else None,
        supersedes_id=supersedes_id,
    )
    if declared(kind).remedy == "bezwaar":
        # Awb 7:11: a decision taken because a bezwaar was gegrond belongs to that beslissing op
        # bezwaar (every decision of the step: a vaststelling and its terugvordering alike)
        step.op_bezwaar_id = step.op_bezwaar_id or app.bezwaar_redecide_id
        decision.op_bezwaar_id = step.op_bezwaar_id
        app.bezwaar_redecide_id = None
    db.session.add(decision)
    db.session.flush()
    decision.number = f"BES-{today.year}-{decision.id:06d}"
    notify.decision(decision)  # its letter and the "besluit klaar" mail, in this transaction
    step.decisions.append(decision)
    step.changes.setdefault("decisions", []).append(
        {"number": decision.number, "kind": decision.kind,
         "amount": decision.amount, "reasons": decision.reasons, "referrals": decision.referrals}
    )
    return decision


def latest_beschikking(app) -> Decision | None:
    """The latest decision one can object to (not a verdaging)."""
    for decision in reversed(app.decisions):
        if declared(decision.kind).remedy:
            return decision
    return None
