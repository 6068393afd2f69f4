"""The beleidsmedewerker's page: change parameters of a tijdvak (or upload a draft rules folder as
a zip), simulate the effect on the applications already received as a background job, and see and
download the comparison. The draft never becomes the rules in force from here."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("policy", __name__, url_prefix="/beleid")


def _form_context(selected: str | None):
    from fund.reports.simulation import default_period
    from fund.reports.simulation_runs import editable_parameters, runs
    from fund.rules import load_rulebook
    from fund.workflow import clock

    book = load_rulebook()
    rulesets = book.rulesets()
    chosen = next((rs for rs in rulesets if rs.id == selected), None) or next(
        (rs for rs in rulesets if rs.covers(clock.today())), rulesets[0])
    try:
        start, end = default_period(clock.today(), book)
    except LookupError:
        start, end = chosen.tijdvak.start, chosen.tijdvak.end
    return {"rulesets": rulesets, "chosen": chosen, "parameters": editable_parameters(chosen),
            "start": start, "end": end, "runs": runs(), "instruments": book.instruments}


@bp.get("/simulatie")
@roles_required(Role.BELEID)
def index():
    return render_template("policy/index.html", values={}, **_form_context(request.args.get("regelset")))


@bp.post("/simulatie")
@roles_required(Role.BELEID)
def start():
    from fund.reports.simulation_runs import DraftError, create_run

    form = request.form
    upload = request.files.get("ontwerp")
    zip_data = upload.read() if upload and upload.filename else None
    try:
        try:
            first = dt.date.fromisoformat(form.get("van", ""))
            last = dt.date.fromisoformat(form.get("tot", ""))
        except ValueError:
            raise DraftError("Vul een begin- en einddatum in (dag-maand-jaar).") from None
        run_id = create_run(user_id=current_user.id, start=first, end=last,
                            instrument=form.get("instrument") or None, ruleset_id=form.get("regelset"),
                            values={k[2:]: v for k, v in form.items() if k.startswith("p_")},
                            zip_data=zip_data)
    except DraftError as exc:
        flash(f"De simulatie kan niet starten: {exc}", "error")
        context = _form_context(form.get("regelset"))
        return render_template("policy/index.html", values={k[2:]: v for k, v in form.items() if k.startswith("p_")},
                               **context), 400
    return redirect(url_for("policy.run", run_id=run_id), code=303)


@bp.get("/simulatie/<run_id>")
@roles_required(Role.BELEID)
def run(run_id: str):
    from fund.reports.simulation_runs import charts, report, status

    try:
        state, data = status(run_id), report(run_id)
    except LookupError:
        abort(404)
    return render_template("policy/run.html", state=state, report=data,
                           charts=charts(data) if data else None)


@bp.get("/simulatie/<run_id>/simulatie.xlsx")
@roles_required(Role.BELEID)
def run_xlsx(run_id: str):
    from fund.reports.simulation_runs import xlsx

    try:
        path = xlsx(run_id)
    except LookupError:
        abort(404)
    return send_file(path, as_attachment=True, download_name=f"simulatie-{run_id[:8]}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
