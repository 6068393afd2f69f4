"""Every YAML test case beside the rules (rules/*/tests/*.yaml) as its own pytest test."""
from __future__ import annotations

import pytest

from fund.rules.cases import Case, load_cases, run_case
from fund.rules.rulebook import load_rulebook

CASES = load_cases()


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    result = run_case(case, load_rulebook())
    assert result.passed, "\n".join([f"{case.file}:{case.line}"] + result.failures)
