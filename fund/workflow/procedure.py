"""The workflow's own procedural choices (rules/shared/workflow.yaml) and the rulebook's numbers."""
from __future__ import annotations

import functools
from datetime import date
from pathlib import Path

import yaml

from fund.rules import Procedure, Ruleset, load_rulebook
from fund.workflow.errors import WorkflowError

_FILE = Path("shared") / "workflow.yaml"  # beside the rules, so FUND_RULES_DIR moves it too


@functools.lru_cache(maxsize=4)
def _choices_in(rules_dir: Path) -> dict:
    return yaml.safe_load((rules_dir / _FILE).read_text(encoding="utf-8"))


def choices() -> dict:
    return _choices_in(load_rulebook().rules_dir)


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
