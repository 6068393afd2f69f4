"""Payments: voorschot after the grant; rest or terugvordering after the vaststelling.

Finance proposes (status voorgesteld), a second person approves (approved_by != proposed_by:
status goedgekeurd). The money moves later: the payment goes into one SEPA file and is betaald,
and counted in Budget.paid, when the bank confirms (``fund.workflow.bank``). ``idempotency_key`` is unique
per application, kind and decision, so a retried or doubled event cannot create a second
payment: the database refuses it even if the application lock were bypassed.
"""
from __future__ import annotations

from decimal import Decimal

from fund.extensions import db
from fund.models import Payment
from fund.models.types import ZERO, DecisionKind, PaymentKind, PaymentStatus
from fund.workflow import clock
from fund.workflow.errors import WorkflowError
from fund.workflow.procedure import ruleset_of

# Approved payment orders: what the applicant has been paid or will be paid for certain (the
# vaststelling works out the rest or the terugvordering from these).
DONE = (PaymentStatus.GOEDGEKEURD.value, PaymentStatus.IN_BETAALBESTAND.value, PaymentStatus.BETAALD.value)


def net_paid(app) -> Decimal:
    """Cash paid to the applicant minus what was reclaimed (approved payments only)."""
    total = ZERO
    for p in app.payments:
        if p.status in DONE:
            total += -p.amount if p.kind == PaymentKind.TERUGVORDERING.value else p.amount
    return total


def open_payments(app) -> list[Payment]:
    return [p for p in app.payments if p.status == PaymentStatus.VOORGESTELD.value]


def settled_in_full(app) -> bool:
    return app.final_amount is not None and not open_payments(app) and net_paid(app) == app.final_amount


def _vaststelling(app):
    for d in reversed(app.decisions):
        if d.kind == DecisionKind.VASTSTELLING.value:
            return d
    return None


def next_payment(app) -> tuple[PaymentKind, Decimal, object]:
    """(kind, amount, decision) of the payment finance would propose now: the voorschot after
    the grant, or the rest / terugvordering that closes the gap to the vastgesteld amount."""
    if app.status == "verleend":
        decision = next((d for d in reversed(app.decisions) if d.kind == DecisionKind.VERLENING.value), None)
        return PaymentKind.VOORSCHOT, ruleset_of(app).voorschot_amount(app.granted_amount), decision
    difference = (app.final_amount or ZERO) - net_paid(app)
    kind = PaymentKind.REST if difference >= 0 else PaymentKind.TERUGVORDERING
    return kind, abs(difference), _vaststelling(app)


def propose(step, source, target) -> None:
    app = step.app
    if open_payments(app):
        raise WorkflowError("Er staat al een betaling klaar die nog goedgekeurd moet worden.", "al_voorgesteld")
    if source == "verleend" and any(p.kind == PaymentKind.VOORSCHOT.value for p in app.payments):
        raise WorkflowError("Het voorschot is al voorgesteld.", "al_voorgesteld")
    kind, amount, decision = next_payment(app)
    if source != "verleend" and amount == 0:
        raise WorkflowError("Er valt niets meer te betalen of terug te vorderen.", "niets_te_betalen")
    if amount <= 0:
        raise WorkflowError("Er valt niets te betalen.", "niets_te_betalen")
    payment = Payment(
        application=app, decision_id=decision.id if decision else None, kind=kind.value, amount=amount,
        status=PaymentStatus.VOORGESTELD.value,
        idempotency_key=f"{app.id}:{kind.value}:{decision.id if decision else 0}",
        proposed_by_id=step.actor_id,
    )
    db.session.add(payment)
    db.session.flush()
    step.entity = payment
    step.changes["payment"] = {"id": payment.id, "kind": payment.kind, "amount": amount, "status": payment.status}


def prepare_approve(step) -> None:
    app = step.app
    payment_id = step.data.get("payment_id")
    payment = next((p for p in app.payments if payment_id is not None and p.id == int(payment_id)), None)
    if payment is None:
        raise WorkflowError("Deze betaling hoort niet bij deze aanvraag.", "onbekende_betaling")
    if payment.status == PaymentStatus.VERVALLEN.value:
        raise WorkflowError("Deze betaling is vervallen: het besluit waar zij bij hoorde is na bezwaar "
                            "vervangen. Stel zo nodig een nieuwe betaling voor.", "vervallen")
    if payment.status != PaymentStatus.VOORGESTELD.value:
        raise WorkflowError("Deze betaling is al goedgekeurd.", "al_goedgekeurd")
    if step.actor_id == payment.proposed_by_id:
        raise WorkflowError("Een betaling moet worden goedgekeurd door een ander dan wie haar voorstelde.",
                            "vier_ogen")
    step.entity = payment


def void_open(step) -> None:
    """Proposed (never approved) payments lapse when the decision they carry out is annulled."""
    voided = []
    for payment in open_payments(step.app):
        payment.status = PaymentStatus.VERVALLEN.value
        voided.append({"id": payment.id, "kind": payment.kind, "amount": payment.amount})
    if voided:
        step.changes["payments_voided"] = voided


def approve(step, source, target) -> None:
    payment = step.entity
    payment.status = PaymentStatus.GOEDGEKEURD.value
    payment.approved_by_id = step.actor_id
    payment.approved_at = clock.now()
    step.changes["payment"] = {"id": payment.id, "kind": payment.kind, "amount": payment.amount,
                               "status": {"from": PaymentStatus.VOORGESTELD.value, "to": payment.status}}
