"""When will each ceiling run out? A forecast from the pace of the last eight weeks (issue 17).

For every instrument whose tijdvak holds the day of the forecast:

- *left* is the ceiling minus what is committed (granted, or the vastgesteld amount) minus what
  complete, eligible applications still waiting for a decision will ask (``ledger.waiting_for``:
  the same money the budget check keeps free for them, regeling §1);
- the *pace* is what complete, eligible applications asked per day in the window: applications
  that became complete in the last ``WINDOW_WEEKS`` weeks (or since the tijdvak began, when that
  is later), each counted at what it holds or will hold (vastgesteld, else granted, else the
  amount the rules computed). Ineligible applications ask nothing of the budget;
- the ceiling runs out ``left / pace`` days from the forecast day. When that lies past the end of
  the tijdvak, the money lasts; with no complete applications in the window there is no pace and
  no date.

A straight line, on purpose: the Regionaal Beraad wants to know "at this pace, when", and every
figure of the sum is shown beside the date so nobody has to trust a model.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Application

# A reporting choice named in issue 17 (not a number of the regeling, so not in rules/):
# long enough to smooth out a quiet week, short enough to follow a change in demand.
WINDOW_WEEKS = 8
ZERO = Decimal("0.00")
# Ended without money: these ask nothing of the ceiling, even if the rules found them eligible.
ASK_NOTHING = ("afgewezen", "doorverwezen", "ingetrokken", "buiten_behandeling")


@dataclass(frozen=True)
class Forecast:
    instrument: str
    tijdvak: int
    tijdvak_end: dt.date
    as_of: dt.date
    left: Decimal  # ceiling - committed - waiting for a decision
    waiting: Decimal  # asked by complete, eligible applications without a decision yet
    window_start: dt.date
    window_applications: int  # complete, eligible applications in the window
    window_amount: Decimal  # what they ask or hold

    @property
    def window_days(self) -> int:
        return (self.as_of - self.window_start).days + 1

    @property
    def per_week(self) -> Decimal:
        return (self.window_amount * 7 / self.window_days).quantize(ZERO)

    @property
    def runs_out_on(self) -> dt.date | None:
        """The day the ceiling is expected to be used up, or None when there is no pace."""
        if self.left <= 0:
            return self.as_of
        if self.window_amount <= 0:
            return None
        days = math.floor(self.left * self.window_days / self.window_amount)
        return self.as_of + dt.timedelta(days=days)

    @property
    def state(self) -> str:
        """'op' (already used up), 'verwacht' (before the tijdvak ends), 'genoeg' or 'onbekend'."""
        day = self.runs_out_on
        if self.left <= 0:
            return "op"
        if day is None:
            return "onbekend"
        return "verwacht" if day <= self.tijdvak_end else "genoeg"


def build(lines, as_of: dt.date) -> list[Forecast]:
    """One forecast per budget line (``dashboard.BudgetLine``) whose tijdvak holds ``as_of``."""
    from fund.rules import load_rulebook
    from fund.workflow import ledger

    periods = {(rs.instrument, int(rs.tijdvak.id)): rs.tijdvak for rs in load_rulebook().rulesets()}
    out = []
    for line in lines:
        period = periods.get((line.instrument, line.tijdvak))
        if period is None or not (period.start <= as_of <= period.end):
            continue
        start = max(as_of - dt.timedelta(weeks=WINDOW_WEEKS) + dt.timedelta(days=1), period.start)
        since = dt.datetime.combine(start, dt.time.min, tzinfo=dt.timezone.utc)
        until = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)
        holds = func.coalesce(Application.final_amount, Application.granted_amount, Application.computed_amount)
        count, amount = db.session.execute(
            select(func.count(), func.coalesce(func.sum(holds), 0)).where(
                Application.instrument == line.instrument, Application.tijdvak == line.tijdvak,
                Application.eligibility_outcome == "eligible", Application.status.not_in(ASK_NOTHING),
                Application.complete_at >= since, Application.complete_at < until)
        ).one()
        waiting = ledger.waiting_for(line.instrument, line.tijdvak).quantize(ZERO)
        out.append(Forecast(line.instrument, line.tijdvak, period.end, as_of,
                            (line.ceiling - line.committed - waiting).quantize(ZERO), waiting,
                            start, int(count), Decimal(amount).quantize(ZERO)))
    return out
