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


def check_questions(instrument: str) -> tuple[Question, ...]:
    asked = {q.fact for q in form(instrument).questions() if q.check}
    return tuple(q for s in steps_for(instrument) for q in s.questions if q.fact in asked)


def check_document(instrument: str, facts: dict) -> dict:
    """The §7 facts document for the check: today's date, the placeholders, the answers."""
    doc: dict = {"instrument": instrument, "application": {"date": today().isoformat()}}
    for dotted, value in form(instrument).check_facts:
        set_fact(doc, dotted, value)
    for section, values in facts.items():
        for key, value in values.items():
            if value is not None:
                doc.setdefault(section, {})[key] = value
    return doc
