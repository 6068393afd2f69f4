"""Intake events: submit (with the automatic check), assign, herstel, withdraw, verdaging."""
from __future__ import annotations

from datetime import timedelta

from fund.models import User
from fund.models.types import DecisionKind, Role
from fund.extensions import db
from fund.letters.dutch import datum
from fund.workflow import clock, decisions, documents, ledger
from fund.workflow.eligibility import run_check, validate, with_received_date
from fund.workflow.errors import WorkflowError
from fund.workflow.procedure import procedure_for


def _require_documents(app) -> None:
    missing = documents.missing_documents(app)
    if missing:
        names = ", ".join(documents.label(kind) for kind in missing)
        raise WorkflowError(f"Stuur eerst nog mee: {names}.", "documenten_ontbreken",
                            errors=[{"field": f"documents.{kind}", "message": "ontbreekt"} for kind in missing])


def _set_decision_deadline(step) -> None:
    app = step.app
    proc = procedure_for(app.instrument, app.application_date)
    weeks = proc.beslistermijn_weken + (proc.verdaging_weken if app.deadline_extended else 0)
    old = app.decision_deadline
    app.complete_at = clock.now()
    app.decision_deadline = clock.today() + timedelta(weeks=weeks)
    step.change("decision_deadline", old, app.decision_deadline)


def postal_holder(app):
    """Who the letters go to: the organisation's vestigingsadres, else the person's address."""
    return app.organisation if app.organisation_id else app.applicant


def _require_contact(app) -> None:
    if not app.applicant.email_verified:
        raise WorkflowError("Bevestig eerst uw e-mailadres. Wij stuurden u een e-mail met een link. "
                            "Geen e-mail gekregen? Vraag op de pagina Mijn gegevens een nieuwe link aan.",
                            "email_niet_bevestigd")
    if not postal_holder(app).has_postal_address:
        who = "het vestigingsadres van uw organisatie" if app.organisation_id else "uw adres"
        raise WorkflowError(f"Vul eerst {who} in: straat, huisnummer, postcode en woonplaats. Wij sturen "
                            "onze brieven naar dat adres. Dat doet u op de pagina Mijn gegevens.",
                            "adres_ontbreekt", errors=[{"field": "address", "message": "ontbreekt"}])


def submit(step, source, target) -> None:
    app = step.app
    _require_contact(app)
    facts = with_received_date(app)
    validate(facts)
    _require_documents(app)
    app.facts = facts
    app.received_at = clock.now()
    step.changes["application_date"] = facts["application"]["date"]
    _set_decision_deadline(step)
    run_check(step)
    ledger.ensure_budget(app.instrument, app.tijdvak)


def assign(step, source, target) -> None:
    app = step.app
    officer_id = step.data.get("officer_id") or step.actor_id
    officer = db.session.get(User, int(officer_id))
    if officer is None or not officer.has_role(Role.OFFICER) or not officer.active:
        raise WorkflowError("Kies een behandelaar (medewerker subsidies).", "geen_behandelaar")
    step.change("assigned_officer_id", app.assigned_officer_id, officer.id)
    app.assigned_officer_id = officer.id


def request_info(step, source, target) -> None:
    app = step.app
    message = (step.data.get("message") or "").strip()
    if not message:
        raise WorkflowError("Schrijf op wat er ontbreekt.", "motivering_ontbreekt")
    app.herstel_request = message
    app.herstel_deadline = herstel_deadline_for(app)
    step.reason = message
    step.changes["herstel_deadline"] = app.herstel_deadline


def herstel_deadline_for(app):
    """The last day to supplement when the officer asks for it today."""
    days = procedure_for(app.instrument, app.application_date).hersteltermijn_dagen
    return clock.today() + timedelta(days=days)


def extended_deadline(app):
    """The decision deadline after the one verdaging."""
    weeks = procedure_for(app.instrument, app.application_date).verdaging_weken
    return app.decision_deadline + timedelta(weeks=weeks)


def supplement(step, source, target) -> None:
    app = step.app
    validate(with_received_date(app))
    _require_documents(app)
    step.reason = (step.data.get("message") or "").strip() or None
    step.change("herstel_deadline", app.herstel_deadline, None)
    app.herstel_deadline = None
    _set_decision_deadline(step)
    run_check(step)


def expire_herstel(step, source, target) -> None:
    app = step.app
    step.reason = f"Hersteltermijn verlopen op {app.herstel_deadline.isoformat()}"
    motivation = decisions.motivation_text(
        app, DecisionKind.BUITEN_BEHANDELING, with_trace=False,
        officer_words=f"Wij vroegen u op tijd aan te vullen: {app.herstel_request}"
        if app.herstel_request else None,
    )
    decisions.make_decision(step, DecisionKind.BUITEN_BEHANDELING, motivation=motivation,
                            officer_id=step.actor_id or app.assigned_officer_id)


def withdraw(step, source, target) -> None:
    app = step.app
    step.reason = (step.data.get("reason") or "").strip() or None
    held = ledger.commitment(app)
    if held:
        ledger.release(step, held)
        step.changes["released"] = held
        app.granted_amount = None
    if app.pending is not None:
        step.changes["pending_dropped"] = app.pending
        app.pending = None


def beslistermijn_over(app) -> bool:
    """The beslistermijn has ended: no verdaging any more (Awb 4:14 lid 3: announced before it ends)."""
    return app.decision_deadline is not None and clock.today() > app.decision_deadline


def extend_deadline(step, source, target) -> None:
    app = step.app
    if app.deadline_extended:
        raise WorkflowError("De beslistermijn is al een keer verlengd. Dat kan maar één keer.", "al_verlengd")
    if beslistermijn_over(app):
        raise WorkflowError(
            f"De beslistermijn is op {datum(app.decision_deadline)} verlopen. Verlengen kan "
            "alleen vóór het einde van de termijn (Awb 4:14). Neem zo snel mogelijk een besluit.",
            "termijn_verlopen")
    reason = (step.data.get("reason") or "").strip()
    if not reason:
        raise WorkflowError("Schrijf op waarom u meer tijd nodig heeft.", "motivering_ontbreekt")
    old = app.decision_deadline
    app.decision_deadline = extended_deadline(app)
    app.deadline_extended = True
    app.deadline_extension_reason = reason
    step.reason = reason
    step.change("decision_deadline", old, app.decision_deadline)
    motivation = decisions.motivation_text(app, DecisionKind.VERDAGING, with_trace=False,
                                           officer_words=reason, on=app.decision_deadline)
    decisions.make_decision(step, DecisionKind.VERDAGING, motivation=motivation)
