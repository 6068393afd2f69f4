"""Date arithmetic and Dutch formatting used by the rules (the generic machinery of regeling §1)."""
from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_FLOOR, Decimal

from dateutil.relativedelta import relativedelta

WHOLE_EURO = Decimal("1")
CENT = Decimal("0.01")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``; a birthday on that day counts.

    Someone born on 29 February becomes a year older on 1 March in a non-leap year.
    """
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@functools.lru_cache(maxsize=65536)
def add_months(date: dt.date, months: int) -> dt.date:
    """Same day number ``months`` calendar months later, clamped to the last day of that month.

    ``relativedelta`` does exactly this; the result is cached because it is on the hot path.
    """
    return date + relativedelta(months=months)


def round_down_euros(amount: Decimal) -> Decimal:
    """Round down to whole euros, kept with two decimals (``Decimal('1800.00')``)."""
    return amount.quantize(WHOLE_EURO, rounding=ROUND_FLOOR).quantize(CENT)


def round_down_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def money_text(amount: Decimal) -> str:
    """``Decimal('1800')`` -> ``'€ 1.800,00'``."""
    text = f"{amount:,.2f}"  # '-1,800.00'
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def money_json(amount: Decimal) -> str:
    """``Decimal('1800')`` -> ``'1800.00'`` (regeling §1)."""
    return f"{amount:.2f}"


@functools.lru_cache(maxsize=65536)
def _dutch_date(date: dt.date, month_names: tuple[str, ...]) -> str:
    return f"{date.day} {month_names[date.month - 1]} {date.year}"


def dutch_date(date: dt.date, month_names: list[str] | tuple[str, ...]) -> str:
    """``2026-03-02`` -> ``'2 maart 2026'``."""
    return _dutch_date(date, tuple(month_names))


def percent_text(fraction: Decimal) -> str:
    """``Decimal('0.75')`` -> ``'75%'``; ``0.125`` -> ``'12,5%'``."""
    value = (fraction * 100).normalize()
    text = f"{value:f}".replace(".", ",")
    return f"{text}%"
