"""What the workflow tells people, written as outbox rows in the event's own transaction.

Every beschikking gets its letter and an "er staat een besluit voor u klaar" mail
(``decision``, called by ``decisions.make_decision``); the other events that reach the applicant
name one of the functions below as their ``notice`` (fund.workflow.events). The "betaald" mail
goes when the bank confirms (``fund.workflow.bank``). Delivery happens after the commit (``fund.delivery.outbox.dispatch``).
"""
from __future__ import annotations

from fund.delivery import notifications, outbox
from fund.workflow import clock


def decision(decision) -> None:
    outbox.add_letter(decision)
    notifications.decision_ready(decision)


def submitted(step) -> None:
    notifications.submitted(step.app, by=step.actor)


def herstel_requested(step) -> None:
    notifications.herstel_requested(step.app, step.reason or "")


def bezwaar_received(step) -> None:
    notifications.bezwaar_received(step.app, clock.today(), by=step.actor)
