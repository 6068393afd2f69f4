"""Test set-up: every database test runs on a freshly migrated SQLite file and, with the
``postgres`` marker or the ``any_db`` fixture, on a real PostgreSQL server.

PostgreSQL comes from ``TEST_DATABASE_URL`` (an admin URL; databases are created under it) or
from a throwaway cluster this file starts with Debian's binaries. Outside CI a missing server
skips those tests; in CI (``CI=true``) it is a failure.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# No result may depend on the day the tests run: the project clock (fund.workflow.clock) is pinned
# for this process and every command it starts. The default is an ordinary Wednesday;
# FUND_TEST_TODAY moves it (.ci/run repeats the date-sensitive tests on a Saturday, a feestdag
# and the Friday after Hemelvaart).
PINNED_TODAY = os.environ.get("FUND_TEST_TODAY", "2026-11-25")
os.environ["FUND_TODAY"] = PINNED_TODAY

# The rulebook cache between processes (fund.rules.cache) of this run lives in a folder of its own,
# not in the user's ~/.cache; every command the tests start uses it too.
_RULES_CACHE = tempfile.mkdtemp(prefix="fund-rules-cache-")
os.environ["FUND_RULES_CACHE_DIR"] = _RULES_CACHE
atexit.register(shutil.rmtree, _RULES_CACHE, True)


def _migrate(url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from fund.app import create_app

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "TESTING": True})
    with app.app_context():
        upgrade()
        from fund.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """One SQLite file migrated to head; each test gets a copy."""
    base = tmp_path_factory.mktemp("sqlite-template")
    path = base / "template.sqlite3"
    _migrate(f"sqlite:///{path}", base)
    return path


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    cluster = None
    if not url:
        from tests.pg_cluster import ClusterUnavailable, start

        try:
            cluster = start()
        except ClusterUnavailable as exc:
            if IN_CI:
                pytest.fail(f"PostgreSQL is required in CI: {exc}")
            pytest.skip(f"no PostgreSQL server available: {exc}")
        url = cluster.admin_url
    yield url
    if cluster is not None:
        cluster.stop()


def _pg_url_for(admin_url: str, dbname: str) -> str:
    return admin_url.rsplit("/", 1)[0] + "/" + dbname


@pytest.fixture(scope="session")
def pg_template(pg_admin_url, tmp_path_factory) -> str:
    """A database migrated to head, used as TEMPLATE for each test's database."""
    name = f"fund_tpl_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin_url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    _migrate(_pg_url_for(pg_admin_url, name), tmp_path_factory.mktemp("pg-template"))
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_pg_database(admin_url: str, template: str) -> tuple[str, callable]:
    name = f"fund_t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return _pg_url_for(admin_url, name), drop


def make_app(url: str, instance: Path, **extra):
    from fund.app import create_app

    cfg = {
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(instance),
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
        "FUND_DOCUMENT_DIR": str(instance / "documents"),
        "FUND_LETTERS": False,
        "FUND_DASHBOARD_MAX_AGE_SECONDS": 0,  # tests read the figures as they are now
    }
    cfg.update(extra)
    return create_app(cfg)


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "fund.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def pg_url(pg_admin_url, pg_template):
    url, drop = _fresh_pg_database(pg_admin_url, pg_template)
    yield url
    from fund.extensions import db  # noqa: F401  (engines are disposed with the app)

    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_url(request, tmp_path):
    """Run the test once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


def _app_fixture(url, tmp_path):
    from fund.extensions import db

    app = make_app(url, tmp_path)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(sqlite_url, tmp_path):
    """The app on a fresh, migrated SQLite database, inside an app context."""
    yield from _app_fixture(sqlite_url, tmp_path)


@pytest.fixture
def pg_app(pg_url, tmp_path):
    """The app on a fresh, migrated PostgreSQL database, inside an app context."""
    yield from _app_fixture(pg_url, tmp_path)


@pytest.fixture
def any_app(any_db_url, tmp_path):
    """The app on SQLite and on PostgreSQL (the test runs twice)."""
    yield from _app_fixture(any_db_url, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()
