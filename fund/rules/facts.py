"""The facts document: checking and normalising it (regeling §7), and the history override.

Which facts exist, their types, allowed values and defaults are declared in the rule files
(``facts:`` of each instrument, shared types and groups in ``rules/shared/facts.yaml``); the
messages are in ``rules/shared/messages.yaml``. This module only knows the generic types.
"""
from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable


if TYPE_CHECKING:  # pragma: no cover
    from fund.rules.rulebook import Rulebook

BASE_TYPES = ("date", "bool", "int", "money", "enum", "text", "code", "list")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONEY_TEXT = re.compile(r"^-?\d+(\.\d+)?$")


@dataclass(frozen=True)
class FactField:
    """One fact, with its shared type already merged in."""

    section: str
    key: str
    type: str
    label: str
    values: tuple[str, ...] | None = None
    default: Any = None
    has_default: bool = False
    minimum: int | None = None
    positive: bool = False
    pattern: re.Pattern[str] | None = None
    pattern_message: str | None = None
    not_before: str | None = None
    min_items: int | None = None
    dotted: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dotted", f"{self.section}.{self.key}")


class _Bad:
    """A conversion failure: carries the Dutch message."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


Converter = Callable[[Any], Any]


class FactsValidator:
    """Validates a facts document for one instrument and returns the facts flat by dotted name.

    Each fact gets a small converter closure at load time (the hot path of the evaluator).
    """

    def __init__(self, fields: list[FactField], messages: dict[str, str]):
        self.fields = fields
        self.messages = messages
        self.sections: list[tuple[str, list[tuple[FactField, str, str, Converter]]]] = []
        for f in fields:
            if not self.sections or self.sections[-1][0] != f.section:
                self.sections.append((f.section, []))
            self.sections[-1][1].append((f, f.key, f.dotted, self._converter(f)))
        # the hot loop reads plain tuples (no attribute look-ups per fact)
        self._plan = tuple(
            (section, tuple((key, dotted, convert, f.has_default, f.default, f.not_before)
                            for f, key, dotted, convert in fields))
            for section, fields in self.sections)
        self._missing = self.message("ontbreekt")
        self._not_an_object = self.message("geen_object")

    def message(self, key: str, **values: Any) -> str:
        return self.messages[key].format(**values)

    def validate(self, document: dict[str, Any], errors: list[dict[str, str]]) -> dict[str, Any]:
        flat: dict[str, Any] = {}
        missing = self._missing
        for section, fields in self._plan:
            raw_section = document.get(section)
            if raw_section is None:
                raw_section = {}
            elif type(raw_section) is not dict:
                errors.append({"field": section, "message": self._not_an_object})
                continue
            get = raw_section.get
            for key, dotted, convert, has_default, default, not_before in fields:
                raw = get(key)
                if raw is None:
                    if has_default:
                        flat[dotted] = default
                    else:
                        errors.append({"field": dotted, "message": missing})
                    continue
                value = convert(raw)
                if type(value) is _Bad:
                    errors.append({"field": dotted, "message": value.message})
                    continue
                if not_before is not None:
                    earlier = flat.get(not_before)
                    if isinstance(earlier, dt.date) and value < earlier:
                        errors.append({"field": dotted, "message": self.message("einddatum_voor_begindatum")})
                        continue
                flat[dotted] = value
        return flat

    def _converter(self, f: FactField) -> Converter:
        kind = f.type
        msg = self.message
        if kind == "date":
            bad_date = _Bad(msg("geen_datum"))
            fromiso = dt.date.fromisoformat

            seen: dict[str, dt.date] = {}  # text -> date, for texts already accepted (dates are immutable)

            def convert_date(raw: Any) -> Any:
                if type(raw) is str:
                    known = seen.get(raw)
                    if known is not None:
                        return known
                    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-" and _ISO_DATE.match(raw):
                        try:
                            value = fromiso(raw)
                        except ValueError:
                            return bad_date
                        if len(seen) >= 8192:
                            seen.clear()
                        seen[raw] = value
                        return value
                return bad_date

            return convert_date
        if kind == "bool":
            bad_bool = _Bad(msg("geen_bool"))
            return lambda raw: raw if type(raw) is bool else bad_bool
        if kind == "int":
            bad_int = _Bad(msg("geen_geheel_getal"))
            minimum = f.minimum
            too_low = _Bad(msg("negatief") if minimum == 0 else msg("minimaal", minimum=minimum))

            def convert_int(raw: Any) -> Any:
                if type(raw) is not int:
                    return bad_int
                if minimum is not None and raw < minimum:
                    return too_low
                return raw

            return convert_int
        if kind == "money":
            bad_money = _Bad(msg("geen_bedrag"))
            not_positive = _Bad(msg("groter_dan_nul"))
            negative = _Bad(msg("negatief"))
            positive = f.positive

            def convert_money(raw: Any) -> Any:
                kind_of = type(raw)
                if kind_of is str:
                    text = raw.strip()
                    if not _MONEY_TEXT.match(text):
                        return bad_money
                    amount = Decimal(text)
                elif kind_of is int or kind_of is float:
                    amount = Decimal(str(raw))  # never via float arithmetic
                    if not amount.is_finite():
                        return bad_money
                else:
                    return bad_money
                if positive and amount <= 0:
                    return not_positive
                if amount < 0:
                    return negative
                return amount

            return convert_money
        if kind == "enum":
            allowed = frozenset(f.values or ())
            choices = ", ".join(f.values or ())

            def convert_enum(raw: Any) -> Any:
                if type(raw) is str and raw in allowed:
                    return raw
                shown = raw if isinstance(raw, str) else _json_text(raw)
                return _Bad(msg("onbekende_waarde", waarde=shown, keuzes=choices))

            return convert_enum
        if kind == "text":
            bad_text = _Bad(msg("geen_tekst"))
            return lambda raw: raw.strip() if type(raw) is str and raw.strip() else bad_text
        if kind == "code":
            bad_code = _Bad(f.pattern_message or msg("geen_geldige_code"))
            fullmatch = f.pattern.fullmatch if f.pattern is not None else (lambda _: None)
            return lambda raw: raw if type(raw) is str and fullmatch(raw) else bad_code
        if kind == "list":
            bad_list = _Bad(msg("geen_lijst"))
            too_short = _Bad(msg("te_weinig_items", minimum=f.min_items))
            min_items = f.min_items or 0

            def convert_list(raw: Any) -> Any:
                if type(raw) is not list or not all(type(x) is str and x.strip() for x in raw):
                    return bad_list
                if len(raw) < min_items:
                    return too_short
                return [x.strip() for x in raw]

            return convert_list
        raise AssertionError(f"unknown fact type {kind}")  # pragma: no cover - schema prevents it


def _json_text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def nest(flat: dict[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1}`` -> ``{"a": {"b": 1}}``."""
    nested: dict[str, Any] = {}
    for dotted, value in flat.items():
        section, _, key = dotted.partition(".")
        nested.setdefault(section, {})[key] = value
    return nested


def validate_facts(document: Any, *, rules_dir: Any = None, rulebook: "Rulebook | None" = None) -> dict[str, Any]:
    """Check a facts document; return the normalised facts (typed values, defaults filled in).

    The result is nested like the input: ``{"instrument": "llo", "ruleset": "llo-2026",
    "application": {"date": date(2026, 3, 2)}, ...}`` with ``datetime.date``, ``Decimal``,
    ``bool``, ``int`` and ``list`` values. Raises :class:`InputError` listing every bad field.
    """
    from fund.rules.rulebook import load_rulebook

    book = rulebook or load_rulebook(rules_dir)
    ruleset, flat = book.validate(document)
    return {"instrument": ruleset.instrument, "ruleset": ruleset.id, **nest(flat)}


def with_history(document: dict[str, Any], history: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` whose ``history`` section is exactly ``history``.

    The history facts (earlier LLO grants, vouchers granted this year) come from the fund's own
    records; whatever the applicant typed there is ignored. Money values may be Decimals; they
    are written as strings so the result stays JSON-ready.
    """
    result = copy.deepcopy(document) if isinstance(document, dict) else {}
    result["history"] = {
        key: (f"{value:.2f}" if isinstance(value, Decimal) else value) for key, value in history.items()
    }
    return result
