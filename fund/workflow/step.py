"""One transition in progress: the application, who acts, the event's data and what changed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fund.models import Application, Budget, User
from fund.workflow import ledger


@dataclass
class Step:
    app: Application
    actor: User | None  # None: the system (fund workflow tick)
    event: str
    data: dict
    changes: dict = field(default_factory=dict)  # written to the audit event
    reason: str | None = None  # the "why" of the audit event
    decisions: list = field(default_factory=list)  # Decisions created (signalled after commit)
    entity: Any = None  # the row the event is about, when not the application (a Payment)
    proposal: dict | None = None  # a decision as proposed (grant/reject/refer/co_sign)
    op_bezwaar_id: int | None = None  # decisions of this step are part of that beslissing op bezwaar
    _budget: Budget | None = None

    @property
    def actor_id(self) -> int | None:
        return self.actor.id if self.actor is not None else None

    @property
    def budget(self) -> Budget:
        """The application's Budget row, locked for the rest of the transaction."""
        if self._budget is None:
            self._budget = ledger.locked_budget(self.app.instrument, self.app.tijdvak)
        return self._budget

    def change(self, name: str, old: Any, new: Any) -> None:
        if old != new:
            self.changes[name] = {"from": old, "to": new}
