"""The quarterly report for the Regionaal Beraad: figures of one quarter plus the totals so far."""
from __future__ import annotations

import datetime as dt
import io
import re
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import case, func, select

from fund.atomic_file import write_atomically
from fund.extensions import db
from fund.letters.dutch import KIND_LABELS
from fund.models import Application, Decision, Payment
from fund.reports import dashboard
from fund.workflow import clock

ZERO = Decimal("0.00")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


class QuarterError(ValueError):
    pass


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        m = _QUARTER.match((text or "").strip())
        if not m:
            raise QuarterError(f"'{text}' is geen kwartaal; schrijf bijvoorbeeld 2026Q3")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        nxt = dt.date(self.year + (self.number == 4), 1 if self.number == 4 else 3 * self.number + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.number}e kwartaal {self.year}"

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass
class QuarterReport:
    quarter: Quarter
    received: list[tuple[str, int]]  # per instrument
    decisions: list[tuple[str, str, int, Decimal]]  # kind, label, count, amount
    granted: list[tuple[str, int, Decimal]]  # per instrument: count, amount
    paid: list[tuple[str, Decimal]]
    board: dashboard.Dashboard
    outcomes_quarter: list[tuple[str, str, int]]
    employed_quarter: tuple[int, int]
    generated_on: dt.date


def _bounds(q: Quarter) -> tuple[dt.datetime, dt.datetime]:
    return (dt.datetime.combine(q.start, dt.time.min, tzinfo=dt.timezone.utc),
            dt.datetime.combine(q.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc))


def build(q: Quarter) -> QuarterReport:
    since, until = _bounds(q)
    received = db.session.execute(
        select(Application.instrument, func.count())
        .where(Application.received_at >= since, Application.received_at < until)
        .group_by(Application.instrument).order_by(Application.instrument)
    ).all()
    per_kind = dict(
        (k, (n, a)) for k, n, a in db.session.execute(
            select(Decision.kind, func.count(), func.coalesce(func.sum(Decision.amount), 0))
            .where(Decision.decided_on >= q.start, Decision.decided_on <= q.end)
            .group_by(Decision.kind)
        ).all()
    )
    decisions = [(k, label, int(per_kind.get(k, (0, 0))[0]), Decimal(per_kind.get(k, (0, 0))[1]).quantize(ZERO))
                 for k, label in KIND_LABELS.items()]
    granted = [(i, int(n), Decimal(a).quantize(ZERO)) for i, n, a in db.session.execute(
        select(Application.instrument, func.count(), func.coalesce(func.sum(Decision.amount), 0))
        .join(Application, Application.id == Decision.application_id)
        .where(Decision.kind == "verlening", Decision.decided_on >= q.start, Decision.decided_on <= q.end)
        .group_by(Application.instrument).order_by(Application.instrument)
    ).all()]
    signed = case((Payment.kind == "terugvordering", -Payment.amount), else_=Payment.amount)
    paid = [(i, Decimal(a).quantize(ZERO)) for i, a in db.session.execute(
        select(Application.instrument, func.coalesce(func.sum(signed), 0))
        .join(Application, Application.id == Payment.application_id)
        .where(Payment.status == "betaald", Payment.paid_at >= since, Payment.paid_at < until)
        .group_by(Application.instrument).order_by(Application.instrument)
    ).all()]
    board = dashboard.build(until=q.end)
    outcome_rows, employed = dashboard.outcomes(q.start, q.end)
    return QuarterReport(q, [(i, int(n)) for i, n in received], decisions, granted, paid, board,
                         outcome_rows, employed, clock.today())


def to_pdf(report: QuarterReport) -> bytes:
    from fund.letters.pdf import html_to_pdf
    from fund.letters.render import TEMPLATE_DIR, register_filters

    register_filters(current_app)
    css = (TEMPLATE_DIR / "letter.css").read_text(encoding="utf-8")
    from fund.reports.tables import table_rows

    html = render_template("audit/quarter_report.html", r=report, css=css, zero=ZERO,
                           org=current_app.config["FUND_BESTUURSORGAAN"],
                           outcome_pairs=list(zip(report.outcomes_quarter, report.board.outcomes)),
                           **table_rows(report.board))
    return html_to_pdf(html)


def to_xlsx(report: QuarterReport) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from fund.exports.writers import neutralise_formula
    from fund.forms.choices import INSTRUMENT_LABELS

    wb = Workbook()
    bold = Font(bold=True)
    money = "#,##0.00"

    def sheet(title: str, header: list[str], rows: list[list], money_cols=()):
        ws = wb.create_sheet(title)
        ws.append(header)
        for c in ws[1]:
            c.font = bold
        for row in rows:
            ws.append([neutralise_formula(v) for v in row])
            for col in money_cols:
                ws.cell(row=ws.max_row, column=col).number_format = money
        for i, _ in enumerate(header, start=1):
            ws.column_dimensions[chr(64 + i)].width = 28 if i == 1 else 18
        return ws

    summary = wb.active
    summary.title = "Samenvatting"
    summary.append([f"Kwartaalrapportage Drents ontwikkelfonds – {report.quarter.label}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["Periode", report.quarter.start, report.quarter.end])
    summary.append(["Gemaakt op", report.generated_on])
    summary.append([])
    summary.append(["Aanvragen ontvangen", sum(n for _, n in report.received)])
    summary.append(["Verleningen", sum(n for _, n, _ in report.granted)])
    summary.append(["Verleend bedrag", sum((a for _, _, a in report.granted), ZERO)])
    summary.cell(row=summary.max_row, column=2).number_format = money
    summary.append(["Betaald (netto)", sum((a for _, a in report.paid), ZERO)])
    summary.cell(row=summary.max_row, column=2).number_format = money
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 16
    summary.column_dimensions["C"].width = 16

    sheet("Besluiten", ["Soort besluit", "Aantal", "Bedrag"],
          [[label, n, a] for _, label, n, a in report.decisions], money_cols=(3,))
    sheet("Budget", ["Instrument", "Jaar", "Plafond", "Vastgelegd", "Betaald", "Over"],
          [[INSTRUMENT_LABELS.get(b.instrument, b.instrument), b.tijdvak, b.ceiling, b.committed, b.paid, b.remaining]
           for b in report.board.budget],
          money_cols=(3, 4, 5, 6))
    from fund.reports.tables import runs_out_text

    sheet("Budget op", ["Instrument", "Jaar", "Wacht op besluit", "Over na besluiten", "Aanvragen in venster",
                        "Per week", "Verwacht op", f"Toelichting (stand {report.generated_on:%d-%m-%Y})"],
          [[INSTRUMENT_LABELS.get(f.instrument, f.instrument), f.tijdvak, f.waiting, f.left, f.window_applications, f.per_week,
            f.runs_out_on if f.state == "verwacht" else None, runs_out_text(f)] for f in report.board.forecast],
          money_cols=(3, 4, 6))
    sheet("Aanvragen per status", ["Status", "Aantal"], [[label, n] for _, label, n in report.board.funnel])
    sheet("Resultaten", ["Resultaat", "Dit kwartaal", "Totaal"],
          [[label, n, total] for (_, label, n), (_, _, total) in zip(report.outcomes_quarter, report.board.outcomes)])
    start, end = report.board.period
    sheet("Doelen", ["Doel", f"Bereikt {start.year}–t/m {report.quarter.label}", f"Doel {start.year}–{end.year}", "Procent"],
          [[p.target.label, p.reached, p.target.target, p.percent] for p in report.board.targets])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# The PDF takes seconds (WeasyPrint): it is made by a background job (fund.jobs: RQ with
# FUND_REDIS_URL, else right away) into the instance folder, and served from there while fresh.
PDF_FRESH_SECONDS = 600


def pdf_file(q: Quarter) -> Path:
    return Path(current_app.instance_path) / "kwartaalrapportages" / f"kwartaalrapportage_{q}.pdf"


def make_pdf_file(quarter: str) -> str:
    """Background job: render the quarter's PDF and put it in place in one step (no half file)."""
    q = Quarter.parse(quarter)
    return str(write_atomically(pdf_file(q), render(q, "pdf")))


def fresh_pdf(q: Quarter) -> Path | None:
    """The quarter's PDF made in the last ``PDF_FRESH_SECONDS``, or None."""
    path = pdf_file(q)
    try:
        age = time.time() - path.stat().st_mtime
    except FileNotFoundError:
        return None
    return path if age < PDF_FRESH_SECONDS else None


def render(q: Quarter, fmt: str) -> bytes:
    report = build(q)
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise QuarterError(f"onbekend formaat '{fmt}'; kies pdf of xlsx")


__all__ = ["Quarter", "QuarterError", "QuarterReport", "build", "render"]
