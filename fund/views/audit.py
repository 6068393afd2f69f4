"""Pages for auditors (exports of decisions and of the audit trail) and the dashboard
(auditor, supervisor, admin) with the quarterly report for the Regionaal Beraad."""
from __future__ import annotations


from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, stream_with_context, url_for

from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("audit", __name__, url_prefix="/verantwoording")

DASHBOARD_ROLES = (Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN)


def _download(chunks, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _instrument_choices() -> list[tuple[str, str]]:
    from fund.rules import load_rulebook

    book = load_rulebook()
    titles = {rs.instrument: rs.title for rs in book.rulesets()}
    return [(i, titles.get(i, i)) for i in book.instruments]


@bp.get("/")
@roles_required(Role.AUDITOR)
def index():
    return render_template("audit/index.html", instruments=_instrument_choices())


@bp.get("/export/besluiten")
@roles_required(Role.AUDITOR)
def export_decisions():
    from fund.exports.decisions import DecisionFilter
    from fund.exports.formats import DECISION_FORMATS, EXTENSIONS, MIMETYPES, decision_export
    from fund.exports.period import ExportError, Period

    fmt = request.args.get("formaat", "csv")
    try:
        if fmt not in DECISION_FORMATS:
            raise ExportError(f"onbekend formaat '{fmt}'")
        period = Period.parse(request.args.get("van"), request.args.get("tot"))
        flt = DecisionFilter(period, request.args.get("instrument") or None)
    except ExportError as exc:
        flash(f"De export kan niet: {exc}.", "error")
        return redirect(url_for("audit.index"))
    _record_export("export_decisions", {"format": fmt, "from": str(period.start or ""),
                                        "to": str(period.end or ""), "instrument": flt.instrument or ""})
    name = f"besluiten_{period.label()}.{EXTENSIONS[fmt]}"
    return _download(decision_export(flt, fmt), MIMETYPES[fmt], name)


@bp.get("/export/controlespoor")
@roles_required(Role.AUDITOR)
def export_trail():
    from fund.exports.audit_trail import TrailFilter
    from fund.exports.formats import MIMETYPES, TRAIL_FORMATS, trail_export
    from fund.exports.period import ExportError, Period

    fmt = request.args.get("formaat", "csv")
    number = (request.args.get("aanvraag") or "").strip() or None
    try:
        if fmt not in TRAIL_FORMATS:
            raise ExportError(f"onbekend formaat '{fmt}'")
        flt = TrailFilter(number, Period.parse(request.args.get("van"), request.args.get("tot")))
        chunks = trail_export(flt, fmt)  # resolves the application number; reads nothing yet
    except ExportError as exc:
        flash(f"De export kan niet: {exc}.", "error")
        return redirect(url_for("audit.index"))
    # Recorded before the rows are read, so the download is the trail as it stands, its own
    # export event included, exactly what `fund export audit` gives for the same filter afterwards.
    _record_export("export_audit_trail", {"format": fmt, "application": number or "",
                                          "from": str(flt.period.start or ""), "to": str(flt.period.end or "")})
    name = f"controlespoor_{number or flt.period.label()}.{fmt}"
    return _download(chunks, MIMETYPES[fmt], name)


def _record_export(event: str, data: dict) -> None:
    """Who exported what is itself part of the audit trail."""
    from flask_login import current_user

    from fund.audit.chain import record
    from fund.extensions import db

    record(event, actor=current_user, data=data)
    db.session.commit()


@bp.get("/dashboard")
@roles_required(*DASHBOARD_ROLES)
def dashboard():
    from fund.reports.dashboard import current
    from fund.reports.tables import table_rows
    from fund.workflow import clock

    board, computed_at = current()
    today = clock.today()
    return render_template("audit/dashboard.html", board=board, today=today, computed_at=computed_at,
                           max_age_minutes=current_app.config["FUND_DASHBOARD_MAX_AGE_SECONDS"] // 60,
                           current_quarter=f"{today.year}Q{(today.month - 1) // 3 + 1}",
                           **table_rows(board))


@bp.get("/kwartaalrapportage")
@roles_required(*DASHBOARD_ROLES)
def quarter_report():
    from fund.reports.quarter import Quarter, QuarterError, render

    fmt = request.args.get("formaat", "pdf")
    try:
        q = Quarter.parse(request.args.get("kwartaal", ""))
        if fmt not in ("pdf", "xlsx"):
            raise QuarterError("kies pdf of xlsx")
    except QuarterError as exc:
        flash(f"De rapportage kan niet: {exc}.", "error")
        return redirect(url_for("audit.dashboard"))
    if fmt == "pdf":
        from fund.jobs import enqueue
        from fund.reports.quarter import fresh_pdf

        path = fresh_pdf(q)
        if path is None:
            enqueue("fund.reports.quarter:make_pdf_file", str(q))
            path = fresh_pdf(q)  # made already when there is no job queue
        if path is None:
            flash(f"De kwartaalrapportage {q} wordt nu gemaakt. Klik over een minuut opnieuw op de knop.",
                  "info")
            return redirect(url_for("audit.dashboard"))
        response = Response(path.read_bytes(), mimetype="application/pdf")
    else:
        response = Response(render(q, fmt), mimetype=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response.headers["Content-Disposition"] = f'attachment; filename="kwartaalrapportage_{q}.{fmt}"'
    return response


