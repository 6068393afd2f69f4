"""The audit trail is a hash chain; direct edits in the database are found by verify."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fund.audit import record, verify
from fund.extensions import db
from fund.models import AuditEvent


def _write_events(n=5):
    for i in range(n):
        record("test_event", reason=f"stap {i}", data={"i": i, "bedrag": "12.50"})
    db.session.commit()


def _raw(sql, **params):
    """Run SQL as an attacker with database rights would: triggers switched off first."""
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            conn.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"))
            conn.execute(text(sql), params)
            conn.execute(text("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_events_no_update"))
            conn.execute(text("DROP TRIGGER audit_events_no_delete"))
            conn.execute(text(sql), params)


def test_intact_chain_verifies(any_app):
    _write_events()
    count, broken = verify()
    assert (count, broken) == (5, None)


def test_chain_links_each_event_to_its_predecessor(any_app):
    _write_events(3)
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == "0" * 64
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash


def test_database_refuses_update_and_delete(any_app):
    _write_events(1)
    with pytest.raises(DBAPIError):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_events SET reason = 'x'"))
    with pytest.raises(DBAPIError):
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_events"))


def test_orm_refuses_update(any_app):
    _write_events(1)
    ev = db.session.scalars(db.select(AuditEvent)).one()
    ev.reason = "anders"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_altered_event_is_named(any_app):
    _write_events()
    _raw("UPDATE audit_events SET data = :d WHERE seq = 3", d='{"i": 3, "bedrag": "99999.00"}')
    db.session.expire_all()
    count, broken = verify()
    assert broken is not None
    assert (broken.seq, broken.problem) == (3, "gewijzigd")


def test_removed_event_is_named(any_app):
    _write_events()
    _raw("DELETE FROM audit_events WHERE seq = 2")
    count, broken = verify()
    assert broken is not None
    assert (broken.seq, broken.problem) == (2, "verwijderd")


def test_verify_command_exit_code(any_app):
    _write_events()
    runner = any_app.test_cli_runner()
    from fund.audit.cli import audit_cli

    ok = runner.invoke(audit_cli, ["verify"])
    assert ok.exit_code == 0 and "in orde" in ok.output
    _raw("UPDATE audit_events SET reason = 'weggepoetst' WHERE seq = 4")
    db.session.expire_all()
    bad = runner.invoke(audit_cli, ["verify"])
    assert bad.exit_code == 1
    assert "gebeurtenis 4" in bad.output
