"""A payment after its approval: into one SEPA file, then paid when the bank confirms.

    voorgesteld --approve_payment (a second person)--> goedgekeurd
    goedgekeurd --make_batch (a SEPA credit-transfer file)--> in_betaalbestand
    in_betaalbestand --batch_paid (the bank carried the file out)--> betaald

A terugvordering is money to receive, never in a credit-transfer file:

    goedgekeurd --reclaim_received (the money came in)--> betaald

``Budget.paid`` counts a payment when it becomes ``betaald``, and the applicant's "betaald" mail
goes then too. A payment is in at most one file: ``payments.batch_id`` is set once, by an UPDATE
that only matches rows without a batch, under row locks. The file is made with sepaxml
(pain.001.001.03, checked against the XSD it ships) and kept as sent in ``payment_batches``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from flask import current_app
from sqlalchemy import select, update

from fund.config import Debtor
from fund.extensions import db
from fund.models import Payment, PaymentBatch
from fund.models.types import PaymentKind, PaymentStatus
from fund.workflow import clock, ledger
from fund.workflow.errors import WorkflowError

SCHEMA = "pain.001.001.03"
KIND_TEXT = {"voorschot": "voorschot", "rest": "restbetaling", "terugvordering": "terugvordering"}


def payee(payment: Payment) -> str:
    """Who receives the money: the organisation for a werkgever or leerbedrijf, else the person."""
    app = payment.application
    return app.organisation.name if app.organisation_id else app.applicant.name


def masked_iban(iban: str | None) -> str:
    """The IBAN with all but the last four characters hidden (finance screens, AVG)."""
    if not iban:
        return "geen IBAN"
    compact = iban.replace(" ", "")
    return f"{compact[:2]}•• •••• •••• {compact[-4:]}"


def decision_number(payment: Payment) -> str:
    return payment.decision.number if payment.decision is not None else ""


def description(payment: Payment) -> str:
    """The remittance text the payee reads on their statement (max 140, unidecoded by sepaxml)."""
    number = decision_number(payment)
    text = f"Drents ontwikkelfonds {KIND_TEXT.get(payment.kind, payment.kind)} aanvraag {payment.application.number}"
    return f"{text} besluit {number}" if number else text


# -- what finance sees ---------------------------------------------------------------------------

def ready_for_file() -> list[Payment]:
    """Approved payments to the applicant that are not in a bank file yet."""
    return list(db.session.scalars(
        select(Payment).where(Payment.status == PaymentStatus.GOEDGEKEURD.value,
                              Payment.kind != PaymentKind.TERUGVORDERING.value, Payment.batch_id.is_(None))
        .order_by(Payment.approved_at, Payment.id)))


def to_receive() -> list[Payment]:
    """Approved terugvorderingen: money the applicant must pay back, not yet received."""
    return list(db.session.scalars(
        select(Payment).where(Payment.status == PaymentStatus.GOEDGEKEURD.value,
                              Payment.kind == PaymentKind.TERUGVORDERING.value)
        .order_by(Payment.approved_at, Payment.id)))


def open_batches() -> list[PaymentBatch]:
    return list(db.session.scalars(select(PaymentBatch).where(PaymentBatch.paid_at.is_(None))
                                   .order_by(PaymentBatch.id)))


def recent_batches(limit: int = 20) -> list[PaymentBatch]:
    return list(db.session.scalars(select(PaymentBatch).order_by(PaymentBatch.id.desc()).limit(limit)))


# -- making a file -------------------------------------------------------------------------------

def debtor() -> Debtor:
    """The fund's own account (FUND_DEBTOR_NAME / _IBAN / _BIC); in production only once set."""
    account = current_app.config["FUND_DEBTOR"]
    if current_app.config.get("FUND_ENV") == "production" and not account.configured:
        raise WorkflowError("Het rekeningnummer van het fonds is niet ingesteld (FUND_DEBTOR_IBAN). "
                            "Vraag de beheerder dit in te stellen.", "geen_rekening")
    return account


def _bad_iban(payment: Payment) -> bool:
    from stdnum import iban

    return not payment.application.iban or not iban.is_valid(payment.application.iban)


def build_xml(payments: list[Payment], execution_date: dt.date, account: Debtor) -> tuple[bytes, str]:
    """The pain.001.001.03 document of ``payments`` (validated by sepaxml against its XSD)."""
    from sepaxml import SepaTransfer

    from stdnum import iban

    transfer = SepaTransfer({"name": account.name, "IBAN": iban.compact(account.iban), "BIC": account.bic,
                             "batch": True, "currency": "EUR"}, schema=SCHEMA)
    for payment in payments:
        transfer.add_payment({
            "name": payee(payment), "IBAN": iban.compact(payment.application.iban),
            "amount": int(payment.amount * 100), "execution_date": execution_date,
            "description": description(payment), "endtoend_id": f"DOF-BET-{payment.id}",
        })
    return transfer.export(validate=True), transfer.msg_id


def make_batch(actor, payment_ids: list[int] | None = None, execution_date: dt.date | None = None) -> PaymentBatch:
    """Put approved payments (all, or ``payment_ids``) in one new SEPA file; commits.

    Raises WorkflowError (nothing changed) when there is nothing to put in, a payment is not
    approved or already in a file, or an IBAN is not valid.
    """
    from fund.audit import record
    from fund.workflow.service import _run

    execution_date = execution_date or clock.today()
    account = debtor()

    def work() -> PaymentBatch:
        query = select(Payment).where(Payment.kind != PaymentKind.TERUGVORDERING.value)
        if payment_ids is not None:
            query = query.where(Payment.id.in_(payment_ids))
        else:
            query = query.where(Payment.status == PaymentStatus.GOEDGEKEURD.value, Payment.batch_id.is_(None))
        chosen = list(db.session.scalars(query.order_by(Payment.id).with_for_update()
                                         .execution_options(populate_existing=True)))
        if payment_ids is not None and len(chosen) != len(set(payment_ids)):
            raise WorkflowError("Een van de gekozen betalingen bestaat niet of is een terugvordering.",
                                "onbekende_betaling")
        if not chosen:
            raise WorkflowError("Er zijn geen goedgekeurde betalingen om in een betaalbestand te zetten.",
                                "niets_te_betalen")
        taken = [p for p in chosen if p.batch_id is not None]
        if taken:
            raise WorkflowError(f"Betaling voor {taken[0].application.number} zit al in een betaalbestand. "
                                "Een betaling gaat nooit in twee bestanden.", "al_in_bestand")
        waiting = [p for p in chosen if p.status != PaymentStatus.GOEDGEKEURD.value]
        if waiting:
            raise WorkflowError(f"Betaling voor {waiting[0].application.number} is nog niet goedgekeurd.",
                                "niet_goedgekeurd")
        bad = [p.application.number for p in chosen if _bad_iban(p)]
        if bad:
            raise WorkflowError("Het IBAN klopt niet bij: " + ", ".join(bad) + ". Laat de aanvrager het "
                                "rekeningnummer verbeteren; de andere betalingen kunnen wel.", "iban_onjuist")
        xml, message_id = build_xml(chosen, execution_date, account)
        total = sum((p.amount for p in chosen), Decimal("0.00"))
        batch = PaymentBatch(message_id=message_id[:35], execution_date=execution_date, count=len(chosen),
                             control_sum=total, xml=xml, sha256=hashlib.sha256(xml).hexdigest(),
                             created_by_id=actor.id, created_at=clock.now())
        db.session.add(batch)
        db.session.flush()
        ids = [p.id for p in chosen]
        moved = db.session.execute(
            update(Payment).where(Payment.id.in_(ids), Payment.batch_id.is_(None),
                                  Payment.status == PaymentStatus.GOEDGEKEURD.value)
            .values(batch_id=batch.id, status=PaymentStatus.IN_BETAALBESTAND.value)
            .execution_options(synchronize_session="fetch"))
        if moved.rowcount != len(ids):  # another file took one meanwhile (no row locks on SQLite)
            raise WorkflowError("Een betaling is net in een ander betaalbestand gezet. Er is niets veranderd; "
                                "probeer het opnieuw.", "al_in_bestand")
        for p in chosen:
            record("payment_in_file", actor=actor, application=p.application, entity=p,
                   data={"batch": batch.id, "message_id": batch.message_id, "kind": p.kind, "amount": p.amount,
                         "status": {"from": PaymentStatus.GOEDGEKEURD.value, "to": PaymentStatus.IN_BETAALBESTAND.value}})
        record("payment_file_made", actor=actor, entity=batch,
               data={"message_id": batch.message_id, "count": batch.count, "control_sum": total,
                     "execution_date": execution_date.isoformat(), "sha256": batch.sha256})
        return batch

    return _run(work)


# -- the bank confirms ---------------------------------------------------------------------------

def _book(payments: list[Payment], actor, event: str, extra: dict) -> None:
    from fund.audit import record
    from fund.delivery import notifications

    apps = {p.application_id: p.application for p in payments}
    keys = sorted({(a.instrument, a.tijdvak) for a in apps.values()})
    budgets = {key: ledger.locked_budget(*key) for key in keys}  # one order: no deadlock between two
    now = clock.now()
    for p in payments:
        app = apps[p.application_id]
        before = p.status
        p.status = PaymentStatus.BETAALD.value
        p.paid_at = now
        reclaim = p.kind == PaymentKind.TERUGVORDERING.value
        ledger.book_payment(budgets[(app.instrument, app.tijdvak)], p.amount, reclaim=reclaim)
        if not reclaim:
            notifications.payment_made(p)
        record(event, actor=actor, application=app, entity=p,
               data={**extra, "kind": p.kind, "amount": p.amount, "status": {"from": before, "to": p.status}})


def batch_paid(actor, batch_id: int, paid_on: dt.date | None = None) -> PaymentBatch:
    """The bank carried out file ``batch_id``: its payments become betaald; commits."""
    from fund.delivery import outbox
    from fund.workflow.service import _run

    def work() -> PaymentBatch:
        batch = db.session.get(PaymentBatch, batch_id, with_for_update=True, populate_existing=True)
        if batch is None:
            raise WorkflowError("Dit betaalbestand bestaat niet.", "onbekend")
        if batch.paid_at is not None:
            raise WorkflowError("Dit betaalbestand is al als betaald gemeld.", "al_betaald")
        payments = list(db.session.scalars(
            select(Payment).where(Payment.batch_id == batch.id).order_by(Payment.id).with_for_update()
            .execution_options(populate_existing=True)))
        _book(payments, actor, "payment_paid", {"batch": batch.id, "message_id": batch.message_id})
        batch.paid_at = clock.now()
        batch.paid_by_id = actor.id
        return batch

    batch = _run(work)
    outbox.dispatch()
    return batch


def reclaim_received(actor, payment_id: int) -> Payment:
    """The money of an approved terugvordering came in; commits."""
    from fund.workflow.service import _run

    def work() -> Payment:
        payment = db.session.get(Payment, payment_id, with_for_update=True, populate_existing=True)
        if payment is None or payment.kind != PaymentKind.TERUGVORDERING.value:
            raise WorkflowError("Deze terugvordering bestaat niet.", "onbekend")
        if payment.status != PaymentStatus.GOEDGEKEURD.value:
            raise WorkflowError("Deze terugvordering is niet goedgekeurd of al ontvangen.", "niet_open")
        _book([payment], actor, "reclaim_received", {})
        return payment

    return _run(work)



def carry_out_approved(actor, app) -> None:
    """Move the money of ``app``'s approved payments at once: transfers into a file of their own
    that the bank then pays, a terugvordering received. For the demo data and tests, which need
    a whole payment in one call; finance does these steps apart on its page."""
    for payment in [p for p in app.payments if p.status == PaymentStatus.GOEDGEKEURD.value]:
        if payment.kind == PaymentKind.TERUGVORDERING.value:
            reclaim_received(actor, payment.id)
        else:
            batch_paid(actor, make_batch(actor, [payment.id]).id)
