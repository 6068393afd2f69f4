"""Evaluating one application against its ruleset (regeling §2)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from fund.rules.compiler import Context
from fund.rules.dates import money_json
from fund.rules.rulebook import Ruleset, load_rulebook

INELIGIBLE = "ineligible"
REFERRED = "referred"
NEEDS_INFO = "needs_info"
ELIGIBLE = "eligible"


def evaluate_facts(ruleset: Ruleset, facts: dict[str, Any], *, trace: bool = True) -> dict[str, Any]:
    """Evaluate validated, flat facts. Precedence: ineligible > referred > needs_info > eligible.

    Every eligibility rule, voorziening and needs-info check is evaluated (so the trace is a
    complete motivation); the result reports only what the precedence allows. A rule with
    ``only_when`` is skipped (and absent from the trace) when that condition is false.
    """
    ctx = Context(facts)
    steps: list[dict[str, Any]] = []
    reasons: list[str] = []
    for rule in ruleset.eligibility:
        if rule.only_when is not None and not rule.only_when(ctx):
            continue
        passed = bool(rule.test(ctx))
        if not passed:
            reasons.append(rule.code)
        if trace:
            steps.append({"rule": rule.code, "kind": rule.kind, "passed": passed,
                          "explanation": rule.explain(ctx, passed)})
    referrals: list[str] = []
    for rule in ruleset.voorzieningen:
        applies = bool(rule.test(ctx))
        if applies:
            referrals.append(rule.code)
        if trace:
            steps.append({"rule": rule.code, "kind": rule.kind, "passed": not applies,
                          "explanation": rule.explain(ctx, not applies)})
    needs_info: list[str] = []
    for rule in ruleset.needs_info:
        unknown = bool(rule.test(ctx))
        if unknown:
            needs_info.append(rule.code)
        if trace:
            steps.append({"rule": rule.code, "kind": rule.kind, "passed": not unknown,
                          "explanation": rule.explain(ctx, not unknown)})
    priority_group: bool | None = None
    if ruleset.priority_group is not None:
        priority_group = bool(ruleset.priority_group.test(ctx))
        if trace:
            steps.append({"rule": ruleset.priority_group.code, "kind": "priority_group",
                          "passed": priority_group,
                          "explanation": ruleset.priority_group.explain(ctx, priority_group)})
    amount: str | None = None
    if reasons:
        outcome = INELIGIBLE
        referrals, needs_info = [], []
    elif referrals:
        outcome = REFERRED
        needs_info = []
    elif needs_info:
        outcome = NEEDS_INFO
    else:
        outcome = ELIGIBLE
        value = ruleset.amount.test(ctx)
        amount = money_json(value)
        if trace:
            steps.append({"rule": ruleset.amount.code, "kind": "amount", "passed": True,
                          "explanation": ruleset.amount.explain(ctx, True)})
    return {
        "instrument": ruleset.instrument,
        "ruleset": ruleset.id,
        "outcome": outcome,
        "amount": amount,
        "priority_group": priority_group,
        "reasons": reasons,
        "referrals": referrals,
        "needs_info": needs_info,
        "trace": steps,
    }


def evaluate(document: Any, *, rules_dir: Path | None = None) -> dict[str, Any]:
    """Evaluate a facts document (regeling §7); raise :class:`InputError` on malformed input."""
    return load_rulebook(rules_dir).evaluate(document)
