"""The portal side of an instrument folder: ``rules/<instrument>/form.yaml``.

``form.yaml`` says what the web portal asks and shows for one instrument: its label, who may
apply (role and person/organisation), the check page's intro, the form steps and questions, the
required document types and how a reported traject result maps to a vaststelling result. Shared
question groups live in ``rules/shared/form.yaml``. The Python side (``fund.forms``,
``fund.workflow``) is generic and reads everything from here, so adding an instrument needs no
Python change (see ``rules/README.md``).

Public API (built once per rulebook, reached through :meth:`Rulebook.form`)::

    form = load_rulebook().form("llo")          # InstrumentForm
    form.label, form.roles, form.check_intro    # "Ontwikkelbudget (LLO-traject)", ("inwoner",), ...
    for step in form.steps:                     # FormStep(slug, title, intro, questions)
        for q in step.questions:                # FormQuestion(fact, kind, label, hint, options, ...)
            ...
    load_rulebook().instruments_for_role("werkgever")   # ("voucher", "praktijkverklaring")

Every question names a fact of the instrument (or ``meta.title``/``meta.iban``, the portal's own
fields); its options are exactly the values of the fact's enum, in their order, with the labels
``options:`` gives. A gap (unknown fact, an enum value without a label, a label for a value the
enum does not have, an unknown document kind or vaststelling result) is a load error with
file:line, like every other rule file problem (``fund rules check``).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import Field, StrictBool, StrictInt, StrictStr

from fund.rules.facts import FactField
from fund.rules.instrument_form import FormQuestion, FormStep, HistoryFact, InstrumentForm
from fund.rules.schema import ReportedResult, _Strict

__all__ = ["FormQuestion", "FormStep", "HistoryFact", "InstrumentForm", "build_form"]

# The portal's own fields: not facts of the rules, kept on the application itself.
META_FACTS = {"meta.title": "text", "meta.iban": "iban"}
# Question kinds the portal renders (fund.forms.questions); most follow from the fact's type.
QUESTION_KINDS = ("date", "bool", "enum", "money", "int", "text", "code", "lines", "iban", "gemeente")
_KIND_OF_TYPE = {"date": "date", "bool": "bool", "enum": "enum", "money": "money", "int": "int",
                 "text": "text", "code": "code", "list": "lines"}
# What an organisation record offers to fill facts before the first question.
ORGANISATION_FIELDS = ("kvk_number", "municipality", "employees", "annual_turnover", "name",
                       "sbb_erkend")
APPLICANT_KINDS = ("person", "organisation")


# -- shape of the files ------------------------------------------------------------------------

class RequiredIf(_Strict):
    fact: StrictStr
    equals: Any


class QuestionSpec(_Strict):
    fact: StrictStr
    label: StrictStr
    kind: Literal[QUESTION_KINDS] | None = None  # type: ignore[valid-type]
    hint: StrictStr | None = None
    options: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    required: StrictBool = True
    required_if: RequiredIf | None = None
    autocomplete: StrictStr | None = None
    maxlength: StrictInt | None = None
    inputmode: StrictStr | None = None
    pattern_message: StrictStr | None = None
    check: StrictBool = True  # asked on the "check uw kansen" page
    ask: Literal[APPLICANT_KINDS] | None = None  # type: ignore[valid-type]  # only this applicant kind


# `wie`: the word for the person a step is about, one for all applicants or one per applicant
# kind ({person: u, organisation: de kandidaat}); `{wie}`/`{Wie}` in labels, hints, title and
# intro take it.
Wie = Union[StrictStr, dict[StrictStr, StrictStr]]


class UseGroup(_Strict):
    use: StrictStr
    section: StrictStr | None = None
    wie: Wie | None = None


class StepSpec(_Strict):
    slug: StrictStr
    title: StrictStr
    intro: StrictStr
    wie: Wie | None = None
    questions: list[Union[UseGroup, QuestionSpec]] = Field(min_length=1)


class ApplicantSpec(_Strict):
    role: StrictStr
    kind: Literal[APPLICANT_KINDS]  # type: ignore[valid-type]


class CheckSpec(_Strict):
    intro: StrictStr
    facts: dict[StrictStr, Any] = Field(default_factory=dict)


class DocumentWhen(_Strict):
    fact: StrictStr
    equals: Any
    kind: StrictStr


class DocumentsSpec(_Strict):
    always: list[StrictStr] = Field(default_factory=list)
    when: list[DocumentWhen] = Field(default_factory=list)


class VaststellingSpec(_Strict):
    map: dict[StrictStr, StrictStr]  # reported result -> vaststelling result; the form's options
    needs_costs: list[StrictStr] = Field(default_factory=list)
    # Results only this instrument offers (the common ones are in rules/shared/workflow.yaml).
    reported_results: dict[StrictStr, ReportedResult] = Field(default_factory=dict)


class HistorySpec(_Strict):
    """One ``history`` fact the application computes from the fund's own records.

    It looks at grants of ``instrument`` (default: this one) that still stand and were decided in
    the window (``months: <parameter>`` before application.date, or ``calendar_year`` of it), of
    the same applicant (``same: applicant``) or with the same value of a fact (``same: <fact>``),
    and ``counts`` them (``applications``) or sums their amounts (``amount``: the final amount,
    else the granted amount).
    """

    counts: Literal["applications", "amount"]
    same: StrictStr
    window: Literal["months", "calendar_year"]
    months: StrictStr | None = None  # name of the parameter with the number of months
    instrument: StrictStr | None = None


class FormFile(_Strict):
    label: StrictStr
    applicants: list[ApplicantSpec] = Field(min_length=1)
    applicant_kind_fact: StrictStr | None = None
    check: CheckSpec
    from_organisation: dict[StrictStr, Literal[ORGANISATION_FIELDS]] = Field(  # type: ignore[valid-type]
        default_factory=dict)
    steps: list[StepSpec] = Field(min_length=1)
    documents: DocumentsSpec = Field(default_factory=DocumentsSpec)
    vaststelling: VaststellingSpec
    history: dict[StrictStr, HistorySpec] = Field(default_factory=dict)
    # Optional paragraphs the instrument adds to its letters, per decision kind (verlening: [...]).
    letters: dict[StrictStr, list[StrictStr]] = Field(default_factory=dict)


class SharedFormFile(_Strict):
    question_groups: dict[StrictStr, list[QuestionSpec]] = Field(default_factory=dict)


# -- building and checking ---------------------------------------------------------------------

def build_form(loader, instrument: str, path: Path, fields: dict[str, FactField],
               aliases: dict[str, str], vaststelling_results: set[str], shared: SharedFormFile | None,
               shared_src, document_kinds: set[str],
               shared_results: dict[str, ReportedResult]) -> InstrumentForm | None:
    """Read and check one ``form.yaml``; problems go to ``loader.problems`` with file:line."""
    form, src = loader.load_file(FormFile, path)
    if form is None or src is None:
        return None
    problems = loader.problems
    groups = shared.question_groups if shared else {}

    def question(spec: QuestionSpec, where, loc, section: str | None = None, wie: str | None = None):
        fact = spec.fact.replace("{s}", section or "{s}")
        label = _say(spec.label, wie)
        hint = _say(spec.hint, wie) if spec.hint else spec.hint
        field = fields.get(fact)
        if fact in META_FACTS:
            kind = spec.kind or META_FACTS[fact]
        elif field is None:
            problems.append(where.problem(loc + ("fact",), f"onbekend feit '{fact}' voor {instrument}"))
            return None
        else:
            kind = spec.kind or _KIND_OF_TYPE[field.type]
        options: tuple[tuple[str, str], ...] = ()
        if field is not None and field.values:
            missing = [v for v in field.values if v not in spec.options]
            extra = [v for v in spec.options if v not in field.values]
            if missing:
                problems.append(where.problem(loc + ("options",) if spec.options else loc,
                                              f"geen label voor {', '.join(missing)} (waarden van {fact})"))
            for value in extra:
                problems.append(where.problem(loc + ("options", value),
                                              f"'{value}' is geen waarde van {fact}"))
            options = tuple((v, spec.options.get(v, v)) for v in field.values)
        elif spec.options:
            problems.append(where.problem(loc + ("options",), f"{fact} is geen enum; 'options' kan weg"))
        attrs = tuple((k, v) for k, v in (("maxlength", spec.maxlength), ("inputmode", spec.inputmode))
                      if v is not None)
        return FormQuestion(
            fact=fact, kind=kind, label=label, hint=hint, options=options, required=spec.required,
            required_if=(spec.required_if.fact, spec.required_if.equals) if spec.required_if else None,
            autocomplete=spec.autocomplete,
            pattern=field.pattern.pattern if field is not None and field.pattern else None,
            pattern_message=spec.pattern_message or (field.pattern_message if field else None),
            input_attrs=attrs, check=spec.check and fact not in META_FACTS)

    def build_steps(kind: str) -> list[FormStep]:
        steps: list[FormStep] = []
        slugs: set[str] = set()
        for i, step in enumerate(form.steps):
            if step.slug in slugs:
                problems.append(src.problem(("steps", i, "slug"), f"stap '{step.slug}' komt twee keer voor"))
            slugs.add(step.slug)
            step_wie = _wie(step.wie, kind)
            built: list[FormQuestion] = []
            for j, item in enumerate(step.questions):
                loc = ("steps", i, "questions", j)
                if isinstance(item, UseGroup):
                    if item.use not in groups:
                        problems.append(src.problem(loc + ("use",), f"onbekende vragengroep '{item.use}'; "
                                                    f"kies uit: {', '.join(groups)}"))
                        continue
                    wie = _wie(item.wie, kind) or step_wie
                    for k, spec in enumerate(groups[item.use]):
                        q = question(spec, shared_src, ("question_groups", item.use, k), item.section, wie)
                        if q is None:
                            problems.append(src.problem(loc, f"vragengroep '{item.use}' past niet bij {instrument}"))
                        elif spec.ask in (None, kind):
                            built.append(q)
                elif item.ask in (None, kind):
                    q = question(item, src, loc, wie=step_wie)
                    if q is not None:
                        built.append(q)
            steps.append(FormStep(step.slug, _say(step.title, step_wie), _say(step.intro, step_wie),
                                  tuple(built), step_wie))
        return steps

    kinds = list(dict.fromkeys(a.kind for a in form.applicants))
    steps = build_steps(kinds[0])
    reported = loader.problems
    problems = []  # the other kinds' builds repeat the same checks: report them once
    steps_by_kind = {kind: tuple(build_steps(kind)) for kind in kinds[1:]}
    problems = reported
    steps_by_kind[kinds[0]] = tuple(steps)

    asked = {q.fact for kind_steps in steps_by_kind.values() for s in kind_steps for q in s.questions}
    for i, q in enumerate(q for s in steps for q in s.questions):
        if q.required_if and q.required_if[0] not in asked:
            problems.append(src.problem(("steps",), f"{q.fact}: required_if noemt {q.required_if[0]}, "
                                        "dat het formulier niet vraagt"))

    def known_fact(dotted: str, loc) -> None:
        if dotted not in fields:
            problems.append(src.problem(loc, f"onbekend feit '{dotted}' voor {instrument}"))

    for dotted in form.check.facts:
        known_fact(dotted, ("check", "facts", dotted))
    for dotted in form.from_organisation:
        known_fact(dotted, ("from_organisation", dotted))
    if form.applicant_kind_fact:
        known_fact(form.applicant_kind_fact, ("applicant_kind_fact",))
    for i, kind in enumerate(form.documents.always):
        if kind not in document_kinds:
            problems.append(src.problem(("documents", "always", i), f"onbekende documentsoort '{kind}'"))
    for i, rule in enumerate(form.documents.when):
        known_fact(rule.fact, ("documents", "when", i, "fact"))
        if rule.kind not in document_kinds:
            problems.append(src.problem(("documents", "when", i, "kind"), f"onbekende documentsoort '{rule.kind}'"))
    results = {**shared_results, **form.vaststelling.reported_results}
    for value in form.vaststelling.reported_results:
        if value in shared_results:
            problems.append(src.problem(("vaststelling", "reported_results", value), (
                f"'{value}' staat al in shared/workflow.yaml (reported_results)")))
    for reported, result in form.vaststelling.map.items():
        if reported not in results and shared_results:  # (none: workflow.yaml did not load)
            problems.append(src.problem(("vaststelling", "map", reported), (
                f"onbekend gemeld resultaat '{reported}'; kies uit: {', '.join(results)} "
                "of zet het onder vaststelling.reported_results")))
        if result not in vaststelling_results:
            problems.append(src.problem(("vaststelling", "map", reported), (
                f"onbekend vaststellingsresultaat '{result}'; kies uit: {', '.join(sorted(vaststelling_results))}")))
    for i, reported in enumerate(form.vaststelling.needs_costs):
        if reported not in form.vaststelling.map:
            problems.append(src.problem(("vaststelling", "needs_costs", i), f"'{reported}' staat niet in map"))
    for name, spec in form.history.items():
        known_fact(f"history.{name}", ("history", name))
        if spec.same != "applicant":
            known_fact(spec.same, ("history", name, "same"))
        if spec.window == "months" and not spec.months:
            problems.append(src.problem(("history", name), "window: months vraagt 'months: <parameter>'"))
    for dotted, field in fields.items():
        if dotted.startswith("history.") and dotted.split(".", 1)[1] not in form.history:
            problems.append(src.problem(("history",) if form.history else (),
                                        f"het feit {dotted} staat niet onder 'history:'"))
    from fund.models.decision_kinds import DECISION_KINDS

    for kind in form.letters:
        if kind not in DECISION_KINDS:
            problems.append(src.problem(("letters", kind), (
                f"onbekende soort besluit '{kind}'; kies uit: {', '.join(DECISION_KINDS)}")))
    for alias in ("subject", "activiteit"):
        if alias not in aliases:
            problems.append(src.problem((), f"instrument.yaml van {instrument} mist de alias '{alias}'"))

    return InstrumentForm(
        instrument=instrument, label=form.label,
        applicant_kinds=tuple((a.role, a.kind) for a in form.applicants),
        applicant_kind_fact=form.applicant_kind_fact,
        check_intro=form.check.intro, check_facts=tuple(form.check.facts.items()),
        from_organisation=tuple((dotted, attr, fields[dotted].type)
                                for dotted, attr in form.from_organisation.items() if dotted in fields),
        steps=tuple(steps), documents_always=tuple(form.documents.always),
        documents_when=tuple((w.fact, w.equals, w.kind) for w in form.documents.when),
        vaststelling_map=tuple(form.vaststelling.map.items()),
        reported_results=tuple((value, results[value].label, results[value].letter)
                               for value in form.vaststelling.map if value in results),
        needs_costs=tuple(form.vaststelling.needs_costs),
        history=tuple((name, HistoryFact(spec.counts, spec.same, spec.window, spec.months, spec.instrument))
                      for name, spec in form.history.items()),
        subject=aliases.get("subject", ""), activiteit=aliases.get("activiteit", ""),
        letter_paragraphs=tuple((kind, tuple(texts)) for kind, texts in form.letters.items()),
        steps_by_kind=tuple(steps_by_kind.items()),
    )


def _wie(wie, kind: str) -> str | None:
    return wie.get(kind) if isinstance(wie, dict) else wie


def _say(text: str, wie: str | None) -> str:
    """``{wie}`` and, at the start of a sentence, ``{Wie}`` in a text."""
    if not wie:
        return text
    return text.replace("{wie}", wie).replace("{Wie}", wie[:1].upper() + wie[1:])
