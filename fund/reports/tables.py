"""The dashboard figures as table rows of text (the accessible twin of every chart)."""
from __future__ import annotations

from fund.letters.dutch import geld
from fund.reports.dashboard import Dashboard


def table_rows(board: Dashboard) -> dict[str, list[list[str]]]:
    return {
        "budget_rows": [[f"{b.instrument} {b.tijdvak}", geld(b.ceiling), geld(b.committed), geld(b.paid),
                         geld(b.remaining)] for b in board.budget],
        "funnel_rows": [[label, str(n)] for _, label, n in board.funnel],
        "target_rows": [[p.target.label, str(p.reached), str(p.target.target), f"{p.percent}%"]
                        for p in board.targets],
        "outcome_rows": [[label, str(n)] for _, label, n in board.outcomes],
    }
