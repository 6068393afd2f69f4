"""On PostgreSQL the decision export is formatted by the database (fund.exports.decision_sql); it must
write exactly the bytes of the generic Python path, also for hostile and unusual values."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from fund.exports import decision_sql
from fund.exports.decisions import DecisionFilter
from fund.exports.formats import decision_export
from fund.exports.period import Period
from fund.extensions import db
from fund.models import Decision
from tests.exports.test_decision_export import assert_no_personal_data
from tests.letters import factories as f

pytestmark = pytest.mark.postgres

HOSTILE_TEXTS = [
    '=HYPERLINK("http://x","klik")', "+31 6 1234", "-12.50", "-12,50", "@SUM(A1)", "\tTab voorop",
    "\rCR voorop", 'Komma, en "aanhalingstekens"', "Twee\nregels", "CR\r\nLF", "café ☕ 𝄞 ﬁ",
    "backslash \\ en \\n", "besturingsteken \x01 en \x1f", "scheiding \u2028 regel", "-٣", "",
    "x" * 1200, "\\.",
]


@pytest.fixture
def hostile(pg_app):
    kinds = f.all_kinds()
    decisions = sorted(db.session.scalars(db.select(Decision)), key=lambda d: d.id)
    for i, text in enumerate(HOSTILE_TEXTS):
        d = decisions[i % len(decisions)]
        if i < len(decisions):
            d.motivation = text
            d.reasons = [text, "leeftijd"] if i % 2 else [text]
            d.referrals = [] if i % 3 else ["uwv", text]
    decisions[0].officer.name = '=cmd|" /C calc"!A0'
    decisions[1].application.municipality = None
    decisions[2].ruleset_id = None
    decisions[3].motivation = None if decisions[3].motivation is None else decisions[3].motivation
    decisions[4].bezwaar_deadline = dt.date(2026, 6, 30)
    decisions[5].reasons = None
    db.session.commit()
    return kinds


def _both(flt: DecisionFilter, fmt: str, monkeypatch) -> tuple[bytes, bytes]:
    assert decision_sql.supported()
    fast = b"".join(decision_export(flt, fmt))
    with monkeypatch.context() as m:
        m.setattr(decision_sql, "supported", lambda: False)
        generic = b"".join(decision_export(flt, fmt))
    return fast, generic


@pytest.mark.parametrize("fmt", ["csv", "json", "zgw"])
def test_the_database_writes_the_bytes_python_writes(hostile, fmt, monkeypatch):
    for flt in (DecisionFilter(), DecisionFilter(Period.parse("2026-03-01", "2026-03-31")),
                DecisionFilter(instrument="llo"), DecisionFilter(Period.parse("2030-01-01", None))):
        fast, generic = _both(flt, fmt, monkeypatch)
        assert fast == generic, (flt, fmt)
    fast, _ = _both(DecisionFilter(), fmt, monkeypatch)
    text = fast.decode("utf-8")
    if fmt != "zgw":  # (a Besluit carries the fund's RSIN, which passes the 11-proef like a BSN)
        assert_no_personal_data(text)
    else:
        assert f.TEST_BSN not in text and "Fatima El Amrani" not in text
    if fmt != "csv":
        assert len(json.loads(text)) == db.session.query(Decision).count()
    if fmt == "csv":
        assert "'=HYPERLINK" in text and "'@SUM" in text and ",-12.50," in text  # a plain number stays one
        assert '"Komma, en ""aanhalingstekens"""' in text


def test_the_json_export_is_what_json_dumps_writes(hostile):
    objects = json.loads(b"".join(decision_export(DecisionFilter(), "json")))
    texts = {o["motivation"] for o in objects}
    assert "café ☕ 𝄞 ﬁ" in texts and "Twee\nregels" in texts and "besturingsteken \x01 en \x1f" in texts
