"""A start-up check that turns an unreachable database into one clear message."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from fund.config import ConfigError
from fund.extensions import db


def masked_url(url: str) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as its scheme only
        return url.split(":", 1)[0] + "://…"


def check_database_reachable() -> None:
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except (OperationalError, DBAPIError) as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise ConfigError(
            f"De database is niet bereikbaar ({masked_url(str(db.engine.url))}): {reason}. "
            "Check DATABASE_URL and that the server is running."
        ) from exc


def check_database_current() -> None:
    """The database has every migration: an unmigrated database is one line at start, not 500s."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from fund.app import REPO_ROOT

    heads = set(ScriptDirectory(str(REPO_ROOT / "migrations")).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    if current != heads:
        have = ", ".join(sorted(current)) or "leeg"
        raise ConfigError(
            f"De database is niet bijgewerkt (versie: {have}; nodig: {', '.join(sorted(heads))}). "
            "Voer eerst `fund db upgrade` uit."
        )
