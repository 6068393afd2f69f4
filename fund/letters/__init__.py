"""Beschikkingsbrieven: every Decision becomes a PDF/A-3b letter, stored once on the Decision.

The workflow writes a letter row in the outbox in the same transaction as the decision
(``fund.workflow.notify``); ``fund.delivery.outbox`` delivers it by calling
``fund.letters.render.render_decision_letter`` (RQ when configured, in-process otherwise, and the
sweep after a crash). ``FUND_LETTERS = False`` (the test-suite's default, for speed) leaves letter
rows for ``fund outbox deliver`` instead of rendering them right after the commit.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from fund.letters import immutable  # noqa: F401  (registers the ORM guard)
    from fund.letters.render import register_filters

    register_filters(app)
    app.extensions["fund_letters"] = True


def render_decision_letter(decision_id: int) -> str:
    """Job entry point (see :mod:`fund.letters.render`)."""
    from fund.letters.render import render_decision_letter as _render

    return _render(decision_id)
