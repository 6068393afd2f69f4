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


_worker_app = None  # the app of this worker process, built by its first job (or `fund worker`)


def run_in_app(path: str, *args: Any, **kwargs: Any):
    """Entry point on the RQ worker: run the job inside the worker's app, built once per process.

    Building the app per job (config, extensions, blueprints, rulebook) cost more than most jobs
    (the surge benchmark, docs/performance.md); the app holds no per-job state, each job gets its
    own app context and database session, removed when the job ends.
    """
    global _worker_app
    if _worker_app is None:
        from fund.app import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        return _resolve(path)(*args, **kwargs)


def use_app(app) -> None:
    """Let this process's jobs run in ``app`` (``fund worker`` passes the app it was started with)."""
    global _worker_app
    _worker_app = app
