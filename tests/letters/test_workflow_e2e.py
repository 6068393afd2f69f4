"""End to end: drive an application through fund.workflow; every beschikking gets its letter
(through the outbox) and shows up in the auditor exports."""
from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pikepdf
import pypdf
import pytest

pytest.importorskip("fund.workflow")

from fund.exports.audit_trail import TrailFilter, recompute_hash  # noqa: E402
from fund.exports.decisions import DecisionFilter  # noqa: E402
from fund.exports.formats import decision_export, trail_export  # noqa: E402
from fund.letters.dutch import datum  # noqa: E402
from fund.workflow import send  # noqa: E402


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))


def test_llo_grant_settle_reclaim_letters_and_exports(letters_app):
    from tests.facts import llo_facts
    from tests.exports.test_decision_export import assert_no_personal_data
    from tests.workflow.conftest import make_people
    from tests.workflow.helpers import paid_voorschot

    people = make_people()
    people.inwoner.bsn = "111222333"
    app = paid_voorschot(people, "llo", llo_facts(cost="1800.00"))
    app = send(app, "report_outcome", people.inwoner, result="uitgevallen", incurred_costs="700.00")
    app = send(app, "settle", people.officer)
    assert [d.kind for d in app.decisions] == ["verlening", "vaststelling", "terugvordering"]

    texts = {}
    for d in app.decisions:
        assert d.letter_pdf, f"no letter for {d.kind}"  # rendered via the outbox, after the commit
        with pikepdf.open(io.BytesIO(d.letter_pdf)) as doc:
            meta = doc.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")
        text = _text(d.letter_pdf)
        assert f"{d.number} / {app.number}" in text
        assert f"uiterlijk op {datum(d.bezwaar_deadline)}" in text
        assert "111222333" not in text
        texts[d.kind] = text
    assert "€ 1.800,00" in texts["verlening"] and "€ 1.440,00" in texts["verlening"]
    assert "Wij stellen de subsidie vast op € 700,00" in texts["vaststelling"]
    assert "U moet € 740,00 terugbetalen" in texts["terugvordering"]

    rows = json.loads(b"".join(decision_export(DecisionFilter(), "json")))
    mine = [r for r in rows if r["application_number"] == app.number]
    assert [r["kind"] for r in mine] == ["verlening", "vaststelling", "terugvordering"]
    assert mine[0]["granted_amount"] == "1800.00" and mine[-1]["final_amount"] == "700.00"
    assert Decimal(mine[-1]["paid_amount"]) == Decimal("1440.00")
    blob = json.dumps(rows)
    assert_no_personal_data(blob)

    trail = json.loads(b"".join(trail_export(TrailFilter(application_number=app.number), "json")))
    assert len(trail) >= 6 and all(recompute_hash(e) == e["hash"] for e in trail)
    assert_no_personal_data(json.dumps(trail))
