"""The regional targets (rules/shared/targets.yaml) and how far we are."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

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


def _fact(facts: dict, dotted: str) -> Any:
    node: Any = facts or {}
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _counts(target: Target, granted: list[Any]) -> int:
    rows = [r for r in granted if r.instrument in target.instruments]
    for instrument, cond in target.only.items():
        rows = [r for r in rows if r.instrument != instrument
                or _fact(r.facts, cond["fact"]) in cond["values"]]
    if target.measure == "granted_applications":
        return len(rows)
    if target.measure == "persons_reached":
        # A personal application: the applicant; a praktijkverklaring by a leerbedrijf: its candidate.
        return len({f"u{r.applicant_id}" if r.organisation_id is None else f"a{r.id}" for r in rows})
    if target.measure == "employers_reached":
        return len({r.organisation_id for r in rows if r.organisation_id is not None})
    raise ValueError(f"onbekende maat '{target.measure}' in {TARGETS_FILE.name}")


def progress(until: dt.date | None = None) -> tuple[dt.date, dt.date, list[Progress]]:
    """Progress on every target from the start of the period until ``until`` (inclusive)."""
    start, end, targets = load_targets()
    stop = min(until or end, end)
    rows = db.session.execute(
        select(Application.id, Application.instrument, Application.applicant_id,
               Application.organisation_id, Application.facts, Application.received_at)
        .where(Application.granted_amount.is_not(None))
    ).all()
    granted = []
    for r in rows:
        day = _application_day(r)
        if day is not None and start <= day <= stop:
            granted.append(r)
    return start, end, [Progress(t, _counts(t, granted)) for t in targets]


def _application_day(row) -> dt.date | None:
    raw = _fact(row.facts, "application.date")
    if raw:
        return dt.date.fromisoformat(raw)
    return row.received_at.date() if row.received_at else None
