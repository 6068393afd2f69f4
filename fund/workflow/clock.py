"""Today and now for the workflow, in one place so tests and the demo can move time."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fund.models.types import utcnow

NL = ZoneInfo("Europe/Amsterdam")
_frozen: list[date] = []


def today() -> date:
    """The date in the Netherlands (a decision at 00:30 counts for that Dutch day)."""
    if _frozen:
        return _frozen[-1]
    return utcnow().astimezone(NL).date()


def now() -> datetime:
    return utcnow()


@contextmanager
def frozen(day: date):
    """Let ``today()`` return ``day`` (tests, demo data with deadlines in the past)."""
    _frozen.append(day)
    try:
        yield day
    finally:
        _frozen.pop()
