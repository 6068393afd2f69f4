"""Dutch words for dates, money and decision kinds, as they appear in letters and reports."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fund.models.decision_kinds import SUBJECTS
from fund.rules.dates import dutch_date, money_text, percent_text


def _months() -> list[str]:
    """Month names from rules/shared/messages.yaml (one list for rules, letters and reports)."""
    from fund.rules import load_rulebook

    return load_rulebook().rulesets()[0].formatting.months

KIND_LABELS = SUBJECTS  # the letter subject of each kind (fund.models.decision_kinds)


def datum(value: dt.date | None) -> str:
    """``date(2027, 1, 14)`` -> ``'14 januari 2027'``."""
    return dutch_date(value, _months()) if value else ""


def geld(value: Decimal | None) -> str:
    """``Decimal('1800')`` -> ``'€ 1.800,00'``."""
    return money_text(Decimal(value)) if value is not None else ""


def procent(fraction: Decimal) -> str:
    """``Decimal('0.75')`` -> ``'75%'``."""
    return percent_text(Decimal(fraction))


def outcome_text(result: str) -> str:
    """How a letter or report says a reported result: ``'gedeeltelijk'`` -> ``'deels gevolgd'``
    (``reported_results`` in rules/shared/workflow.yaml or the instrument's form.yaml)."""
    from fund.rules import load_rulebook

    return load_rulebook().reported_results.get(result, result)
