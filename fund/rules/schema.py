"""Pydantic models for the rule files: what may be written where.

The models only describe *shape*. Meaning (does this fact exist, is that parameter defined,
do definitions refer to each other in a circle) is checked by :mod:`fund.rules.compiler`, which
reports with the same file:line precision.

Conditions and formulas are a declarative tree (``{all: [...]}``, ``{op: ">=", left: ..., right:
...}``, ``{fact: applicant.birth_date}``, ...). Each node is a mapping with exactly one
distinguishing key; the :func:`_expression_tag` discriminator picks the model, so a typo in a
key gives one clear error instead of a list of failed union members.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    Tag,
    model_validator,
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# ---------------------------------------------------------------------------------------------
# expressions

class FactRef(_Strict):
    fact: StrictStr


class ParamRef(_Strict):
    param: StrictStr


class VarRef(_Strict):
    var: StrictStr


class AllOf(_Strict):
    all: list["Expression"] = Field(min_length=1)


class AnyOf(_Strict):
    any: list["Expression"] = Field(min_length=1)


class NotOf(_Strict):
    not_: "Expression" = Field(alias="not")


COMPARE_OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in")


class Compare(_Strict):
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not_in"]
    left: "Expression"
    right: "Expression"


class Add(_Strict):
    add: list["Expression"] = Field(min_length=2)


class Sub(_Strict):
    sub: list["Expression"] = Field(min_length=2, max_length=2)


class Mul(_Strict):
    mul: list["Expression"] = Field(min_length=2)


class MinOf(_Strict):
    min: list["Expression"] = Field(min_length=1)


class MaxOf(_Strict):
    max: list["Expression"] = Field(min_length=1)


class RoundDown(_Strict):
    """Round down to whole euros (regeling §1)."""

    round_down: "Expression"


class IfThenElse(_Strict):
    if_: "Expression" = Field(alias="if")
    then: "Expression"
    else_: "Expression" = Field(alias="else")


class AgeOnArgs(_Strict):
    birth_date: "Expression"
    date: "Expression"


class AgeOn(_Strict):
    """Age in whole years on a date; a birthday on that date counts."""

    age_on: AgeOnArgs


class AddMonthsArgs(_Strict):
    date: "Expression"
    months: "Expression"


class AddMonths(_Strict):
    """Same day number N calendar months later; the last day of that month if it does not exist."""

    add_months: AddMonthsArgs


ScalarLiteral = Union[StrictBool, StrictInt, StrictFloat, StrictStr, dt.date, None]

_NODE_KEYS = {
    "fact": "fact", "param": "param", "var": "var", "all": "all", "any": "any", "not": "not",
    "op": "op", "add": "add", "sub": "sub", "mul": "mul", "min": "min", "max": "max",
    "round_down": "round_down", "if": "if", "age_on": "age_on", "add_months": "add_months",
}


def _expression_tag(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return _MODEL_TAGS.get(type(value))
    if isinstance(value, dict):
        if "op" in value:
            return "op"
        if "if" in value:
            return "if"
        if len(value) == 1:
            key = next(iter(value))
            return _NODE_KEYS.get(key)
        return None
    if isinstance(value, list):
        return "list"
    return "literal"


Expression = Annotated[
    Union[
        Annotated[FactRef, Tag("fact")],
        Annotated[ParamRef, Tag("param")],
        Annotated[VarRef, Tag("var")],
        Annotated[AllOf, Tag("all")],
        Annotated[AnyOf, Tag("any")],
        Annotated[NotOf, Tag("not")],
        Annotated[Compare, Tag("op")],
        Annotated[Add, Tag("add")],
        Annotated[Sub, Tag("sub")],
        Annotated[Mul, Tag("mul")],
        Annotated[MinOf, Tag("min")],
        Annotated[MaxOf, Tag("max")],
        Annotated[RoundDown, Tag("round_down")],
        Annotated[IfThenElse, Tag("if")],
        Annotated[AgeOn, Tag("age_on")],
        Annotated[AddMonths, Tag("add_months")],
        Annotated[list[ScalarLiteral], Tag("list")],
        Annotated[ScalarLiteral, Tag("literal")],
    ],
    Discriminator(
        _expression_tag,
        custom_error_type="unknown_expression",
        custom_error_message=(
            "onbekende expressie; gebruik één van: fact, param, var, all, any, not, "
            "op/left/right, add, sub, mul, min, max, round_down, if/then/else, age_on, add_months"
        ),
    ),
]

_MODEL_TAGS: dict[type, str] = {
    FactRef: "fact", ParamRef: "param", VarRef: "var", AllOf: "all", AnyOf: "any", NotOf: "not",
    Compare: "op", Add: "add", Sub: "sub", Mul: "mul", MinOf: "min", MaxOf: "max",
    RoundDown: "round_down", IfThenElse: "if", AgeOn: "age_on", AddMonths: "add_months",
}

for _model in (AllOf, AnyOf, NotOf, Compare, Add, Sub, Mul, MinOf, MaxOf, RoundDown, IfThenElse,
               AgeOnArgs, AgeOn, AddMonthsArgs, AddMonths):
    _model.model_rebuild()


# ---------------------------------------------------------------------------------------------
# explanation templates

class ExplanationCase(_Strict):
    when: Expression | None = None
    text: StrictStr


Template = Union[StrictStr, list[ExplanationCase]]


class PassFailExplanation(_Strict):
    passed: Template
    failed: Template


Explanation = Union[StrictStr, PassFailExplanation, list[ExplanationCase]]


# ---------------------------------------------------------------------------------------------
# shared files

class Tijdvak(_Strict):
    id: StrictStr
    start: dt.date
    end: dt.date
    description: StrictStr = ""

    @model_validator(mode="after")
    def _ordered(self) -> "Tijdvak":
        if self.end < self.start:
            raise ValueError("end ligt voor start")
        return self


class TijdvakkenFile(_Strict):
    tijdvakken: list[Tijdvak] = Field(min_length=1)


ParameterValue = Union[StrictBool, StrictInt, StrictFloat, StrictStr, list[StrictStr], dict[StrictStr, StrictStr], None]


class Parameter(_Strict):
    description: StrictStr
    unit: Literal["EUR", "jaar", "maanden", "weken", "dagen", "fractie", "aantal", "codes", "tekst"]
    reference: StrictStr = ""
    values: dict[dt.date, ParameterValue] = Field(min_length=1)


class ParametersFile(_Strict):
    parameters: dict[StrictStr, Parameter]


FactType = Literal["date", "bool", "int", "money", "enum", "text", "code", "list"]


class FactSpec(_Strict):
    """One fact of the facts document. ``type`` may also name a shared type (shared/facts.yaml)."""

    type: StrictStr
    label: StrictStr | None = None
    values: list[StrictStr] | None = None
    default: Any = None
    has_default: bool = False
    minimum: StrictInt | None = None
    positive: bool = False
    pattern: StrictStr | None = None
    pattern_message: StrictStr | None = None
    not_before: StrictStr | None = None
    min_items: StrictInt | None = None

    @model_validator(mode="before")
    @classmethod
    def _mark_default(cls, data: Any) -> Any:
        if isinstance(data, dict) and "default" in data:
            data = dict(data)
            data["has_default"] = True
        return data


class FactSection(BaseModel):
    """Facts of one dotted prefix (``applicant``, ``training``...). ``include`` pulls in a shared group."""

    model_config = ConfigDict(extra="allow", frozen=True)
    include: list[StrictStr] = Field(default_factory=list)


class FactsFile(_Strict):
    types: dict[StrictStr, FactSpec] = Field(default_factory=dict)
    groups: dict[StrictStr, dict[StrictStr, FactSpec]] = Field(default_factory=dict)


class MessagesFile(_Strict):
    messages: dict[StrictStr, StrictStr]
    months: list[StrictStr] = Field(min_length=12, max_length=12)
    labels: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    yes_no: dict[Literal["yes", "no"], StrictStr]


class ReportedResult(_Strict):
    """A result a person may report about the traject (regeling §6 Monitoring): ``label`` is the
    option in the form, ``letter`` how letters and reports say it ("het traject is: ...")."""

    label: StrictStr
    letter: StrictStr


class WorkflowFile(_Strict):
    """rules/shared/workflow.yaml: the Dutch names of the document kinds and of the results a
    person may report (each instrument's form.yaml offers some of them, ``vaststelling.map``)."""

    document_labels: dict[StrictStr, StrictStr] = Field(min_length=1)
    reported_results: dict[StrictStr, ReportedResult] = Field(min_length=1)


class FeestdagVast(_Strict):
    maand: StrictInt = Field(ge=1, le=12)
    dag: StrictInt = Field(ge=1, le=31)
    naam: StrictStr


class FeestdagNaPasen(_Strict):
    dagen: StrictInt
    naam: StrictStr


class Koningsdag(_Strict):
    maand: StrictInt = Field(ge=1, le=12)
    dag: StrictInt = Field(ge=1, le=31)
    op_zondag_dag: StrictInt = Field(ge=1, le=31)
    naam: StrictStr


class Gelijkgesteld(_Strict):
    datum: dt.date
    naam: StrictStr
    bron: StrictStr


class Feestdagen(_Strict):
    vast: list[FeestdagVast]
    na_pasen: list[FeestdagNaPasen]
    koningsdag: Koningsdag
    gelijkgesteld: list[Gelijkgesteld] = Field(default_factory=list)


class TermijnenFile(_Strict):
    """rules/shared/termijnen.yaml: the algemeen erkende feestdagen (Algemene termijnenwet)."""

    algemeen_erkende_feestdagen: Feestdagen


class TargetOnly(_Strict):
    fact: StrictStr
    values: list[StrictStr] = Field(min_length=1)


class Target(_Strict):
    label: StrictStr
    target: StrictInt = Field(ge=0)
    measure: Literal["granted_applications", "persons_reached", "employers_reached"]
    instruments: list[StrictStr] = Field(min_length=1)
    only: dict[StrictStr, TargetOnly] = Field(default_factory=dict)


class TargetPeriod(_Strict):
    start: dt.date
    end: dt.date


class TargetsFile(_Strict):
    """rules/shared/targets.yaml: the regional targets for the dashboard (fund/reports)."""

    period: TargetPeriod
    targets: dict[StrictStr, Target] = Field(min_length=1)


class Definition(_Strict):
    description: StrictStr = ""
    value: Expression


class EligibilityRule(_Strict):
    code: StrictStr | None = None
    use: StrictStr | None = None
    description: StrictStr | None = None
    passes_when: Expression | None = None
    only_when: Expression | None = None
    explanation: Explanation | None = None


class ReferTo(_Strict):
    """Where to ask first, as a list item after "Vraag het eerst hier:": ``aanvrager`` for the
    applicant who reads about themself ("uw gemeente"), ``derde`` for anyone else (a leerbedrijf
    about its candidate, the staff screens: "de gemeente")."""
    aanvrager: StrictStr
    derde: StrictStr


class Voorziening(_Strict):
    code: StrictStr | None = None
    use: StrictStr | None = None
    description: StrictStr | None = None
    refer_to: ReferTo | None = None
    applies_when: Expression | None = None
    explanation: Explanation | None = None


class SharedRulesFile(_Strict):
    definitions: dict[StrictStr, Definition] = Field(default_factory=dict)
    eligibility: dict[StrictStr, EligibilityRule] = Field(default_factory=dict)
    voorzieningen: dict[StrictStr, Voorziening] = Field(default_factory=dict)


class NeedsInfo(_Strict):
    fact: StrictStr
    when: Expression
    description: StrictStr = ""
    explanation: Explanation


class PriorityGroup(_Strict):
    rule: StrictStr = "prioritaire_doelgroep"
    description: StrictStr
    value: Expression
    explanation: Explanation


class Amount(_Strict):
    rule: StrictStr = "bedrag"
    description: StrictStr
    value: Expression
    explanation: Explanation


class VaststellingCase(_Strict):
    description: StrictStr
    value: Expression


class Vaststelling(_Strict):
    description: StrictStr
    results: dict[StrictStr, VaststellingCase] = Field(min_length=1)


class InstrumentFile(_Strict):
    instrument: StrictStr
    title: StrictStr
    article: StrictStr
    applicant: StrictStr
    tijdvakken: list[StrictStr] = Field(min_length=1)
    aliases: dict[StrictStr, StrictStr] = Field(default_factory=dict)
    facts: dict[StrictStr, FactSection]
    definitions: dict[StrictStr, Definition] = Field(default_factory=dict)
    eligibility: list[EligibilityRule] = Field(min_length=1)
    voorzieningen: list[Voorziening] = Field(default_factory=list)
    needs_info: list[NeedsInfo] = Field(default_factory=list)
    priority_group: PriorityGroup | None = None
    amount: Amount
    vaststelling: Vaststelling


class TestCase(_Strict):
    name: StrictStr
    description: StrictStr = ""
    input: dict[StrictStr, Any] | None = None
    set: dict[StrictStr, Any] = Field(default_factory=dict)
    unset: list[StrictStr] = Field(default_factory=list)
    expected: dict[StrictStr, Any]

    @model_validator(mode="after")
    def _known_expectations(self) -> "TestCase":
        allowed = {"outcome", "reasons", "referrals", "needs_info", "amount", "priority_group",
                   "ruleset", "errors", "trace", "explanations"}
        unknown = set(self.expected) - allowed
        if unknown:
            raise ValueError(f"onbekende verwachting(en): {', '.join(sorted(unknown))}; "
                             f"kies uit: {', '.join(sorted(allowed))}")
        return self


class TestFile(_Strict):
    instrument: StrictStr | None = None
    base: dict[StrictStr, Any] | None = None
    cases: list[TestCase] = Field(min_length=1)
