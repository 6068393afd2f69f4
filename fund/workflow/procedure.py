"""The workflow's own procedural choices (procedure.yaml) and the rulebook's procedural numbers."""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import yaml

from fund.rules import Procedure, Ruleset, load_rulebook
from fund.workflow.errors import WorkflowError

_FILE = Path(__file__).with_name("procedure.yaml")


@functools.lru_cache(maxsize=1)
def choices() -> dict:
    return yaml.safe_load(_FILE.read_text(encoding="utf-8"))


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
