"""The filter of an export: a period of decision dates and optionally one instrument."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


class ExportError(ValueError):
    """Bad export parameters; the message is Dutch and says what to change."""


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def parse(cls, start: str | None, end: str | None) -> "Period":
        def one(value: str | None, name: str) -> dt.date | None:
            if not value:
                return None
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise ExportError(f"{name} '{value}' is geen geldige datum (JJJJ-MM-DD)") from None
            if not EARLIEST <= day <= LATEST:  # 9999-12-31 + 1 day would overflow further on
                raise ExportError(f"{name} '{value}' ligt buiten {EARLIEST.year}-{LATEST.year}")
            return day

        period = cls(one(start, "van"), one(end, "tot en met"))
        if period.start and period.end and period.end < period.start:
            raise ExportError("de einddatum ligt voor de begindatum")
        return period

    def label(self) -> str:
        return f"{self.start or 'begin'}_{self.end or 'nu'}"
