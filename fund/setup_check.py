"""A broken set-up is one clear Dutch line and a non-zero exit, at every entry point.

The ``fund`` command, ``gunicorn wsgi:app`` and ``fund worker`` all start through
:func:`broken_setup_line`: a missing or broken rules folder, a bad setting, an unsupported or
unreachable database, an unmigrated database or an unreachable Redis is said in one line, never
as a traceback. Anything else is a real bug and keeps its traceback.
"""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager


def broken_setup_line(exc: BaseException) -> str | None:
    """The one line for a known set-up problem, or None for anything else."""
    from sqlalchemy.exc import OperationalError

    from fund.config import ConfigError
    from fund.rules.errors import RuleFileError

    if isinstance(exc, ConfigError):
        return f"Fout in de instellingen: {exc}"
    if isinstance(exc, RuleFileError):
        first, more = exc.problems[0], len(exc.problems) - 1
        tail = f" (en nog {more} probleem/problemen)" if more else ""
        return f"De regels kunnen niet worden geladen: {first}{tail}. Controleer ze met `fund rules check`."
    if isinstance(exc, OperationalError):
        from fund.db_health import masked_url

        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        url = masked_url(os.environ.get("DATABASE_URL", "sqlite (instance/fund.sqlite3)"))
        return f"De database is niet bereikbaar ({url}): {reason}"
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
    except ImportError:  # pragma: no cover - redis is a dependency
        RedisConnectionError = ()
    if RedisConnectionError and isinstance(exc, RedisConnectionError):
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].rstrip(".")
        return (f"Redis is niet bereikbaar: {reason}. Controleer FUND_REDIS_URL en of Redis draait "
                "(zonder FUND_REDIS_URL draaien de taken in het proces zelf).")
    return None


@contextmanager
def exit_on_broken_setup(code: int = 1):
    """Turn a known set-up problem into its line on standard error and ``sys.exit(code)``."""
    try:
        yield
    except Exception as exc:
        line = broken_setup_line(exc)
        if line is None:
            raise
        print(line, file=sys.stderr, flush=True)
        sys.exit(code)
