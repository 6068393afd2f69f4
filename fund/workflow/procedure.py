"""The rulebook's numbers for the workflow: the ruleset and procedure of an application."""
from __future__ import annotations

from datetime import date

from fund.rules import Procedure, Ruleset, load_rulebook
from fund.workflow.errors import WorkflowError


def ruleset_for(instrument: str, on: date) -> Ruleset:
    try:
        return load_rulebook().ruleset(instrument, on)
    except LookupError as exc:
        raise WorkflowError(str(exc), "geen_regeling") from exc


def procedure_for(instrument: str, on: date) -> Procedure:
    return ruleset_for(instrument, on).procedure


def ruleset_of(app) -> Ruleset:
    """The ruleset of an application that has been submitted (its application.date is set)."""
    if app.ruleset_id:
        return load_rulebook().ruleset_by_id(app.ruleset_id)
    return ruleset_for(app.instrument, app.application_date)
