"""Exceptions of the rules engine: bad input (a user problem) and bad rule files (our problem)."""
from __future__ import annotations

from dataclasses import dataclass


class InputError(ValueError):
    """The facts document is malformed; ``errors`` lists ``{"field", "message"}`` dicts.

    An input error never becomes a decision (regeling §2).
    """

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))


@dataclass(frozen=True)
class Problem:
    """One problem in a rule file, located by file and (1-based) line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class RuleFileError(Exception):
    """One or more rule files are invalid; ``problems`` says where and what."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
