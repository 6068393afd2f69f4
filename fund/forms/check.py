""""Check uw kansen": the questions of the application form that decide eligibility.

Which questions are asked (``check: false`` leaves one out), the intro and the placeholder facts
that decide nothing (names, crebo, KvK number) come from ``rules/<instrument>/form.yaml``.
"""
from __future__ import annotations

from fund.forms.display import today
from fund.forms.instruments import form, set_fact, steps_for
from fund.forms.questions import Question
from fund.rules import load_rulebook


def check_intros() -> dict[str, str]:
    """Every instrument with its check page intro, in the regeling's order."""
    book = load_rulebook()
    return {i: book.form(i).check_intro for i in book.instruments}


def check_kinds(instrument: str) -> tuple[str, ...]:
    """Who may do the check: person and/or organisation (``applicants:`` in form.yaml)."""
    return tuple(dict.fromkeys(kind for _, kind in form(instrument).applicant_kinds))


def check_wie(instrument: str, kind: str | None) -> str:
    """The word for the person the check is about: "u", or "de kandidaat" when a leerbedrijf
    checks for its candidate -- the ``wie:`` of the form's first step, as the application says."""
    return steps_for(instrument, kind)[0].wie or "u"


def check_questions(instrument: str, kind: str | None = None) -> tuple[Question, ...]:
    """The questions that decide, as an applicant of ``kind`` reads them in the application."""
    asked = {q.fact for q in form(instrument).questions() if q.check}
    return tuple(q for s in steps_for(instrument, kind) for q in s.questions if q.fact in asked)


def check_document(instrument: str, facts: dict, kind: str | None = None) -> dict:
    """The §7 facts document for the check: today's date, the placeholders, who checks, the answers."""
    doc: dict = {"instrument": instrument, "application": {"date": today().isoformat()}}
    spec = form(instrument)
    for dotted, value in spec.check_facts:
        set_fact(doc, dotted, value)
    if kind and spec.applicant_kind_fact:
        set_fact(doc, spec.applicant_kind_fact, kind)
    for section, values in facts.items():
        for key, value in values.items():
            if value is not None:
                doc.setdefault(section, {})[key] = value
    return doc


def who_form(instrument: str):
    """"Voor wie doet u de check?" for an instrument that a person and an organisation (on the
    person's behalf) may apply for; sent with GET, so no CSRF token."""
    from flask_wtf import FlaskForm
    from wtforms import HiddenField, RadioField
    from wtforms.validators import InputRequired

    from fund.forms import choices

    labels = {"person": "Voor mezelf",
              "organisation": f"Voor {check_wie(instrument, 'organisation')}, namens mijn organisatie"}

    class WhoForm(FlaskForm):
        class Meta:
            csrf = False

        voor = HiddenField(default=instrument)
        kies = HiddenField(default="1")  # the choice was sent: a missing answer is an error
        als = RadioField("Voor wie doet u de check?",
                         description="Doet u de check voor iemand anders, als werkgever of leerbedrijf? "
                                     "Kies dan de tweede keuze.",
                         choices=choices.options((k, labels[k]) for k in check_kinds(instrument)),
                         validators=[InputRequired("Kies voor wie u de check doet.")])

    return WhoForm
