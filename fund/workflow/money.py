"""Parsing money from user input: exact Decimal euros, never float."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fund.rules.dates import CENT
from fund.workflow.errors import WorkflowError


def parse_amount(value, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    if isinstance(value, float):
        raise WorkflowError("Geef het bedrag als tekst, bijvoorbeeld \"1800.00\".", "ongeldig_bedrag",
                            errors=[{"field": field, "message": "geen float"}])
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero) \
            or amount != amount.quantize(CENT):
        raise WorkflowError("Dit is geen geldig bedrag. Schrijf het bijvoorbeeld als 1800.00.",
                            "ongeldig_bedrag", errors=[{"field": field, "message": "ongeldig bedrag"}])
    return amount.quantize(CENT)
