"""Every kind of beschikking (regeling §6), declared once: its labels, the first sentence of its
motivation, its letter and the remedy against it.

The ``DecisionKind`` enum, the labels of screens, letters and reports, the letter templates the
renderer knows, which decisions get a bezwaar- or beroepsclausule and which join a beslissing op
bezwaar (Awb 7:11) are all derived from ``_DECLARED`` below. Adding a decision kind is one
``Kind`` here plus its letter ``templates/letters/<value>.html`` (the contract test
``tests/workflow/test_declarations.py`` checks that every template exists).

Standard library only: the models import it.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Literal

BEZWAAR = "bezwaar"  # Awb 6:4: bezwaar at the bestuursorgaan
BEROEP = "beroep"  # a beslissing op bezwaar: beroep at the rechtbank (Awb 8:1)


@dataclass(frozen=True)
class Kind:
    value: str
    label: str  # screens: decision lists of applicant and staff
    subject: str  # the letter's subject line, the quarterly report, the ZGW export
    intro: str  # first sentence of the stored motivation; {bedrag} and {datum} are filled in
    remedy: Literal["bezwaar", "beroep"] | None  # None: a notice, not a besluit (no clausule)
    rules_outcome: str | None = None  # an officer's decision of this kind follows this outcome of
    # the rules (regeling §2); proposing it on another outcome deviates (hardheidsclausule)

    @property
    def template(self) -> str:
        return f"letters/{self.value}.html"


_DECLARED = (
    Kind("verlening", "Toekenning (verlening)", "Verlening van subsidie",
         "Wij verlenen u subsidie van {bedrag}.", BEZWAAR, "eligible"),
    Kind("afwijzing", "Afwijzing", "Afwijzing van uw aanvraag", "Wij wijzen uw aanvraag af.", BEZWAAR, "ineligible"),
    Kind("doorverwijzing", "Doorverwijzing", "Doorverwijzing naar een andere regeling",
         "Wij verwijzen u eerst naar een andere regeling die voorgaat.", BEZWAAR, "referred"),
    Kind("buiten_behandeling", "Niet in behandeling genomen", "Uw aanvraag wordt niet behandeld",
         "Wij nemen uw aanvraag niet in behandeling: de gevraagde aanvulling is niet op tijd binnengekomen.",
         BEZWAAR),
    Kind("vaststelling", "Vaststelling", "Vaststelling van de subsidie",
         "Wij stellen de subsidie vast op {bedrag}.", BEZWAAR),
    Kind("terugvordering", "Terugvordering", "Terugvordering van subsidie",
         "U heeft {bedrag} te veel ontvangen. Dat bedrag vorderen wij terug.", BEZWAAR),
    Kind("bezwaar_gegrond", "Beslissing op bezwaar: gegrond", "Beslissing op uw bezwaar: gegrond",
         "Uw bezwaar is gegrond. Wij nemen opnieuw een besluit.", BEROEP),
    Kind("bezwaar_ongegrond", "Beslissing op bezwaar: ongegrond", "Beslissing op uw bezwaar: ongegrond",
         "Uw bezwaar is ongegrond. Het besluit blijft zoals het was.", BEROEP),
    Kind("verdaging", "Verlenging van de beslistermijn", "Wij hebben meer tijd nodig voor ons besluit",
         "Wij hebben meer tijd nodig. Wij beslissen uiterlijk op {datum}.", None),  # Awb 4:14
)

DECISION_KINDS: dict[str, Kind] = {k.value: k for k in _DECLARED}

# -- derived tables ------------------------------------------------------------------------------
DecisionKind = enum.Enum("DecisionKind", [(k.value.upper(), k.value) for k in _DECLARED],
                         type=str, module=__name__)
DecisionKind.__doc__ = "Kinds of beschikking (regeling §6), from fund.models.decision_kinds."
LABELS: dict[str, str] = {k.value: k.label for k in _DECLARED}
SUBJECTS: dict[str, str] = {k.value: k.subject for k in _DECLARED}
LETTER_KINDS: tuple[str, ...] = tuple(k.value for k in _DECLARED)
BEZWAAR_KINDS: frozenset[str] = frozenset(k.value for k in _DECLARED if k.remedy == BEZWAAR)
BEROEP_KINDS: frozenset[str] = frozenset(k.value for k in _DECLARED if k.remedy == BEROEP)
REMEDY_KINDS: frozenset[str] = BEZWAAR_KINDS | BEROEP_KINDS


def kind(value) -> Kind:
    """The declaration of a kind (a DecisionKind member or its value)."""
    return DECISION_KINDS[getattr(value, "value", value)]
