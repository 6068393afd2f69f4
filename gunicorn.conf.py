"""gunicorn reads this file from the folder it is started in (``gunicorn wsgi:app``).

``on_starting`` runs the start-up checks of ``wsgi.py`` once in the master, before any worker
forks: a broken set-up is then one Dutch line and exit status 1, instead of that line from every
worker between gunicorn's own messages (``fund.setup_check``).
"""


def on_starting(server):
    from fund.app import create_app
    from fund.setup_check import exit_on_broken_setup

    with exit_on_broken_setup(code=1):
        create_app(check_database=True)


# Worker model (docs/performance.md, "Worker class and timeouts"). A report or an export that
# takes seconds must not hold up every other page: with the default `sync` class each worker
# serves one request at a time, so two slow reports on two workers answer nobody else. `gthread`
# gives each worker a pool of threads; the app is I/O bound (PostgreSQL, files), so threads share
# a process well, and a slow request occupies one thread, not the worker. Heavy work (quarterly
# PDF, simulations, letters) runs as background jobs (fund.jobs) and never in a request.
# Override on the command line (`--workers`, `--threads`) or with GUNICORN_CMD_ARGS.
import multiprocessing
import os

worker_class = "gthread"
workers = int(os.environ.get("FUND_WEB_WORKERS", min(4, 2 * multiprocessing.cpu_count())))
threads = int(os.environ.get("FUND_WEB_THREADS", 8))
# A request that runs longer than this is a bug (reports are SQL aggregates, heavy work is a job):
# the worker is restarted instead of hanging; with gthread the heartbeat is separate from requests,
# so a slow request does not get a healthy worker killed before this limit.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Bounded memory over weeks of uptime: recycle a worker now and then, staggered.
max_requests = 5000
max_requests_jitter = 500
