"""Finance: propose payments (voorschot, rest, terugvordering), approve them (vier-ogen, one by
one or many at once), put approved ones in a SEPA file, and record what the bank paid and what
came back (``fund.workflow.bank``)."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from fund.extensions import db
from fund.letters.dutch import geld as euro
from fund.models import Payment
from fund.models.types import ZERO, Role
from fund.views import staff_queries as sq
from fund.web.events import attempt, send_event
from fund.web.security import roles_required
from fund import workflow as wf

bp = Blueprint("finance", __name__, url_prefix="/financien")


@bp.get("/")
@roles_required(Role.FINANCE)
def queue():
    from fund.workflow import bank
    from fund.workflow.payments import next_payment

    to_propose = [(a, next_payment(a)) for a in sq.payment_candidates()
                  if any(o.name == "propose_payment" for o in wf.available_events(a, current_user))]
    ready = bank.ready_for_file()
    return render_template("officer/finance.html", to_propose=to_propose, payments=sq.payments_to_approve(),
                           ready=ready, ready_total=sum((p.amount for p in ready), ZERO),
                           to_receive=bank.to_receive(), batches=bank.recent_batches(), bank=bank,
                           form=FlaskForm())


@bp.post("/goedkeuren")
@roles_required(Role.FINANCE)
def approve_many():
    """Approve every ticked payment: each is its own event (a second person per payment)."""
    ids = [int(v) for v in request.form.getlist("betaling") if v.isdigit()]
    if not FlaskForm().validate_on_submit():
        return redirect(url_for("finance.queue"))
    if not ids:
        flash("Kies eerst een of meer betalingen om goed te keuren.", "error")
        return redirect(url_for("finance.queue"))
    done = 0
    for payment_id in ids:
        payment = db.session.get(Payment, payment_id)
        if payment is None:
            continue
        done += send_event(payment.application, "approve_payment", payment_id=payment.id)
    if done:
        flash(f"{done} van de {len(ids)} betalingen zijn goedgekeurd.", "info")
    return redirect(url_for("finance.queue"))


@bp.post("/betaalbestand")
@roles_required(Role.FINANCE)
def make_file():
    from fund.workflow import bank

    if FlaskForm().validate_on_submit():
        batch = attempt(bank.make_batch, current_user)
        if batch is not None:
            flash(f"Betaalbestand {batch.id} is gemaakt: {batch.count} betalingen, samen "
                  f"{euro(batch.control_sum)}. Download het en lever het aan bij de bank.", "info")
    return redirect(url_for("finance.queue") + "#bestanden-kop")


@bp.get("/betaalbestand/<int:batch_id>.xml")
@roles_required(Role.FINANCE)
def download_file(batch_id: int):
    from fund.models import PaymentBatch

    batch = db.session.get(PaymentBatch, batch_id)
    if batch is None:
        abort(404)
    response = Response(batch.xml, mimetype="application/xml")
    response.headers["Content-Disposition"] = f'attachment; filename="betaalbestand-{batch.id}.xml"'
    return response


@bp.post("/betaalbestand/<int:batch_id>/betaald")
@roles_required(Role.FINANCE)
def file_paid(batch_id: int):
    from fund.workflow import bank

    if FlaskForm().validate_on_submit():
        batch = attempt(bank.batch_paid, current_user, batch_id)
        if batch is not None:
            flash(f"Betaalbestand {batch.id} staat op betaald: {batch.count} aanvragers krijgen bericht.", "info")
    return redirect(url_for("finance.queue") + "#bestanden-kop")


@bp.post("/terugvorderingen/<int:payment_id>/ontvangen")
@roles_required(Role.FINANCE)
def reclaim_received(payment_id: int):
    from fund.workflow import bank

    if FlaskForm().validate_on_submit():
        payment = attempt(bank.reclaim_received, current_user, payment_id)
        if payment is not None:
            flash(f"De terugbetaling van {euro(payment.amount)} voor {payment.application.number} is ontvangen.",
                  "info")
    return redirect(url_for("finance.queue") + "#ontvangen-kop")


@bp.post("/<int:app_id>/voorstellen")
@roles_required(Role.FINANCE)
def propose(app_id: int):
    from fund.models import Application

    application = db.session.get(Application, app_id)
    if application is None or application.status == "concept":
        abort(404)
    if FlaskForm().validate_on_submit() and send_event(application, "propose_payment"):
        flash(f"De betaling voor {application.number} is voorgesteld. Een collega moet hem goedkeuren.",
              "info")
    return redirect(url_for("finance.queue"))


@bp.post("/betalingen/<int:payment_id>/goedkeuren")
@roles_required(Role.FINANCE, Role.SUPERVISOR)
def approve(payment_id: int):
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        abort(404)
    if FlaskForm().validate_on_submit() and send_event(payment.application, "approve_payment",
                                                  payment_id=payment.id):
        flash(f"De betaling voor {payment.application.number} is goedgekeurd.", "info")
    return redirect(url_for("finance.queue") if current_user.role == "finance"
                    else url_for("officer.review", app_id=payment.application_id))
