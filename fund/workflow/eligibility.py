"""The automatic eligibility check: the rules engine on the facts plus our own history facts."""
from __future__ import annotations

import copy
from decimal import Decimal

from fund import rules
from fund.reports import targets
from fund.workflow import clock
from fund.workflow.errors import WorkflowError
from fund.workflow.history import history_facts
from fund.workflow.procedure import ruleset_for



def with_received_date(app) -> dict:
    """The facts document with the instrument and application.date (the day of receipt) set."""
    facts = copy.deepcopy(app.facts or {})
    facts["instrument"] = app.instrument
    facts.setdefault("application", {})
    if app.received_at is None:
        facts["application"]["date"] = clock.today().isoformat()
    return facts


def validate(facts: dict) -> None:
    try:
        rules.validate_facts(facts)
    except rules.InputError as exc:
        raise WorkflowError(
            "Niet alle gegevens zijn goed ingevuld. Verbeter de velden die genoemd worden.",
            "onjuiste_gegevens", errors=exc.errors,
        ) from exc


def run_check(step) -> dict:
    """Evaluate the application and store outcome, ruleset, trace, amount and queue fields."""
    app = step.app
    ruleset = ruleset_for(app.instrument, app.application_date)
    history = history_facts(app, ruleset)
    try:
        result = rules.evaluate(rules.with_history(app.facts, history))
    except rules.InputError as exc:
        raise WorkflowError("Niet alle gegevens zijn goed ingevuld.", "onjuiste_gegevens",
                            errors=exc.errors) from exc
    result = dict(result)
    result["history"] = {k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in history.items()}
    old = (app.eligibility_outcome, app.computed_amount)
    app.ruleset_id = result["ruleset"]
    app.tijdvak = int(ruleset.tijdvak.id)
    app.eligibility_outcome = result["outcome"]
    app.eligibility_result = result
    app.computed_amount = Decimal(result["amount"]) if result.get("amount") is not None else None
    app.priority_group = result.get("priority_group")
    subject = rules.load_rulebook().form(app.instrument).subject  # alias `subject` of instrument.yaml
    app.municipality = (app.facts.get(subject) or {}).get("municipality")
    targets.fill_report_columns(app)
    app.evaluated_at = clock.now()
    step.change("eligibility_outcome", old[0], app.eligibility_outcome)
    step.change("computed_amount", old[1], app.computed_amount)
    step.changes["check"] = {"ruleset": app.ruleset_id, "outcome": app.eligibility_outcome,
                             "amount": result.get("amount"), "reasons": result["reasons"],
                             "referrals": result["referrals"], "needs_info": result["needs_info"],
                             "history": result["history"]}
    return result
