"""Pages anyone may see: the start page, "Check uw kansen", privacy and accessibility."""
from flask import Blueprint, abort, render_template, request

from fund.extensions import limiter
from fund.forms import choices
from fund.forms.check import check_document, check_intros, check_questions
from fund.forms.display import format_date, format_money
from fund.forms.questions import facts_from_form, form_class

bp = Blueprint("public", __name__)

bp.add_app_template_filter(format_date, "datum")
bp.add_app_template_filter(format_money, "euro")


@bp.app_template_filter("zonder_cbs")
def without_cbs_codes(text: str) -> str:
    """A rule explanation for citizens: the CBS codes of gemeenten ("Assen (GM0106)") left out."""
    import re

    return re.sub(r"\s*\(GM\d{4}\)", "", text or "")


@bp.app_context_processor
def _labels():
    from flask import current_app

    return {"labels": choices, "contact": current_app.config["FUND_CONTACT"],
            "bestuursorgaan": current_app.config["FUND_BESTUURSORGAAN"]}


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
    questions = check_questions(instrument)
    form = form_class(f"check_{instrument}", questions)()
    result = None
    if form.validate_on_submit():
        facts, _ = facts_from_form(form, questions)
        try:
            result = evaluate(check_document(instrument, facts))
        except InputError as exc:
            names = {q.fact: q.name for q in questions}
            for error in exc.errors:
                field = getattr(form, names.get(error["field"], ""), None)
                if field is not None:
                    field.errors = list(field.errors) + [_sentence(error["message"])]
                else:
                    form.form_errors.append(_sentence(error["message"]))
    return render_template("public/check.html", form=form, instrument=instrument,
                           intro=intros[instrument], result=result)


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
