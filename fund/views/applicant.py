"""Pages for applicants: inwoners and users of werkgevers and leerbedrijven.

Every page that takes an application id looks it up through :func:`own_application`, which only
finds applications of the user (or of the user's organisation): anyone else's id is a 404.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import or_, select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectField

from fund import accounts, documents
from fund.extensions import db
from fund.forms import choices as c
from fund.forms import instruments as steps_mod
from fund.forms.accounts import InviteForm
from fund.forms.actions import event_form
from fund.forms.answers import answer_rows
from fund.forms.questions import (NOT_FILLED, facts_from_form, form_class, form_data_from_facts,
                                  merge_facts, sentence, step_errors)
from fund.models import Application, AuditEvent, Decision, Document, User
from fund.models.types import Role
from fund.web.events import send_event
from fund.web.security import roles_required
from fund import workflow as wf
from fund.workflow import events, states

bp = Blueprint("applicant", __name__, url_prefix="/mijn")

APPLICANT_ROLES = (Role.INWONER, Role.WERKGEVER)
# Statuses and events as declared once in fund.workflow.states / fund.workflow.events.
EDITABLE = states.EDITABLE
UPLOAD_STATUSES = states.UPLOAD_STATUSES
NEXT_STEP = states.NEXT_STEP
APPLICANT_EVENTS = events.APPLICANT_EVENTS
TIMELINE_TEXT = events.TIMELINE_TEXT


def visible_applications_query(user):
    """Applications an applicant may see: their own, or their organisation's."""
    q = select(Application)
    if user.organisation_id:
        return q.where(
            or_(Application.applicant_id == user.id,
                Application.organisation_id == user.organisation_id)
        )
    return q.where(Application.applicant_id == user.id)


def own_application(app_id: int) -> Application:
    application = db.session.scalar(
        visible_applications_query(current_user).where(Application.id == app_id)
    )
    if application is None:
        abort(404)
    return application



def _status_label(status: str) -> str:
    return wf.STATUS_LABELS.get(status, status)


@bp.app_template_filter("status")
def status_filter(status: str) -> str:
    return _status_label(status)


@bp.app_template_filter("applicant_status")
def applicant_status(status: str) -> str:
    """The state as the applicant reads it: what happens for them."""
    return wf.APPLICANT_STATUS_LABELS.get(status, _status_label(status))


@bp.app_template_global("on_behalf_of")
def on_behalf_of(application) -> str | None:
    return steps_mod.on_behalf_of(application)


@bp.get("/aanvragen")
@roles_required(*APPLICANT_ROLES)
def my_applications():
    apps = db.session.scalars(
        visible_applications_query(current_user).order_by(Application.created_at.desc())
    ).all()
    return render_template("applicant/my_applications.html", applications=apps)


@bp.get("/aanvragen/nieuw")
@roles_required(*APPLICANT_ROLES)
def choose_instrument():
    return render_template("applicant/choose.html",
                           instruments=steps_mod.instruments_for(current_user.role))


def _allowed_instrument(instrument: str) -> None:
    if instrument not in steps_mod.instruments_for(current_user.role):
        abort(404)


@bp.route("/aanvragen/nieuw/<instrument>", methods=["GET", "POST"])
@roles_required(*APPLICANT_ROLES)
def new_application(instrument: str):
    _allowed_instrument(instrument)
    kind = steps_mod.kind_for_user(instrument, current_user)
    first = steps_mod.steps_for(instrument, kind)[0]
    facts = steps_mod.initial_facts(instrument, current_user)
    suffix, questions = steps_mod.questions_to_ask(
        first, steps_mod.settled_by_organisation(instrument, current_user.organisation))
    form = form_class(f"{instrument}_{kind}_{first.slug}{suffix}", questions)(
        data=form_data_from_facts(facts, questions, {}))
    if _step_valid(form, questions, instrument, facts):
        update, meta = facts_from_form(form, questions)
        try:
            application = wf.create_application(
                current_user, instrument, merge_facts(facts, update), title=meta.get("title"),
                organisation=current_user.organisation, iban=meta.get("iban"))
        except wf.WorkflowError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash("Uw concept is bewaard.", "info")
            return redirect(url_for("applicant.step", app_id=application.id,
                                    slug=steps_mod.next_slug(instrument, first.slug, kind)))
    return _render_step(None, instrument, first, form, kind)


def _step_valid(form, questions, instrument: str, stored_facts: dict) -> bool:
    """Every field check and every cross-field rule of the step at once (issue 14)."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    return step_errors(form, questions, instrument, stored_facts) and valid


def _render_step(application, instrument, step, form, kind):
    return render_template("applicant/step.html", application=application, instrument=instrument,
                           step=step, form=form, steps=steps_mod.step_titles(instrument, kind))


def _editable(application) -> None:
    if application.status not in EDITABLE:
        flash("Deze aanvraag kunt u niet meer wijzigen.", "warning")
        abort(redirect(url_for("applicant.detail", app_id=application.id)))


@bp.route("/aanvragen/<int:app_id>/stap/<slug>", methods=["GET", "POST"])
@roles_required(*APPLICANT_ROLES)
def step(app_id: int, slug: str):
    application = own_application(app_id)
    _editable(application)
    if slug == steps_mod.DOCUMENTS_STEP:
        return redirect(url_for("applicant.upload", app_id=app_id))
    if slug == steps_mod.SUMMARY_STEP:
        return redirect(url_for("applicant.summary", app_id=app_id))
    kind = steps_mod.kind_of(application)
    current = steps_mod.step(application.instrument, slug, kind)
    if current is None:
        abort(404)
    meta = {"title": application.title, "iban": application.iban}
    # What the organisation record settles (SBB-erkend) is not asked again; it is filled in.
    settled = steps_mod.settled_by_organisation(application.instrument, application.organisation)
    suffix, questions = steps_mod.questions_to_ask(current, settled)
    form = form_class(f"{application.instrument}_{kind}_{slug}{suffix}", questions)(
        data=form_data_from_facts(application.facts or {}, questions, meta))
    if _step_valid(form, questions, application.instrument, application.facts or {}):
        update, new_meta = facts_from_form(form, questions)
        for dotted, value in settled.items():
            steps_mod.set_fact(update, dotted, value)
        kwargs = {k: v for k, v in new_meta.items() if k in ("title", "iban")}
        try:
            wf.update_facts(application, current_user, merge_facts(application.facts, update),
                            **kwargs)
        except wf.WorkflowError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            flash("Uw antwoorden zijn bewaard.", "info")
            target = request.args.get("terug")
            if target == "controleren":
                return redirect(url_for("applicant.summary", app_id=app_id))
            return redirect(url_for("applicant.step", app_id=app_id,
                                    slug=steps_mod.next_slug(application.instrument, slug, kind)))
    return _render_step(application, application.instrument, current, form, kind)


class UploadForm(FlaskForm):
    kind = SelectField("Wat voor document is het?",
                       choices=c.options(c.DOCUMENT_KIND_LABELS, empty="Maak een keuze"),
                       validate_choice=False)
    file = FileField("Kies het bestand", description="Een PDF, JPG of PNG.")

    def offer(self, application) -> "UploadForm":
        """Only the document types this instrument uses (no UWV letter for a voucher); after
        the decision also the proof of the result (diploma, certificaat)."""
        from fund.workflow.documents import offered_kinds

        self.offered = offered_kinds(application.instrument)
        if application.status not in EDITABLE:
            self.offered.insert(-1, "bewijs")
        self.kind.choices = c.options([(k, c.DOCUMENT_KIND_LABELS[k]) for k in self.offered
                                       if k in c.DOCUMENT_KIND_LABELS], empty="Maak een keuze")
        return self

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.kind.data not in c.DOCUMENT_KIND_LABELS or self.kind.data not in getattr(self, "offered", c.DOCUMENT_KIND_LABELS):
            self.kind.errors = list(self.kind.errors) + ["Kies wat voor document het is."]
            ok = False
        if not getattr(self.file.data, "filename", None):
            self.file.errors = list(self.file.errors) + ["Kies een bestand."]
            ok = False
        return ok


def _required_documents(application) -> tuple[list[str], list[str]]:
    try:
        from fund.workflow.documents import missing_documents, required_kinds
    except ImportError:  # pragma: no cover
        return [], []
    return (required_kinds(application.instrument, application.facts or {}),
            missing_documents(application))


@bp.route("/aanvragen/<int:app_id>/documenten", methods=["GET", "POST"])
@roles_required(*APPLICANT_ROLES)
def upload(app_id: int):
    application = own_application(app_id)
    if application.status not in UPLOAD_STATUSES:
        flash("U kunt bij deze aanvraag geen documenten meer toevoegen.", "warning")
        return redirect(url_for("applicant.detail", app_id=app_id))
    if request.method == "POST":
        request.files  # reads the body: larger than MAX_CONTENT_LENGTH raises 413 (see below)
    form = UploadForm().offer(application)
    if form.validate_on_submit():
        try:
            documents.store_upload(application, form.file.data, form.kind.data, current_user)
        except documents.DocumentError as exc:
            db.session.rollback()
            form.file.errors = list(form.file.errors) + [str(exc)]
        else:
            db.session.commit()
            flash("Het document is toegevoegd.", "info")
            return redirect(url_for("applicant.upload", app_id=app_id))
    return _upload_page(application, form)


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(_exc):
    """A file over the limit: the upload form again with the limit in the message, not a bare
    error page. Raised while reading the body (CSRF check or the view); nothing is stored."""
    if request.endpoint != "applicant.upload" or not current_user.is_authenticated:
        from fund.web.errors import MESSAGES

        title, message = MESSAGES[413]
        return render_template("errors/error.html", title=title, message=message), 413
    application = own_application(request.view_args["app_id"])
    form = UploadForm(formdata=None).offer(application)
    form.file.errors = [f"Dit bestand is te groot. Een bestand mag hoogstens {documents.max_size_text()} "
                        "zijn. Kies een kleiner bestand, of maak een scan of foto met een lagere kwaliteit."]
    return _upload_page(application, form), 413


def _upload_page(application, form):
    required, missing = _required_documents(application)
    return render_template("applicant/documents.html", application=application, form=form,
                           required=required, missing=missing,
                           steps=steps_mod.step_titles(application.instrument,
                                                       steps_mod.kind_of(application)),
                           max_size=documents.max_size_text())


@bp.post("/aanvragen/<int:app_id>/documenten/<int:doc_id>/verwijderen")
@roles_required(*APPLICANT_ROLES)
def remove_document(app_id: int, doc_id: int):
    """Take a wrong upload out again, as long as the aanvraag has not been sent."""
    application = own_application(app_id)
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.application_id != application.id:
        abort(404)
    if application.status != "concept":
        flash("Dit document is al verstuurd. U kunt het niet meer verwijderen.", "warning")
        return redirect(url_for("applicant.upload", app_id=app_id))
    documents.remove_upload(application, doc, current_user)
    db.session.commit()
    flash(f"Het document {doc.filename} is verwijderd.", "info")
    return redirect(url_for("applicant.upload", app_id=app_id))


@bp.get("/aanvragen/<int:app_id>/documenten/<int:doc_id>")
@roles_required(*APPLICANT_ROLES)
def download_document(app_id: int, doc_id: int):
    application = own_application(app_id)
    return send_document(application, doc_id)


# A document shown inside a staff page: framed by our own pages only, running nothing.
INLINE_CSP = "default-src 'none'; img-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'none'"


def send_document(application, doc_id: int, inline: bool = False, allowed=()) -> Response:
    """A stored document of ``application`` as a download (also used by staff pages); with
    ``inline`` shown in the page, but only when its first bytes make it one of ``allowed``."""
    doc = db.session.get(Document, doc_id)
    if doc is None or doc.application_id != application.id:
        abort(404)
    try:
        data = documents.read(doc)
    except (FileNotFoundError, ValueError):
        abort(404)
    sniffed = documents.sniff(data[:16])
    if inline and sniffed and sniffed[0] in allowed:
        return Response(data, mimetype=sniffed[0], headers={
            "Content-Disposition": _disposition(doc.filename, "inline"),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": INLINE_CSP,
            "X-Frame-Options": "SAMEORIGIN",
        })
    return Response(data, mimetype=doc.content_type, headers={
        "Content-Disposition": _disposition(doc.filename),
        "X-Content-Type-Options": "nosniff",
    })


def _disposition(filename: str, how: str = "attachment") -> str:
    from urllib.parse import quote

    ascii_name = "".join(ch if ch.isascii() and ch.isalnum() or ch in "._-" else "_" for ch in filename)
    return f"{how}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def facts_problems(application) -> list[dict]:
    """Input errors of the stored facts, each with the step where it is fixed, in a sentence
    that stands on its own next to the question (not the rule engine's lowercase fragment)."""
    from fund.rules import InputError, load_rulebook, validate_facts

    kind = steps_mod.kind_of(application)
    document = dict(application.facts or {})
    document["instrument"] = application.instrument
    errors = []
    try:
        validate_facts(document)
    except InputError as exc:
        errors = exc.errors
    problems = []
    for error in errors:
        s, q = steps_mod.question_for_fact(application.instrument, error["field"], kind)
        problems.append({"label": q.label if q else error["field"],
                         "message": sentence(error["message"], load_rulebook().messages),
                         "step": s.slug if s else None})
    return problems


@bp.route("/aanvragen/<int:app_id>/controleren", methods=["GET", "POST"])
@roles_required(*APPLICANT_ROLES)
def summary(app_id: int):
    application = own_application(app_id)
    _editable(application)
    form = FlaskForm()
    problems = facts_problems(application)
    required, missing = _required_documents(application)
    if application.iban is None:
        iban_step, iban = steps_mod.question_for_fact(application.instrument, "meta.iban",
                                                      steps_mod.kind_of(application))
        problems.append({"label": iban.label if iban else "IBAN", "message": NOT_FILLED,
                         "step": iban_step.slug if iban_step else None})
    if form.validate_on_submit():
        event = "submit" if application.status == "concept" else "supplement"
        try:
            wf.send(application, event, current_user)
        except wf.WorkflowError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            if event == "submit":
                return redirect(url_for("applicant.received", app_id=app_id))
            flash("Uw aanvulling is verstuurd.", "info")
            return redirect(url_for("applicant.detail", app_id=app_id))
    return render_template("applicant/summary.html", application=application, form=form,
                           rows=answer_rows(application), problems=problems, missing=missing,
                           steps=steps_mod.step_titles(application.instrument,
                                                       steps_mod.kind_of(application)))


@bp.get("/aanvragen/<int:app_id>/verstuurd")
@roles_required(*APPLICANT_ROLES)
def received(app_id: int):
    """The receipt after submitting: the number, what happens next, the beslistermijn, the PDF."""
    application = own_application(app_id)
    if application.status == "concept":
        return redirect(url_for("applicant.summary", app_id=app_id))
    return render_template("applicant/received.html", application=application)


@bp.get("/aanvragen/<int:app_id>/antwoorden.pdf")
@roles_required(*APPLICANT_ROLES)
def answers_pdf(app_id: int):
    """The submitted answers as a PDF (the same one the ontvangstbevestiging carries)."""
    from fund.letters.answers import answers_pdf as render_answers

    application = own_application(app_id)
    if application.status == "concept":
        abort(404)
    return Response(render_answers(application), mimetype="application/pdf", headers={
        "Content-Disposition": _disposition(f"aanvraag-{application.number}.pdf")})


def timeline(application) -> list[dict]:
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.application_id == application.id)
        .order_by(AuditEvent.seq)
    ).all()
    items = []
    for ev in events:
        text = TIMELINE_TEXT.get(ev.event)
        if text is None:
            if not ev.to_state or ev.to_state == ev.from_state:
                continue
            text = f"{applicant_status(ev.to_state)}."
        items.append({"when": ev.occurred_at, "text": text, "status": ev.to_state})
    return items




@bp.get("/aanvragen/<int:app_id>")
@roles_required(*APPLICANT_ROLES)
def detail(app_id: int):
    application = own_application(app_id)
    return _render_detail(application)


def _render_detail(application, forms: dict | None = None):
    options = [o for o in wf.available_events(application, current_user)
               if o.name in APPLICANT_EVENTS]
    action_forms = []
    for option in options:
        form = (forms or {}).get(option.name) or event_form(option, formdata=None,
                                                            instrument=application.instrument)
        action_forms.append(form)
    decisions = [d for d in application.decisions]
    required, missing = _required_documents(application)
    return render_template(
        "applicant/detail.html", application=application, timeline=timeline(application),
        next_step=NEXT_STEP.get(application.status, ""), action_forms=action_forms,
        decisions=decisions, can_upload=application.status in UPLOAD_STATUSES,
        editable=application.status in EDITABLE, missing=missing,
    )


@bp.post("/aanvragen/<int:app_id>/actie/<event>")
@roles_required(*APPLICANT_ROLES)
def action(app_id: int, event: str):
    application = own_application(app_id)
    if event not in APPLICANT_EVENTS:
        abort(404)
    option = next((o for o in wf.available_events(application, current_user) if o.name == event), None)
    if option is None:
        flash("Dit kan nu niet bij deze aanvraag. Hieronder ziet u de status en wat u nu kunt doen.", "error")
        return redirect(url_for("applicant.detail", app_id=app_id))
    form = event_form(option, instrument=application.instrument)
    if not form.validate_on_submit():
        flash("Er is iets niet goed ingevuld. Kijk bij het formulier hieronder.", "error")
        return _render_detail(application, {event: form}), 400
    if event == "withdraw" and request.form.get("bevestigd") != "ja":
        # Withdrawing cannot be undone: ask once more, on a page of its own (issue 14).
        return render_template("applicant/confirm_withdraw.html", application=application,
                               form=form)
    send_event(application, event, _workflow_done(event), **form.data_for_send)
    return redirect(url_for("applicant.detail", app_id=app_id))


def _workflow_done(event: str) -> str:
    return events.EVENTS[event].done or "Gedaan."


@bp.get("/aanvragen/<int:app_id>/besluiten/<int:decision_id>/brief.pdf")
@roles_required(*APPLICANT_ROLES)
def letter(app_id: int, decision_id: int):
    application = own_application(app_id)
    return send_letter(application, decision_id)


def send_letter(application, decision_id: int) -> Response:
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.application_id != application.id or not decision.letter_pdf:
        abort(404)
    name = f"{decision.number or 'besluit-' + str(decision.id)}.pdf"
    return Response(decision.letter_pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
    })


@bp.route("/organisatie", methods=["GET", "POST"])
@roles_required(Role.WERKGEVER)
def organisation():
    org = current_user.organisation
    if org is None:
        abort(404)
    from fund.forms.accounts import LeerbedrijfForm

    leerbedrijf = (LeerbedrijfForm() if request.method == "POST"
                   else LeerbedrijfForm(data={"sbb_erkend": "ja" if org.sbb_erkend else "nee"}))
    form = InviteForm()
    if request.form.get("action") == "leerbedrijf":
        form = InviteForm(formdata=None)
        if leerbedrijf.validate_on_submit():
            erkend = leerbedrijf.sbb_erkend.data == "ja"
            if erkend != org.sbb_erkend:
                from fund.audit import record

                org.sbb_erkend = erkend
                record("organisation_changed", actor=current_user,
                       data={"organisation_id": org.id, "sbb_erkend": erkend})
                db.session.commit()
            flash("Opgeslagen: uw organisatie is " + ("een erkend leerbedrijf." if erkend else
                  "niet als erkend leerbedrijf bekend."), "info")
            return redirect(url_for("applicant.organisation"))
    elif form.validate_on_submit():
        try:
            accounts.invite_colleague(current_user, form.email.data, form.name.data.strip())
        except accounts.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            from fund.audit import record

            record("colleague_invited", actor=current_user, data={"organisation_id": org.id})
            db.session.commit()
            flash("U heeft uw collega toegevoegd. Uw collega krijgt een e-mail om een wachtwoord te kiezen.",
                  "info")
            return redirect(url_for("applicant.organisation"))
    colleagues = db.session.scalars(
        select(User).where(User.organisation_id == org.id).order_by(User.name)).all()
    return render_template("applicant/organisation.html", organisation=org, colleagues=colleagues,
                           form=form, leerbedrijf=leerbedrijf)


@bp.route("/gegevens", methods=["GET", "POST"])
@roles_required(Role.INWONER, Role.WERKGEVER)
def contact():
    """Mijn gegevens: the postal address the letters go to (a werkgever's: the organisation's
    vestigingsadres), and a new e-mail verification link. Every change is audited."""
    from fund.audit import record
    from fund.forms.accounts import ContactForm

    holder = current_user.organisation if current_user.role == Role.WERKGEVER.value else current_user
    if holder is None:
        abort(404)
    if request.method == "POST" and request.form.get("action") == "verificatie":
        if not current_user.email_verified:
            accounts.send_verification_mail(current_user)
            record("verification_mail_requested", actor=current_user)
            db.session.commit()
        flash("Wij stuurden u een nieuwe e-mail met een link om uw e-mailadres te bevestigen.", "info")
        return redirect(url_for("applicant.contact"))
    form = ContactForm(obj=holder)
    if form.validate_on_submit():
        new = form.address_data()
        old = {k: getattr(holder, k) for k in new}
        if new != old:
            for key, value in new.items():
                setattr(holder, key, value)
            record("address_changed", actor=current_user,
                   data={"holder": "organisation" if holder is not current_user else "user",
                         "changed": sorted(k for k in new if new[k] != old[k])})
            db.session.commit()
        flash("Uw adres is opgeslagen.", "info")
        return redirect(url_for("applicant.contact"))
    return render_template("applicant/contact.html", form=form, holder=holder,
                           for_organisation=holder is not current_user)
