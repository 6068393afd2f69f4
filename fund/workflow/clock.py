"""Today and now for the workflow, in one place so tests and the demo can move time.

``FUND_TODAY`` (an ISO date) pins the date for the whole process and the commands it starts: the
test-suite sets it so that no result depends on the day the tests run, and CI runs the
date-sensitive tests again with it on a Saturday, a feestdag and the Friday after Hemelvaart.
Production refuses it (``fund.config``). ``frozen`` moves the date inside one block.
"""
from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from fund.models.types import utcnow

NL = ZoneInfo("Europe/Amsterdam")
ENV_VAR = "FUND_TODAY"
_frozen: list[date] = []


@functools.lru_cache(maxsize=4)
def _parse(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"{ENV_VAR}={value!r} is geen datum (JJJJ-MM-DD).") from None


def _pinned() -> date | None:
    if _frozen:
        return _frozen[-1]
    value = os.environ.get(ENV_VAR)
    return _parse(value) if value else None


def today() -> date:
    """The date in the Netherlands (a decision at 00:30 counts for that Dutch day)."""
    pinned = _pinned()
    if pinned is not None:
        return pinned
    return utcnow().astimezone(NL).date()


def now() -> datetime:
    """Now in UTC; on a pinned date, that date with the real time of day (so order is kept)."""
    real = utcnow()
    pinned = _pinned()
    if pinned is None:
        return real
    local = real.astimezone(NL)
    return datetime.combine(pinned, time(local.hour, local.minute, local.second, local.microsecond),
                            tzinfo=NL).astimezone(real.tzinfo)


@contextmanager
def frozen(day: date):
    """Let ``today()`` return ``day`` (tests, demo data with deadlines in the past)."""
    _frozen.append(day)
    try:
        yield day
    finally:
        _frozen.pop()
