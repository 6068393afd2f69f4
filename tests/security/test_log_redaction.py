"""A database error on a write that carries a BSN, IBAN or password hash leaves none of them in
the error log, on SQLite and on PostgreSQL (issue 12, High)."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import text

from fund.extensions import db
from tests.web.helpers import PASSWORD, llo_answers, login

BSN = "123456782"
IBAN = "NL91ABNA0417164300"
REG = {"account_type": "inwoner", "name": "Henk", "email": "henk@voorbeeld.nl", "password": PASSWORD,
       "password_repeat": PASSWORD, "street": "Raadhuisstraat", "house_number": "4",
       "postcode": "7901bn", "city": "Hoogeveen", "bsn": BSN}


def _break_writes(table: str, column: str) -> None:
    """Make every insert or update of ``table`` fail inside the database, quoting the value."""
    if db.engine.dialect.name == "sqlite":
        for when in ("INSERT", "UPDATE"):
            db.session.execute(text(
                f"CREATE TRIGGER kapot_{table}_{when} BEFORE {when} ON {table} WHEN NEW.{column} IS NOT NULL "
                f"BEGIN SELECT RAISE(ABORT, 'kapot'); END"))  # SQLite's message is a literal
    else:
        db.session.execute(text(
            f"CREATE FUNCTION kapot_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.{column} IS NOT NULL THEN RAISE EXCEPTION 'kapot: %', NEW.{column}; END IF; "
            f"RETURN NEW; END $$"))
        db.session.execute(text(
            f"CREATE TRIGGER kapot_{table} BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION kapot_{table}()"))
    db.session.commit()


@pytest.fixture
def log(any_app):
    """The app's own error-log handler (with its filter and format), writing into a buffer."""
    any_app.config["PROPAGATE_EXCEPTIONS"] = False  # log and answer 500, as in production
    any_app.logger.disabled = False  # Alembic's fileConfig in the migrated template switched it off
    buffer = io.StringIO()
    handler = any_app.logger.handlers[0]
    handler.setStream(buffer)
    return buffer


def test_registration_db_error_logs_no_bsn_or_password_hash(any_app, log):
    _break_writes("users", "bsn")
    resp = any_app.test_client().post("/auth/registreren", data=REG)
    assert resp.status_code == 500
    logged = log.getvalue()
    assert "Traceback" in logged and "kapot" in logged  # the error is logged, with its traceback
    assert BSN not in logged
    assert "$argon2" not in logged
    if db.engine.dialect.name == "postgresql":
        assert "[BSN]" in logged  # the database's own message quoted it; the filter masked it


def test_iban_write_db_error_logs_no_iban(any_app, log, users):
    """The applicant's step view turns a failed write into a Dutch message (nothing logged); any
    other write that fails is logged the way Flask logs an unhandled error: without the IBAN."""
    from sqlalchemy import insert

    from fund.models import Application

    _break_writes("applications", "iban")
    with pytest.raises(Exception) as failed:
        db.session.execute(insert(Application).values(
            number="DOF-2026-999999", instrument="llo", status="concept", applicant_id=users["inwoner"].id,
            facts={}, iban=IBAN))
    db.session.rollback()
    any_app.logger.error("Exception on /mijn [POST]", exc_info=failed.value)
    logged = log.getvalue()
    assert "kapot" in logged and "Traceback" in logged
    assert IBAN not in logged
    if db.engine.dialect.name == "postgresql":
        assert "[IBAN]" in logged
