"""Dutch labels of the portal's own codes (roles, payments, decisions, documents).

The options of the facts document's enums and their labels are NOT here: they come from the
rule files (``rules/<instrument>/form.yaml``, see :mod:`fund.rules.portal`).

The label tables stay plain ``(value, label)`` pairs (for looking up a label); a SelectField or
RadioField gets its choices through :func:`options`, as :class:`wtforms.SelectChoice` objects
(WTForms 3.3 deprecates tuples there, 3.4 drops them).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms import SelectChoice

from fund.models.decision_kinds import LABELS as DECISION_KIND_SCREEN_LABELS


def _municipalities() -> list[tuple[str, str]]:
    """The Drentse gemeenten with their names, from rules/shared/parameters.yaml (gemeentenamen)."""
    from fund.rules import load_rulebook

    book = load_rulebook()
    newest = book.rulesets()[-1]
    names = newest.parameter("gemeentenamen")
    return sorted(names.items(), key=lambda item: item[1]) + [
        # Outside Drenthe: any valid-looking code that is not in the werkgebied gives the same
        # (correct) outcome "buiten_werkgebied"; users do not know CBS codes.
        ("GM0000", "Een gemeente buiten Drenthe"),
    ]


MUNICIPALITIES = _municipalities()
MUNICIPALITY_NAMES = dict(MUNICIPALITIES)

class _FromRules(Mapping):
    """A ``{code: label}`` table read from the rule files when asked, so a new instrument folder
    (or ``FUND_RULES_DIR``) needs no change here."""

    def __init__(self, read):
        self._read = read

    def _labels(self) -> dict[str, str]:
        from fund.rules import load_rulebook

        return self._read(load_rulebook())

    def __getitem__(self, key: str) -> str:
        return self._labels()[key]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


# {instrument: label}, from each rules/<instrument>/form.yaml.
INSTRUMENT_LABELS = _FromRules(lambda book: {i: book.form(i).label for i in book.instruments})
# {document kind: option label}: the kinds and their words are declared once, in
# rules/shared/workflow.yaml (document_labels), where letters and messages read them too.
DOCUMENT_KIND_LABELS = _FromRules(lambda book: {kind: text[:1].upper() + text[1:]
                                                for kind, text in book.document_labels.items()})

ROLE_LABELS = {
    "inwoner": "Inwoner",
    "werkgever": "Werkgever / leerbedrijf",
    "officer": "Behandelaar",
    "supervisor": "Tweede behandelaar (supervisor)",
    "finance": "Financiën",
    "auditor": "Controleur",
    "beleid": "Beleidsmedewerker",
    "admin": "Beheerder",
}

PAYMENT_KIND_LABELS = {"voorschot": "Voorschot", "rest": "Rest na vaststelling",
                       "terugvordering": "Terugvordering"}
PAYMENT_STATUS_LABELS = {"voorgesteld": "Voorgesteld", "goedgekeurd": "Goedgekeurd",
                         "in_betaalbestand": "In betaalbestand",
                         "betaald": "Betaald", "vervallen": "Vervallen (bezwaar gegrond)"}

DECISION_KIND_LABELS = DECISION_KIND_SCREEN_LABELS  # declared in fund.models.decision_kinds


def options(pairs: Iterable[tuple[str, str]] | Mapping[str, str] = (), *,
            empty: str | None = None) -> list[SelectChoice]:
    """Choices for a SelectField/RadioField from ``(value, label)`` pairs or a ``{value: label}``
    dict; ``empty`` puts a first option with value "" and that label ("Maak een keuze", "Alle")."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    first = [SelectChoice(value="", label=empty)] if empty is not None else []
    return first + [SelectChoice(value=str(value), label=text) for value, text in items]


def label(choices: list[tuple[str, str]], value) -> str:
    return dict(choices).get(value, value if value is not None else "")
