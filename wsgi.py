"""Entry point for gunicorn: ``gunicorn wsgi:app``.

Checks the rules, the settings and the database (reachable and migrated) at start-up. A broken
set-up is one Dutch line on standard error and exit status 3, which tells gunicorn's master that
the worker cannot boot, so it stops instead of restarting workers (see ``fund.setup_check``).
"""
from fund.app import create_app
from fund.setup_check import exit_on_broken_setup

with exit_on_broken_setup(code=3):
    app = create_app(check_database=True)
