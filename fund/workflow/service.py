"""The workflow API (docs/contract-workflow.md): create, update facts, send events, list options.

``send`` runs one event as one database transaction: lock the application row, check the role
and the data, let the machine pick the transition and run its effects, change the Budget row
last (``ledger.apply``: one conditional UPDATE), write the audit event, commit. Any error rolls everything back and raises
``WorkflowError``. The event's side effects (letters, e-mail) are outbox rows in that same
transaction; after the commit ``fund.delivery.outbox.dispatch`` hands them on.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from statemachine.exceptions import TransitionNotAllowed

from fund import audit
from fund.extensions import db
from fund.models import Application, Organisation, User
from fund.models.types import Role
from fund.rules import load_rulebook
from fund.delivery import outbox
from fund.workflow import clock, deciding, eligibility, guards, ledger
from fund.workflow.errors import WorkflowError
from fund.workflow.events import EVENTS, condition_failed, not_in_this_state
from fund.workflow.machine import machine_for
from fund.workflow.states import EDITABLE
from fund.workflow.step import Step


@dataclass(frozen=True)
class EventOption:
    name: str
    label: str
    needs_motivation: bool
    fields: list[str] = field(default_factory=list)
    field_labels: dict[str, str] = field(default_factory=dict)  # better than the generic labels
    required: tuple[str, ...] = ()  # fields the form always asks for


# -- transactions ------------------------------------------------------------------------------

def _lock(application: Application | int) -> Application:
    app_id = application if isinstance(application, int) else application.id
    app = db.session.get(Application, app_id, with_for_update=True, populate_existing=True)
    if app is None:
        raise WorkflowError("Deze aanvraag bestaat niet.", "onbekend")
    return app


def _run(work):
    """Run ``work()`` in one transaction; roll back and translate errors."""
    try:
        result = work()
        db.session.commit()
        return result
    except WorkflowError:
        db.session.rollback()
        raise
    except StaleDataError as exc:
        db.session.rollback()
        raise WorkflowError("De aanvraag is net door iemand anders gewijzigd. Laad de pagina opnieuw.",
                            "gewijzigd") from exc
    except IntegrityError as exc:
        db.session.rollback()
        raise WorkflowError("Dit is al gedaan (dubbele actie). Er is niets veranderd.", "dubbel") from exc
    except DBAPIError as exc:
        db.session.rollback()
        raise WorkflowError("Het systeem is even druk. Probeer het zo nog eens.", "bezet") from exc
    except Exception:
        db.session.rollback()
        raise


# -- the API -----------------------------------------------------------------------------------

def create_application(actor: User, instrument: str, facts: dict, *, title: str | None = None,
                       organisation: Organisation | None = None, iban: str | None = None) -> Application:
    if actor is None or actor.role not in (Role.INWONER.value, Role.WERKGEVER.value):
        raise WorkflowError("Alleen een inwoner of werkgever kan een aanvraag maken.", "geen_rechten")
    if instrument not in load_rulebook().instruments:
        raise WorkflowError("Kies een bestaande regeling.", "onbekend_instrument")
    if organisation is None and actor.role == Role.WERKGEVER.value:
        organisation = actor.organisation
    if organisation is not None and actor.role == Role.WERKGEVER.value and actor.organisation_id != organisation.id:
        raise WorkflowError("U kunt alleen voor uw eigen organisatie aanvragen.", "geen_rechten")
    form = load_rulebook().form(instrument)  # who may apply: `applicants:` in its form.yaml
    if actor.role not in form.roles:
        raise WorkflowError(f"U kunt {form.label} niet aanvragen.", "geen_rechten")
    if form.applicant_kind(actor.role) == "organisation" and organisation is None:
        raise WorkflowError(f"{form.label}: dat vraagt een organisatie aan.", "geen_organisatie")

    def work():
        document = copy.deepcopy(facts or {})
        document["instrument"] = instrument
        app = Application(instrument=instrument, status=None, applicant_id=actor.id,
                          organisation_id=organisation.id if organisation else None,
                          facts=document, title=title, iban=iban)
        with machine_for(app):  # enters the initial state: status "concept"
            pass
        db.session.add(app)
        db.session.flush()
        app.number = f"DOF-{clock.today().year}-{app.id:06d}"
        audit.record("create", actor=actor, application=app, to_state=app.status,
                     data={"number": app.number, "instrument": instrument, "title": title})
        return app

    return _run(work)


def update_facts(application: Application, actor: User, facts: dict, *, title: str | None = None,
                 iban: str | None = None) -> Application:
    def work():
        app = _lock(application)
        if not guards.is_applicant_side(actor, app):
            raise WorkflowError("Alleen de aanvrager kan de gegevens wijzigen.", "geen_rechten")
        if app.status not in EDITABLE:
            raise WorkflowError("U kunt de gegevens nu niet meer wijzigen.", "niet_toegestaan")
        document = copy.deepcopy(facts or {})
        document["instrument"] = app.instrument
        if app.received_at is not None:  # the day of receipt is not the applicant's to change
            document.setdefault("application", {})["date"] = app.facts["application"]["date"]
        changed = sorted(k for k in set(document) | set(app.facts or {})
                         if document.get(k) != (app.facts or {}).get(k))
        app.facts = document
        if title is not None:
            app.title = title
        if iban is not None:
            app.iban = iban
        app.updated_at = clock.now()
        audit.record("update_facts", actor=actor, application=app, from_state=app.status, to_state=app.status,
                     data={"changed": changed, "title": title, "iban_changed": iban is not None})
        return app

    return _run(work)


def send(application: Application | int, event: str, actor: User | None, **data) -> Application:
    """Send one event; commits, or raises WorkflowError with nothing changed."""
    if event not in EVENTS:
        raise WorkflowError("Deze actie bestaat niet.", "onbekende_actie")

    def work(lock_budget_first: bool):
        app = _lock(application)
        from_state = app.status
        declared = EVENTS[event]
        guards.check_role(declared.who, actor, app)
        with machine_for(app) as machine:
            if event not in {e.id for e in machine.allowed_events}:
                raise not_in_this_state(app, event)
            step = Step(app=app, actor=actor, event=event, data=data, lock_budget_first=lock_budget_first)
            if declared.prepare is not None:
                declared.prepare(step)
            try:
                machine.send(event, step=step)
            except TransitionNotAllowed:
                raise condition_failed(app, event) from None
        app.updated_at = clock.now()  # always an UPDATE: the version column catches a stale writer
        if declared.notice is not None:
            declared.notice(step)  # outbox rows, committed with the event
        ledger.apply(step)  # the Budget row, last: locked from here to the commit
        audit.record(event, actor=actor, application=app, entity=step.entity, from_state=from_state,
                     to_state=app.status, reason=step.reason, data=step.changes)
        return app

    try:
        try:
            app = _run(lambda: work(lock_budget_first=False))
        except ledger.BudgetMoved:  # another event took the money after this one read the budget
            app = _run(lambda: work(lock_budget_first=True))
    except WorkflowError as exc:
        if exc.code == deciding.HISTORY_CHANGED:
            _renew_check(application, actor)
        raise
    outbox.dispatch()  # letters and mails of the committed event; the sweep covers a crash here
    return app


def _renew_check(application: Application | int, actor: User | None) -> None:
    """Store a fresh eligibility check (same status) when the history facts changed."""
    def work():
        app = _lock(application)
        step = Step(app=app, actor=actor, event="recheck", data={})
        eligibility.run_check(step)
        app.updated_at = clock.now()
        audit.record("recheck", actor=actor, application=app, from_state=app.status, to_state=app.status,
                     reason="andere verlening telt mee sinds de vorige controle", data=step.changes)
    _run(work)


def available_events(application: Application, actor: User | None) -> list[EventOption]:
    """The events this actor can send now (for buttons). Read-only."""
    app = application
    with machine_for(app) as machine:
        names = list(dict.fromkeys(e.id for e in machine.allowed_events))
    options = []
    for name in names:
        declared = EVENTS[name]
        if actor is None or not guards.may_send(declared.who, actor, app):
            continue
        if not declared.is_offered(actor, app):
            continue
        options.append(EventOption(name=name, label=declared.label, needs_motivation=declared.needs_motivation,
                                   fields=list(declared.fields), field_labels=dict(declared.field_labels),
                                   required=declared.required))
    return options
