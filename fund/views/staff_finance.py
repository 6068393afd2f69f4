"""Finance: propose payments (voorschot, rest, terugvordering) and approve them (vier-ogen)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from fund.extensions import db
from fund.models import Payment
from fund.models.types import Role
from fund.views import staff_queries as sq
from fund.web.events import send_event
from fund.web.security import roles_required
from fund import workflow as wf

bp = Blueprint("finance", __name__, url_prefix="/financien")


@bp.get("/")
@roles_required(Role.FINANCE)
def queue():
    to_propose = [a for a in sq.payment_candidates()
                  if any(o.name == "propose_payment" for o in wf.available_events(a, current_user))]
    payments = sq.payments_to_approve()
    return render_template("officer/finance.html", to_propose=to_propose, payments=payments,
                           form=FlaskForm())


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
