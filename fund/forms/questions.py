"""Questions of the application forms: one question fills one fact of the facts document.

A :class:`Question` knows its dotted fact name, its kind and its Dutch label. :func:`form_class`
turns a list of questions into a FlaskForm; :func:`facts_from_form` and :func:`form_data_from_facts`
translate between the form and the JSON-ready facts document (ISO dates, money as "1800.00").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from wtforms import Field, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

REQUIRED_TEXT = "Vul dit in."
REQUIRED_CHOICE = "Maak een keuze."
YES_NO = [SelectChoice(value="ja", label="Ja"), SelectChoice(value="nee", label="Nee")]

_NL_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_NL_DATE = re.compile(r"^(\d{1,2})[-/ ](\d{1,2})[-/ ](\d{4})$")


@dataclass(frozen=True)
class Question:
    fact: str  # dotted fact name ("training.cost"), or "meta.title" / "meta.iban"
    kind: str  # date, bool, enum, money, int, text, code, lines, iban
    label: str
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] | None = None
    required: bool = True
    pattern: str | None = None
    pattern_message: str | None = None
    # Required only when another fact of the same form has this value.
    required_if: tuple[str, str] | None = None
    autocomplete: str | None = None
    input_attrs: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def name(self) -> str:
        return self.fact.replace(".", "__")


# -- parsing Dutch input -----------------------------------------------------------------------

def parse_date(raw: str) -> dt.date:
    raw = raw.strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        pass
    m = _NL_DATE.match(raw)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise ValueError("Vul een geldige datum in, bijvoorbeeld 1-9-2026.")


# The largest amount a money column (Numeric(12, 2), fund.models.types) can hold, plus one cent.
MONEY_LIMIT = Decimal("10000000000")


def parse_money(raw: str) -> Decimal:
    text = raw.strip().replace("€", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _NL_THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("Vul een bedrag in euro's in, bijvoorbeeld 1800 of 1.800,00.") from None
    if not value.is_finite() or value < 0:
        raise ValueError("Vul een bedrag in euro's in, bijvoorbeeld 1800 of 1.800,00.")
    if value >= MONEY_LIMIT:
        raise ValueError("Dit bedrag is te hoog. Vul een bedrag in euro's in, bijvoorbeeld 1800 of 1.800,00.")
    if value.as_tuple().exponent < -2:
        raise ValueError("Een bedrag heeft hoogstens 2 cijfers achter de komma.")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_int(raw: str) -> int:
    text = raw.strip().replace(".", "")
    if not re.fullmatch(r"\d+", text):
        raise ValueError("Vul een heel getal in, bijvoorbeeld 12.")
    return int(text)


def parse_iban(raw: str) -> str:
    try:
        return stdnum_iban.validate(raw)
    except StdnumError:
        raise ValueError("Dit rekeningnummer (IBAN) klopt niet. Kijk het nummer na.") from None


def parse(question: Question, raw: Any) -> Any:
    """Raw form value -> JSON-ready fact value. ``ValueError`` carries the Dutch message."""
    if question.kind == "date":
        return parse_date(raw).isoformat()
    if question.kind == "bool":
        if raw not in ("ja", "nee"):
            raise ValueError(REQUIRED_CHOICE)
        return raw == "ja"
    if question.kind == "enum":
        allowed = {v for v, _ in question.choices or ()}
        if raw not in allowed:
            raise ValueError(REQUIRED_CHOICE)
        return raw
    if question.kind == "money":
        return f"{parse_money(raw):.2f}"
    if question.kind == "int":
        return parse_int(raw)
    if question.kind == "code":
        text = raw.strip()
        if question.pattern and not re.fullmatch(question.pattern, text):
            raise ValueError(question.pattern_message or "Dit klopt niet.")
        return text
    if question.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        if not lines:
            raise ValueError(REQUIRED_TEXT)
        return lines
    if question.kind == "iban":
        return parse_iban(raw)
    return raw.strip()


def _is_empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


class _Check:
    """The one validator of a question: required-ness and parsing, with Dutch messages."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form, field):
        q = self.question
        field.fact_value = None
        raw = field.data
        if _is_empty(raw):
            needed = q.required
            if q.required_if is not None:
                other = getattr(form, q.required_if[0].replace(".", "__"), None)
                needed = other is not None and other.data == q.required_if[1]
            if needed:
                raise ValidationError(
                    REQUIRED_CHOICE if q.kind in ("bool", "enum") else REQUIRED_TEXT
                )
            return
        try:
            field.fact_value = parse(q, raw)
        except ValueError as exc:
            if isinstance(field, DateInputField):
                raise ValidationError(_date_message(field)) from None
            raise ValidationError(str(exc)) from None


DATE_PARTS = ("dag", "maand", "jaar")


class DateInputWidget:
    """The three labelled boxes of a :class:`DateInputField` (the fieldset is the macro's)."""

    SIZES = (("dag", "Dag", 2, "bday-day"), ("maand", "Maand", 2, "bday-month"), ("jaar", "Jaar", 4, "bday-year"))

    def __call__(self, field, **kwargs):
        from markupsafe import Markup, escape

        invalid = bool(field.errors)
        birth = "birth" in field.name
        boxes = []
        for part, text, size, autocomplete in self.SIZES:
            box_id = f"{field.id}-{part}"
            attrs = (f'class="utrecht-textbox utrecht-textbox--html-input'
                     f'{" utrecht-textbox--invalid" if invalid else ""}" id="{box_id}" '
                     f'name="{field.name}-{part}" type="text" inputmode="numeric" maxlength="{size}" '
                     f'value="{escape(field.parts.get(part, ""))}"')
            if invalid:
                attrs += ' aria-invalid="true"'
            if birth:
                attrs += f' autocomplete="{autocomplete}"'
            boxes.append(f'<div class="fund-date-input__part fund-date-input__part--{part}">'
                         f'<label class="utrecht-form-label" for="{box_id}">{text}</label>'
                         f'<input {attrs}></div>')
        return Markup('<div class="fund-date-input__parts">' + "".join(boxes) + "</div>")


class DateInputField(Field):
    """A date as three boxes, dag, maand and jaar (NL Design System / GOV.UK date input).

    The boxes post as ``<name>-dag``, ``<name>-maand`` and ``<name>-jaar``; ``data`` is
    "d-m-jjjj" (empty when all three are empty), which :func:`parse_date` reads. A single
    ``<name>`` value ("2026-09-01" or "1-9-2026") is still accepted, e.g. from an API client.
    """

    widget = DateInputWidget()

    def process(self, formdata, data=None, extra_filters=None):
        self.process_errors = []
        self.parts = {"dag": "", "maand": "", "jaar": ""}
        if formdata is not None and any(f"{self.name}-{p}" in formdata for p in DATE_PARTS):
            self.parts = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in DATE_PARTS}
            self.data = ("-".join(self.parts[p] for p in DATE_PARTS)
                         if any(self.parts.values()) else "")
            return
        if formdata is not None and self.name in formdata:
            self.data = formdata.get(self.name) or ""
        else:
            self.data = data or ""
        try:
            day = parse_date(self.data) if self.data else None
        except ValueError:
            day = None
        if day is not None:
            self.parts = {"dag": str(day.day), "maand": str(day.month), "jaar": str(day.year)}

    def _value(self):
        return self.data or ""


def _date_message(field) -> str:
    """What exactly is wrong with the three date boxes, and how to fix it (GOV.UK's messages)."""
    parts = getattr(field, "parts", {})
    missing = [p for p in DATE_PARTS if not parts.get(p)]
    if missing and len(missing) < 3:
        return f"Vul ook de {' en de '.join(missing)} in."
    if any(parts.get(p) and not parts[p].isdigit() for p in DATE_PARTS):
        return "Vul de datum in met cijfers, bijvoorbeeld 15 3 2026."
    if parts.get("jaar") and len(parts["jaar"]) != 4:
        return "Vul het jaar in met 4 cijfers, bijvoorbeeld 2026."
    if parts.get("maand") and not 1 <= int(parts["maand"]) <= 12:
        return "De maand moet een getal van 1 tot en met 12 zijn."
    return "Deze datum bestaat niet. Kijk de dag en de maand na, bijvoorbeeld 15 3 2026."


def _options(pairs, empty: str | None = None) -> list[SelectChoice]:
    # Question.choices stay (value, label) pairs: parse() and display_value() look them up.
    first = [SelectChoice(value="", label=empty)] if empty is not None else []
    return first + [SelectChoice(value=value, label=text) for value, text in pairs or ()]


def _field(q: Question):
    validators = [_Check(q)]
    attrs = dict(q.input_attrs)
    if q.autocomplete:
        attrs["autocomplete"] = q.autocomplete
    if q.kind == "bool":
        return RadioField(q.label, choices=YES_NO, validators=validators, validate_choice=False,
                          description=q.hint or "")
    if q.kind == "enum" and len(q.choices or ()) <= 4:
        return RadioField(q.label, choices=_options(q.choices), validators=validators,
                          validate_choice=False, description=q.hint or "")
    if q.kind == "enum":
        return SelectField(q.label, choices=_options(q.choices, empty="Maak een keuze"),
                           validators=validators, validate_choice=False, description=q.hint or "",
                           render_kw=attrs or None)
    if q.kind == "lines":
        return TextAreaField(q.label, validators=validators, description=q.hint or "",
                             render_kw=attrs or None)
    if q.kind == "date":
        return DateInputField(q.label, validators=validators, description=q.hint or "")
    if q.kind in ("money", "int"):
        attrs.setdefault("inputmode", "decimal" if q.kind == "money" else "numeric")
    return StringField(q.label, validators=validators, description=q.hint or "",
                       render_kw=attrs or None)


_FORM_CACHE: dict[tuple, type] = {}


def form_class(key: str, questions: tuple[Question, ...]) -> type[FlaskForm]:
    cache_key = key  # unique per instrument, applicant kind and step
    if cache_key not in _FORM_CACHE:
        attrs = {q.name: _field(q) for q in questions}
        attrs["questions"] = questions
        _FORM_CACHE[cache_key] = type(f"StepForm_{key}", (FlaskForm,), attrs)
    return _FORM_CACHE[cache_key]


def step_errors(form, questions, instrument: str, stored_facts: dict) -> bool:
    """Check the step's cross-field rules (an end date before the start date) together with the
    field checks, so every problem of the step shows at once, next to its field.

    The rules of the regeling (``not_before`` in ``rules/``) decide; this only puts their finding
    at the field in words an applicant understands. True when the step has no errors at all.
    """
    from fund.rules import InputError, load_rulebook, validate_facts

    parsed = [q for q in questions if getattr(form, q.name).fact_value is not None]
    update, _meta = facts_from_form(form, parsed)
    document = merge_facts(stored_facts, update)
    document["instrument"] = instrument
    try:
        validate_facts(document)
    except InputError as exc:
        messages = load_rulebook().messages
        by_fact = {q.fact: q for q in parsed}
        for error in exc.errors:
            q = by_fact.get(error["field"])
            if q is None or error["message"] == messages["ontbreekt"]:
                continue  # another step's fact, or not yet answered: not this step's problem
            field = getattr(form, q.name)
            field.errors = list(field.errors) + [sentence(error["message"], messages)]
    return not any(getattr(form, q.name).errors for q in questions)


NOT_FILLED = "Dit is nog niet ingevuld."


def sentence(message: str, messages: dict) -> str:
    """A rule engine message ("ontbreekt", "is geen geldig crebonummer (5 cijfers)") as a
    sentence that stands on its own next to the question or in a list (B1, issue 14)."""
    if message in (messages["ontbreekt"], messages["geen_tekst"]):
        return NOT_FILLED
    if message == messages["einddatum_voor_begindatum"]:
        return "De einddatum ligt voor de begindatum. Vul een einddatum in die op of na de begindatum ligt."
    if message.split(" ", 1)[0] in ("is", "moet", "mag", "heeft"):
        # "moet een geheel getal zijn" -> "Dit moet een geheel getal zijn.": a subject, not a fragment.
        message = "Dit " + message
    return message[:1].upper() + message[1:].rstrip(".") + "."


def facts_from_form(form, questions) -> tuple[dict, dict]:
    """(facts update nested by section, meta {"title", "iban"}) from a validated form."""
    facts: dict = {}
    meta: dict = {}
    for q in questions:
        value = getattr(form, q.name).fact_value
        section, _, key = q.fact.partition(".")
        if section == "meta":
            meta[key] = value
            continue
        if value is None:
            # An optional fact left empty: drop it so its default applies.
            facts.setdefault(section, {})[key] = None
            continue
        facts.setdefault(section, {})[key] = value
    return facts, meta


def form_data_from_facts(facts: dict, questions, meta: dict) -> dict:
    """Initial form data (strings as the user would type them) from stored facts."""
    data = {}
    for q in questions:
        section, _, key = q.fact.partition(".")
        value = meta.get(key) if section == "meta" else (facts.get(section) or {}).get(key)
        if value is None:
            continue
        if q.kind == "bool":
            data[q.name] = "ja" if value else "nee"
        elif q.kind == "lines":
            data[q.name] = "\n".join(value)
        elif q.kind == "money":
            data[q.name] = format_money_input(value)
        else:
            data[q.name] = str(value)
    return data


def format_money_input(value) -> str:
    amount = Decimal(str(value))
    return f"{amount:.2f}".replace(".", ",")


def merge_facts(stored: dict, update: dict) -> dict:
    """Deep-merge one step's facts into the stored facts; ``None`` removes a fact."""
    merged = {k: (dict(v) if isinstance(v, dict) else v) for k, v in (stored or {}).items()}
    for section, values in update.items():
        target = merged.setdefault(section, {})
        for key, value in values.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
    return merged


def display_value(q: Question, value: Any) -> str:
    """A fact value as a B1 sentence fragment for the summary."""
    from fund.forms.display import format_date, format_money

    if value is None or value == "":
        return "Niet ingevuld"
    if q.kind == "bool":
        return "Ja" if value else "Nee"
    if q.kind == "enum":
        return dict(q.choices or ()).get(value, str(value))
    if q.kind == "date":
        return format_date(value)
    if q.kind == "money":
        return format_money(value)
    if q.kind == "lines":
        return ", ".join(value)
    if q.kind == "iban":
        return stdnum_iban.format(value)
    return str(value)
