"""Beschikkingsbrieven: every Decision becomes a PDF/A-3b letter, stored once on the Decision.

``init_app`` listens to :data:`fund.signals.decision_made` and queues
``fund.letters.render:render_decision_letter`` (RQ when configured, in-process otherwise).
Set ``FUND_LETTERS = False`` to switch this off (the test-suite does, except for letter tests).
"""
from __future__ import annotations

from flask import Flask, current_app

from fund.signals import decision_made

JOB = "fund.letters.render:render_decision_letter"


def _on_decision_made(sender, decision_id: int | None = None, **_extra) -> None:
    """Queue the letter of a new beschikking, for whichever app is current.

    Connected once for the process (not per app), so several apps in one process (tests) do
    not render a letter twice; the current app's ``FUND_LETTERS`` decides.
    """
    if decision_id is None or "fund_letters" not in current_app.extensions:
        return
    if not current_app.config.get("FUND_LETTERS", True):
        return
    from fund.jobs import enqueue

    enqueue(JOB, decision_id)


def init_app(app: Flask) -> None:
    from fund.letters import immutable  # noqa: F401  (registers the ORM guard)
    from fund.letters.render import register_filters

    register_filters(app)
    app.extensions["fund_letters"] = True
    decision_made.connect(_on_decision_made)  # idempotent: blinker keeps one entry per receiver


def render_decision_letter(decision_id: int) -> str:
    """Job entry point (see :mod:`fund.letters.render`)."""
    from fund.letters.render import render_decision_letter as _render

    return _render(decision_id)
