"""Pages for fund staff: the officer queue, the review screen and the vier-ogen queue."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField

from fund.extensions import db
from fund.forms import choices as c
from fund.forms.actions import event_form
from fund.models import Application
from fund.models.types import Role
from fund.workflow.queries import preview, proposal_of
from fund.views import staff_queries as sq
from fund.forms.answers import answer_rows
from fund.views.applicant import send_document, send_letter, status_filter
from fund.web.events import attempt, send_event
from fund.web.security import roles_required
from fund import workflow as wf
from fund.workflow.events import STAFF_EVENTS

# Shown inside the review page (Content-Disposition: inline); everything else only downloads.
# fund.documents accepts only these at upload, recognised by their first bytes, not the name.
PREVIEWABLE = ("application/pdf", "image/png", "image/jpeg")

bp = Blueprint("officer", __name__, url_prefix="/behandeling")
bp.add_app_template_filter(wf.event_label, "gebeurtenis")

REVIEW_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.FINANCE)
# Decisions that send a letter: the officer sees what it will say and confirms first.
CONFIRM_EVENTS = ("grant", "reject", "refer", "request_info", "extend_deadline")


class QueueFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    zoek = StringField("Zoeken", description="Aanvraagnummer, naam van de aanvrager of organisatie, of KvK-nummer.")
    instrument = SelectField("Regeling", choices=[], validate_choice=False)
    status = SelectField("Status", choices=[], validate_choice=False)
    municipality = SelectField("Gemeente", choices=c.options(c.MUNICIPALITIES, empty="Alle"),
                               validate_choice=False)
    termijn = SelectField("Beslistermijn", choices=c.options(
        [("7dagen", "Verloopt binnen 7 dagen"), ("verlopen", "Verlopen")], empty="Alle"),
        validate_choice=False)
    toegewezen = SelectField("Behandelaar", choices=c.options(
        [("mij", "Aan mij toegewezen"), ("niemand", "Nog niet toegewezen")], empty="Iedereen"),
        validate_choice=False)
    sort = SelectField("Sorteren op", choices=c.options(sq.SORTS), validate_choice=False)


def _clean(value: str, allowed) -> str:
    return value if value in allowed else ""


@bp.get("/")
@roles_required(Role.OFFICER, Role.SUPERVISOR)
def queue():
    form = QueueFilterForm(request.args)
    form.instrument.choices = c.options(c.INSTRUMENT_LABELS, empty="Alle")  # the instruments now, not at import
    form.status.choices = c.options([(s, status_filter(s)) for s in sq.ALL_STATUSES],
                                    empty="Alle open aanvragen")
    f = sq.QueueFilter(
        instrument=_clean(request.args.get("instrument", ""), c.INSTRUMENT_LABELS),
        status=_clean(request.args.get("status", ""), sq.ALL_STATUSES),
        municipality=_clean(request.args.get("municipality", ""), c.MUNICIPALITY_NAMES),
        termijn=_clean(request.args.get("termijn", ""), ("verlopen", "7dagen")),
        toegewezen=_clean(request.args.get("toegewezen", ""), ("mij", "niemand")),
        zoek=request.args.get("zoek", "")[:100],
        sort=_clean(request.args.get("sort", ""), sq.SORTS) or "termijn",
        after=request.args.get("na", "")[:60],
        before=request.args.get("voor", "")[:60],
    )
    # The page number is only a label; a page without a cursor is the first one.
    if f.after or f.before:
        f.page = max(request.args.get("pagina", 1, type=int) or 1, 1)
    apps, has_prev, has_next = sq.queue_page(f, current_user)
    args = {k: v for k, v in request.args.items() if k not in ("pagina", "na", "voor") and v}
    pages = {}
    if apps and has_prev:
        pages["prev"] = dict(pagina=max(f.page - 1, 1), voor=sq.cursor_of(apps[0], f.sort), **args)
    if apps and has_next:
        pages["next"] = dict(pagina=f.page + 1, na=sq.cursor_of(apps[-1], f.sort), **args)
    if not apps and (f.after or f.before):  # an old cursor past the rows that are left
        pages["first"] = args
    return render_template("officer/queue.html", applications=apps, form=form, page=f.page,
                           pages=pages, args=args, today=sq.today(), sq=sq,
                           colleagues=sq.officer_choices(), mine=f.toegewezen == "mij",
                           claim_form=FlaskForm(prefix="assign"))


@bp.get("/vier-ogen")
@roles_required(Role.SUPERVISOR)
def co_sign_queue():
    applications = sq.awaiting_co_sign()
    return render_template("officer/co_sign_queue.html",
                           rows=[(a, proposal_of(a)) for a in applications])


def _application(app_id: int) -> Application:
    application = db.session.get(Application, app_id)
    if application is None or application.status == "concept":
        abort(404)  # staff do not see drafts
    return application



def _staff_forms(application, posted: dict | None = None) -> list:
    forms = []
    choices = None  # the same colleagues and payments for every form: read once per page
    for option in wf.available_events(application, current_user):
        if option.name not in STAFF_EVENTS:
            continue
        form = (posted or {}).get(option.name)
        if form is None:
            choices = choices or {
                "officer_id": c.options(sq.officer_choices()),
                "payment_id": c.options(
                    [(str(p.id), f"{c.PAYMENT_KIND_LABELS.get(p.kind, p.kind)} {p.amount}")
                     for p in sq.proposed_payments(application)]),
            }
            form = event_form(option, formdata=None, choices=choices, instrument=application.instrument)
        forms.append(form)
    return forms


@bp.get("/<int:app_id>")
@roles_required(*REVIEW_ROLES)
def review(app_id: int):
    return _render_review(_application(app_id))


def _render_review(application, posted=None):
    result = sq.eligibility_for(application)
    return render_template(
        "officer/review.html", application=application, rows=answer_rows(application),
        result=result, budget=sq.budget_for(application), forms=_staff_forms(application, posted),
        trail=sq.grouped_trail(sq.audit_trail(application)), today=sq.today(),
        proposal=proposal_of(application), previewable=PREVIEWABLE,
    )


@bp.post("/<int:app_id>/notities")
@roles_required(Role.OFFICER, Role.SUPERVISOR)
def add_note(app_id: int):
    from fund.workflow.notes import add_note as add

    application = _application(app_id)
    if FlaskForm().validate_on_submit():
        if attempt(add, application, current_user, request.form.get("notitie", "")) is not None:
            flash("De notitie is opgeslagen. Alleen medewerkers zien haar.", "info")
    return redirect(url_for("officer.review", app_id=app_id) + "#notities-kop")


@bp.post("/<int:app_id>/actie/<event>")
@roles_required(*REVIEW_ROLES)
def action(app_id: int, event: str):
    application = _application(app_id)
    if event not in STAFF_EVENTS:
        abort(404)
    option = next((o for o in wf.available_events(application, current_user) if o.name == event),
                  None)
    back = _back(app_id)
    if option is None:
        flash("Deze actie kan nu niet (meer) bij deze aanvraag.", "error")
        return redirect(back)
    form = event_form(option, instrument=application.instrument, choices={
        "officer_id": c.options(sq.officer_choices()),
        "payment_id": c.options((str(p.id), str(p.id)) for p in sq.proposed_payments(application)),
    })
    if not form.validate_on_submit():
        flash("Er is iets niet goed ingevuld. Kijk bij het formulier.", "error")
        return _render_review(application, {event: form}), 400
    if event in CONFIRM_EVENTS and request.form.get("bevestigd") != "ja":
        return _confirm(application, option, form)
    send_event(application, event, f"Gedaan: {option.label}.", **form.data_for_send)
    if request.form.get("openen") == "ja" and application.assigned_officer_id == current_user.id:
        back = url_for("officer.review", app_id=app_id)  # "Oppakken" in the queue: claim and start
    return redirect(back)


def _confirm(application, option, form):
    """The confirmation step: the key lines of the letter, and the same data to send again."""
    try:
        shown = preview(application, current_user, option.name, form.data_for_send)
    except wf.WorkflowError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _render_review(application, {option.name: form}), 400
    keep = [(k, v) for k, v in request.form.items(multi=True)
            if k not in (f"{option.name}-csrf_token", "bevestigd")]
    return render_template("officer/confirm.html", application=application, option=option,
                           preview=shown, keep=keep, args=request.args)


def _back(app_id: int) -> str:
    target = request.args.get("terug")
    if target == "vier-ogen":
        return url_for("officer.co_sign_queue")
    if target == "werkvoorraad":
        return url_for("officer.queue")
    if target == "financien":
        return url_for("finance.queue")
    return url_for("officer.review", app_id=app_id)


@bp.get("/<int:app_id>/documenten/<int:doc_id>")
@roles_required(*REVIEW_ROLES)
def document(app_id: int, doc_id: int):
    """A document as a download, or with ``?bekijken=1`` shown inside the review page."""
    return send_document(_application(app_id), doc_id,
                         inline=request.args.get("bekijken") == "1", allowed=PREVIEWABLE)


@bp.get("/<int:app_id>/besluiten/<int:decision_id>/brief.pdf")
@roles_required(*REVIEW_ROLES)
def letter(app_id: int, decision_id: int):
    return send_letter(_application(app_id), decision_id)


@bp.route("/dagoverzicht", methods=["GET", "POST"])
@roles_required(Role.OFFICER)
def summary_settings():
    """Opt in or out of the daily e-mail with files due within 5 working days and overdue."""
    if request.method == "POST":
        from fund.audit import record

        wanted = request.form.get("daily_summary") == "ja"
        if wanted != current_user.daily_summary:
            current_user.daily_summary = wanted
            record("daily_summary_changed", actor=current_user, data={"daily_summary": wanted})
            db.session.commit()
        flash("U krijgt het dagoverzicht." if wanted else "U krijgt het dagoverzicht niet meer.", "info")
        return redirect(url_for("officer.summary_settings"))
    return render_template("officer/summary_settings.html")
