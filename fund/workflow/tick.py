"""The periodic job (``fund workflow tick``): expired hersteltermijnen -> buiten behandeling."""
from __future__ import annotations

from fund.workflow.errors import WorkflowError
from fund.workflow.queries import herstel_expired
from fund.workflow.service import send


def tick() -> dict:
    """Each case in its own transaction; one failure does not stop the others."""
    done, failed = [], []
    for app_id in herstel_expired():
        try:
            app = send(app_id, "expire_herstel", None)
            done.append(app.number)
        except WorkflowError as exc:
            failed.append((app_id, exc.message))
    return {"buiten_behandeling": done, "failed": failed}
