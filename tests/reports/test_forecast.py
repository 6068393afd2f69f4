"""The budget forecast: at the pace of the last eight weeks, when does each ceiling run out?"""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from openpyxl import load_workbook

from fund.accounts import create_user
from fund.extensions import db
from fund.models import Budget
from fund.reports import dashboard
from fund.reports.quarter import Quarter, build, to_pdf, to_xlsx
from fund.reports.tables import runs_out_text
from fund.workflow import clock
from tests.letters import factories as f

TODAY = dt.date(2026, 11, 25)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.timezone.utc)


def _llo(days_ago: int, status: str = "ingediend", **extra):
    """A complete, eligible LLO application (the factory's facts ask 1,800 euros) that became
    complete ``days_ago`` days before TODAY."""
    extra.setdefault("complete_at", _at(TODAY - dt.timedelta(days=days_ago)))
    row = f.application(status=status, **extra)
    assert row.eligibility_outcome == "eligible" and row.computed_amount == Decimal("1800.00")
    return row


def _llo_line(board):
    return next(x for x in board.forecast if (x.instrument, x.tijdvak) == ("llo", 2026))


@pytest.fixture
def budget(app):
    db.session.add(Budget(instrument="llo", tijdvak=2026, ceiling=Decimal("100000.00"),
                          committed=Decimal("60000.00"), paid=Decimal("0.00")))
    db.session.commit()


def test_pace_of_the_last_eight_weeks_gives_the_date(budget):
    # In the window: two waiting (1,800 each), one granted at 1,500, one vastgesteld at 1,000.
    _llo(3)
    _llo(20)
    _llo(30, status="verleend", granted_amount=Decimal("1500.00"))
    _llo(55, status="vastgesteld", granted_amount=Decimal("1800.00"), final_amount=Decimal("1000.00"))
    # Not in the window or asking nothing: 56 days ago, rejected, withdrawn, ineligible.
    _llo(56, status="verleend", granted_amount=Decimal("1800.00"))
    _llo(10, status="afgewezen")
    _llo(11, status="ingetrokken")
    f.application(doc=f.facts(applicant={"age": 17}), status="afgewezen",
                  complete_at=_at(TODAY - dt.timedelta(days=5)))
    # Herstel is not complete: it does not wait for a decision.
    _llo(2, status="herstel")
    db.session.commit()

    with clock.frozen(TODAY):
        line = _llo_line(dashboard.build())
    assert line.waiting == Decimal("3600.00")  # the two ingediend, not the herstel one
    assert line.left == Decimal("100000.00") - Decimal("60000.00") - Decimal("3600.00")
    assert line.window_start == dt.date(2026, 10, 1) and line.window_days == 56
    # 3 + 20 + 30 + 55 days ago, and the herstel one (complete before it was sent back).
    assert line.window_applications == 5
    assert line.window_amount == Decimal("1800.00") * 3 + Decimal("1500.00") + Decimal("1000.00")
    per_day = line.window_amount / 56
    expected = TODAY + dt.timedelta(days=int(line.left / per_day))
    assert line.runs_out_on == expected
    assert line.state == "genoeg" and expected > dt.date(2026, 12, 31)
    assert runs_out_text(line) == "Genoeg tot het einde van het tijdvak (31 december 2026)"
    assert line.per_week == (line.window_amount * 7 / 56).quantize(Decimal("0.01"))


def test_a_fast_pace_runs_out_inside_the_tijdvak(budget):
    for days_ago in range(0, 40, 2):  # 20 applications of 1,800 in eight weeks: 36,000
        _llo(days_ago, status="verleend", granted_amount=Decimal("1800.00"))
    db.session.commit()
    with clock.frozen(TODAY):
        line = _llo_line(dashboard.build())
    # 40,000 left at 36,000 per 56 days: 62 days, past 31 December; raise the pace by committing more.
    assert line.left == Decimal("40000.00") and line.runs_out_on == TODAY + dt.timedelta(days=62)
    budget_row = db.session.query(Budget).filter_by(instrument="llo", tijdvak=2026).one()
    budget_row.committed = Decimal("90000.00")
    db.session.commit()
    with clock.frozen(TODAY):
        line = _llo_line(dashboard.build())
    assert line.runs_out_on == TODAY + dt.timedelta(days=15)  # 10,000 * 56 / 36,000 = 15.6
    assert line.state == "verwacht"
    assert runs_out_text(line) == "Rond 10 december 2026"


def test_used_up_and_no_pace(budget):
    with clock.frozen(TODAY):
        line = _llo_line(dashboard.build())
    assert line.window_applications == 0 and line.runs_out_on is None and line.state == "onbekend"
    assert runs_out_text(line) == "Geen schatting: geen complete aanvragen in de laatste 8 weken"
    budget_row = db.session.query(Budget).filter_by(instrument="llo", tijdvak=2026).one()
    budget_row.committed = Decimal("99000.00")
    _llo(1)  # waits for 1,800; only 1,000 is left
    db.session.commit()
    with clock.frozen(TODAY):
        line = _llo_line(dashboard.build())
    assert line.left == Decimal("-800.00") and line.state == "op" and line.runs_out_on == TODAY


def test_window_starts_with_the_tijdvak(budget):
    _llo(0, complete_at=_at(dt.date(2026, 1, 5)), status="verleend", granted_amount=Decimal("1800.00"))
    _llo(0, complete_at=_at(dt.date(2025, 12, 30)), status="verleend", granted_amount=Decimal("1800.00"))
    db.session.commit()
    with clock.frozen(dt.date(2026, 1, 14)):
        line = _llo_line(dashboard.build())
    assert line.window_start == dt.date(2026, 1, 1) and line.window_days == 14
    assert line.window_applications == 1  # the one of 2025 lies before the tijdvak
    with clock.frozen(dt.date(2025, 12, 31)):
        board = dashboard.build()
    assert all(x.tijdvak != 2026 for x in board.forecast)  # a tijdvak not yet open has no forecast


def test_dashboard_page_and_quarterly_report_show_it(budget, client):
    for days_ago in range(0, 40, 2):
        _llo(days_ago, status="verleend", granted_amount=Decimal("1800.00"))
    budget_row = db.session.query(Budget).filter_by(instrument="llo", tijdvak=2026).one()
    budget_row.committed = Decimal("90000.00")
    db.session.commit()
    with clock.frozen(TODAY):
        create_user("auditor@fonds.test", "Test auditor", "test-Wachtwoord-2026", "auditor")
        db.session.commit()
        assert client.post("/auth/login", data={"email": "auditor@fonds.test",
                                                "password": "test-Wachtwoord-2026"}).status_code == 302
        page = client.get("/verantwoording/dashboard").get_data(as_text=True)
        report = build(Quarter.parse("2026Q4"))
    assert "Wanneer is het budget op?" in page and "Rond 10 december 2026" in page
    assert "20 aanvragen, € 4.500,00 per week" in page
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(to_pdf(report))).pages)
    assert "Wanneer is het budget op?" in text and "Rond 10 december 2026" in text
    sheet = load_workbook(io.BytesIO(to_xlsx(report)))["Budget op"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Ontwikkelbudget (LLO-traject)"][6].date() == dt.date(2026, 12, 10)
    assert rows["Ontwikkelbudget (LLO-traject)"][3] == 10000  # left: 100,000 - 90,000, nothing waiting

