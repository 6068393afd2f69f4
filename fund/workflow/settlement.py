"""After the grant: the reported result, the vaststelling (final amount), closing, monitoring."""
from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from fund.extensions import db
from fund.models import Outcome
from fund.models.types import DecisionKind
from fund.rules.dates import money_text
from fund.workflow import clock, decisions, ledger
from fund.workflow.errors import WorkflowError
from fund.workflow.money import parse_amount
from fund.workflow.payments import net_paid
from fund.rules import load_rulebook
from fund.workflow.procedure import procedure_for, ruleset_of

def _spec(app) -> dict:
    """``vaststelling:`` of rules/<instrument>/form.yaml: reported result -> vaststelling result."""
    form = load_rulebook().form(app.instrument)
    return {"map": dict(form.vaststelling_map), "needs_costs": form.needs_costs}


def _check_result(app, result) -> None:
    """``result`` must be one the instrument offers (``vaststelling.map`` of its form.yaml)."""
    offered = load_rulebook().form(app.instrument).reported_results
    if result not in {value for value, _, _ in offered}:
        raise WorkflowError(f"Kies een resultaat: {', '.join(label for _, label, _ in offered)}.",
                            "onbekend_resultaat",
                            errors=[{"field": "result", "message": "onbekende waarde"}])


def report_outcome(step, source, target) -> None:
    app, data = step.app, step.data
    result = data.get("result")
    _check_result(app, result)
    costs = None
    if data.get("incurred_costs") not in (None, ""):
        costs = parse_amount(data["incurred_costs"], "incurred_costs", allow_zero=True)
    elif result in _spec(app)["needs_costs"]:
        raise WorkflowError("Vul de kosten in die echt gemaakt zijn.", "kosten_ontbreken",
                            errors=[{"field": "incurred_costs", "message": "ontbreekt"}])
    end = (app.facts.get(load_rulebook().form(app.instrument).activiteit) or {}).get("end_date")
    months = procedure_for(app.instrument, app.application_date).monitoring_plaatsing_maanden
    outcome = app.outcome or Outcome(application=app, reported_by_id=step.actor_id)
    outcome.result = result
    outcome.incurred_costs = costs
    outcome.reported_by_id = step.actor_id
    outcome.reported_at = clock.now()
    outcome.followup_due = date.fromisoformat(end) + relativedelta(months=months) if end else None
    db.session.add(outcome)
    step.changes["outcome"] = {"result": result, "incurred_costs": costs}


def _correct_outcome(step) -> None:
    """The officer may correct the reported result or costs at the vaststelling (for instance
    after a gegrond bezwaar on an earlier vaststelling); what changed goes into the audit event."""
    app, data, outcome = step.app, step.data, step.app.outcome
    result = data.get("result") or outcome.result
    _check_result(app, result)
    costs = outcome.incurred_costs
    if data.get("incurred_costs") not in (None, ""):
        costs = parse_amount(data["incurred_costs"], "incurred_costs", allow_zero=True)
    if costs is None and result in _spec(app)["needs_costs"]:
        raise WorkflowError("Vul de kosten in die echt gemaakt zijn.", "kosten_ontbreken",
                            errors=[{"field": "incurred_costs", "message": "ontbreekt"}])
    if (result, costs) != (outcome.result, outcome.incurred_costs):
        step.changes["outcome_corrected"] = {
            "from": {"result": outcome.result, "incurred_costs": outcome.incurred_costs},
            "to": {"result": result, "incurred_costs": costs}}
        outcome.result, outcome.incurred_costs = result, costs


def settle(step, source, target) -> None:
    app = step.app
    _correct_outcome(step)
    outcome = app.outcome
    ruleset = ruleset_of(app)
    rule_result = _spec(app)["map"][outcome.result]
    final = ruleset.vaststelling_amount(rule_result, granted=app.granted_amount,
                                        actual_costs=outcome.incurred_costs, facts=app.facts)
    held = ledger.commitment(app)
    if final > held:
        if not ledger.fits(step, final - held):
            raise WorkflowError("Het subsidieplafond laat deze vaststelling niet toe.", "plafond_bereikt")
        ledger.commit(step, final - held)
    elif final < held:
        ledger.release(step, held - final)
        step.changes["released"] = held - final
    step.change("final_amount", app.final_amount, final)
    app.final_amount = final
    words = f"Gemeld resultaat: {ruleset.vaststelling[rule_result][0].lower()}. {ruleset.vaststelling_description}"
    officer = (step.data.get("motivation") or "").strip()
    text = decisions.motivation_text(app, DecisionKind.VASTSTELLING, amount=final, with_trace=False,
                                     officer_words=" ".join(filter(None, [words, officer])))
    vaststelling = decisions.make_decision(step, DecisionKind.VASTSTELLING, amount=final, motivation=text)
    paid = net_paid(app)
    if paid > final:
        reclaim = paid - final
        step.changes["terugvordering"] = reclaim
        text = decisions.motivation_text(
            app, DecisionKind.TERUGVORDERING, amount=reclaim, with_trace=False,
            officer_words=f"U ontving {money_text(paid)}; de subsidie is vastgesteld op {money_text(final)}.")
        decisions.make_decision(step, DecisionKind.TERUGVORDERING, amount=reclaim, motivation=text,
                                supersedes_id=None)
    elif paid < final:
        step.changes["rest"] = final - paid
    step.reason = officer or None
    step.entity = vaststelling


def close(step, source, target) -> None:
    step.reason = (step.data.get("reason") or "").strip() or None


def record_followup(step, source, target) -> None:
    app = step.app
    if app.outcome is None:
        raise WorkflowError("Er is nog geen resultaat gemeld.", "geen_resultaat")
    if "employed" not in step.data or not isinstance(step.data["employed"], bool):
        raise WorkflowError("Geef aan of de persoon werk heeft (ja of nee).", "gegevens_ontbreken")
    step.change("employed_after_6_months", app.outcome.employed_after_6_months, step.data["employed"])
    app.outcome.employed_after_6_months = step.data["employed"]
    app.outcome.followup_recorded_at = clock.now()
