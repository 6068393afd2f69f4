"""A stored letter is the letter that was sent: the ORM refuses to change or remove it."""
from __future__ import annotations

from sqlalchemy import event, inspect

from fund.models import Decision

_LETTER_FIELDS = ("letter_pdf", "letter_sha256", "letter_generated_at")


class LetterImmutable(RuntimeError):
    pass


@event.listens_for(Decision, "before_update")
def _refuse_letter_change(mapper, connection, target: Decision) -> None:
    state = inspect(target)
    for name in _LETTER_FIELDS:
        history = state.attrs[name].history
        if history.deleted and any(v is not None for v in history.deleted):
            raise LetterImmutable(
                f"de brief van beschikking {target.number or target.id} is al opgeslagen "
                "en mag niet meer veranderen"
            )
