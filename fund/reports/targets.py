"""The regional targets (rules/shared/targets.yaml) and how far we are."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import case, distinct, func, or_, select

from fund.extensions import db
from fund.models import Application

TARGETS_FILE = Path(__file__).resolve().parents[2] / "rules" / "shared" / "targets.yaml"


@dataclass(frozen=True)
class Target:
    code: str
    label: str
    target: int
    measure: str
    instruments: tuple[str, ...]
    only: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Progress:
    target: Target
    reached: int

    @property
    def percent(self) -> int:
        return int(self.reached * 100 / self.target.target) if self.target.target else 0


def load_targets(path: Path = TARGETS_FILE) -> tuple[dt.date, dt.date, list[Target]]:
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    period = doc["period"]
    targets = [
        Target(code, spec["label"], int(spec["target"]), spec["measure"],
               tuple(spec["instruments"]), spec.get("only") or {})
        for code, spec in doc["targets"].items()
    ]
    return period["start"], period["end"], targets


@lru_cache(maxsize=4)
def kind_facts(path: Path = TARGETS_FILE) -> dict[str, str]:
    """Per instrument, the one fact the targets count by (``only: {llo: {fact: training.kind}}``).

    Its value is stored in ``applications.report_kind`` when the application is checked, so the
    targets are counted in SQL from indexed columns instead of the facts JSON; the rulebook check
    refuses two different facts for one instrument."""
    _, _, targets = load_targets(path)
    return {instrument: cond["fact"] for t in targets for instrument, cond in t.only.items()}


def fill_report_columns(app) -> None:
    """Set ``received_on`` and ``report_kind`` of an application from its facts (the eligibility
    check calls this; the one place these columns are computed)."""
    app.received_on = app.application_date or (app.received_at.date() if app.received_at else None)
    kind_fact = kind_facts().get(app.instrument)
    app.report_kind = fact_value(app.facts, kind_fact) if kind_fact else None


def fact_value(facts: dict, dotted: str) -> Any:
    node: Any = facts or {}
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _count(target: Target, start: dt.date, stop: dt.date) -> int:
    """One aggregate query over the granted applications of the target's instruments whose
    application date lies in [start, stop] (index ``ix_applications_report``)."""
    A = Application
    where = [A.granted_amount.is_not(None), A.instrument.in_(target.instruments),
             A.received_on >= start, A.received_on <= stop]
    for instrument, cond in target.only.items():
        where.append(or_(A.instrument != instrument, A.report_kind.in_(list(cond["values"]))))
    if target.measure == "granted_applications":
        measure = func.count()
    elif target.measure == "persons_reached":
        # A personal application: the applicant; a praktijkverklaring by a leerbedrijf: its candidate.
        measure = (func.count(distinct(case((A.organisation_id.is_(None), A.applicant_id))))
                   + func.count(A.organisation_id))
    elif target.measure == "employers_reached":
        measure = func.count(distinct(A.organisation_id))
    else:
        raise ValueError(f"onbekende maat '{target.measure}' in {TARGETS_FILE.name}")
    return int(db.session.scalar(select(measure).where(*where)) or 0)


def progress(until: dt.date | None = None) -> tuple[dt.date, dt.date, list[Progress]]:
    """Progress on every target from the start of the period until ``until`` (inclusive)."""
    start, end, targets = load_targets()
    stop = min(until or end, end)
    return start, end, [Progress(t, _count(t, start, stop)) for t in targets]
