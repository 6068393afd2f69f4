"""The last day for bezwaar or beroep (Awb 6:7 and 6:8), shared by letters and exports."""
from __future__ import annotations

import datetime as dt


def objection_deadline(sent_on: dt.date, weeks: int) -> dt.date:
    """The term starts the day after dispatch and lasts ``weeks`` weeks.

    Sent 3 December 2026 -> term from 4 December -> last day 14 January 2027.
    """
    start = sent_on + dt.timedelta(days=1)
    return start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
