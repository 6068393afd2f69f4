"""Signed checkpoints anchor the audit chain outside the database (issue 12): a rewrite of the
whole chain by someone with database rights passes the chain check but not the checkpoints."""
import hashlib
import json

import pytest
from sqlalchemy import select, text

from fund.audit import checkpoint, record, verify
from fund.audit.chain import canonical_json, hashed_fields
from fund.audit.cli import audit_cli
from fund.extensions import db
from fund.models import AuditEvent
from fund.workflow.tick import tick


@pytest.fixture
def signing(app, tmp_path):
    key = tmp_path / "sleutel" / "audit-ed25519.pem"
    key.parent.mkdir()
    checkpoint.generate_key(key)
    app.config["FUND_AUDIT_SIGNING_KEY_FILE"] = str(key)
    app.config["FUND_AUDIT_CHECKPOINT_DIR"] = str(tmp_path / "controlepunten")
    return tmp_path / "controlepunten"


def _events(n, start=0):
    for i in range(start, start + n):
        record("test_event", reason=f"stap {i}", data={"i": i, "bedrag": "12.50"})
    db.session.commit()


def _rewrite_whole_chain(seq: int, data: dict):
    """What a database owner can do: change one event and recompute every hash after it."""
    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_update"))
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
    db.session.expire_all()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    prev = "0" * 64
    rows = []
    for ev in events:
        fields = hashed_fields(ev)
        if ev.seq == seq:
            fields["data"] = data
        fields["prev_hash"] = prev
        new_hash = hashlib.sha256(canonical_json(fields).encode()).hexdigest()
        rows.append((ev.id, fields["data"], prev, new_hash))
        prev = new_hash
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET prev_hash = 'tmp-' || id, hash = 'tmph-' || id"))
        for ev_id, data_, prev_hash, hash_ in rows:
            conn.execute(text("UPDATE audit_events SET data = :d, prev_hash = :p, hash = :h WHERE id = :i"),
                         {"d": json.dumps(data_), "p": prev_hash, "h": hash_, "i": ev_id})
    db.session.expire_all()


def test_a_rewritten_chain_passes_the_chain_check_but_not_the_checkpoint(app, signing):
    _events(3)
    runner = app.test_cli_runner()
    first = runner.invoke(audit_cli, ["checkpoint"])
    assert first.exit_code == 0, first.output
    _events(2, start=3)
    assert runner.invoke(audit_cli, ["checkpoint"]).exit_code == 0
    ok = runner.invoke(audit_cli, ["verify"])
    assert ok.exit_code == 0 and "controlepunten kloppen" in ok.output, ok.output

    _rewrite_whole_chain(2, {"i": 2, "bedrag": "99999.00"})
    assert verify()[1] is None  # the hash chain alone no longer sees it
    result = runner.invoke(audit_cli, ["verify"])
    assert result.exit_code == 1
    name = sorted(p.name for p in signing.iterdir())[0]
    assert f"controlepunt {name} (gebeurtenis 3)" in result.output
    assert "herschreven" in result.output


def test_the_checkpoint_file_is_signed_and_a_forged_one_is_refused(app, signing):
    _events(2)
    path = checkpoint.make()
    body = json.loads(path.read_text())
    assert (body["seq"], len(body["signature"])) == (2, 128)
    assert body["hash"] == db.session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == 2))
    forged = signing / "2099-01-01T000000Z-seq2.json"
    forged.write_text(json.dumps({**body, "hash": "f" * 64}))
    checked, mismatch = checkpoint.verify_checkpoints()
    assert mismatch is not None and mismatch.file == forged.name and "handtekening" in mismatch.problem


def test_a_removed_tail_is_found(app, signing):
    _events(4)
    checkpoint.make()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER audit_events_no_delete"))
        conn.execute(text("DELETE FROM audit_events WHERE seq = 4"))
    assert verify()[1] is None  # a shorter chain still closes
    checked, mismatch = checkpoint.verify_checkpoints()
    assert mismatch is not None and mismatch.seq == 4 and "ontbreekt" in mismatch.problem


def test_the_tick_makes_one_checkpoint_a_day(app, signing):
    _events(1)
    first = tick()["checkpoint"]
    assert first and first.endswith("-seq1.json")
    _events(1, start=1)
    assert tick()["checkpoint"] is None  # the same day: no second one
    assert len(list(signing.glob("*.json"))) == 1


def test_without_a_key_there_is_a_dutch_message(app):
    _events(1)
    result = app.test_cli_runner().invoke(audit_cli, ["checkpoint"])
    assert result.exit_code != 0 and "FUND_AUDIT_SIGNING_KEY_FILE is niet gezet" in result.output
    assert tick()["checkpoint"] is None


def test_keygen_into_a_missing_folder_is_a_dutch_message(app, tmp_path):
    runner = app.test_cli_runner()
    missing = tmp_path / "bestaat-niet" / "audit-ed25519.pem"
    result = runner.invoke(audit_cli, ["keygen", str(missing)])
    assert result.exit_code == 1 and "kan niet worden geschreven" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    made = runner.invoke(audit_cli, ["keygen", str(tmp_path / "audit-ed25519.pem")])
    assert made.exit_code == 0 and oct((tmp_path / "audit-ed25519.pem").stat().st_mode & 0o777) == "0o600"
