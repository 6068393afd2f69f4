"""Turning the declarative condition trees of the rule files into Python closures.

Nothing from a rule file is ever passed to ``eval``/``exec``: every node type of
:mod:`fund.rules.schema` maps to a small, fixed Python function here. Compiling happens once,
when the rulebook loads; parameters are resolved for the tijdvak at that moment, so evaluating
an application is a walk over pre-built closures.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable

from fund.rules import dates
from fund.rules.errors import Problem

if TYPE_CHECKING:
    from fund.rules import schema
    from fund.rules.yaml_source import Loc, YamlSource

# The rule-file schema (pydantic) is imported by the methods that compile, not here: a rulebook
# read from the cache (fund.rules.cache) runs these closures without building the schema classes.


Context = dict
"""The evaluation context: the facts of one application, flat by dotted name. Computed
definitions are cached in the same dict under ``"§" + name`` (no fact name contains ``§``)."""

Compiled = Callable[[dict[str, Any]], Any]
Renderer = Callable[[Context, bool], str]

class _Missing:
    """"Not computed yet"; pickled by name, so a cached rulebook's closures share this one."""

    def __reduce__(self) -> str:
        return "_MISSING"


_MISSING = _Missing()

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda left, right: left in right,
    "not_in": lambda left, right: left not in right,
}


def to_decimal_or_int(value: Any) -> Any:
    """YAML numbers: floats become exact Decimals via their text; everything else is kept."""
    if isinstance(value, float):
        return Decimal(str(value))
    return value


class Memo(dict):
    """A bounded memo of a pure one-argument formatter: ``memo[value]`` computes once, then looks up.

    Only used for values whose equal keys always format the same (dates, codes, texts, ints that
    are never bools); never for Decimals (``Decimal('-0') == Decimal('0')`` but they print
    differently). The memo is emptied when it reaches ``limit`` entries, so it stays small in a
    long-running process.
    """

    __slots__ = ("function", "limit")

    def __init__(self, function: Callable[[Any], str], limit: int = 8192):
        super().__init__()
        self.function = function
        self.limit = limit

    def __missing__(self, key: Any) -> str:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.function(key)
        return value


@dataclass
class Formatting:
    """What the templates need to write values the Dutch way."""

    months: tuple[str, ...]
    labels: dict[str, str]
    yes_no: dict[str, str]
    municipality_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        months, labels, yes_no = self.months, self.labels, self.yes_no
        self.date_text = Memo(lambda v: dates.dutch_date(v, months))
        self.label_text = Memo(lambda v: labels.get(v, v))
        self.int_text = Memo(str)
        self.plain_text = Memo(str)
        self.municipality_text = Memo(self.municipality)
        self.yes_no_text = {True: yes_no["yes"], False: yes_no["no"]}
        date_text = self.date_text
        self._by_type: dict[type, Callable[[Any], str]] = {
            bool: lambda v: yes_no["yes"] if v else yes_no["no"],
            dt.date: date_text.__getitem__,
            Decimal: dates.money_text,
            str: lambda v: labels.get(v, v),
            int: str,
            tuple: lambda v: self.join([self.default(x) for x in v]),
            list: lambda v: self.join([self.default(x) for x in v]),
            dict: lambda v: self.join([self.default(x) for x in v]),
        }

    def default(self, value: Any) -> str:
        """Dates as '2 maart 2026', Decimals as '€ 1.800,00', codes by their label, booleans ja/nee."""
        formatter = self._by_type.get(type(value))
        return formatter(value) if formatter is not None else str(value)

    def join(self, parts: list[str], last: str = "en") -> str:
        if len(parts) <= 1:
            return "".join(parts)
        return f"{', '.join(parts[:-1])} {last} {parts[-1]}"

    def municipality(self, code: Any) -> str:
        """The gemeente's name ("Emmen"): the trace is read by applicants in letters and on the
        check page, and a CBS code means nothing to them (issue 14). An unknown code stays as it is."""
        return self.municipality_names.get(code) or str(code)

    def municipality_with_code(self, code: Any) -> str:
        """"Emmen (GM0114)", for staff texts that name the parameter's codes (``fund rules explain``)."""
        name = self.municipality_names.get(code)
        return f"{name} ({code})" if name else str(code)

    def filters(self) -> dict[str, Callable[[Any], str]]:
        return {
            "geld": lambda v: dates.money_text(Decimal(v)),
            "datum": lambda v: dates.dutch_date(v, self.months),
            "procent": lambda v: dates.percent_text(Decimal(v)),
            "getal": lambda v: f"{v}",
            "tekst": lambda v: str(v),
            "gemeente": self.municipality,
            "gemeenten": lambda v: self.join([self.municipality(c) for c in v]),
            "lijst": lambda v: self.join([self.default(x) for x in v]),
            "of": lambda v: self.join([self.default(x) for x in v], "of"),
        }

    def fact_formatter(self, fact_type: str, filter_name: str | None, default: Any, has_default: bool) -> Any:
        """A memo (``memo[value]``) that formats a fact of ``fact_type`` exactly like the generic
        formatter would, or ``None`` when no safe memo exists. The value of a validated fact always
        has the Python type of its fact type; a default of another type disables the memo."""
        expected = {"date": dt.date, "bool": bool, "int": int, "enum": str, "code": str, "text": str}.get(fact_type)
        if expected is None or (has_default and type(default) is not expected):
            return None
        if filter_name is None and fact_type == "text":
            return self.plain_text  # free text is shown as typed, never looked up as a code
        if filter_name is None:
            return {dt.date: self.date_text, bool: self.yes_no_text, int: self.int_text,
                    str: self.label_text}[expected]
        if filter_name == "datum" and expected is dt.date:
            return self.date_text
        if filter_name == "gemeente" and expected is str:
            return self.municipality_text
        return None


class _NeedsFacts(Exception):
    """Raised when a compile-time evaluation touches a fact (the value is not constant)."""


class _NoFacts(dict):
    """An evaluation context without facts, to find definitions that are constant per tijdvak."""

    def __missing__(self, key: str) -> Any:
        raise _NeedsFacts(key)


def _all(parts: list[Compiled]) -> Compiled:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: bool(a(ctx) and b(ctx))
    tupled = tuple(parts)

    def every(ctx: Context) -> bool:
        for part in tupled:
            if not part(ctx):
                return False
        return True

    return every


def _any(parts: list[Compiled]) -> Compiled:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: bool(a(ctx) or b(ctx))
    tupled = tuple(parts)

    def some(ctx: Context) -> bool:
        for part in tupled:
            if part(ctx):
                return True
        return False

    return some


_PLACEHOLDER = re.compile(r"\{([^{}|]+)(?:\|([a-z_]+))?\}")


class Compiler:
    """Compiles expressions and templates of one ruleset (one instrument, one tijdvak)."""

    def __init__(
        self,
        *,
        facts: dict[str, Any],
        aliases: dict[str, str],
        params: dict[str, Any],
        definitions: dict[str, tuple[schema.Definition, YamlSource, Loc]],
        formatting: Formatting,
        problems: list[Problem],
    ):
        self.facts = facts
        self.aliases = aliases
        self.params = params
        self.definitions = definitions
        self.formatting = formatting
        self.filters = formatting.filters()
        self.problems = problems
        self.compiled_definitions: dict[str, Compiled] = {}
        self.constant_definitions: dict[str, Any] = {}
        self._in_progress: list[str] = []

    # -- names -------------------------------------------------------------------------------

    def resolve_fact(self, name: str) -> str | None:
        prefix, dot, rest = name.partition(".")
        if dot and prefix in self.aliases:
            name = f"{self.aliases[prefix]}.{rest}"
        return name if name in self.facts else None

    def definition(self, name: str, source: YamlSource, loc: Loc) -> Compiled:
        if name in self.compiled_definitions:
            return self.compiled_definitions[name]
        if name not in self.definitions:
            self.problems.append(source.problem(loc, f"onbekende definitie '{name}'"))
            return lambda ctx: None
        if name in self._in_progress:
            cycle = " -> ".join(self._in_progress + [name])
            self.problems.append(source.problem(loc, f"definities verwijzen in een kring naar elkaar: {cycle}"))
            return lambda ctx: None
        self._in_progress.append(name)
        model, def_source, def_loc = self.definitions[name]
        problems_before = len(self.problems)
        inner = self.expression(model.value, def_source, def_loc + ("value",))
        self._in_progress.pop()
        if len(self.problems) == problems_before:
            is_constant, value = _evaluate_without_facts(inner)
            if is_constant:  # uses only parameters and literals: fixed for this tijdvak
                self.constant_definitions[name] = value
                constant: Compiled = lambda ctx, _v=value: _v  # noqa: E731
                self.compiled_definitions[name] = constant
                return constant

        def cached(ctx: Context, _key: str = "§" + name, _inner: Compiled = inner) -> Any:
            value = ctx.get(_key, _MISSING)
            if value is _MISSING:
                value = ctx[_key] = _inner(ctx)
            return value

        self.compiled_definitions[name] = cached
        return cached

    # -- expressions -------------------------------------------------------------------------

    def expression(self, node: Any, source: YamlSource, loc: Loc) -> Compiled:
        from fund.rules import schema as m
        if isinstance(node, m.FactRef):
            name = self.resolve_fact(node.fact)
            if name is None:
                self.problems.append(source.problem(loc + ("fact",), f"onbekend feit '{node.fact}'"))
                return lambda ctx: None
            return lambda ctx, _n=name: ctx[_n]
        if isinstance(node, m.ParamRef):
            if node.param not in self.params:
                self.problems.append(source.problem(loc + ("param",), f"onbekende parameter '{node.param}'"))
                return lambda ctx: None
            value = self.params[node.param]
            return lambda ctx, _v=value: _v
        if isinstance(node, m.VarRef):
            return self.definition(node.var, source, loc + ("var",))
        if isinstance(node, m.AllOf):
            return _all(self._many(node.all, source, loc + ("all",)))
        if isinstance(node, m.AnyOf):
            return _any(self._many(node.any, source, loc + ("any",)))
        if isinstance(node, m.NotOf):
            inner = self.expression(node.not_, source, loc + ("not",))
            return lambda ctx, _i=inner: not _i(ctx)
        if isinstance(node, m.Compare):
            return self._compare(node, source, loc)
        if isinstance(node, m.Add):
            parts = self._many(node.add, source, loc + ("add",))
            return lambda ctx, _p=parts: sum((p(ctx) for p in _p[1:]), _p[0](ctx))
        if isinstance(node, m.Sub):
            a, b = self._many(node.sub, source, loc + ("sub",))
            return lambda ctx, _a=a, _b=b: _a(ctx) - _b(ctx)
        if isinstance(node, m.Mul):
            parts = self._many(node.mul, source, loc + ("mul",))

            def multiply(ctx: Context, _p: list[Compiled] = parts) -> Any:
                result = _p[0](ctx)
                for p in _p[1:]:
                    result = result * p(ctx)
                return result

            return multiply
        if isinstance(node, m.MinOf):
            parts = self._many(node.min, source, loc + ("min",))
            return lambda ctx, _p=parts: min(p(ctx) for p in _p)
        if isinstance(node, m.MaxOf):
            parts = self._many(node.max, source, loc + ("max",))
            return lambda ctx, _p=parts: max(p(ctx) for p in _p)
        if isinstance(node, m.RoundDown):
            inner = self.expression(node.round_down, source, loc + ("round_down",))
            return lambda ctx, _i=inner: dates.round_down_euros(Decimal(_i(ctx)))
        if isinstance(node, m.IfThenElse):
            cond = self.expression(node.if_, source, loc + ("if",))
            then = self.expression(node.then, source, loc + ("then",))
            other = self.expression(node.else_, source, loc + ("else",))
            return lambda ctx, _c=cond, _t=then, _o=other: _t(ctx) if _c(ctx) else _o(ctx)
        if isinstance(node, m.AgeOn):
            birth = self.expression(node.age_on.birth_date, source, loc + ("age_on", "birth_date"))
            on = self.expression(node.age_on.date, source, loc + ("age_on", "date"))
            return lambda ctx, _b=birth, _o=on: dates.age_on(_b(ctx), _o(ctx))
        if isinstance(node, m.AddMonths):
            date = self.expression(node.add_months.date, source, loc + ("add_months", "date"))
            months = self.expression(node.add_months.months, source, loc + ("add_months", "months"))
            return lambda ctx, _d=date, _m=months: dates.add_months(_d(ctx), int(_m(ctx)))
        if isinstance(node, list):
            value = tuple(to_decimal_or_int(v) for v in node)
            return lambda ctx, _v=value: _v
        value = to_decimal_or_int(node)
        return lambda ctx, _v=value: _v

    def _constant(self, node: Any) -> tuple[bool, Any]:
        """Is this node known at compile time (literal or parameter)? Then also its value."""
        from pydantic import BaseModel

        from fund.rules import schema

        if isinstance(node, schema.ParamRef) and node.param in self.params:
            return True, self.params[node.param]
        if isinstance(node, list):
            return True, tuple(to_decimal_or_int(v) for v in node)
        if not isinstance(node, BaseModel):
            return True, to_decimal_or_int(node)
        return False, None

    def _compare(self, node: schema.Compare, source: YamlSource, loc: Loc) -> Compiled:
        """Comparisons are the hot path: specialise fact-vs-constant and membership tests."""
        left = self.expression(node.left, source, loc + ("left",))
        right = self.expression(node.right, source, loc + ("right",))
        from fund.rules import schema

        fn = _COMPARE[node.op]
        is_constant, constant = self._constant(node.right)
        if not is_constant:
            return lambda ctx, _l=left, _r=right, _f=fn: _f(_l(ctx), _r(ctx))
        if node.op in ("in", "not_in") and isinstance(constant, (tuple, list, dict)):
            members = frozenset(constant)
            if node.op == "in":
                return lambda ctx, _l=left, _s=members: _l(ctx) in _s
            return lambda ctx, _l=left, _s=members: _l(ctx) not in _s
        fact = self.resolve_fact(node.left.fact) if isinstance(node.left, schema.FactRef) else None
        if fact is not None:
            return lambda ctx, _n=fact, _c=constant, _f=fn: _f(ctx[_n], _c)
        return lambda ctx, _l=left, _c=constant, _f=fn: _f(_l(ctx), _c)

    def _many(self, nodes: list[Any], source: YamlSource, loc: Loc) -> list[Compiled]:
        return [self.expression(n, source, loc + (i,)) for i, n in enumerate(nodes)]

    # -- templates ---------------------------------------------------------------------------

    def template(self, text: str, source: YamlSource, loc: Loc) -> Callable[[Context], str]:
        """Compile a text with placeholders into one function ``render(ctx) -> str``.

        Done once at load: parameters and constant definitions are formatted into the text,
        facts get a formatter chosen for their type (dates, codes and labels from a memo), and
        what is left is one ``str.format`` call on a prepared pattern.
        """
        pieces: list[Any] = []  # literal text (str) or a function ctx -> str
        literal: list[str] = []
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            pieces.append(text[position:match.start()])
            literal.append(text[position:match.start()])
            position = match.end()
            name, filter_name = match.group(1).strip(), match.group(2)
            getter, kind, key = self._template_value(name, source, loc)
            if filter_name is None:
                fmt: Callable[[Any], str] = self.formatting.default
            elif filter_name in self.filters:
                fmt = self.filters[filter_name]
            else:
                self.problems.append(source.problem(
                    loc, f"onbekend filter '{filter_name}' in '{{{match.group(0)[1:-1]}}}'; "
                         f"kies uit: {', '.join(sorted(self.filters))}"))
                filter_name = None
                fmt = self.formatting.default
            pieces.append(self._piece(getter, kind, key, filter_name, fmt))
        pieces.append(text[position:])
        literal.append(text[position:])
        if any("{" in p or "}" in p for p in literal):
            self.problems.append(source.problem(loc, f"ongeldige plaatshouder in tekst: {text!r}"))
        # merge constant pieces; the pattern keeps one "{}" per function
        merged: list[Any] = [""]
        for piece in pieces:
            if isinstance(piece, str) and isinstance(merged[-1], str):
                merged[-1] += piece
            else:
                merged.append(piece)
        functions = tuple(p for p in merged if not isinstance(p, str))
        if not functions:
            constant_text = "".join(merged)
            return lambda ctx, _t=constant_text: _t
        pattern = "".join(p.replace("{", "{{").replace("}", "}}") if isinstance(p, str) else "{}" for p in merged)
        return _renderer(pattern.format, functions)

    def _piece(self, getter: Compiled, kind: str, key: Any, filter_name: str | None,
               fmt: Callable[[Any], str]) -> Any:
        """One placeholder: its text when it is constant, else a function ctx -> str."""
        if kind == "constant":
            try:
                return fmt(key)
            except Exception:  # noqa: BLE001 - fails at evaluation time, exactly as before
                pass
        if kind == "fact":
            f = self.facts[key]
            memo = self.formatting.fact_formatter(f.type, filter_name, f.default, f.has_default)
            if memo is not None:
                return lambda ctx, _n=key, _m=memo: _m[ctx[_n]]
            if f.type == "money" and filter_name is None and (not f.has_default or type(f.default) is Decimal):
                return lambda ctx, _n=key, _f=dates.money_text: _f(ctx[_n])
            return lambda ctx, _n=key, _f=fmt: _f(ctx[_n])
        return lambda ctx, _g=getter, _f=fmt: _f(_g(ctx))

    def _template_value(self, name: str, source: YamlSource, loc: Loc) -> tuple[Compiled, str, Any]:
        """The getter of a placeholder, and what it is: ("constant", value), ("fact", dotted) or ("other", None)."""
        if name in self.definitions:
            getter = self.definition(name, source, loc)
            if name in self.constant_definitions:
                return getter, "constant", self.constant_definitions[name]
            return getter, "other", None
        if name.startswith("param."):
            param = name[len("param."):]
            if param in self.params:
                value = self.params[param]
                return (lambda ctx, _v=value: _v), "constant", value
            self.problems.append(source.problem(loc, f"onbekende parameter '{param}' in tekst"))
            return (lambda ctx: None), "other", None
        fact = self.resolve_fact(name)
        if fact is not None:
            return (lambda ctx, _n=fact: ctx[_n]), "fact", fact
        self.problems.append(source.problem(
            loc, f"onbekende naam '{name}' in tekst (geen definitie, parameter of feit)"))
        return (lambda ctx: ""), "other", None

    def explanation(self, node: Any, source: YamlSource, loc: Loc) -> Renderer:
        """Compile an explanation: a text, ``{passed: ..., failed: ...}`` or a list of cases."""
        from fund.rules import schema

        if isinstance(node, str):
            render = self.template(node, source, loc)
            return lambda ctx, passed, _r=render: _r(ctx)
        if isinstance(node, schema.PassFailExplanation):
            if isinstance(node.passed, str) and isinstance(node.failed, str):
                render_passed = self.template(node.passed, source, loc + ("passed",))
                render_failed = self.template(node.failed, source, loc + ("failed",))
                return lambda ctx, passed, _p=render_passed, _f=render_failed: _p(ctx) if passed else _f(ctx)
            on_pass = self.explanation(node.passed, source, loc + ("passed",))
            on_fail = self.explanation(node.failed, source, loc + ("failed",))
            return lambda ctx, passed, _p=on_pass, _f=on_fail: _p(ctx, passed) if passed else _f(ctx, passed)
        if isinstance(node, list):
            cases = []
            for index, case in enumerate(node):
                when = (self.expression(case.when, source, loc + (index, "when"))
                        if case.when is not None else None)
                cases.append((when, self.template(case.text, source, loc + (index, "text"))))
            if cases and cases[-1][0] is not None:
                self.problems.append(source.problem(loc, "de laatste tekst moet zonder 'when' zijn (de standaardtekst)"))

            def choose(ctx: Context, passed: bool, _cases: list[Any] = cases) -> str:
                for when, render in _cases:
                    if when is None or when(ctx):
                        return render(ctx)
                return ""

            return choose
        self.problems.append(source.problem(loc, "uitleg ontbreekt"))
        return lambda ctx, passed: ""


def _evaluate_without_facts(compiled: Compiled) -> tuple[bool, Any]:
    """``(True, value)`` when ``compiled`` needs no facts (only parameters and literals)."""
    try:
        return True, compiled(_NoFacts())
    except Exception:  # noqa: BLE001 - _NeedsFacts, or an error that must happen at evaluation time
        return False, None


def _renderer(fmt: Callable[..., str], functions: tuple[Compiled, ...]) -> Callable[[Context], str]:
    """``fmt(f1(ctx), f2(ctx), ...)`` without building a list for the common small cases."""
    if len(functions) == 1:
        (a,) = functions
        return lambda ctx: fmt(a(ctx))
    if len(functions) == 2:
        a, b = functions
        return lambda ctx: fmt(a(ctx), b(ctx))
    if len(functions) == 3:
        a, b, c = functions
        return lambda ctx: fmt(a(ctx), b(ctx), c(ctx))
    if len(functions) == 4:
        a, b, c, d = functions
        return lambda ctx: fmt(a(ctx), b(ctx), c(ctx), d(ctx))
    if len(functions) == 5:
        a, b, c, d, e = functions
        return lambda ctx: fmt(a(ctx), b(ctx), c(ctx), d(ctx), e(ctx))
    return lambda ctx: fmt(*[f(ctx) for f in functions])
