"""The state machine of an aanvraag (regeling §1, §3-§6), on python-statemachine 3.

The transitions are declared here, and only here; the conditions (``cond``) choose between
targets of one event. Each state's label and flags are declared once in ``fund.workflow.states``,
each event's label, actors, fields and effect once in ``fund.workflow.events``; the effects
(rows written, money moved) are in the small modules next to this one and run from
``on_transition``. The machine is bound to ``Application.status`` with
``state_field="status"``, so it is the only code that sets it. ``fund.workflow.service.send``
wraps every event in one database transaction with its audit event.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from statemachine import State, StateMachine

from fund.workflow import clock, deciding, ledger, objection, payments
from fund.workflow.events import EFFECTS
from fund.workflow.states import STATES as DECLARED_STATES


def _state(name: str) -> State:
    """A State named with its declared label, initial/final as declared (fund.workflow.states)."""
    declared = DECLARED_STATES[name]
    return State(declared.label, initial=declared.initial, final=declared.final)


class ApplicationMachine(StateMachine):
    # gesloten stays open for the six-month monitoring question (record_followup), so it is not
    # a final state; only ingetrokken is. Every state still leads to gesloten or ingetrokken.
    validate_final_reachability = False

    concept = _state("concept")
    ingediend = _state("ingediend")
    in_behandeling = _state("in_behandeling")
    herstel = _state("herstel")
    besluit_voorgesteld = _state("besluit_voorgesteld")
    verleend = _state("verleend")
    afgewezen = _state("afgewezen")
    doorverwezen = _state("doorverwezen")
    buiten_behandeling = _state("buiten_behandeling")
    ingetrokken = _state("ingetrokken")
    uitbetaald = _state("uitbetaald")
    uitkomst_gemeld = _state("uitkomst_gemeld")
    vastgesteld = _state("vastgesteld")
    gesloten = _state("gesloten")
    bezwaar = _state("bezwaar")

    # -- intake ----------------------------------------------------------------------------
    submit = concept.to(ingediend)
    assign = ingediend.to(in_behandeling) | in_behandeling.to.itself(internal=True)
    request_info = in_behandeling.to(herstel)
    supplement = herstel.to(in_behandeling)
    expire_herstel = herstel.to(buiten_behandeling, cond="herstel_term_expired")
    withdraw = (
        concept.to(ingetrokken) | ingediend.to(ingetrokken) | in_behandeling.to(ingetrokken)
        | herstel.to(ingetrokken) | besluit_voorgesteld.to(ingetrokken)
    )
    extend_deadline = (
        ingediend.to.itself(internal=True) | in_behandeling.to.itself(internal=True)
        | herstel.to.itself(internal=True) | besluit_voorgesteld.to.itself(internal=True)
    )

    # -- deciding (vier-ogen: a proposal waits in besluit_voorgesteld) -----------------------
    grant = (
        in_behandeling.to(besluit_voorgesteld, cond="needs_co_sign")
        | in_behandeling.to(verleend, cond="fits_budget")
        | in_behandeling.to(afgewezen)  # plafond_bereikt
    )
    reject = in_behandeling.to(besluit_voorgesteld, cond="needs_co_sign") | in_behandeling.to(afgewezen)
    refer = in_behandeling.to(besluit_voorgesteld, cond="needs_co_sign") | in_behandeling.to(doorverwezen)
    co_sign = (
        besluit_voorgesteld.to(in_behandeling, unless="approved")
        | besluit_voorgesteld.to(verleend, cond=["proposes_grant", "fits_budget"])
        | besluit_voorgesteld.to(afgewezen, cond="ends_in_afwijzing")  # an afwijzing, or plafond_bereikt
        | besluit_voorgesteld.to(doorverwezen, cond="proposes_referral")
    )

    # -- money and vaststelling --------------------------------------------------------------
    propose_payment = verleend.to.itself(internal=True) | vastgesteld.to.itself(internal=True)
    approve_payment = verleend.to(uitbetaald) | vastgesteld.to.itself(internal=True)
    report_outcome = uitbetaald.to(uitkomst_gemeld)
    settle = uitkomst_gemeld.to(vastgesteld)
    close = (
        vastgesteld.to(gesloten, cond="settled_in_full")
        | afgewezen.to(gesloten, cond="bezwaar_term_over")
        | doorverwezen.to(gesloten, cond="bezwaar_term_over")
        | buiten_behandeling.to(gesloten, cond="bezwaar_term_over")
    )
    record_followup = (
        uitkomst_gemeld.to.itself(internal=True) | vastgesteld.to.itself(internal=True)
        | gesloten.to.itself(internal=True)
    )

    # -- bezwaar -----------------------------------------------------------------------------
    object = (
        verleend.to(bezwaar, cond="within_bezwaar_term") | afgewezen.to(bezwaar, cond="within_bezwaar_term")
        | doorverwezen.to(bezwaar, cond="within_bezwaar_term")
        | buiten_behandeling.to(bezwaar, cond="within_bezwaar_term")
        | vastgesteld.to(bezwaar, cond="within_bezwaar_term")
        # the voorschot is often paid within days of the verlening: its bezwaartermijn still runs
        | uitbetaald.to(bezwaar, cond="within_bezwaar_term")
        # a file closed as soon as it was paid in full: the vaststelling's bezwaartermijn still runs
        | gesloten.to(bezwaar, cond="within_bezwaar_term")
    )
    decide_objection = (
        bezwaar.to(uitkomst_gemeld, cond=["upheld", "objects_to_vaststelling"])
        # gegrond on a verlening already (partly) paid: a herziening of the amount, paid stays paid
        | bezwaar.to(uitbetaald, cond=["upheld", "objects_after_payment"])
        | bezwaar.to(in_behandeling, cond="upheld")
        | bezwaar.to(verleend, cond="returns_to_verleend")
        | bezwaar.to(uitbetaald, cond="returns_to_uitbetaald")
        | bezwaar.to(afgewezen, cond="returns_to_afgewezen")
        | bezwaar.to(doorverwezen, cond="returns_to_doorverwezen")
        | bezwaar.to(buiten_behandeling, cond="returns_to_buiten_behandeling")
        | bezwaar.to(vastgesteld, cond="returns_to_vastgesteld")
        | bezwaar.to(gesloten, cond="returns_to_gesloten")
    )

    # -- conditions ----------------------------------------------------------------------------
    def herstel_term_expired(self, step) -> bool:
        return step.app.herstel_deadline is not None and clock.today() > step.app.herstel_deadline

    def needs_co_sign(self, step) -> bool:
        return step.proposal["needs_co_sign"]

    def fits_budget(self, step) -> bool:
        return ledger.fits_in_order(step, deciding.proposed_amount(step))

    def approved(self, step) -> bool:
        return bool(step.data.get("approve"))

    def proposes_grant(self, step) -> bool:
        return step.proposal["kind"] == "verlening"

    def ends_in_afwijzing(self, step) -> bool:
        # reached for a grant only when fits_budget failed above: then plafond_bereikt
        return step.proposal["kind"] in ("afwijzing", "verlening")

    def proposes_referral(self, step) -> bool:
        return step.proposal["kind"] == "doorverwijzing"

    def settled_in_full(self, step) -> bool:
        return payments.settled_in_full(step.app)

    def bezwaar_term_over(self, step) -> bool:
        return objection.term_over(step.app)

    def within_bezwaar_term(self, step) -> bool:
        return objection.open_to_objection(step.app)

    def upheld(self, step) -> bool:
        return bool(step.data.get("upheld"))

    def objects_to_vaststelling(self, step) -> bool:
        return step.app.pending.get("return_to") in ("vastgesteld", "gesloten")

    def objects_after_payment(self, step) -> bool:
        return step.app.pending.get("return_to") == "uitbetaald"

    def _returns_to(self, step, status: str) -> bool:
        return not step.data.get("upheld") and step.app.pending.get("return_to") == status

    def returns_to_verleend(self, step) -> bool:
        return self._returns_to(step, "verleend")

    def returns_to_uitbetaald(self, step) -> bool:
        return self._returns_to(step, "uitbetaald")

    def returns_to_afgewezen(self, step) -> bool:
        return self._returns_to(step, "afgewezen")

    def returns_to_doorverwezen(self, step) -> bool:
        return self._returns_to(step, "doorverwezen")

    def returns_to_buiten_behandeling(self, step) -> bool:
        return self._returns_to(step, "buiten_behandeling")

    def returns_to_vastgesteld(self, step) -> bool:
        return self._returns_to(step, "vastgesteld")

    def returns_to_gesloten(self, step) -> bool:
        return self._returns_to(step, "gesloten")

    # -- actions: one per event, run before the new status is set ---------------------------
    def on_transition(self, event: str, step, source, target):
        EFFECTS[event](step, source.id, target.id)


EVENTS: list[str] = list(EFFECTS)  # declared in fund.workflow.events
STATES: list[str] = [s.id for s in ApplicationMachine.states]


class _Binding:
    """The machine's model: the status of whichever application the machine works on now.

    Building an ``ApplicationMachine`` resolves every condition and action of every transition
    into a callbacks registry (2-3 ms, 29.5 % of the CPU of a submission surge when it was done
    per event, issue 18). The machine's own state is only that registry; the status lives on its
    model. So a machine is built once per thread and re-bound to each application through this
    object. The conditions and actions are all methods of the machine (none on the model), so
    nothing in the registry refers to one application.
    """

    __slots__ = ("app",)

    def __init__(self, app) -> None:
        self.app = app

    @property
    def status(self):
        return self.app.status

    @status.setter
    def status(self, value) -> None:
        self.app.status = value


_idle = threading.local()  # per thread: machines built and not in use


@contextmanager
def machine_for(app) -> Iterator[ApplicationMachine]:
    """The machine, bound to ``app`` (``Application.status``) for the ``with`` block.

    An application without a status enters the initial state (concept). Each thread keeps the
    machines it built; one in use is never handed out twice, so an event sent from inside
    another event's effect gets a machine of its own.
    """
    idle = _idle.__dict__.setdefault("machines", [])
    if idle:
        machine = idle.pop()
        machine.model.app = app
        if app.status is None:
            machine.activate_initial_state()
    else:
        machine = ApplicationMachine(_Binding(app), state_field="status")  # enters concept if new
    try:
        yield machine
    finally:
        machine.model.app = None
        if not machine.is_terminated:  # a final state (ingetrokken) stops its engine: build anew
            idle.append(machine)
