"""Dashboard figures, targets from YAML, the quarterly report (PDF and Excel) and its CLI."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pikepdf
import pypdf
import pytest
import yaml

from fund.extensions import db
from fund.models import Budget
from fund.reports import dashboard
from fund.reports.quarter import Quarter, QuarterError, build, to_pdf, to_xlsx
from fund.reports.targets import TARGETS_FILE, load_targets, progress
from tests.letters import factories as f


@pytest.fixture
def data(any_app):
    kinds = f.all_kinds()
    org = f.organisation()
    contact = f.user("werkgever", "Gerrit Lubbers", organisation_id=org.id)
    voucher_doc = {"instrument": "voucher", "application": {"date": "2026-03-02"},
                   "employer": {"kvk_number": org.kvk_number, "municipality": "GM0118", "employees": 8,
                                "annual_turnover": "1900000.00", "de_minimis_received_3y": "0"},
                   "activity": {"kind": "scholing", "provider_kind": "mbo", "legally_required": False,
                                "participants": 3, "start_date": "2026-04-01", "end_date": "2026-09-30",
                                "cost": "4000.00"},
                   "funding": {"coverage": "none"}, "history": {"vouchers_granted_this_year": "0"}}
    v = f.application(contact, voucher_doc, organisation_=org, granted_amount=Decimal("3000.00"), status="verleend")
    f.decision(v, "verlening", amount="3000.00", decided_on=dt.date(2026, 7, 2), sent_on=dt.date(2026, 7, 2))
    db.session.add(Budget(instrument="llo", tijdvak=2026, ceiling=Decimal("600000.00"),
                          committed=Decimal("5400.00"), paid=Decimal("2880.00")))
    db.session.commit()
    return kinds


def test_targets_come_from_yaml():
    doc = yaml.safe_load(TARGETS_FILE.read_text())
    start, end, targets = load_targets()
    assert (start, end) == (dt.date(2025, 1, 1), dt.date(2030, 12, 31))
    assert {t.code: t.target for t in targets} == {
        "llo_trajecten": 1200, "skills_trajecten": 1200, "inwoners": 1300, "werkgevers": 80}
    assert doc["targets"]["werkgevers"]["target"] == 80


def test_progress_counts_grants(data):
    _, _, items = progress()
    reached = {p.target.code: p.reached for p in items}
    from fund.models import Application

    llo_granted = db.session.query(Application).filter(
        Application.instrument == "llo", Application.granted_amount.is_not(None)).count()
    assert reached["llo_trajecten"] == llo_granted > 0
    assert reached["werkgevers"] == 1
    assert reached["skills_trajecten"] == 1  # the voucher for scholing; the LLO trajects are certificaten
    assert 0 < reached["inwoners"] <= llo_granted


def test_dashboard_budget_funnel_outcomes(data):
    board = dashboard.build()
    llo = next(b for b in board.budget if (b.instrument, b.tijdvak) == ("llo", 2026))
    assert (llo.ceiling, llo.committed, llo.paid, llo.remaining) == (
        Decimal("600000.00"), Decimal("5400.00"), Decimal("2880.00"), Decimal("594600.00"))
    voucher = next(b for b in board.budget if (b.instrument, b.tijdvak) == ("voucher", 2026))
    assert voucher.ceiling == Decimal("200000.00") and voucher.committed == Decimal("3000.00")
    assert dict((s, n) for s, _, n in board.funnel)["in_behandeling"] >= 1
    assert dict((r, n) for r, _, n in board.outcomes)["uitgevallen"] == 1
    assert board.employed == (1, 1)
    assert set(board.charts) == {"budget", "funnel", "targets", "outcomes"}


def test_quarter_parsing():
    q = Quarter.parse("2026Q3")
    assert (q.start, q.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert Quarter.parse("2026q4").end == dt.date(2026, 12, 31)
    with pytest.raises(QuarterError):
        Quarter.parse("2026Q5")


def test_quarter_report_pdf_and_xlsx(data):
    report = build(Quarter.parse("2026Q3"))
    kinds = {k: n for k, _, n, _ in report.decisions}
    assert kinds["verlening"] == 1  # the voucher, decided 2 July 2026
    pdf = to_pdf(report)
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    assert "Kwartaalrapportage voor het Regionaal Beraad – 3e kwartaal 2026" in text
    assert "1 juli 2026 tot en met 30 september 2026" in text
    assert "LLO-ontwikkeltrajecten" in text and "1200" in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        meta = doc.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("3", "B")

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(to_xlsx(report)))
    assert wb.sheetnames == ["Samenvatting", "Besluiten", "Budget", "Budget op", "Aanvragen per status", "Resultaten", "Doelen"]
    doelen = list(wb["Doelen"].iter_rows(values_only=True))
    assert ("Werkgevers bereikt", 1, 80, 1) in doelen
    budget = list(wb["Budget"].iter_rows(values_only=True))
    assert ("Ontwikkelbudget (LLO-traject)", 2026, 600000, 5400, 2880, 594600) in budget


def test_report_cli(data, tmp_path):
    from flask import current_app

    from fund.reports.cli import report_cli

    runner = current_app.test_cli_runner()
    for fmt in ("pdf", "xlsx"):
        out = tmp_path / f"q.{fmt}"
        result = runner.invoke(report_cli, ["quarter", "2026Q3", "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.read_bytes()[:4] in (b"%PDF", b"PK\x03\x04")
    bad = runner.invoke(report_cli, ["quarter", "Q3-2026", "--output", str(tmp_path / "x.pdf")])
    assert bad.exit_code == 2 and "geen kwartaal" in bad.output


def test_progress_counts_by_application_date_in_sql(data):
    """The targets count granted applications by the stored application date (received_on)."""
    from fund.models import Application

    voucher = db.session.query(Application).filter_by(instrument="voucher").one()
    assert (voucher.received_on, voucher.report_kind) == (dt.date(2026, 3, 2), "scholing")
    before = {p.target.code: p.reached for p in progress(until=dt.date(2026, 3, 1))[2]}
    on_day = {p.target.code: p.reached for p in progress(until=dt.date(2026, 3, 2))[2]}
    assert (before["werkgevers"], on_day["werkgevers"]) == (0, 1)
    voucher.report_kind = "advies"  # not scholing: no longer a skills-traject
    db.session.commit()
    assert {p.target.code: p.reached for p in progress()[2]}["skills_trajecten"] == 0
