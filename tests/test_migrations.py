"""The migrations build the schema from empty, go down and up again, and match the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from fund.extensions import db
from tests.conftest import make_app

EXPECTED_TABLES = {
    "applications", "audit_events", "budgets", "decisions", "documents", "organisations",
    "outbox", "outcomes", "payments", "payment_batches", "notes", "users", "recovery_codes", "login_identities",
    "sessions", "rate_limits", "login_throttle",
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    import uuid

    from sqlalchemy import create_engine, text

    admin_url = request.getfixturevalue("pg_admin_url")
    name = f"fund_m_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    request.addfinalizer(lambda: _drop(engine, name))
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _drop(engine, name):
    from sqlalchemy import text

    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def _tables():
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_url, tmp_path):
    app = make_app(empty_url, tmp_path)
    with app.app_context():
        assert _tables() == set()
        upgrade()
        assert _tables() == EXPECTED_TABLES
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == EXPECTED_TABLES
        db.engine.dispose()


def test_models_and_migrations_agree(empty_url, tmp_path):
    app = make_app(empty_url, tmp_path)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, db.metadata)
        db.engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"
