"""Run a workflow action on behalf of the logged-in user and show the outcome as a flash."""
from __future__ import annotations

from flask import flash
from flask_login import current_user

from fund import workflow
from fund.extensions import db


def attempt(action, *args, **kwargs):
    """``action(*args, **kwargs)``'s result, or None when the workflow refused: then its Dutch
    message is a flash and the session is rolled back (for bank files, notes, events)."""
    try:
        return action(*args, **kwargs)
    except workflow.WorkflowError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return None


def send_event(application, event: str, done_message: str | None = None, **data) -> bool:
    """True when the event went through; a WorkflowError's Dutch message becomes a flash."""
    if attempt(workflow.send, application, event, current_user, **data) is None:
        return False
    if done_message:
        flash(done_message, "info")
    return True
