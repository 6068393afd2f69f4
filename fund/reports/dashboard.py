"""The figures behind the dashboard: budget, funnel by status, outcomes, targets."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import current_app
from sqlalchemy import case, func, select

from fund.atomic_file import write_atomically
from fund.extensions import db
from fund.models import Application, Budget, Outcome, Payment
from fund.workflow import clock
from fund.reports import forecast
from fund.reports.charts import Chart, bar_chart
from fund.reports.targets import Progress, progress

ZERO = Decimal("0.00")


@dataclass
class BudgetLine:
    instrument: str
    tijdvak: int
    ceiling: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.ceiling - self.committed


@dataclass
class Dashboard:
    budget: list[BudgetLine]
    funnel: list[tuple[str, str, int]]  # (status, label, count)
    outcomes: list[tuple[str, str, int]]  # (result, label, count)
    employed: tuple[int, int]  # (in work after 6 months, follow-ups recorded)
    targets: list[Progress]
    period: tuple[dt.date, dt.date]
    charts: dict[str, Chart] = field(default_factory=dict)
    forecast: list = field(default_factory=list)  # fund.reports.forecast.Forecast, one per open tijdvak


def _status_labels() -> dict[str, str]:
    try:
        from fund.workflow import STATUS_LABELS
    except ImportError:  # pragma: no cover - before the workflow package exists
        return {}
    return dict(STATUS_LABELS)


def budget_lines() -> list[BudgetLine]:
    """Budget rows kept by the workflow; where an instrument/tijdvak has none yet, the ceiling
    from the rules and what the applications say."""
    from fund.rules import load_rulebook

    lines = {(b.instrument, b.tijdvak): BudgetLine(b.instrument, b.tijdvak, b.ceiling, b.committed, b.paid)
             for b in db.session.scalars(select(Budget))}
    signed = case((Payment.kind == "terugvordering", -Payment.amount), else_=Payment.amount)
    for rs in load_rulebook().rulesets():
        key = (rs.instrument, int(rs.tijdvak.id))
        if key in lines:
            continue
        committed = db.session.scalar(
            select(func.coalesce(func.sum(func.coalesce(Application.final_amount, Application.granted_amount)), 0))
            .where(Application.instrument == key[0], Application.tijdvak == key[1])
        )
        paid = db.session.scalar(
            select(func.coalesce(func.sum(signed), 0)).join(Application, Application.id == Payment.application_id)
            .where(Application.instrument == key[0], Application.tijdvak == key[1], Payment.status == "betaald")
        )
        lines[key] = BudgetLine(key[0], key[1], rs.parameter("subsidieplafond"),
                                Decimal(committed or 0).quantize(ZERO), Decimal(paid or 0).quantize(ZERO))
    return sorted(lines.values(), key=lambda b: (b.tijdvak, b.instrument))


def funnel() -> list[tuple[str, str, int]]:
    labels = _status_labels()
    counts = dict(db.session.execute(
        select(Application.status, func.count()).group_by(Application.status)).all())
    order = list(labels) + sorted(s for s in counts if s not in labels)
    return [(s, labels.get(s, s), int(counts.get(s, 0))) for s in order if s != "concept" or counts.get(s)]


def outcomes(start: dt.date | None = None, end: dt.date | None = None) -> tuple[list, tuple[int, int]]:
    stmt = select(Outcome.result, func.count()).group_by(Outcome.result)
    emp = select(
        func.count().filter(Outcome.employed_after_6_months.is_(True)),
        func.count().filter(Outcome.employed_after_6_months.is_not(None)),
    )
    if start:
        since = dt.datetime.combine(start, dt.time.min, tzinfo=dt.timezone.utc)
        stmt, emp = stmt.where(Outcome.reported_at >= since), emp.where(Outcome.reported_at >= since)
    if end:
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)
        stmt, emp = stmt.where(Outcome.reported_at < until), emp.where(Outcome.reported_at < until)
    counts = dict(db.session.execute(stmt).all())
    from fund.rules import load_rulebook

    labels = load_rulebook().reported_results  # rules/shared/workflow.yaml and the form.yaml files
    rows = [(r, label, int(counts.get(r, 0))) for r, label in labels.items()]
    employed, recorded = db.session.execute(emp).one()
    return rows, (int(employed or 0), int(recorded or 0))


def snapshot_file() -> Path:
    return Path(current_app.instance_path) / "rapportages" / "dashboard.pickle"


def make_snapshot() -> str:
    """Background job: compute the dashboard in SQL and put it in place in one step (no half
    file). The file holds ``(Dashboard, computed at)``, readable by its owner only."""
    return str(write_atomically(snapshot_file(), pickle.dumps((build(), clock.now()))))


def _read_snapshot(path: Path) -> tuple[Dashboard, dt.datetime] | None:
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # written by make_snapshot above, mode 0600 in the instance folder
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        return None  # missing, or from an older version of the code: made again


def current() -> tuple[Dashboard, dt.datetime]:
    """The dashboard as the page shows it, and when its figures were computed.

    At a million applications the figures cost ~0.5-2 s of SQL (counts over the whole table,
    distinct persons, docs/performance.md "Pages at a million"), so the page shows a snapshot
    at most ``FUND_DASHBOARD_MAX_AGE_SECONDS`` old. When it is older, the first request moves
    the file's time on (the other requests keep showing it) and asks for a new one as a
    background job (with Redis; without, that one request computes it). ``0``: always live.
    """
    max_age = current_app.config.get("FUND_DASHBOARD_MAX_AGE_SECONDS", 0)
    if max_age <= 0:
        return build(), clock.now()
    path = snapshot_file()
    try:
        fresh = time.time() - path.stat().st_mtime < max_age
    except FileNotFoundError:
        fresh = False
    snapshot = _read_snapshot(path) if fresh else None
    if snapshot is None:
        if path.exists():
            os.utime(path)  # a lease: other requests show this one while the new one is made
        from fund.jobs import enqueue

        enqueue("fund.reports.dashboard:make_snapshot")
        snapshot = _read_snapshot(path)
    return snapshot if snapshot is not None else (build(), clock.now())


def build(until: dt.date | None = None) -> Dashboard:
    budget = budget_lines()
    steps = funnel()
    result_rows, employed = outcomes()
    start, end, targets = progress(until)
    board = Dashboard(budget, steps, result_rows, employed, targets, (start, end))
    board.forecast = forecast.build(budget, clock.today())
    board.charts = charts(board)
    return board


def _share(part: Decimal, whole: Decimal) -> int:
    return int(part * 100 / whole) if whole else 0


def charts(board: Dashboard) -> dict[str, Chart]:
    from fund.reports.tables import line_label

    budget_chart = bar_chart(
        "Budget per instrument en jaar: vastgelegd, betaald en over",
        [(line_label(b.instrument, b.tijdvak),
          [(b.paid, "fund-bar--paid"), (max(b.committed - b.paid, ZERO), "fund-bar--committed"),
           (max(b.remaining, ZERO), "fund-bar--remaining")],
          f"{_share(b.committed, b.ceiling)}% vast") for b in board.budget],
    )
    funnel_chart = bar_chart(
        "Aanvragen per status",
        [(label, [(n, "fund-bar")], str(n)) for _, label, n in board.funnel],
    )
    target_chart = bar_chart(
        "Doelen 2025–2030: bereikt tegenover doel",
        [(p.target.label, [(min(p.percent, 100), "fund-bar")],
          f"{p.percent}%") for p in board.targets],
        scale_max=100,  # each bar is the share of its own target
    )
    outcome_chart = bar_chart(
        "Resultaten van trajecten",
        [(label, [(n, "fund-bar")], str(n)) for _, label, n in board.outcomes],
    )
    return {"budget": budget_chart, "funnel": funnel_chart, "targets": target_chart, "outcomes": outcome_chart}
