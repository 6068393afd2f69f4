"""Awb termijnen: the last day for bezwaar, extended by the Algemene termijnenwet.

One place for the date arithmetic that workflow, letters and exports share. The number of weeks
comes from the rules (``bezwaartermijn_weken``); which days are algemeen erkende feestdagen is in
``rules/shared/termijnen.yaml``. Easter comes from python-dateutil.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta
from pathlib import Path

import yaml
from dateutil.easter import easter

_FILE = Path("shared") / "termijnen.yaml"


@functools.lru_cache(maxsize=4)
def _definition(rules_dir: Path) -> dict:
    return yaml.safe_load((rules_dir / _FILE).read_text(encoding="utf-8"))["algemeen_erkende_feestdagen"]


def _rules_dir() -> Path:
    from fund.rules import load_rulebook

    return load_rulebook().rules_dir


@functools.lru_cache(maxsize=64)
def feestdagen(year: int, rules_dir: Path | None = None) -> dict[date, str]:
    """The algemeen erkende feestdagen of ``year`` (Atw art. 3) with their names."""
    spec = _definition(rules_dir or _rules_dir())
    days = {date(year, d["maand"], d["dag"]): d["naam"] for d in spec["vast"]}
    pasen = easter(year)
    days.update({pasen + timedelta(days=d["dagen"]): d["naam"] for d in spec["na_pasen"]})
    king = spec["koningsdag"]
    kingsday = date(year, king["maand"], king["dag"])
    if kingsday.weekday() == 6:
        kingsday = date(year, king["maand"], king["op_zondag_dag"])
    days[kingsday] = king["naam"]
    days.update({d["datum"]: d["naam"] for d in spec.get("gelijkgesteld", ()) if d["datum"].year == year})
    return days


def is_rest_day(day: date) -> bool:
    """A Saturday, Sunday, algemeen erkende feestdag or a day gelijkgesteld with one (Atw)."""
    return day.weekday() >= 5 or day in feestdagen(day.year)


def add_working_days(day: date, n: int) -> date:
    """``n`` working days (no Saturday, Sunday or Atw feestdag) after ``day``; before it when
    ``n`` is negative."""
    step, left = timedelta(days=1 if n >= 0 else -1), abs(n)
    while left:
        day += step
        if not is_rest_day(day):
            left -= 1
    return day


def atw_last_day(day: date) -> date:
    """Move a last day off a Saturday, Sunday or feestdag to the next day that is none (Atw art. 1)."""
    while is_rest_day(day):
        day += timedelta(days=1)
    return day


def bezwaar_deadline(sent_on: date, weeks: int) -> date:
    """The last day to object: the term starts the day after dispatch (Awb 6:8) and lasts
    ``weeks`` weeks (Awb 6:7), so it ends on ``sent_on`` + ``weeks``; then the Atw applies.

    Sent Thursday 3 December 2026 -> last day Thursday 14 January 2027.
    """
    return atw_last_day(sent_on + timedelta(weeks=weeks))
