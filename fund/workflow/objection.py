"""Bezwaar (Awb): an objection against the latest beschikking, reviewed by an uninvolved officer."""
from __future__ import annotations

from fund.models.types import DecisionKind
from fund.rules.dates import money_text
from fund.workflow import clock, decisions, ledger, payments
from fund.workflow.eligibility import run_check
from fund.workflow.errors import WorkflowError
from fund.workflow.money import parse_amount


def term_over(app) -> bool:
    latest = decisions.latest_beschikking(app)
    return latest is None or latest.bezwaar_deadline is None or clock.today() > latest.bezwaar_deadline




def against_bezwaar_decision(app) -> bool:
    """The latest beschikking is a beslissing op bezwaar, or was taken because a bezwaar was
    gegrond and so is part of it (Awb 7:11): what follows is beroep at the court (Awb 8:1), not
    another bezwaar; its deadline is the beroepstermijn."""
    latest = decisions.latest_beschikking(app)
    return latest is not None and latest.remedy_is_beroep


def open_to_objection(app) -> bool:
    return not against_bezwaar_decision(app) and not term_over(app)


def involved_officers(app) -> set[int]:
    ids = {app.assigned_officer_id, (app.pending or {}).get("assigned_officer_id")}
    for d in app.decisions:
        ids.update({d.officer_id, d.second_officer_id})
    return {i for i in ids if i is not None}


def lodge(step, source, target) -> None:
    app = step.app
    grounds = (step.data.get("grounds") or "").strip()
    if not grounds:
        raise WorkflowError("Schrijf op waarom u het niet eens bent met het besluit.", "motivering_ontbreekt")
    decision = decisions.latest_beschikking(app)
    app.pending = {
        "objection": True,
        "decision_id": decision.id,
        "decision_number": decision.number,
        "grounds": grounds,
        "return_to": source,
        "lodged_on": clock.today().isoformat(),
        "assigned_officer_id": app.assigned_officer_id,
    }
    app.assigned_officer_id = None  # a fresh review by an officer not involved before
    step.reason = grounds
    step.changes["objection"] = {"against": decision.number, "return_to": source}


def prepare_decide(step) -> None:
    app = step.app
    if step.actor_id in involved_officers(app):
        raise WorkflowError("U was al bij deze aanvraag betrokken. Een andere behandelaar beslist op het bezwaar.",
                            "betrokken")
    if not isinstance(step.data.get("upheld"), bool):
        raise WorkflowError("Kies: is het bezwaar gegrond of ongegrond?", "gegevens_ontbreken")
    if not (step.data.get("motivation") or "").strip():
        raise WorkflowError("Schrijf de motivering van de beslissing op bezwaar.", "motivering_ontbreekt")
    if step.data["upheld"] and app.pending.get("return_to") == "verleend" and app.payments:
        raise WorkflowError("Voor deze verlening is al een betaling gedaan of voorgesteld. "
                            "Handel het bezwaar af via de vaststelling.", "al_betaald")
    if step.data["upheld"] and app.pending.get("return_to") == "uitbetaald":
        if step.data.get("amount") in (None, ""):
            raise WorkflowError("Het voorschot is al betaald. Vul het nieuwe bedrag van de verlening in.",
                                "bedrag_ontbreekt", errors=[{"field": "amount", "message": "ontbreekt"}])
        parse_amount(step.data["amount"])
    elif step.data.get("amount") not in (None, ""):  # not silently ignored
        raise WorkflowError("Een nieuw bedrag hoort alleen bij een gegrond bezwaar op een verlening waarvan het "
                            "voorschot al is betaald. Laat het bedrag leeg.", "bedrag_niet_nodig",
                            errors=[{"field": "amount", "message": "niet nodig"}])


def _revise_grant(step) -> tuple:
    """A gegrond bezwaar on a verlening whose voorschot is paid: a herziening of the granted
    amount. What was paid stays paid; the vaststelling settles the difference (final - paid).
    The grant already holds its place in the ceiling order, so only the difference must fit."""
    app = step.app
    new = parse_amount(step.data["amount"])
    old = ledger.commitment(app)
    if new > old:
        if not ledger.fits(step, new - old):  # a "no" is read on the locked row
            raise WorkflowError(
                f"Het subsidieplafond is bereikt: voor dit instrument in tijdvak {app.tijdvak} is nog "
                f"{money_text(step.budget.remaining)} over; de verhoging is {money_text(new - old)}.",
                "plafond_bereikt")
        ledger.commit(step, new - old)
        step.changes["committed"] = new - old
    elif new < old:
        ledger.release(step, old - new)
        step.changes["released"] = old - new
    step.change("granted_amount", app.granted_amount, new)
    app.granted_amount = new
    return old, new


def decide(step, source, target) -> None:
    app = step.app
    objection = app.pending
    upheld = step.data["upheld"]
    motivation = step.data["motivation"].strip()
    kind = DecisionKind.BEZWAAR_GEGROND if upheld else DecisionKind.BEZWAAR_ONGEGROND
    words = f"U maakte bezwaar: {objection['grounds']}\n\n{motivation}"
    amount = None
    if upheld and target == "uitbetaald":
        old, amount = _revise_grant(step)
        words += (f"\n\nWij wijzigen het verleende bedrag van {money_text(old)} in {money_text(amount)}. "
                  "Wat u al ontving, blijft van u. Het verschil verrekenen wij bij de vaststelling.")
    text = decisions.motivation_text(app, kind, with_trace=False, officer_words=words)
    decision = decisions.make_decision(step, kind, amount=amount, motivation=text,
                                       supersedes_id=objection["decision_id"])
    if upheld and target in ("in_behandeling", "uitkomst_gemeld"):
        app.bezwaar_redecide_id = decision.id  # the new decision will be part of this one
    step.reason = motivation
    step.changes["objection"] = {"against": objection["decision_number"], "upheld": upheld}
    app.pending = None
    if upheld:
        app.assigned_officer_id = step.actor_id
    if target == "in_behandeling":
        held = ledger.commitment(app)
        if held:
            ledger.release(step, held)
            step.changes["released"] = held
        app.granted_amount = None
        app.final_amount = None
        run_check(step)
    elif target == "uitkomst_gemeld":
        # the vaststelling (and its terugvordering) is annulled: a rest payment or reclaim
        # proposed under it must not be carried out; the new vaststelling decides again
        payments.void_open(step)
    elif upheld and target == "uitbetaald":
        pass  # the officer who decided the herziening now handles the file
    else:
        app.assigned_officer_id = objection.get("assigned_officer_id")
