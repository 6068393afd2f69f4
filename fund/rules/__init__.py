"""Rules as code for the Drents ontwikkelfonds (regeling in ``rules/``, machinery here).

Public API (stable; the rest of the application depends on it):

* :func:`evaluate` -- facts document in, §7 result dict out (or :class:`InputError`)
* :func:`validate_facts` -- check and normalise a facts document
* :func:`load_rulebook` -- the compiled rule files (cached), with rulesets and parameters
* :func:`explain` -- readable Dutch description of one instrument's rules in one tijdvak
* :func:`with_history` -- overwrite the ``history`` facts with the fund's own records
"""
from fund.rules.errors import InputError, Problem, RuleFileError
from fund.rules.evaluator import evaluate
from fund.rules.explain import explain
from fund.rules.facts import validate_facts, with_history
from fund.rules.rulebook import Procedure, Rulebook, Ruleset, load_rulebook

__all__ = [
    "InputError",
    "Problem",
    "Procedure",
    "RuleFileError",
    "Rulebook",
    "Ruleset",
    "evaluate",
    "explain",
    "load_rulebook",
    "validate_facts",
    "with_history",
]
