"""``rules/<instrument>/demo.yaml``: the instrument's demo applications (``fund demo seed``).

Optional: a folder without it gets no demo applications. The file gives one sample facts
document (dates as days/months after the day the application is received), the title, and per
workflow state who applies and which facts differ; the seed (:mod:`fund.demo.applications`) is
generic and drives each application through the workflow's own events. Checked at load like the
other rule files: every fact named is a fact of the instrument, every reported result one the
instrument's form.yaml offers (problems with file:line). The state names are checked by the seed
and by tests/rules/test_instrument_folders.py (the loader does not import the workflow).

What the rest of the application keeps is a plain dict (``Rulebook.demo(instrument)``)::

    {"title": "Opleiding {status}", "days_earlier": 0, "facts": {...},
     "default": {"inwoner": None, "organisation": None, "set": {}},
     "states": {"verleend": {"inwoner": "henk@voorbeeld.test", "organisation": None, "set": {}}},
     "proposal": {"event": "grant", "data": {"motivation": "..."}},
     "reports": {"partly": {"result": "gedeeltelijk", "costs": "half_granted"}, "completed": ...}}
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, StrictInt, StrictStr

from fund.rules.schema import _Strict

RELATIVE_DATE_KEYS = {"days", "months"}


class DemoCase(_Strict):
    inwoner: StrictStr | None = None  # e-mail of a demo inwoner: the person the application is about
    organisation: StrictStr | None = None  # KvK number of a demo organisation: its user applies
    set: dict[StrictStr, Any] = Field(default_factory=dict)  # dotted fact -> value


class DemoProposal(_Strict):
    event: Literal["grant", "reject"]
    data: dict[StrictStr, Any] = Field(default_factory=dict)


class DemoReport(_Strict):
    result: StrictStr
    costs: Literal["half_granted", "activity_cost"] | None = None


class DemoFile(_Strict):
    title: StrictStr
    days_earlier: StrictInt = 0
    facts: dict[StrictStr, dict[StrictStr, Any]]
    default: DemoCase = Field(default_factory=DemoCase)
    states: dict[StrictStr, DemoCase] = Field(default_factory=dict)
    skip: list[StrictStr] = Field(default_factory=list)  # states it cannot reach (e.g. no voorziening)
    proposal: DemoProposal
    reports: dict[Literal["partly", "completed"], DemoReport]


def is_relative_date(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= RELATIVE_DATE_KEYS


def build_demo(loader, instrument: str, path: Path, facts: set[str],
               reported: set[str]) -> dict | None:
    """Read and check ``demo.yaml`` when it exists; problems go to ``loader.problems``."""
    if not path.exists():
        return None
    demo, src = loader.load_file(DemoFile, path)
    if demo is None or src is None:
        return None
    problems = loader.problems

    def known(dotted: str, loc) -> None:
        if dotted not in facts:
            problems.append(src.problem(loc, f"onbekend feit '{dotted}' voor {instrument}"))

    if "{status}" not in demo.title:
        problems.append(src.problem(("title",), "de titel mist {status} (elke toestand een eigen titel)"))
    for section, values in demo.facts.items():
        for key in values:
            known(f"{section}.{key}", ("facts", section, key))
    cases = [(("default",), demo.default)] + [(("states", s), c) for s, c in demo.states.items()]
    for loc, case in cases:
        for dotted in case.set:
            known(dotted, loc + ("set", dotted))
    for kind, report in demo.reports.items():
        if report.result not in reported:
            problems.append(src.problem(("reports", kind, "result"), (
                f"'{report.result}' biedt {instrument} niet aan (vaststelling.map van form.yaml)")))
    for kind in ("partly", "completed"):
        if kind not in demo.reports:
            problems.append(src.problem(("reports",), f"reports mist '{kind}'"))
    return demo.model_dump()
