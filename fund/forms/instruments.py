"""The steps of the application form, per instrument, read from ``rules/<instrument>/form.yaml``.

Nothing here names an instrument: the steps, questions, option labels and who may apply come from
the rulebook (:mod:`fund.rules.portal`). Every step is a tuple of
:class:`~fund.forms.questions.Question`; a question fills one fact. After the question steps come
"documenten" and "controleren" (handled by the views).

API (what the views and i14's rendering use)::

    steps_for(instrument) -> tuple[Step, ...]         step(instrument, slug) -> Step | None
    next_slug / all_slugs / step_titles(instrument)    question_for_fact(instrument, dotted)
    instruments_for(role) -> tuple[str, ...]           initial_facts(instrument, user) -> dict
    steps_by_instrument() -> {instrument: steps}       label(instrument) -> str
    organisation_answers / settled_by_organisation(instrument, org)   questions_to_ask(step, settled)
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from fund.forms.display import today
from fund.forms.questions import Question
from fund.rules import load_rulebook
from fund.rules.instrument_form import FormStep, InstrumentForm

DOCUMENTS_STEP = "documenten"
SUMMARY_STEP = "controleren"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    questions: tuple[Question, ...]
    wie: str | None = None  # "u", or "de kandidaat" when a leerbedrijf applies for its candidate


def _question(q) -> Question:
    choices = q.options
    kind = q.kind
    if kind == "gemeente":
        from fund.forms.choices import MUNICIPALITIES

        kind, choices = "enum", tuple(MUNICIPALITIES)
    return Question(q.fact, kind, q.label, q.hint, choices or None, required=q.required,
                    pattern=q.pattern, pattern_message=q.pattern_message,
                    required_if=q.required_if, autocomplete=q.autocomplete,
                    input_attrs=dict(q.input_attrs))


@functools.lru_cache(maxsize=64)
def _steps(form_steps: tuple[FormStep, ...]) -> tuple[Step, ...]:
    return tuple(Step(s.slug, s.title, s.intro, tuple(_question(q) for q in s.questions), s.wie)
                 for s in form_steps)


def form(instrument: str) -> InstrumentForm:
    """The instrument's declaration (raises LookupError for an unknown instrument)."""
    return load_rulebook().form(instrument)


def label(instrument: str) -> str:
    return form(instrument).label


def instruments_for(role: str) -> tuple[str, ...]:
    """Who may apply for what (``applicants:`` in each form.yaml)."""
    return load_rulebook().instruments_for_role(role)


def steps_for(instrument: str, kind: str | None = None) -> tuple[Step, ...]:
    """The question steps as an applicant of ``kind`` (person/organisation) sees them."""
    return _steps(form(instrument).steps_for(kind))


def kind_of(application) -> str:
    """Who applied: an organisation (werkgever, leerbedrijf) or a person."""
    return "organisation" if application.organisation_id else "person"


def on_behalf_of(application) -> str | None:
    """The person an organisation applied for (a leerbedrijf for its candidate): the ``name`` of
    the instrument's subject section, or None. Letters, mails and pages name that person."""
    if application.organisation_id is None:
        return None
    name = ((application.facts or {}).get(form(application.instrument).subject) or {}).get("name")
    return name.strip() or None if isinstance(name, str) else None


def kind_for_user(instrument: str, user) -> str | None:
    return form(instrument).applicant_kind(user.role)


def steps_by_instrument() -> dict[str, tuple[Step, ...]]:
    return {i: steps_for(i) for i in load_rulebook().instruments}


def step(instrument: str, slug: str, kind: str | None = None) -> Step | None:
    return next((s for s in steps_for(instrument, kind) if s.slug == slug), None)


def all_slugs(instrument: str, kind: str | None = None) -> list[str]:
    return [s.slug for s in steps_for(instrument, kind)] + [DOCUMENTS_STEP, SUMMARY_STEP]


def next_slug(instrument: str, slug: str, kind: str | None = None) -> str:
    slugs = all_slugs(instrument, kind)
    return slugs[min(slugs.index(slug) + 1, len(slugs) - 1)]


def step_titles(instrument: str, kind: str | None = None) -> list[tuple[str, str]]:
    return [(s.slug, s.title) for s in steps_for(instrument, kind)] + [
        (DOCUMENTS_STEP, "Documenten"), (SUMMARY_STEP, "Controleren en versturen")]


def set_fact(facts: dict, dotted: str, value) -> None:
    section, key = dotted.split(".", 1)
    facts.setdefault(section, {})[key] = value


def initial_facts(instrument: str, user) -> dict:
    """Facts the portal knows before the first question: the date, who applies, the organisation."""
    spec = form(instrument)
    facts: dict = {"instrument": instrument, "application": {"date": today().isoformat()}}
    org = user.organisation
    if spec.applicant_kind_fact:
        set_fact(facts, spec.applicant_kind_fact, "organisation" if org else "person")
    for dotted, value in organisation_answers(instrument, org).items():
        set_fact(facts, dotted, value)
    return facts


def organisation_answers(instrument: str, org) -> dict:
    """The facts the organisation record fills (``from_organisation:`` in form.yaml).

    A number the record holds as 0 and a 'no' are left out: a new organisation's record holds 0
    and False until the werkgever says otherwise, so an empty box asks instead of suggesting an
    answer (issue 14 walk)."""
    answers: dict = {}
    if org is None:
        return answers
    for dotted, attribute, fact_type in form(instrument).from_organisation:
        value = getattr(org, attribute)
        if fact_type in ("int", "money", "bool") and not value:
            continue
        if fact_type == "money" and value is not None:
            value = f"{value:.2f}"
        elif fact_type == "bool":
            value = True
        answers[dotted] = value
    return answers


def settled_by_organisation(instrument: str, org) -> dict:
    """The yes/no facts the organisation record answers 'ja' (a leerbedrijf that is SBB-erkend on
    its organisation page): the form does not ask them again. Numbers and texts from the record
    are only filled in, for the werkgever to check on each application."""
    kinds = {dotted: fact_type for dotted, _, fact_type in form(instrument).from_organisation}
    return {dotted: value for dotted, value in organisation_answers(instrument, org).items()
            if kinds[dotted] == "bool"}


def questions_to_ask(current: Step, settled: dict) -> tuple[str, tuple[Question, ...]]:
    """(form key suffix, questions) of a step without what the organisation record settles
    (``settled``: :func:`settled_by_organisation`, which the caller also fills in)."""
    asked = tuple(q for q in current.questions if q.fact not in settled)
    return ("" if len(asked) == len(current.questions) else "_org"), asked


def question_for_fact(instrument: str, dotted: str, kind: str | None = None):
    """(step, question) that asks the fact ``dotted``, or (None, None)."""
    for s in steps_for(instrument, kind):
        for q in s.questions:
            if q.fact == dotted:
                return s, q
    return None, None
