"""Every event of the workflow, declared once (Hypha-style): label, who may send it, the data it
takes, whether it needs a motivation, where its form is, what the applicant reads in the
timeline, when it is offered, why it is refused, and its effect.

The python-statemachine machine (``fund.workflow.machine``) owns the transitions; everything else
about an event is here, and every table the rest of the code reads (``guards.WHO``,
``machine.EFFECTS``, the labels, the forms' fields, the applicant's timeline, which events are
staff or applicant buttons) is derived at the bottom of this module. Adding an event is one
``Event`` here plus its transitions in the machine and its effect function
(``tests/workflow/test_declarations.py`` keeps the machine and the declarations in step).

Audit events that are not events of the machine (``create``, ``document_uploaded`` ...) are
declared as ``AuditOnly`` with their label and timeline text.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from fund.models.types import DecisionKind
from fund.workflow import deciding, guards, intake, notify, objection, payments, settlement
from fund.workflow.errors import WorkflowError
from fund.workflow.states import DECIDED
from fund.workflow.guards import APPLICANT, FINANCE, OFFICER, PAYMENT_APPROVER, SUPERVISOR, SYSTEM

APPLICANT_SCREEN = "applicant"  # a form on the applicant's detail page
STAFF_SCREEN = "staff"  # a form on the staff review page


@dataclass(frozen=True)
class Refusal:
    """A Dutch answer for an event that cannot be sent; ``when`` (on the application) narrows it."""

    message: str
    code: str
    when: Callable[[Any], bool] | None = None

    def fits(self, app) -> bool:
        return self.when is None or bool(self.when(app))

    def error(self) -> WorkflowError:
        return WorkflowError(self.message, self.code)


@dataclass(frozen=True)
class Event:
    name: str
    label: str  # buttons and the staff Verloop
    who: frozenset[str]  # kinds of actor (fund.workflow.guards) that may send it
    effect: Callable  # effect(step, source, target): rows written, money moved, letters queued
    timeline: str  # what the applicant reads in the timeline (past tense, B1)
    screen: str | None = None  # where its form is: APPLICANT_SCREEN, STAFF_SCREEN or None
    fields: tuple[str, ...] = ()  # the data it takes (docs/contract-workflow.md)
    field_labels: Mapping[str, str] = field(default_factory=dict)  # better labels than the generic
    required: tuple[str, ...] = ()  # fields the form asks for always
    needs_motivation: bool = False
    prepare: Callable | None = None  # prepare(step): checks and reads before the machine runs
    notice: Callable | None = None  # notice(step): mail to the applicant, in the same transaction
    done: str | None = None  # the applicant's confirmation after sending it from the detail page
    offered: Callable[[Any, Any], bool] | None = None  # offered(actor, app): a button now?
    not_now: tuple[Refusal, ...] = ()  # the machine has no transition from this status
    refused: tuple[Refusal, ...] = ()  # a condition of the machine said no

    def is_offered(self, actor, app) -> bool:
        return self.offered is None or self.offered(actor, app)


@dataclass(frozen=True)
class AuditOnly:
    """An audit event that is not an event of the machine."""

    name: str
    label: str | None
    timeline: str | None


def _decided(app) -> bool:
    return app.status in DECIDED


def _never(actor, app) -> bool:
    return False


def _co_sign_prepare(step) -> None:
    guards.check_co_signer(step.actor, step.app)  # vier-ogen: not the one who proposed
    deciding.prepare_co_sign(step)


def _offer_co_sign(actor, app) -> bool:
    return (app.pending or {}).get("officer_id") != actor.id


def _offer_approve_payment(actor, app) -> bool:
    return any(p.proposed_by_id != actor.id for p in payments.open_payments(app))


def _offer_propose_payment(actor, app) -> bool:
    if payments.open_payments(app):
        return False
    return app.status == "verleend" and not app.payments or \
        app.status == "vastgesteld" and app.final_amount != payments.net_paid(app)


def _offer_extend_deadline(actor, app) -> bool:
    return not app.deadline_extended and not intake.beslistermijn_over(app)


def _offer_decide_objection(actor, app) -> bool:
    return actor.id not in objection.involved_officers(app)


def _offer_object(actor, app) -> bool:
    return objection.open_to_objection(app)


def _offer_close(actor, app) -> bool:
    if app.status == "vastgesteld":
        return payments.settled_in_full(app)
    return objection.term_over(app)


_ALREADY_DECIDED = Refusal("Over deze aanvraag is al besloten.", "al_besloten", _decided)
_DECIDE_FIELDS = ("motivation", "deviate", "deviation_motivation")

_DECLARED: tuple[Event, ...] = (
    # -- intake ----------------------------------------------------------------------------------
    Event("submit", "Aanvraag indienen", frozenset({APPLICANT}), intake.submit,
          "De aanvraag is ingediend.", notice=notify.submitted,
          not_now=(Refusal("Deze aanvraag is al ingediend.", "al_ingediend"),)),
    Event("supplement", "Aanvulling insturen", frozenset({APPLICANT}), intake.supplement,
          "U heeft een aanvulling gestuurd.", screen=APPLICANT_SCREEN, fields=("message",),
          field_labels={"message": "Uw toelichting (niet verplicht)"}, done="Uw aanvulling is verstuurd."),
    Event("withdraw", "Aanvraag intrekken", frozenset({APPLICANT}), intake.withdraw,
          "De aanvraag is ingetrokken.", screen=APPLICANT_SCREEN, fields=("reason",),
          field_labels={"reason": "Waarom trekt u de aanvraag in? (niet verplicht)"},
          done="Uw aanvraag is ingetrokken.",
          not_now=(Refusal("U kunt de aanvraag niet meer intrekken: er is al een besluit genomen.",
                           "al_besloten", _decided),)),
    Event("assign", "In behandeling nemen", frozenset({OFFICER}), intake.assign,
          "Een behandelaar heeft uw aanvraag opgepakt.", screen=STAFF_SCREEN, fields=("officer_id",)),
    Event("request_info", "Om aanvulling vragen", frozenset({OFFICER}), intake.request_info,
          "Wij hebben u gevraagd om iets aan te vullen.", screen=STAFF_SCREEN, fields=("message",),
          required=("message",), needs_motivation=True, notice=notify.herstel_requested),
    Event("extend_deadline", "Beslistermijn verlengen", frozenset({OFFICER}), intake.extend_deadline,
          "Wij hebben de tijd om te beslissen verlengd.", screen=STAFF_SCREEN, fields=("reason",),
          field_labels={"reason": "Waarom is meer tijd nodig?"}, required=("reason",),
          needs_motivation=True, offered=_offer_extend_deadline),
    Event("expire_herstel", "Buiten behandeling stellen (termijn verlopen)", frozenset({SYSTEM, OFFICER}),
          intake.expire_herstel,
          "De aanvulling kwam niet op tijd. De aanvraag is buiten behandeling gesteld.",
          offered=_never,  # the daily job sends it (fund workflow tick)
          refused=(Refusal("De hersteltermijn is nog niet verlopen.", "termijn_loopt"),)),
    # -- deciding ----------------------------------------------------------------------------------
    Event("grant", "Verlenen", frozenset({OFFICER}), deciding.decide,
          "Er is een besluit: de subsidie is toegekend.", screen=STAFF_SCREEN,
          fields=_DECIDE_FIELDS + ("amount",), field_labels={"motivation": "Motivering (niet verplicht)"},
          prepare=deciding.preparing(DecisionKind.VERLENING), not_now=(_ALREADY_DECIDED,)),
    Event("reject", "Afwijzen", frozenset({OFFICER}), deciding.decide,
          "Er is een besluit: de aanvraag is afgewezen.", screen=STAFF_SCREEN, fields=_DECIDE_FIELDS,
          required=("motivation",), prepare=deciding.preparing(DecisionKind.AFWIJZING),
          not_now=(_ALREADY_DECIDED,)),
    Event("refer", "Doorverwijzen", frozenset({OFFICER}), deciding.decide,
          "Er is een besluit: u bent doorverwezen naar een andere regeling.", screen=STAFF_SCREEN,
          fields=("motivation",), required=("motivation",),
          prepare=deciding.preparing(DecisionKind.DOORVERWIJZING),
          not_now=(_ALREADY_DECIDED,)),
    Event("co_sign", "Besluit medeondertekenen", frozenset({SUPERVISOR}), deciding.co_sign,
          "Een tweede medewerker heeft het besluit gecontroleerd.", screen=STAFF_SCREEN,
          fields=("approve", "motivation"),
          field_labels={"motivation": "Toelichting (verplicht als u niet akkoord gaat)"},
          needs_motivation=True, prepare=_co_sign_prepare, offered=_offer_co_sign),
    # -- money and vaststelling --------------------------------------------------------------------
    Event("propose_payment", "Betaling voorstellen", frozenset({FINANCE}), payments.propose,
          "Een betaling is klaargezet.", screen=STAFF_SCREEN, offered=_offer_propose_payment,
          not_now=(Refusal("Het voorschot is al betaald.", "al_betaald",
                           lambda app: app.status == "uitbetaald"),)),
    Event("approve_payment", "Betaling goedkeuren", frozenset({PAYMENT_APPROVER}), payments.approve,
          "Een betaling is goedgekeurd.", screen=STAFF_SCREEN, fields=("payment_id",),
          prepare=payments.prepare_approve, offered=_offer_approve_payment,
          not_now=(Refusal("Deze betaling is al goedgekeurd.", "al_goedgekeurd"),)),
    Event("report_outcome", "Resultaat melden", frozenset({APPLICANT}), settlement.report_outcome,
          "Het resultaat is gemeld.", screen=APPLICANT_SCREEN, fields=("result", "incurred_costs"),
          required=("result",), done="Bedankt. Het resultaat is gemeld."),
    Event("settle", "Subsidie vaststellen", frozenset({OFFICER}), settlement.settle,
          "De subsidie is vastgesteld.", screen=STAFF_SCREEN,
          fields=("motivation", "result", "incurred_costs"),  # result/costs: corrections only
          field_labels={"motivation": "Motivering (niet verplicht)",
                        "result": "Ander resultaat dan gemeld? (alleen bij correctie)",
                        "incurred_costs": "Andere kosten dan gemeld? (alleen bij correctie, in euro's)"}),
    Event("close", "Dossier sluiten", frozenset({OFFICER, SYSTEM}), settlement.close,
          "Het dossier is gesloten.", screen=STAFF_SCREEN, offered=_offer_close,
          refused=(Refusal("Er staat nog een betaling of terugvordering open.", "nog_open",
                           lambda app: app.status == "vastgesteld"),
                   Refusal("De bezwaartermijn loopt nog. Sluit het dossier daarna.", "bezwaartermijn_loopt"))),
    Event("record_followup", "Werk na zes maanden vastleggen", frozenset({OFFICER}), settlement.record_followup,
          "Wij hebben gevraagd of er werk is na zes maanden.", screen=STAFF_SCREEN, fields=("employed",)),
    # -- bezwaar -----------------------------------------------------------------------------------
    Event("object", "Bezwaar maken", frozenset({APPLICANT}), objection.lodge,
          "U heeft bezwaar gemaakt.", screen=APPLICANT_SCREEN, fields=("grounds",), required=("grounds",),
          needs_motivation=True, offered=_offer_object, notice=notify.bezwaar_received,
          done="Uw bezwaar is ontvangen. Een andere behandelaar kijkt opnieuw.",
          refused=(Refusal("Dit is al de beslissing op uw bezwaar. Bent u het er niet mee eens? Dan kunt u "
                           "in beroep gaan bij de rechtbank; hoe staat in de brief.", "beroep",
                           objection.against_bezwaar_decision),
                   Refusal("De bezwaartermijn is voorbij. Bezwaar maken kan niet meer.",
                           "bezwaartermijn_verlopen"))),
    Event("decide_objection", "Beslissen op bezwaar", frozenset({OFFICER}), objection.decide,
          "Er is beslist op uw bezwaar.", screen=STAFF_SCREEN,
          fields=("upheld", "motivation", "amount"),  # amount: gegrond after payment only
          field_labels={"amount": "Nieuw bedrag van de verlening (alleen bij gegrond bezwaar na betaling)"},
          required=("motivation",), needs_motivation=True, prepare=objection.prepare_decide,
          offered=_offer_decide_objection),
)

_AUDIT_ONLY: tuple[AuditOnly, ...] = (
    AuditOnly("create", "Aanvraag begonnen", "U bent de aanvraag begonnen."),
    AuditOnly("created", None, "U bent de aanvraag begonnen."),  # older audit rows
    AuditOnly("update_facts", "Gegevens gewijzigd", None),
    AuditOnly("document_uploaded", "Document toegevoegd", "Er is een document toegevoegd."),
    AuditOnly("document_removed", "Document verwijderd", "Er is een document verwijderd."),
    AuditOnly("recheck", "Controle opnieuw gedaan", None),
    AuditOnly("note_added", "Notitie (intern)", None),
    AuditOnly("payment_in_file", "Betaling in betaalbestand gezet", None),
    # the moments money moves are news for the applicant, so they are in the timeline too
    AuditOnly("payment_paid", "Betaling uitgevoerd door de bank", "Wij hebben het geld naar uw rekening overgemaakt."),
    AuditOnly("reclaim_received", "Terugbetaling ontvangen", "Wij hebben uw terugbetaling ontvangen."),
)

EVENTS: Mapping[str, Event] = MappingProxyType({e.name: e for e in _DECLARED})
AUDIT_ONLY: Mapping[str, AuditOnly] = MappingProxyType({e.name: e for e in _AUDIT_ONLY})

# -- derived tables ------------------------------------------------------------------------------
WHO: dict[str, frozenset[str]] = {e.name: e.who for e in _DECLARED}
EFFECTS: dict[str, Callable] = {e.name: e.effect for e in _DECLARED}
EVENT_LABELS: dict[str, str] = {e.name: e.label for e in _DECLARED}
OTHER_EVENT_LABELS: dict[str, str] = {e.name: e.label for e in _AUDIT_ONLY if e.label}
EVENT_FIELDS: dict[str, list[str]] = {e.name: list(e.fields) for e in _DECLARED}
TIMELINE_TEXT: dict[str, str] = {e.name: e.timeline for e in _AUDIT_ONLY if e.timeline} | {
    e.name: e.timeline for e in _DECLARED}
STAFF_EVENTS: tuple[str, ...] = tuple(e.name for e in _DECLARED if e.screen == STAFF_SCREEN)
APPLICANT_EVENTS: tuple[str, ...] = tuple(e.name for e in _DECLARED if e.screen == APPLICANT_SCREEN)


def event_label(name: str) -> str:
    """The Dutch label of an audit event of an application (the code itself if unknown)."""
    return EVENT_LABELS.get(name) or OTHER_EVENT_LABELS.get(name, name)


def not_in_this_state(app, name: str) -> WorkflowError:
    """Why ``name`` cannot be sent in the application's status."""
    for refusal in EVENTS[name].not_now:
        if refusal.fits(app):
            return refusal.error()
    # No status label in the sentence: applicants meet this too (two tabs, a double click), and
    # the staff label ("Besluit wacht op tweede handtekening") is not theirs; every page that
    # sends an event shows the status in the reader's own words next to this message.
    return WorkflowError("Dit kan nu niet in deze fase van de aanvraag. Op de pagina van de aanvraag "
                         "ziet u de status.", "niet_toegestaan")


def condition_failed(app, name: str) -> WorkflowError:
    """Why the machine's condition refused ``name``."""
    for refusal in EVENTS[name].refused:
        if refusal.fits(app):
            return refusal.error()
    return WorkflowError("Dit kan nu niet.", "niet_toegestaan")
