"""Dutch display of dates and money for templates (filters ``datum`` and ``euro``).

One way of writing a date or an amount across the portals, letters and rule traces: the
formatting lives in ``fund.rules.dates`` (month names from rules/shared/messages.yaml) and is
reached through ``fund.letters.dutch``.
"""
from __future__ import annotations

import datetime as dt

from fund.letters.dutch import datum, geld
from fund.workflow.clock import NL
from fund.workflow.clock import today as today  # noqa: PLC0414  (re-exported for the forms)


def format_date(value) -> str:
    """A date as '2 maart 2026'; a moment as '2 maart 2026, 14:05' in Dutch time."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        local = value.astimezone(NL)
        return f"{datum(local.date())}, {local:%H:%M}"
    return datum(value)


def format_money(value) -> str:
    """'€ 1.800,00'."""
    return geld(value) if value not in (None, "") else ""
