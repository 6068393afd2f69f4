"""The YAML test cases beside the rules (``rules/<instrument>/tests/*.yaml``), OpenFisca style.

A test file has an optional ``base`` facts document and ``cases``. Each case takes ``input``
(a whole document) or the base with ``set`` (dotted name -> value) and ``unset`` (dotted names
to remove) applied, and lists what it ``expected``: any of ``outcome``, ``reasons``,
``referrals``, ``needs_info``, ``amount``, ``priority_group``, ``ruleset``, ``explanations``
(rule -> exact sentence) or ``errors`` (list of ``{field, message?}``; the input must be refused).
"""
from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fund.rules import schema
from fund.rules.errors import InputError, Problem, RuleFileError
from fund.rules.rulebook import Rulebook, _Loader, load_rulebook, rules_dir_from

RESULT_KEYS = ("outcome", "reasons", "referrals", "needs_info", "amount", "priority_group", "ruleset")


@dataclass
class Case:
    file: str
    line: int | None
    name: str
    document: Any
    expected: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.file}::{self.name}"


@dataclass
class CaseResult:
    case: Case
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def _json_ready(value: Any) -> Any:
    """YAML parses unquoted dates; facts documents carry ISO strings."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    return value


def _apply(document: dict[str, Any], sets: dict[str, Any], unsets: list[str]) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    for dotted, value in sets.items():
        parts = dotted.split(".")
        target = doc
        for part in parts[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[parts[-1]] = value
    for dotted in unsets:
        parts = dotted.split(".")
        target = doc
        for part in parts[:-1]:
            target = target.get(part, {})
        if isinstance(target, dict):
            target.pop(parts[-1], None)
    return doc


def case_files(rules_dir: Path | None = None) -> list[Path]:
    root = rules_dir_from(rules_dir)
    return sorted(root.glob("*/tests/*.yaml"))


def load_cases(rules_dir: Path | None = None) -> list[Case]:
    """Read every test file; raise :class:`RuleFileError` (with file:line) if one is malformed."""
    root = rules_dir_from(rules_dir)
    loader = _Loader(root)
    cases: list[Case] = []
    for path in case_files(root):
        model, src = loader.load_file(schema.TestFile, path)
        if model is None or src is None:
            continue
        seen: set[str] = set()
        for index, case in enumerate(model.cases):
            if case.name in seen:
                loader.problems.append(src.problem(("cases", index, "name"), f"testnaam '{case.name}' komt twee keer voor"))
            seen.add(case.name)
            if case.input is not None:
                document = case.input
            elif model.base is not None:
                document = _apply(model.base, case.set, case.unset)
            else:
                loader.problems.append(src.problem(("cases", index), "geen input en geen base"))
                continue
            cases.append(Case(file=src.display, line=src.line_of(("cases", index)), name=case.name,
                              document=_json_ready(document), expected=case.expected))
    if loader.problems:
        raise RuleFileError(loader.problems)
    return cases


def run_case(case: Case, rulebook: Rulebook) -> CaseResult:
    result = CaseResult(case)
    expected = case.expected
    try:
        actual = rulebook.evaluate(case.document)
    except InputError as exc:
        if "errors" not in expected:
            result.failures.append(f"onverwachte invoerfout: {exc.errors}")
            return result
        want = expected["errors"]
        got = exc.errors
        if len(want) != len(got):
            result.failures.append(f"errors: verwacht {want}, kreeg {got}")
            return result
        for w, g in zip(want, got):
            if w.get("field") != g["field"] or ("message" in w and w["message"] != g["message"]):
                result.failures.append(f"errors: verwacht {want}, kreeg {got}")
                break
        return result
    if "errors" in expected:
        result.failures.append(f"verwachtte invoerfout {expected['errors']}, kreeg uitkomst {actual['outcome']}")
        return result
    for key in RESULT_KEYS:
        if key in expected:
            want = expected[key]
            if key == "amount" and want is not None:
                want = str(want)
            if actual[key] != want:
                result.failures.append(f"{key}: verwacht {want!r}, kreeg {actual[key]!r}")
    for rule, sentence in (expected.get("explanations") or {}).items():
        texts = [t["explanation"] for t in actual["trace"] if t["rule"] == rule]
        if sentence not in texts:
            result.failures.append(f"uitleg {rule}: verwacht {sentence!r}, kreeg {texts!r}")
    return result


def run_all(rules_dir: Path | None = None) -> list[CaseResult]:
    book = load_rulebook(rules_dir)
    return [run_case(case, book) for case in load_cases(rules_dir)]


__all__ = ["Case", "CaseResult", "Problem", "case_files", "load_cases", "run_all", "run_case"]
