"""What the portal reads of an instrument's ``form.yaml``, as :func:`fund.rules.portal.build_form`
leaves it: plain frozen dataclasses, kept by the :class:`~fund.rules.rulebook.Rulebook`.

Apart from the file shapes (pydantic, :mod:`fund.rules.portal`) so that a rulebook read from the
cache (:mod:`fund.rules.cache`) needs neither pydantic nor the schema classes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class HistoryFact:
    """One ``history`` fact as ``form.yaml`` declares it (:class:`fund.rules.portal.HistorySpec`):
    what it ``counts`` (applications, amount), of whom (``same``), in which ``window`` (``months``
    parameter or calendar_year), of which ``instrument`` (default: the application's own)."""

    counts: str
    same: str
    window: str
    months: str | None = None
    instrument: str | None = None


@dataclass(frozen=True)
class FormQuestion:
    fact: str
    kind: str
    label: str
    hint: str | None = None
    options: tuple[tuple[str, str], ...] = ()
    required: bool = True
    required_if: tuple[str, Any] | None = None
    autocomplete: str | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    input_attrs: tuple[tuple[str, Any], ...] = ()
    check: bool = True


@dataclass(frozen=True)
class FormStep:
    slug: str
    title: str
    intro: str
    questions: tuple[FormQuestion, ...]
    wie: str | None = None  # the word for the person the step is about ("u", "de kandidaat")


@dataclass(frozen=True)
class InstrumentForm:
    instrument: str
    label: str
    applicant_kinds: tuple[tuple[str, str], ...]  # (role, person|organisation)
    applicant_kind_fact: str | None
    check_intro: str
    check_facts: tuple[tuple[str, Any], ...]  # dotted fact -> placeholder value
    from_organisation: tuple[tuple[str, str, str], ...]  # (dotted fact, organisation field, fact type)
    steps: tuple[FormStep, ...]  # as the first applicant kind sees them
    documents_always: tuple[str, ...]
    documents_when: tuple[tuple[str, Any, str], ...]  # (dotted fact, value, document kind)
    vaststelling_map: tuple[tuple[str, str], ...]  # reported result -> vaststelling result
    # The results a person may report, in the form's order: (value, option label, letter text).
    reported_results: tuple[tuple[str, str, str], ...]
    needs_costs: tuple[str, ...]
    history: tuple[tuple[str, HistoryFact], ...]  # history fact name -> what it counts
    subject: str  # section of the person or firm (alias `subject`)
    activiteit: str  # section of the training/activity/traject (alias `activiteit`)
    letter_paragraphs: tuple[tuple[str, tuple[str, ...]], ...] = ()  # decision kind -> paragraphs

    def paragraphs(self, kind: str) -> tuple[str, ...]:
        """The instrument's own paragraphs for a letter of decision ``kind`` (``letters:``)."""
        return dict(self.letter_paragraphs).get(kind, ())
    # The steps per applicant kind (person/organisation): questions with `ask:` only go to that
    # kind (a leerbedrijf is not asked its own name), and `{wie}` is "u" or "de kandidaat".
    steps_by_kind: tuple[tuple[str, tuple[FormStep, ...]], ...] = ()

    def steps_for(self, kind: str | None = None) -> tuple[FormStep, ...]:
        return dict(self.steps_by_kind).get(kind, self.steps) if kind else self.steps

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(role for role, _ in self.applicant_kinds)

    def applicant_kind(self, role: str) -> str | None:
        return dict(self.applicant_kinds).get(role)

    def questions(self) -> tuple[FormQuestion, ...]:
        return tuple(q for s in self.steps for q in s.questions)
