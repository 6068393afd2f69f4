"""Background jobs on RQ (Redis) when ``FUND_REDIS_URL`` is set; in-process otherwise.

Jobs are named by their dotted path (``"fund.letters.render:render_decision_letter"``) and take
plain arguments (ids), so the same call works on a worker in another process. In-process jobs
run after the caller's commit, inside the current app context.
"""
from __future__ import annotations

import importlib
from typing import Any

from flask import current_app


def _resolve(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def enqueue(path: str, *args: Any, **kwargs: Any):
    """Run ``path(*args, **kwargs)`` on the queue, or now when no queue is configured."""
    redis_url = current_app.config.get("FUND_REDIS_URL")
    if not redis_url:
        return _resolve(path)(*args, **kwargs)
    from redis import Redis
    from rq import Queue

    queue = Queue("fund", connection=Redis.from_url(redis_url))
    return queue.enqueue("fund.jobs.run_in_app", path, *args, **kwargs)


def run_in_app(path: str, *args: Any, **kwargs: Any):
    """Entry point on the RQ worker: build the app once per job and run the job inside it."""
    from fund.app import create_app

    app = create_app()
    with app.app_context():
        return _resolve(path)(*args, **kwargs)
