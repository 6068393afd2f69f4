"""Every status of an aanvraag, declared once: its staff and applicant labels, what the applicant
does next, and what it allows (Hypha-style phase declarations).

The python-statemachine machine (``fund.workflow.machine``) owns the transitions and takes its
State names from here; every other table about statuses (the status labels of lists and filters,
the applicant's "what comes next", the statuses in which facts may change or documents may be
added, the statuses after a decision) is derived below. Adding a state is one ``State`` here,
the state and its transitions in the machine, and its effects (``tests/workflow/
test_declarations.py`` keeps machine and declarations in step).

This module imports nothing of the workflow, so screens and reports can read labels cheaply.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class State:
    name: str
    label: str  # staff lists, filters, the diagram
    applicant_label: str  # what the state means for the applicant, in their words (B1, issue 14)
    next_step: str  # the applicant's detail page: what comes next
    editable: bool = False  # the applicant may change the facts (and add the documents asked for)
    uploads: bool = False  # the applicant may add documents (also proof of the result)
    decided: bool = False  # a decision was proposed or taken: no new decision, no withdrawal
    initial: bool = False
    final: bool = False


_DECLARED = (
    State("concept", "Concept", "Nog niet verstuurd",
          "Maak de aanvraag af en stuur hem in.", editable=True, uploads=True, initial=True),
    State("ingediend", "Ingediend", "Wij hebben uw aanvraag ontvangen",
          "Wij kijken of de aanvraag compleet is. Daarna beoordelen wij hem."),
    State("in_behandeling", "In behandeling", "Wij beoordelen uw aanvraag",
          "Een behandelaar beoordeelt uw aanvraag. U krijgt een besluit."),
    State("herstel", "Wacht op aanvulling", "Wij wachten op een aanvulling van u",
          "Vul de aanvraag aan voor de datum hieronder. Anders kunnen wij hem niet behandelen.",
          editable=True, uploads=True),
    State("besluit_voorgesteld", "Besluit wacht op tweede handtekening", "Wij beoordelen uw aanvraag",
          "Een tweede medewerker controleert het besluit. Daarna krijgt u de brief.", decided=True),
    State("verleend", "Verleend", "Subsidie toegekend",
          "Wij betalen het voorschot. Meld het resultaat als de opleiding klaar is.",
          uploads=True, decided=True),
    State("afgewezen", "Afgewezen", "Geen subsidie",
          "Bent u het niet eens met het besluit? Maak dan bezwaar binnen 6 weken.", decided=True),
    State("doorverwezen", "Doorverwezen", "Vraag het eerst ergens anders",
          "Vraag het eerst bij de regeling in de brief. Zegt die nee? Dan kunt u opnieuw aanvragen.",
          decided=True),
    State("buiten_behandeling", "Buiten behandeling", "Niet behandeld: de aanvulling kwam niet",
          "U kunt een nieuwe aanvraag doen.", decided=True),
    State("ingetrokken", "Ingetrokken", "U heeft de aanvraag ingetrokken",
          "U kunt een nieuwe aanvraag doen.", final=True),
    State("uitbetaald", "Voorschot betaald", "Voorschot betaald",
          "Meld het resultaat als de opleiding klaar is.", uploads=True, decided=True),
    State("uitkomst_gemeld", "Resultaat gemeld", "Wij berekenen het definitieve bedrag",
          "Wij stellen de subsidie vast. U krijgt daarover een brief.", decided=True),
    State("vastgesteld", "Vastgesteld", "Definitief bedrag vastgesteld",
          "Wij betalen wat u nog krijgt, of vragen terug wat te veel is betaald.", decided=True),
    State("gesloten", "Afgesloten", "Afgerond", "Er hoeft niets meer te gebeuren.", decided=True),
    State("bezwaar", "Bezwaar in behandeling", "Wij behandelen uw bezwaar",
          "Een andere behandelaar kijkt opnieuw naar uw aanvraag. U krijgt een nieuw besluit.", decided=True),
)

STATES: dict[str, State] = {s.name: s for s in _DECLARED}

# -- derived tables ------------------------------------------------------------------------------
STATUS_LABELS: dict[str, str] = {s.name: s.label for s in _DECLARED}
APPLICANT_STATUS_LABELS: dict[str, str] = {s.name: s.applicant_label for s in _DECLARED}
NEXT_STEP: dict[str, str] = {s.name: s.next_step for s in _DECLARED}
EDITABLE: tuple[str, ...] = tuple(s.name for s in _DECLARED if s.editable)
UPLOAD_STATUSES: tuple[str, ...] = tuple(s.name for s in _DECLARED if s.uploads)
DECIDED: frozenset[str] = frozenset(s.name for s in _DECLARED if s.decided)


def label(name: str) -> str:
    """The label of a status (the code itself if unknown)."""
    return STATUS_LABELS.get(name, name)
