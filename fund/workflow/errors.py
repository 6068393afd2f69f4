"""The one exception the workflow raises: a Dutch sentence for the user and a short code."""
from __future__ import annotations


class WorkflowError(Exception):
    """A transition that did not happen (nothing was changed).

    ``message`` is a Dutch (B1) sentence for the user; ``code`` a short machine code such as
    ``"al_besloten"``, ``"geen_rechten"`` or ``"plafond_bereikt"``; ``errors`` lists bad fields
    (``[{"field": ..., "message": ...}]``) when the facts document is not valid.
    """

    def __init__(self, message: str, code: str = "niet_toegestaan", errors: list | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.errors = errors or []

    def __str__(self) -> str:
        return self.message
