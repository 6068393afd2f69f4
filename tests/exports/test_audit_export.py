"""Audit trail export: auditors can re-verify every hash; no BSN or IBAN ever appears."""
from __future__ import annotations

import csv
import io
import json

import pytest

from fund.audit.chain import record
from fund.exports.audit_trail import TrailFilter, recompute_hash
from fund.exports.formats import trail_export
from fund.exports.period import ExportError, Period
from fund.extensions import db
from fund.models.audit import GENESIS_HASH
from tests.exports.test_decision_export import assert_no_personal_data
from tests.letters import factories as f


@pytest.fixture
def trail(any_app):
    officer = f.user("officer", "Anouk Bakker")
    one = f.application()
    other = f.application()
    record("submit", actor=one.applicant, application=one, from_state="concept", to_state="ingediend")
    record("submit", actor=other.applicant, application=other, from_state="concept", to_state="ingediend")
    record("grant", actor=officer, application=one, from_state="in_behandeling", to_state="verleend",
           reason="Past in de regeling", data={"amount": "1800.00", "ruleset": "llo-2026"})
    record("login", actor=officer)
    db.session.commit()
    return one, other


def _json(flt) -> list[dict]:
    return json.loads(b"".join(trail_export(flt, "json")))


def test_period_export_is_a_closed_chain(trail):
    rows = _json(TrailFilter(period=Period.parse("2000-01-01", "2100-01-01")))
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    prev = GENESIS_HASH
    for row in rows:
        assert row["prev_hash"] == prev
        assert recompute_hash(row) == row["hash"]
        prev = row["hash"]


def test_application_export_has_only_its_events_and_each_hash_verifies(trail):
    one, _ = trail
    rows = _json(TrailFilter(application_number=one.number))
    assert [r["event"] for r in rows] == ["submit", "grant"]
    assert all(r["application_number"] == one.number for r in rows)
    assert all(recompute_hash(r) == r["hash"] for r in rows)


def test_csv_export_round_trips_the_hash(trail):
    one, _ = trail
    text = b"".join(trail_export(TrailFilter(application_number=one.number), "csv")).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    grant = rows[-1]
    assert grant["Gebeurtenis"] == "grant" and len(grant["Hash"]) == 64
    assert json.loads(grant["Gegevens (JSON)"]) == {"amount": "1800.00", "ruleset": "llo-2026"}


def test_unknown_application_and_missing_filter_are_refused(trail):
    with pytest.raises(ExportError):
        list(trail_export(TrailFilter(application_number="DOF-1999-000001"), "json"))
    with pytest.raises(ExportError):
        TrailFilter()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_trail_export_contains_no_bsn_or_iban(trail, fmt):
    blob = b"".join(trail_export(TrailFilter(period=Period.parse("2000-01-01", None)), fmt)).decode()
    assert_no_personal_data(blob)


def test_cli_audit_export(trail, tmp_path):
    from flask import current_app

    from fund.exports.cli import export_cli

    one, _ = trail
    runner = current_app.test_cli_runner()
    out = tmp_path / "spoor.json"
    result = runner.invoke(export_cli, ["audit", "--application", one.number, "--format", "json",
                                        "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())) == 2
    result = runner.invoke(export_cli, ["audit", "--application", "DOF-0000-000000", "--output", str(tmp_path / "x")])
    assert result.exit_code == 2 and "bestaat niet" in result.output
    assert not (tmp_path / "x").exists()
