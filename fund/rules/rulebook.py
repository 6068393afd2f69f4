"""Loading the rule files into a :class:`Rulebook` of compiled :class:`Ruleset` objects.

Layout (see rules/README.md)::

    rules/shared/tijdvakken.yaml   versions and the dates they cover
    rules/shared/parameters.yaml   werkgebied, ages, ... (values keyed by start date)
    rules/shared/procedure.yaml    Awb termijnen, vier-ogen threshold (values keyed by start date)
    rules/shared/facts.yaml        fact types and groups used by several instruments
    rules/shared/messages.yaml     Dutch input-error messages, month names, value labels
    rules/shared/rules.yaml        definitions, eligibility rules and voorzieningen used twice or more
    rules/<instrument>/instrument.yaml, parameters.yaml, tests/*.yaml
"""
from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from fund.rules.compiler import Compiled, Compiler, Context, Formatting, Renderer
from fund.rules.errors import InputError, Problem, RuleFileError
from fund.rules.facts import BASE_TYPES, FactField, FactsValidator
from fund.rules.instrument_form import InstrumentForm

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fund.rules import schema
    from fund.rules.yaml_source import Loc, YamlSource

# What a loaded rulebook keeps (below) needs neither pydantic nor the rule-file schema: those
# are imported by the loading functions, so a rulebook read from the cache (fund.rules.cache)
# skips building the schema classes (docs/performance.md, cold start).

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
RULES_DIR_ENV = "FUND_RULES_DIR"
SHARED_DIR = "shared"
VASTSTELLING_FACTS = ("vaststelling.granted", "vaststelling.actual_costs", "vaststelling.voorschot")

M = TypeVar("M", bound="BaseModel")

_PYDANTIC_DUTCH = {
    "missing": "ontbreekt",
    "extra_forbidden": "onbekende sleutel (tikfout?)",
    "date_from_datetime_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_parsing": "is geen geldige datum (JJJJ-MM-DD)",
    "date_type": "is geen geldige datum (JJJJ-MM-DD)",
    "string_type": "moet tekst zijn",
    "bool_type": "moet true of false zijn",
    "int_type": "moet een geheel getal zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een mapping (sleutel: waarde) zijn",
    "model_type": "moet een mapping (sleutel: waarde) zijn",
    "too_short": "is te kort (leeg?)",
}


@dataclass(frozen=True)
class Tijdvak:
    """A tijdvak as the rulebook keeps it (``rules/shared/tijdvakken.yaml``, checked by
    :class:`fund.rules.schema.Tijdvak`)."""

    id: str
    start: dt.date
    end: dt.date
    description: str = ""


@dataclass(frozen=True)
class ParameterInfo:
    """What a parameter file says about one parameter besides its value for the tijdvak."""

    description: str
    unit: str
    reference: str
    values: dict[dt.date, Any]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to run: ``test`` is the condition, ``explain`` renders the Dutch sentence."""

    code: str
    kind: str
    description: str
    test: Compiled
    explain: Renderer
    only_when: Compiled | None = None
    fact: str | None = None
    refer_to: tuple[str, str] | None = None  # a voorziening: (for the applicant, for anyone else)


@dataclass(frozen=True)
class Procedure:
    """The procedural numbers of regeling §1 and §3–§6 for one instrument in one tijdvak."""

    subsidieplafond: Decimal
    voorschot_percentage: Decimal
    vier_ogen_drempel: Decimal
    beslistermijn_weken: int
    verdaging_weken: int
    hersteltermijn_dagen: int
    bezwaartermijn_weken: int
    monitoring_plaatsing_maanden: int


@dataclass
class Ruleset:
    """The rules of one instrument in one tijdvak, compiled. ``id`` is e.g. ``"llo-2026"``."""

    id: str
    instrument: str
    title: str
    article: str
    applicant: str
    tijdvak: Tijdvak
    params: dict[str, Any]
    param_meta: dict[str, ParameterInfo]
    eligibility: list[CompiledRule]
    voorzieningen: list[CompiledRule]
    needs_info: list[CompiledRule]
    priority_group: CompiledRule | None
    amount: CompiledRule
    vaststelling_description: str
    vaststelling: dict[str, tuple[str, Compiled]]
    validator: FactsValidator
    formatting: Formatting
    definitions: dict[str, str] = field(default_factory=dict)

    def covers(self, on: dt.date) -> bool:
        return self.tijdvak.start <= on <= self.tijdvak.end

    def parameter(self, name: str) -> Any:
        """A parameter value for this tijdvak (instrument-specific or shared)."""
        try:
            return self.params[name]
        except KeyError:
            raise KeyError(f"parameter '{name}' bestaat niet voor {self.id}") from None

    @property
    def procedure(self) -> Procedure:
        p = self.params
        return Procedure(
            subsidieplafond=p["subsidieplafond"],
            voorschot_percentage=p["voorschot_percentage"],
            vier_ogen_drempel=p["vier_ogen_drempel"],
            beslistermijn_weken=p["beslistermijn_weken"],
            verdaging_weken=p["verdaging_weken"],
            hersteltermijn_dagen=p["hersteltermijn_dagen"],
            bezwaartermijn_weken=p["bezwaartermijn_weken"],
            monitoring_plaatsing_maanden=p["monitoring_plaatsing_maanden"],
        )

    def voorschot_amount(self, granted: Decimal) -> Decimal:
        """The voorschot paid after the grant, rounded down to cents."""
        from fund.rules.dates import round_down_cents

        return round_down_cents(Decimal(granted) * self.params["voorschot_percentage"])

    def vaststelling_amount(
        self,
        result: str,
        *,
        granted: Decimal,
        actual_costs: Decimal | None = None,
        facts: dict[str, Any] | None = None,
    ) -> Decimal:
        """The final amount (vaststelling) for a traject ``result``; see ``vaststelling:`` in the rules.

        ``facts`` is the facts document of the application (needed when the formula uses facts,
        e.g. the voucher rate depends on the number of employees).
        """
        if result not in self.vaststelling:
            raise KeyError(f"onbekend resultaat '{result}'; kies uit: {', '.join(self.vaststelling)}")
        flat: dict[str, Any] = {}
        if facts is not None:
            errors: list[dict[str, str]] = []
            flat = self.validator.validate(facts, errors)
            if errors:
                raise InputError(errors)
        flat["vaststelling.granted"] = Decimal(granted)
        flat["vaststelling.actual_costs"] = Decimal(actual_costs) if actual_costs is not None else Decimal("0")
        flat["vaststelling.voorschot"] = self.voorschot_amount(Decimal(granted))
        from fund.rules.dates import CENT

        return Decimal(self.vaststelling[result][1](Context(flat))).quantize(CENT)


class Rulebook:
    """All rulesets, found by instrument and date."""

    def __init__(self, rules_dir: Path, rulesets: list[Ruleset], instruments: list[str],
                 tijdvakken: list[Tijdvak], messages: dict[str, str],
                 forms: dict[str, InstrumentForm] | None = None,
                 document_labels: dict[str, str] | None = None,
                 reported_results: dict[str, str] | None = None, demos: dict[str, dict] | None = None):
        self.rules_dir = rules_dir
        self.forms = forms or {}
        self.document_labels = document_labels or {}
        # Every result a person may report, with how letters and reports say it (shared ones
        # first, then those one instrument adds), e.g. {"diploma": "diploma behaald", ...}.
        self.reported_results = dict(reported_results or {})
        self.demos = demos or {}  # instrument -> its demo.yaml (fund.rules.demo_file), when it has one
        for form in self.forms.values():
            for value, _, letter in form.reported_results:
                self.reported_results.setdefault(value, letter)
        self._rulesets = rulesets
        self.instruments = instruments
        self.tijdvakken = tijdvakken
        self.messages = messages
        self._by_instrument: dict[str, list[Ruleset]] = {}
        for rs in rulesets:
            self._by_instrument.setdefault(rs.instrument, []).append(rs)

    def rulesets(self) -> list[Ruleset]:
        return list(self._rulesets)

    def form(self, instrument: str) -> InstrumentForm:
        """What the portal asks and shows for ``instrument`` (``rules/<instrument>/form.yaml``)."""
        try:
            return self.forms[instrument]
        except KeyError:
            raise LookupError(f"onbekend instrument '{instrument}'") from None

    def demo(self, instrument: str) -> dict | None:
        """The demo applications of ``instrument`` (``rules/<instrument>/demo.yaml``), or None."""
        return self.demos.get(instrument)

    def instruments_for_role(self, role: str) -> tuple[str, ...]:
        """The instruments a user with ``role`` may apply for, in the regeling's order."""
        return tuple(i for i in self.instruments if role in self.forms[i].roles)

    def ruleset(self, instrument: str, on: dt.date | str) -> Ruleset:
        """The ruleset of ``instrument`` in force on ``on``; ``LookupError`` if there is none."""
        if isinstance(on, str):
            on = dt.date.fromisoformat(on)
        if instrument not in self._by_instrument:
            raise LookupError(f"onbekend instrument '{instrument}'; kies uit: {', '.join(self.instruments)}")
        for rs in self._by_instrument[instrument]:
            if rs.covers(on):
                return rs
        raise LookupError(self.messages["geen_regeling"].format(datum=on.isoformat()))

    def refer_to(self, instrument: str, code: str, *, aanvrager: bool) -> str:
        """Where a referral ``code`` of ``instrument`` sends the applicant first, from the
        voorziening's ``refer_to`` in the rules ("uw gemeente" for the applicant about themself,
        "de gemeente" for anyone else). The newest tijdvak's text wins; an unknown code is
        returned as it is."""
        for rs in reversed(self._by_instrument.get(instrument, [])):
            for rule in rs.voorzieningen:
                if rule.code == code and rule.refer_to is not None:
                    return rule.refer_to[0 if aanvrager else 1]
        return code

    def ruleset_by_id(self, ruleset_id: str) -> Ruleset:
        for rs in self._rulesets:
            if rs.id == ruleset_id:
                return rs
        raise LookupError(f"onbekende regelset '{ruleset_id}'")

    def parameter(self, instrument: str, on: dt.date | str, name: str) -> Any:
        """E.g. ``rulebook.parameter("llo", date(2026, 5, 1), "voorschot_percentage")`` -> ``Decimal('0.80')``."""
        return self.ruleset(instrument, on).parameter(name)

    def procedure(self, instrument: str, on: dt.date | str) -> Procedure:
        return self.ruleset(instrument, on).procedure

    # -- facts ---------------------------------------------------------------------------------

    def validate(self, document: Any) -> tuple[Ruleset, dict[str, Any]]:
        """Check a facts document; return its ruleset and the facts flat by dotted name."""
        msg = self.messages
        if not isinstance(document, dict):
            raise InputError([{"field": "document", "message": msg["geen_document"]}])
        instrument = document.get("instrument")
        if instrument is None:
            raise InputError([{"field": "instrument", "message": msg["ontbreekt"]}])
        if not isinstance(instrument, str) or instrument not in self._by_instrument:
            raise InputError([{"field": "instrument", "message": msg["onbekende_waarde"].format(
                waarde=instrument, keuzes=", ".join(self.instruments))}])
        candidates = self._by_instrument[instrument]
        validator = candidates[0].validator
        errors: list[dict[str, str]] = []
        flat = validator.validate(document, errors)
        ruleset: Ruleset | None = None
        on = flat.get("application.date")
        if isinstance(on, dt.date):
            ruleset = next((rs for rs in candidates if rs.covers(on)), None)
            if ruleset is None:
                error = {"field": "application.date", "message": msg["geen_regeling"].format(datum=on.isoformat())}
                errors.insert(0, error)  # application.date is the first fact of every instrument
        if errors:
            raise InputError(errors)
        assert ruleset is not None
        if ruleset.validator is not validator:
            flat = ruleset.validator.validate(document, errors)
            if errors:
                raise InputError(errors)
        return ruleset, flat

    def evaluate(self, document: Any) -> dict[str, Any]:
        from fund.rules.evaluator import evaluate_facts

        ruleset, flat = self.validate(document)
        return evaluate_facts(ruleset, flat)


# ---------------------------------------------------------------------------------------------
# loading

class _Loader:
    def __init__(self, rules_dir: Path):
        self.rules_dir = rules_dir
        self.problems: list[Problem] = []
        # Files that could not be read (missing, or not YAML): everything after them would only
        # be follow-up noise (unknown parameters...), so these alone are reported.
        self.unreadable: list[Problem] = []

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.rules_dir.parent))
        except ValueError:
            return str(path)

    def source(self, path: Path) -> YamlSource | None:
        if not path.is_file():
            self.unreadable.append(Problem(self.display(path), None, "bestand ontbreekt"))
            self.problems.append(self.unreadable[-1])
            return None
        from fund.rules.yaml_source import YamlSource

        try:
            src = YamlSource(path, self.display(path))
        except RuleFileError as exc:
            self.unreadable.extend(exc.problems)
            self.problems.extend(exc.problems)
            return None
        self.problems.extend(src.duplicates)
        return src

    def model(self, model: type[M], data: Any, src: YamlSource, loc: Loc = ()) -> M | None:
        from pydantic import ValidationError

        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors():
                self.problems.append(pydantic_problem(src, loc + tuple(error["loc"]), error))
            return None

    def load_file(self, model: type[M], path: Path) -> tuple[M | None, YamlSource | None]:
        src = self.source(path)
        if src is None:
            return None, None
        return self.model(model, src.data, src), src


def pydantic_problem(src: YamlSource, loc: Loc, error: Any) -> Problem:
    """A pydantic error as a Dutch problem with file and line."""
    path_parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p in ("literal", "list")))]
    where = ".".join(path_parts)
    message = _PYDANTIC_DUTCH.get(error["type"], error["msg"])
    if error["type"] == "literal_error":
        message = f"onbekende waarde {error.get('input')!r}: {error['msg']}"
    if error["type"] == "extra_forbidden":
        message = f"onbekende sleutel '{loc[-1]}' (tikfout?)"
    if error["type"] == "missing":
        message = f"'{loc[-1]}' ontbreekt"
    line_loc = loc + ("__key__",) if error["type"] == "extra_forbidden" else loc
    line = src.lines.get(line_loc) if error["type"] == "extra_forbidden" else None
    return Problem(src.display, line or src.line_of(loc), f"{where}: {message}" if where else message)


def _convert_parameter(unit: str, value: Any) -> Any:
    if unit in ("EUR", "fractie"):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError("moet een getal zijn")
        try:
            return Decimal(str(value))
        except ArithmeticError:  # "veel": decimal.InvalidOperation
            raise ValueError("moet een getal zijn") from None
    if unit in ("jaar", "maanden", "weken", "dagen", "aantal"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("moet een geheel getal zijn")
        return value
    if unit == "codes":
        if isinstance(value, list):
            return tuple(value)
        if isinstance(value, dict):
            return dict(value)
        raise ValueError("moet een lijst of mapping zijn")
    return value


def _resolve_parameters(
    loader: _Loader, files: list[tuple[schema.ParametersFile, YamlSource]], tijdvak: schema.Tijdvak,
) -> tuple[dict[str, Any], dict[str, ParameterInfo]]:
    values: dict[str, Any] = {}
    meta: dict[str, ParameterInfo] = {}
    for model, src in files:
        for name, param in model.parameters.items():
            loc: Loc = ("parameters", name)
            if name in meta:
                loader.problems.append(src.problem(loc, f"parameter '{name}' bestaat al (gedeeld of dubbel)"))
                continue
            starts = sorted(param.values)
            for start in starts:
                if tijdvak.start < start <= tijdvak.end:
                    loader.problems.append(src.problem(
                        loc + ("values", start),
                        f"waarde begint op {start} midden in tijdvak {tijdvak.id}; laat waarden op de "
                        f"begindatum van een tijdvak ingaan"))
            applicable = [s for s in starts if s <= tijdvak.start]
            if not applicable:
                loader.problems.append(src.problem(loc + ("values",), f"geen waarde voor tijdvak {tijdvak.id}"))
                continue
            chosen = applicable[-1]
            try:
                values[name] = _convert_parameter(param.unit, param.values[chosen])
            except ValueError as exc:
                loader.problems.append(src.problem(loc + ("values", chosen), f"{exc} (eenheid {param.unit})"))
                continue
            meta[name] = ParameterInfo(param.description, param.unit, param.reference, dict(param.values))
    return values, meta


def _fact_fields(
    loader: _Loader,
    inst: schema.InstrumentFile,
    src: YamlSource,
    facts_file: schema.FactsFile | None,
    facts_src: YamlSource | None,
) -> list[FactField]:
    from fund.rules import schema

    shared_types = facts_file.types if facts_file else {}
    groups = facts_file.groups if facts_file else {}

    def build(section: str, key: str, spec: schema.FactSpec, where: YamlSource, loc: Loc) -> FactField | None:
        data = spec.model_dump(exclude_unset=True)
        data.pop("has_default", None)
        merged: dict[str, Any] = {}
        if spec.type not in BASE_TYPES:
            if spec.type not in shared_types:
                loader.problems.append(where.problem(loc + ("type",), (
                    f"onbekend type '{spec.type}'; kies uit: {', '.join(BASE_TYPES + tuple(shared_types))}")))
                return None
            base = shared_types[spec.type]
            data.pop("type")
            merged = base.model_dump(exclude_unset=True)
            merged.pop("has_default", None)
            if base.has_default:
                merged["default"] = base.default
        merged.update(data)
        if spec.has_default:
            merged["default"] = spec.default
        kind = merged["type"]
        if kind not in BASE_TYPES:
            loader.problems.append(where.problem(loc + ("type",), f"type '{kind}' is geen basistype"))
            return None
        if kind == "enum" and not merged.get("values"):
            loader.problems.append(where.problem(loc, "een enum heeft 'values' nodig"))
            return None
        if kind == "code" and not merged.get("pattern"):
            loader.problems.append(where.problem(loc, "een code heeft 'pattern' nodig"))
            return None
        pattern = None
        if merged.get("pattern"):
            try:
                pattern = re.compile(merged["pattern"])
            except re.error as exc:
                loader.problems.append(where.problem(loc + ("pattern",), f"ongeldig patroon: {exc}"))
                return None
        if merged.get("not_before") and "." not in merged["not_before"]:
            merged["not_before"] = f"{section}.{merged['not_before']}"
        has_default = "default" in merged
        default = merged.get("default")
        if has_default:
            if kind == "money":
                default = Decimal(str(default))
            elif kind == "int" and (isinstance(default, bool) or not isinstance(default, int)):
                loader.problems.append(where.problem(loc + ("default",), "standaardwaarde moet een geheel getal zijn"))
            elif kind == "bool" and not isinstance(default, bool):
                loader.problems.append(where.problem(loc + ("default",), "standaardwaarde moet true of false zijn"))
        return FactField(
            section=section, key=key, type=kind, label=merged.get("label") or f"{section}.{key}",
            values=tuple(merged["values"]) if merged.get("values") else None,
            default=default, has_default=has_default, minimum=merged.get("minimum"),
            positive=bool(merged.get("positive")), pattern=pattern,
            pattern_message=merged.get("pattern_message"), not_before=merged.get("not_before"),
            min_items=merged.get("min_items"),
        )

    fields: list[FactField] = []
    for section, body in inst.facts.items():
        section_loc: Loc = ("facts", section)
        for group in body.include:
            if group not in groups:
                loader.problems.append(src.problem(section_loc + ("include",), f"onbekende groep '{group}'"))
                continue
            for key, spec in groups[group].items():
                assert facts_src is not None
                f = build(section, key, spec, facts_src, ("groups", group, key))
                if f:
                    fields.append(f)
        for key, raw in (body.model_extra or {}).items():
            spec = loader.model(schema.FactSpec, raw, src, section_loc + (key,))
            if spec is None:
                continue
            f = build(section, key, spec, src, section_loc + (key,))
            if f:
                fields = [x for x in fields if x.dotted != f.dotted] + [f]
    known = {f.dotted for f in fields}
    for f in fields:
        if f.not_before and f.not_before not in known:
            loader.problems.append(src.problem(("facts", f.section), f"not_before verwijst naar onbekend feit '{f.not_before}'"))
    return fields


def _merge_shared(
    loader: _Loader, rule: Any, shared: dict[str, Any], src: YamlSource, loc: Loc, shared_src: YamlSource | None,
) -> tuple[dict[str, Any], YamlSource, Loc]:
    """Fill a ``use:`` rule from its shared definition; own keys override. Returns data + where each key came from."""
    from fund.rules import schema

    own_models = {k: getattr(rule, k) for k in rule.model_fields_set}
    if rule.use is None:
        return own_models, src, loc
    if rule.use not in shared:
        loader.problems.append(src.problem(loc + ("use",), f"onbekende gedeelde regel '{rule.use}'; kies uit: {', '.join(shared)}"))
        return own_models, src, loc
    base = shared[rule.use]
    merged = {k: getattr(base, k) for k in base.model_fields_set}
    merged.setdefault("code", rule.use)
    merged["__origin__"] = {k: (shared_src, ("eligibility" if isinstance(base, schema.EligibilityRule) else "voorzieningen", rule.use, k)) for k in merged}
    merged.update(own_models)
    for k in own_models:
        merged["__origin__"][k] = (src, loc + (k,))
    return merged, src, loc


def load(rules_dir: Path) -> Rulebook:
    """Load and compile every rule file below ``rules_dir``; raise :class:`RuleFileError` on any problem."""
    from fund.rules import portal, schema
    from fund.rules.demo_file import build_demo

    loader = _Loader(rules_dir)
    shared = rules_dir / SHARED_DIR
    tv_file, _ = loader.load_file(schema.TijdvakkenFile, shared / "tijdvakken.yaml")
    param_files: list[tuple[schema.ParametersFile, YamlSource]] = []
    for name in ("parameters.yaml", "procedure.yaml"):
        model, src = loader.load_file(schema.ParametersFile, shared / name)
        if model and src:
            param_files.append((model, src))
    facts_file, facts_src = loader.load_file(schema.FactsFile, shared / "facts.yaml")
    messages_file, _ = loader.load_file(schema.MessagesFile, shared / "messages.yaml")
    shared_rules, shared_rules_src = loader.load_file(schema.SharedRulesFile, shared / "rules.yaml")

    instrument_dirs = sorted(p for p in rules_dir.iterdir() if p.is_dir() and p.name != SHARED_DIR) \
        if rules_dir.is_dir() else []
    if not rules_dir.is_dir():
        raise RuleFileError([Problem(str(rules_dir), None, "map met regels bestaat niet")])

    tijdvakken = [Tijdvak(t.id, t.start, t.end, t.description) for t in tv_file.tijdvakken] if tv_file else []
    messages = messages_file.messages if messages_file else {}
    rulesets: list[Ruleset] = []
    instruments: list[tuple[int, str]] = []
    shared_form, shared_form_src = loader.load_file(portal.SharedFormFile, shared / "form.yaml")
    workflow_file, _ = loader.load_file(schema.WorkflowFile, shared / "workflow.yaml")
    document_labels = workflow_file.document_labels if workflow_file else {}
    shared_results = workflow_file.reported_results if workflow_file else {}
    forms: dict[str, InstrumentForm] = {}
    demos: dict[str, dict] = {}
    facts_of: dict[str, set[str]] = {}
    for inst_dir in instrument_dirs:
        inst, src = loader.load_file(schema.InstrumentFile, inst_dir / "instrument.yaml")
        inst_params, inst_params_src = loader.load_file(schema.ParametersFile, inst_dir / "parameters.yaml")
        if inst is None or src is None or messages_file is None:
            continue
        if inst.instrument != inst_dir.name:
            loader.problems.append(src.problem(("instrument",), f"instrument '{inst.instrument}' moet gelijk zijn aan de mapnaam '{inst_dir.name}'"))
        order_match = re.search(r"\d+", inst.article)
        instruments.append((int(order_match.group()) if order_match else 99, inst.instrument))
        fields = _fact_fields(loader, inst, src, facts_file, facts_src)
        validator = FactsValidator(fields, messages)
        known_facts = {f.dotted: f for f in fields}
        facts_of[inst.instrument] = set(known_facts)
        form = portal.build_form(loader, inst.instrument, inst_dir / "form.yaml", known_facts,
                                 inst.aliases, set(inst.vaststelling.results), shared_form,
                                 shared_form_src, set(document_labels), shared_results)
        if form is not None:
            forms[inst.instrument] = form
            demo = build_demo(loader, inst.instrument, inst_dir / "demo.yaml", set(known_facts),
                              {value for value, _, _ in form.reported_results})
            if demo is not None:
                demos[inst.instrument] = demo
        files = list(param_files) + ([(inst_params, inst_params_src)] if inst_params and inst_params_src else [])
        for tv_id_index, tv_id in enumerate(inst.tijdvakken):
            tijdvak = next((t for t in tijdvakken if t.id == tv_id), None)
            if tijdvak is None:
                loader.problems.append(src.problem(("tijdvakken", tv_id_index), f"onbekend tijdvak '{tv_id}'"))
                continue
            rs = _compile_ruleset(loader, inst, src, tijdvak, files, known_facts, validator,
                                  shared_rules, shared_rules_src, messages_file)
            if rs is not None:
                rulesets.append(rs)
    if loader.unreadable:
        raise RuleFileError(list(dict.fromkeys(loader.unreadable)))
    loader.problems.extend(_check_tijdvakken(tijdvakken, rules_dir))
    # Files read by other parts of the application (fund/awb.py, fund/reports): checked here too,
    # so `fund rules check` and the start of the app report their gaps with file:line.
    loader.load_file(schema.TermijnenFile, shared / "termijnen.yaml")
    targets, targets_src = loader.load_file(schema.TargetsFile, shared / "targets.yaml")
    if targets is not None and targets_src is not None:
        known = {name for _, name in instruments}
        kind_fact: dict[str, str] = {}
        for code, target in targets.targets.items():
            for i, name in enumerate(target.instruments):
                if name not in known:
                    loader.problems.append(targets_src.problem(("targets", code, "instruments", i),
                                                               f"onbekend instrument '{name}'"))
            for name, only in target.only.items():
                # one fact per instrument: it is stored as applications.report_kind (fund.reports)
                if kind_fact.setdefault(name, only.fact) != only.fact:
                    loader.problems.append(targets_src.problem(
                        ("targets", code, "only", name, "fact"),
                        f"{name} telt al op feit '{kind_fact[name]}'; gebruik één feit per instrument"))
                if name not in target.instruments:
                    loader.problems.append(targets_src.problem(("targets", code, "only", name),
                                                               f"'{name}' staat niet in instruments"))
                elif name in facts_of and only.fact not in facts_of[name]:
                    loader.problems.append(targets_src.problem(("targets", code, "only", name, "fact"),
                                                               f"onbekend feit '{only.fact}' voor {name}"))
    if loader.problems:
        raise RuleFileError(list(dict.fromkeys(loader.problems)))
    ordered = [name for _, name in sorted(instruments)]
    return Rulebook(rules_dir, rulesets, ordered, tijdvakken, messages, forms, document_labels,
                    {value: r.letter for value, r in shared_results.items()}, demos)


def _check_tijdvakken(tijdvakken: list[Tijdvak], rules_dir: Path) -> list[Problem]:
    problems = []
    ordered = sorted(tijdvakken, key=lambda t: t.start)
    for a, b in zip(ordered, ordered[1:]):
        if b.start <= a.end:
            problems.append(Problem(str(rules_dir / SHARED_DIR / "tijdvakken.yaml"), None,
                                    f"tijdvakken {a.id} en {b.id} overlappen"))
    return problems


def _compile_ruleset(
    loader: _Loader,
    inst: schema.InstrumentFile,
    src: YamlSource,
    tijdvak: Tijdvak,
    param_files: list[tuple[schema.ParametersFile, YamlSource]],
    known_facts: dict[str, FactField],
    validator: FactsValidator,
    shared_rules: schema.SharedRulesFile | None,
    shared_src: YamlSource | None,
    messages: schema.MessagesFile,
) -> Ruleset | None:
    params, meta = _resolve_parameters(loader, param_files, tijdvak)
    definitions: dict[str, tuple[schema.Definition, YamlSource, Loc]] = {}
    if shared_rules and shared_src:
        for name, d in shared_rules.definitions.items():
            definitions[name] = (d, shared_src, ("definitions", name))
    for name, d in inst.definitions.items():
        if name in definitions:
            loader.problems.append(src.problem(("definitions", name), f"definitie '{name}' bestaat al in shared/rules.yaml"))
            continue
        definitions[name] = (d, src, ("definitions", name))
    for alias in inst.aliases:
        if any(f.startswith(alias + ".") for f in known_facts):
            loader.problems.append(src.problem(("aliases", alias), f"alias '{alias}' botst met een echte feitengroep"))
    names = params.get("gemeentenamen")
    formatting = Formatting(months=tuple(messages.months), labels=messages.labels,
                            yes_no={k: v for k, v in messages.yes_no.items()},
                            municipality_names=dict(names) if isinstance(names, dict) else {})
    compiler = Compiler(facts=known_facts, aliases=inst.aliases, params=params, definitions=definitions,
                        formatting=formatting, problems=loader.problems)
    before = len(loader.problems)

    def static_text(text: str, where_src: YamlSource, loc: Loc) -> str:
        """Descriptions may use {param.x} and definitions that need no facts; rendered once."""
        render = compiler.template(text, where_src, loc)
        try:
            return render(Context({}))
        except KeyError as exc:
            loader.problems.append(where_src.problem(loc, f"een beschrijving mag geen feiten gebruiken ({exc})"))
            return text
        except (TypeError, ValueError, ArithmeticError) as exc:
            if len(loader.problems) == before:  # otherwise an earlier problem (missing parameter) explains it
                loader.problems.append(where_src.problem(loc, f"beschrijving kan niet worden gemaakt: {exc}"))
            return text

    def rule(kind: str, index: int, model: Any, section: str, condition_key: str,
             shared: dict[str, Any]) -> CompiledRule | None:
        loc: Loc = (section, index)
        data, _, _ = _merge_shared(loader, model, shared, src, loc, shared_src)
        origin = data.get("__origin__", {})

        def where(key: str) -> tuple[YamlSource, Loc]:
            if key in origin:
                return origin[key]
            return src, loc + (key,)

        needed = ("code", "description", condition_key, "explanation") + (("refer_to",) if kind == "voorziening" else ())
        missing = [k for k in needed if data.get(k) is None]
        if missing:
            loader.problems.append(src.problem(loc, f"regel mist: {', '.join(missing)}"))
            return None
        test = compiler.expression(data[condition_key], *where(condition_key))
        only = compiler.expression(data["only_when"], *where("only_when")) if data.get("only_when") is not None else None
        explain = compiler.explanation(data["explanation"], *where("explanation"))
        description = static_text(data["description"], *where("description"))
        refer = data.get("refer_to")
        return CompiledRule(code=data["code"], kind=kind, description=description, test=test,
                            explain=explain, only_when=only,
                            refer_to=(refer.aanvrager, refer.derde) if refer is not None else None)

    shared_elig = shared_rules.eligibility if shared_rules else {}
    shared_vz = shared_rules.voorzieningen if shared_rules else {}
    eligibility = [rule("eligibility", i, r, "eligibility", "passes_when", shared_elig)
                   for i, r in enumerate(inst.eligibility)]
    voorzieningen = [rule("voorziening", i, r, "voorzieningen", "applies_when", shared_vz)
                     for i, r in enumerate(inst.voorzieningen)]
    _check_unique(loader, src, "eligibility", [r.code for r in eligibility if r])
    _check_unique(loader, src, "voorzieningen", [r.code for r in voorzieningen if r])
    needs = []
    for i, n in enumerate(inst.needs_info):
        loc = ("needs_info", i)
        if compiler.resolve_fact(n.fact) is None:
            loader.problems.append(src.problem(loc + ("fact",), f"onbekend feit '{n.fact}'"))
            continue
        needs.append(CompiledRule(code=compiler.resolve_fact(n.fact) or n.fact, kind="needs_info",
                                  description=static_text(n.description, src, loc + ("description",)),
                                  test=compiler.expression(n.when, src, loc + ("when",)),
                                  explain=compiler.explanation(n.explanation, src, loc + ("explanation",)),
                                  fact=compiler.resolve_fact(n.fact)))
    pg = None
    if inst.priority_group is not None:
        p = inst.priority_group
        pg = CompiledRule(code=p.rule, kind="priority_group",
                          description=static_text(p.description, src, ("priority_group", "description")),
                          test=compiler.expression(p.value, src, ("priority_group", "value")),
                          explain=compiler.explanation(p.explanation, src, ("priority_group", "explanation")))
    a = inst.amount
    amount = CompiledRule(code=a.rule, kind="amount",
                          description=static_text(a.description, src, ("amount", "description")),
                          test=compiler.expression(a.value, src, ("amount", "value")),
                          explain=compiler.explanation(a.explanation, src, ("amount", "explanation")))
    for required in ("subsidieplafond", "voorschot_percentage"):
        if required not in params:
            loader.problems.append(src.problem(("instrument",), f"parameter '{required}' ontbreekt voor tijdvak {tijdvak.id}"))
    v_facts = dict(known_facts)
    for name in VASTSTELLING_FACTS:
        section, _, key = name.partition(".")
        v_facts[name] = FactField(section=section, key=key, type="money", label=name)
    v_compiler = Compiler(facts=v_facts, aliases=inst.aliases, params=params, definitions=definitions,
                          formatting=formatting, problems=loader.problems)
    vaststelling = {
        result: (static_text(case.description, src, ("vaststelling", "results", result, "description")), v_compiler.expression(case.value, src, ("vaststelling", "results", result, "value")))
        for result, case in inst.vaststelling.results.items()
    }
    for name in inst.definitions:  # compile the instrument's own definitions even when unused
        compiler.definition(name, definitions[name][1], definitions[name][2])
    if len(loader.problems) > before or any(r is None for r in eligibility + voorzieningen):
        return None
    return Ruleset(
        id=f"{inst.instrument}-{tijdvak.id}", instrument=inst.instrument, title=inst.title,
        article=inst.article, applicant=inst.applicant, tijdvak=tijdvak, params=params, param_meta=meta,
        eligibility=[r for r in eligibility if r], voorzieningen=[r for r in voorzieningen if r],
        needs_info=needs, priority_group=pg, amount=amount,
        vaststelling_description=static_text(inst.vaststelling.description, src, ("vaststelling", "description")), vaststelling=vaststelling,
        validator=validator, formatting=formatting,
        definitions={name: static_text(d[0].description, d[1], d[2] + ("description",))
                     for name, d in definitions.items() if name in compiler.compiled_definitions},
    )


def _check_unique(loader: _Loader, src: YamlSource, section: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for i, code in enumerate(codes):
        if code in seen:
            loader.problems.append(src.problem((section, i), f"code '{code}' komt twee keer voor"))
        seen.add(code)


def rules_dir_from(rules_dir: Path | str | None = None) -> Path:
    if rules_dir is not None:
        return Path(rules_dir).resolve()
    env = os.environ.get(RULES_DIR_ENV)
    return Path(env).resolve() if env else DEFAULT_RULES_DIR


@functools.lru_cache(maxsize=16)
def _cached(path: str) -> Rulebook:
    from fund.rules import cache

    return cache.load(Path(path), load)


def load_rulebook(rules_dir: Path | str | None = None) -> Rulebook:
    """The rulebook of ``rules_dir`` (default: ``$FUND_RULES_DIR`` or the repository's ``rules/``),
    cached in the process and between processes (:mod:`fund.rules.cache`)."""
    return _cached(str(rules_dir_from(rules_dir)))


def clear_cache() -> None:
    _cached.cache_clear()


