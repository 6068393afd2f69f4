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
    steps: list[dict[str, Any]] | None = [] if trace else None
    # An eligibility rule lists its code when its test fails; a voorziening or needs-info check
    # when its test holds. In the trace, "passed" is always "did not list its code".
    reasons = _codes(ruleset.eligibility, ctx, steps, listed_when=False)
    referrals = _codes(ruleset.voorzieningen, ctx, steps, listed_when=True)
    needs_info = _codes(ruleset.needs_info, ctx, steps, listed_when=True)
    priority_group: bool | None = None
    if ruleset.priority_group is not None:
        priority_group = bool(ruleset.priority_group.test(ctx))
        if steps is not None:
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
        if steps is not None:
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
        "trace": steps if steps is not None else [],
    }


def _codes(rules, ctx: Context, steps: list[dict[str, Any]] | None, *, listed_when: bool) -> list[str]:
    """Evaluate ``rules`` in order; return the codes of those whose test equals ``listed_when``.
    A rule with ``only_when`` is skipped (and absent from the trace) when that is false."""
    codes: list[str] = []
    for rule in rules:
        if rule.only_when is not None and not rule.only_when(ctx):
            continue
        listed = bool(rule.test(ctx)) is listed_when
        if listed:
            codes.append(rule.code)
        if steps is not None:
            steps.append({"rule": rule.code, "kind": rule.kind, "passed": not listed,
                          "explanation": rule.explain(ctx, not listed)})
    return codes


def evaluate(document: Any, *, rules_dir: Path | None = None) -> dict[str, Any]:
    """Evaluate a facts document (regeling §7); raise :class:`InputError` on malformed input."""
    return load_rulebook(rules_dir).evaluate(document)
