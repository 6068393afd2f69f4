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
    if org is not None:
        for dotted, attribute, fact_type in spec.from_organisation:
            value = getattr(org, attribute)
            if fact_type in ("int", "money") and not value:
                # A new organisation's record holds 0 until the werkgever says otherwise: an
                # empty box asks, a prefilled "0" would suggest an answer (issue 14 walk).
                continue
            if fact_type == "money" and value is not None:
                value = f"{value:.2f}"
            elif fact_type == "bool":
                value = bool(value)
            set_fact(facts, dotted, value)
    return facts


def question_for_fact(instrument: str, dotted: str, kind: str | None = None):
    """(step, question) that asks the fact ``dotted``, or (None, None)."""
    for s in steps_for(instrument, kind):
        for q in s.questions:
            if q.fact == dotted:
                return s, q
    return None, None
