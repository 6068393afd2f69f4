"""Pages anyone may see: the start page, "Check uw kansen", privacy and accessibility."""
from flask import Blueprint, abort, render_template, request

from fund.extensions import limiter
from fund.forms import choices
from fund.forms.check import check_document, check_intros, check_kinds, check_questions, check_wie, who_form
from fund.forms.display import format_date, format_money
from fund.forms.questions import facts_from_form, form_class

bp = Blueprint("public", __name__)

bp.add_app_template_filter(format_date, "datum")
bp.add_app_template_filter(format_money, "euro")


@bp.app_template_filter("voor_inwoner")
def for_citizens(text: str) -> str:
    """A rule explanation for citizens: the check's placeholders for names it does not ask ("(-)",
    ``check.facts`` in form.yaml) left out. The rules name a gemeente without its CBS code; a trace
    stored before that change still says "Assen (GM0106)", so such a code is left out too."""
    import re

    return re.sub(r"\s*\((GM\d{4}|-)\)", "", text or "")


@bp.app_context_processor
def _labels():
    from flask import current_app

    return {"labels": choices, "contact": current_app.config["FUND_CONTACT"],
            "bestuursorgaan": current_app.config["FUND_BESTUURSORGAAN"], "refer_to": _refer_to}


def _refer_to(instrument: str, code: str, aanvrager: bool = False) -> str:
    """Where a referral sends the applicant first, as the rules say it (``refer_to`` of the
    voorziening): "uw gemeente" for an applicant about themself, "de gemeente" otherwise."""
    from fund.rules import load_rulebook

    return load_rulebook().refer_to(instrument, code, aanvrager=aanvrager)


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.route("/check", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def check():
    """Ask the deciding facts, evaluate them like the eligibility API, show the trace."""
    from fund.rules import InputError, evaluate

    instrument = request.values.get("voor")
    if instrument is None:
        return render_template("public/check_choose.html", intros=check_intros())
    intros = check_intros()
    if instrument not in intros:
        abort(404)
    kind = _checking_as(instrument)
    if kind is None:
        who = who_form(instrument)(request.args)
        if "kies" in request.args:
            who.validate()
        return render_template("public/check.html", who=who, instrument=instrument,
                               intro=intros[instrument], result=None)
    questions = check_questions(instrument, kind)
    form = form_class(f"check_{instrument}_{kind}", questions)()
    result = None
    if form.validate_on_submit():
        facts, _ = facts_from_form(form, questions)
        try:
            result = evaluate(check_document(instrument, facts, kind))
        except InputError as exc:
            names = {q.fact: q.name for q in questions}
            for error in exc.errors:
                field = getattr(form, names.get(error["field"], ""), None)
                if field is not None:
                    field.errors = list(field.errors) + [_sentence(error["message"])]
                else:
                    form.form_errors.append(_sentence(error["message"]))
    kinds = check_kinds(instrument)
    return render_template("public/check.html", form=form, instrument=instrument,
                           intro=intros[instrument], result=result, wie=check_wie(instrument, kind),
                           als=kind if len(kinds) > 1 else None)


def _checking_as(instrument: str) -> str | None:
    """Who the check is for: the applicant kind the visitor chose (``als``), else the one of the
    logged-in user's role (unless they asked to choose), else the only one there is; None means:
    ask first."""
    from flask_login import current_user

    kinds = check_kinds(instrument)
    if request.values.get("als") in kinds:
        return request.values["als"]
    if len(kinds) == 1:
        return kinds[0]
    if current_user.is_authenticated and not ("kies" in request.args or "opnieuw" in request.args):
        from fund.forms.instruments import kind_for_user

        kind = kind_for_user(instrument, current_user)
        if kind in kinds:
            return kind
    return None


def _sentence(message: str) -> str:
    message = message.strip()
    return (message[:1].upper() + message[1:]).rstrip(".") + "."


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/toegankelijkheid")
def toegankelijkheid():
    return render_template("public/toegankelijkheid.html")


@bp.get("/healthz")
def healthz():
    from fund.db_health import check_database_reachable

    check_database_reachable()
    return {"status": "ok"}
