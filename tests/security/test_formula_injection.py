"""Applicant text in CSV/Excel exports is never run as a formula (OWASP CSV injection)."""
from __future__ import annotations

import csv
import io

import pytest

from fund.audit.chain import record
from fund.exports.audit_trail import TrailFilter
from fund.exports.formats import trail_export
from fund.exports.writers import csv_stream, xlsx_stream
from fund.extensions import db
from tests.letters import factories as f

HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("reason", HOSTILE)
def test_audit_trail_csv_escapes_formula_cells(app, reason):
    application = f.application()
    record("withdraw", actor=application.applicant, application=application, from_state="ingediend",
           to_state="ingetrokken", reason=reason)
    db.session.commit()
    text = b"".join(trail_export(TrailFilter(application_number=application.number), "csv")).decode()
    row = list(csv.DictReader(io.StringIO(text)))[-1]
    assert row["Reden"] == "'" + reason


def test_csv_and_xlsx_escape_every_formula_start_and_keep_numbers():
    from openpyxl import load_workbook

    columns = [("v", "Waarde")]
    rows = [{"v": v} for v in [*HOSTILE, "-12.50", "gewone tekst"]]
    text = b"".join(csv_stream(columns, rows, lambda k, v: v)).decode()
    got = [r["Waarde"] for r in csv.DictReader(io.StringIO(text, newline=""))]
    assert got == ["'" + v for v in HOSTILE] + ["-12.50", "gewone tekst"]

    wb = load_workbook(io.BytesIO(b"".join(xlsx_stream(columns, rows, "Blad", lambda k, v: v))))
    cells = [c.value for c in wb.active["A"][1:]]
    assert cells == ["'" + v for v in HOSTILE] + ["-12.50", "gewone tekst"]
    assert all(c.data_type == "s" for c in wb.active["A"][1:])
