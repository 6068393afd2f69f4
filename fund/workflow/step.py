"""One transition in progress: the application, who acts, the event's data and what changed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fund.models import Application, Budget, User
from fund.models.types import ZERO
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
    # the Budget row (fund.workflow.ledger): read when needed, changed last by ledger.apply
    budget_delta: Decimal = ZERO  # what this event adds to (or takes from) committed
    budget_ahead: Decimal = ZERO  # what must stay free for earlier complete applications
    budget_locked: bool = False
    lock_budget_first: bool = False  # the second run after BudgetMoved: lock at the first read
    under_budget_lock: list[Callable] = field(default_factory=list)  # checks run after the UPDATE
    known_budget: Budget | None = None

    @property
    def actor_id(self) -> int | None:
        return self.actor.id if self.actor is not None else None

    @property
    def budget(self) -> Budget:
        """The application's Budget row as read in this transaction (not locked unless
        ``lock_budget`` was called or this is the second run, ``lock_budget_first``)."""
        if self.known_budget is None:
            if self.lock_budget_first:
                return self.lock_budget()
            self.known_budget = ledger.read_budget(self.app.instrument, self.app.tijdvak)
        return self.known_budget

    def lock_budget(self) -> Budget:
        """Lock the Budget row for the rest of the transaction and read it again."""
        if not self.budget_locked:
            self.known_budget = ledger.locked_budget(self.app.instrument, self.app.tijdvak)
            self.budget_locked = True
        return self.known_budget

    def change(self, name: str, old: Any, new: Any) -> None:
        if old != new:
            self.changes[name] = {"from": old, "to": new}
