"""Deciding: verlening, afwijzing, doorverwijzing, the vier-ogen proposal and the ceiling.

A decision is first a *proposal* (a plain dict). When it needs a second person (a grant above
the vier-ogen threshold from rules/, or any deviation from the rules' outcome) the proposal is
kept in ``Application.pending`` (status besluit_voorgesteld) until a supervisor co-signs; else it
is carried out at once. The budget is committed only when a grant is carried out, under the
Budget row lock; a grant that does not fit is an afwijzing with reason ``plafond_bereikt``.
"""
from __future__ import annotations

from decimal import Decimal
from functools import partial

from fund.models.decision_kinds import kind as declared
from fund.models.types import DecisionKind
from fund.rules.dates import money_text
from fund.workflow import clock, decisions, ledger
from fund.workflow.errors import WorkflowError
from fund.workflow.history import history_facts
from fund.workflow.money import parse_amount
from fund.workflow.procedure import procedure_for, ruleset_of

PLAFOND_BEREIKT = "plafond_bereikt"
HISTORY_CHANGED = "historie_gewijzigd"
HARDHEIDSCLAUSULE = "hardheidsclausule"


def preparing(kind: DecisionKind):
    """The ``prepare`` of an event that proposes a decision of ``kind`` (grant, reject, refer in
    fund.workflow.events)."""
    return partial(prepare, kind=kind)


def prepare(step, *, kind: DecisionKind) -> None:
    """Check the officer's data and build the proposal (before any change is made)."""
    step.proposal = build_proposal(step.app, kind, step.data, step.actor_id)
    ensure_history_current(step)


def proposed_kind(event) -> DecisionKind | None:
    """The decision kind an event declaration (fund.workflow.events) proposes, if any."""
    p = event.prepare
    return p.keywords["kind"] if isinstance(p, partial) and p.func is prepare else None


def build_proposal(app, kind: DecisionKind, data: dict, actor_id: int | None) -> dict:
    """The proposal of ``kind`` that ``data`` makes, or a WorkflowError; changes nothing, so the
    review page's confirmation step shows exactly this before the officer sends it."""
    result = app.eligibility_result or {}
    # the outcome of the rules this kind follows (fund.models.decision_kinds); else it deviates
    matches = app.eligibility_outcome == declared(kind).rules_outcome
    deviate = bool(data.get("deviate"))
    deviation_motivation = (data.get("deviation_motivation") or "").strip() or None
    amount: Decimal | None = None
    if not matches and not deviate:
        raise WorkflowError(
            f"Dit besluit wijkt af van de uitkomst van de regels ({app.eligibility_outcome}). "
            "Wilt u toch zo besluiten? Kies dan 'afwijken' en schrijf op waarom.", "afwijking")
    if kind == DecisionKind.VERLENING:
        if deviate and data.get("amount") not in (None, ""):
            amount = parse_amount(data["amount"])
        else:
            amount = app.computed_amount
        if amount is None:
            raise WorkflowError("Volgens de regels is er geen bedrag. Wijkt u af? Vul dan zelf het bedrag in.",
                                "bedrag_ontbreekt")
    deviates = not matches or (kind == DecisionKind.VERLENING and amount != app.computed_amount)
    if deviates and not deviate:
        raise WorkflowError(
            f"Dit besluit wijkt af van de uitkomst van de regels ({app.eligibility_outcome}). "
            "Wilt u toch zo besluiten? Kies dan 'afwijken' en schrijf op waarom.", "afwijking")
    if deviates and not deviation_motivation:
        raise WorkflowError("Als u afwijkt van de regels (hardheidsclausule), moet u schriftelijk motiveren waarom.",
                            "motivering_ontbreekt")
    reasons, referrals = [], []
    if kind == DecisionKind.AFWIJZING:
        reasons = list(result.get("reasons", [])) if matches else [HARDHEIDSCLAUSULE]
    if kind == DecisionKind.DOORVERWIJZING:
        referrals = list(result.get("referrals", [])) if matches else list(data.get("referrals") or [])
        if not referrals:
            raise WorkflowError("Noem de voorziening waar u naar doorverwijst.", "voorziening_ontbreekt")
    threshold = procedure_for(app.instrument, app.application_date).vier_ogen_drempel
    return {
        "kind": kind.value,
        "amount": f"{amount:.2f}" if amount is not None else None,
        "motivation": (data.get("motivation") or "").strip() or None,
        "deviates": deviates,
        "deviation_motivation": deviation_motivation if deviates else None,
        "reasons": reasons,
        "referrals": referrals,
        "officer_id": actor_id,
        "proposed_on": clock.today().isoformat(),
        "needs_co_sign": deviates or (amount is not None and amount > threshold),
    }


def prepare_co_sign(step) -> None:
    if not step.app.pending or "kind" not in step.app.pending:
        raise WorkflowError("Er ligt geen besluit klaar om te ondertekenen.", "geen_voorstel")
    step.proposal = dict(step.app.pending)
    if not step.data.get("approve") and not (step.data.get("motivation") or "").strip():
        raise WorkflowError("Schrijf op waarom u het besluit niet ondertekent.", "motivering_ontbreekt")
    if step.data.get("approve"):
        ensure_history_current(step)
        proposal, app = step.proposal, step.app
        if (proposal["kind"] == DecisionKind.VERLENING.value and not proposal["deviates"]
                and (app.eligibility_outcome != "eligible"
                     or Decimal(proposal["amount"]) != app.computed_amount)):
            raise WorkflowError(
                "De regels geven nu een andere uitkomst dan toen dit besluit werd voorgesteld. "
                "Onderteken het niet, maar stuur het terug naar de behandelaar.", "voorstel_verouderd")


def fresh_history(app) -> dict:
    """The history facts as our records give them now, in the form stored with the check."""
    return {k: (f"{v:.2f}" if isinstance(v, Decimal) else v)
            for k, v in history_facts(app, ruleset_of(app)).items()}


def ensure_history_current(step) -> None:
    """Refuse a grant that was checked against history facts that have changed since.

    The check at submit counted earlier grants (voucher: the jaarmaximum per KvK; llo: one
    traject a year). Another grant made after that check - two vouchers of one employer in the
    same week - would otherwise let both through. The Budget row lock is taken first, so every
    grant of this instrument and tijdvak queues here and reads the others' committed grants.
    ``send`` then renews the check in a transaction of its own and tells the officer.
    Checked when the grant is proposed (a plain read) and, for a grant carried out, again right
    after its Budget UPDATE (``ledger.apply``): from then on every other grant of this
    instrument and tijdvak waits for this transaction, and this read sees every grant committed
    before it.
    """
    if step.proposal.get("kind") != DecisionKind.VERLENING.value:
        return
    if fresh_history(step.app) != (step.app.eligibility_result or {}).get("history", {}):
        raise WorkflowError(
            "Sinds de controle is er een andere subsidie verleend die meetelt (jaarmaximum of "
            "eerder traject). De controle is opnieuw gedaan. Bekijk de nieuwe uitkomst en besluit opnieuw.",
            HISTORY_CHANGED)


def proposed_amount(step) -> Decimal:
    return Decimal(step.proposal["amount"])


def decide(step, source, target) -> None:
    """grant / reject / refer from in_behandeling."""
    if target == "besluit_voorgesteld":
        step.app.pending = step.proposal
        step.changes["proposal"] = step.proposal
        step.reason = step.proposal["deviation_motivation"] or step.proposal["motivation"]
        return
    _carry_out(step, target, officer_id=step.actor_id, second_officer_id=None)


def co_sign(step, source, target) -> None:
    app = step.app
    step.reason = (step.data.get("motivation") or "").strip() or None
    step.changes["proposal"] = step.proposal
    app.pending = None
    if target == "in_behandeling":
        step.changes["co_sign"] = "geweigerd"
        return
    step.changes["co_sign"] = "ondertekend"
    _carry_out(step, target, officer_id=step.proposal["officer_id"], second_officer_id=step.actor_id)


def _carry_out(step, target: str, *, officer_id: int, second_officer_id: int | None) -> None:
    app, proposal = step.app, step.proposal
    step.reason = step.reason or proposal["deviation_motivation"] or proposal["motivation"]
    common = dict(officer_id=officer_id, second_officer_id=second_officer_id,
                  deviates=proposal["deviates"], deviation_motivation=proposal["deviation_motivation"])
    if target == "verleend":
        amount = proposed_amount(step)
        ledger.commit(step, amount)
        step.under_budget_lock.append(ensure_history_current)
        step.change("granted_amount", app.granted_amount, amount)
        step.changes["committed"] = amount
        app.granted_amount = amount
        ruleset = ruleset_of(app)
        voorschot = ruleset.voorschot_amount(amount)
        words = " ".join(filter(None, [
            f"U krijgt eerst een voorschot van {money_text(voorschot)}. {ruleset.vaststelling_description}",
            proposal["motivation"],
        ]))
        text = decisions.motivation_text(app, DecisionKind.VERLENING, amount=amount, officer_words=words,
                                         deviation=proposal["deviation_motivation"])
        decisions.make_decision(step, DecisionKind.VERLENING, amount=amount, motivation=text, **common)
    elif target == "afgewezen" and proposal["kind"] == DecisionKind.VERLENING.value:
        amount = proposed_amount(step)
        budget = step.lock_budget()  # a refusal is read on the locked row (ledger.fits)
        ahead = ledger.reserved_ahead(app)
        step.changes[PLAFOND_BEREIKT] = {"remaining": budget.remaining, "reserved_ahead": ahead, "asked": amount}
        words = (f"Het subsidieplafond is bereikt. Voor dit instrument in tijdvak {app.tijdvak} is nog "
                 f"{money_text(budget.remaining)} over"
                 + (f", waarvan {money_text(ahead)} nodig is voor aanvragen die eerder compleet waren"
                    if ahead else "")
                 + f"; uw aanvraag vraagt {money_text(amount)}. "
                 "Wij verdelen het budget op volgorde van binnenkomst van complete aanvragen.")
        text = decisions.motivation_text(app, DecisionKind.AFWIJZING, officer_words=words, with_trace=False)
        decisions.make_decision(step, DecisionKind.AFWIJZING, motivation=text, reasons=[PLAFOND_BEREIKT], **common)
    elif target == "afgewezen":
        ledger_release(step)
        text = decisions.motivation_text(app, DecisionKind.AFWIJZING, officer_words=proposal["motivation"],
                                         deviation=proposal["deviation_motivation"])
        decisions.make_decision(step, DecisionKind.AFWIJZING, motivation=text, reasons=proposal["reasons"], **common)
    elif target == "doorverwezen":
        ledger_release(step)
        text = decisions.motivation_text(app, DecisionKind.DOORVERWIJZING, officer_words=proposal["motivation"],
                                         deviation=proposal["deviation_motivation"])
        decisions.make_decision(step, DecisionKind.DOORVERWIJZING, motivation=text,
                                referrals=proposal["referrals"], **common)


def ledger_release(step) -> None:
    """A rejection releases whatever the application still held (normally nothing)."""
    held = ledger.commitment(step.app)
    if held:
        ledger.release(step, held)
        step.changes["released"] = held
        step.app.granted_amount = None
        step.app.final_amount = None
