"""The submitted answers of an application as a PDF/A-3b: sent with the ontvangstbevestiging
and downloadable by the applicant. Same stylesheet and fonts as the letters."""
from __future__ import annotations

from flask import current_app, render_template

from fund.forms.answers import answer_rows
from fund.letters.pdf import html_to_pdf
from fund.letters.render import TEMPLATE_DIR, register_filters


def answers_html(application, *, for_mail: bool = False) -> str:
    register_filters(current_app)
    css = (TEMPLATE_DIR / "letter.css").read_text(encoding="utf-8")
    return render_template("letters/answers.html", css=css, app=application, rows=answer_rows(application, for_mail=for_mail),
                           bestuursorgaan=current_app.config["FUND_BESTUURSORGAAN"])


def answers_pdf(application, *, for_mail: bool = False) -> bytes:
    """``for_mail``: IBAN and birth dates are left out (they never travel by e-mail)."""
    return html_to_pdf(answers_html(application, for_mail=for_mail))
