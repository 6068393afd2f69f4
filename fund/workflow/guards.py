"""The kinds of actor an event names (``Event.who`` in fund.workflow.events), how a user fits one,
and the vier-ogen rule for co-signing."""
from __future__ import annotations

from fund.models import User
from fund.models.types import Role
from fund.workflow.errors import WorkflowError

APPLICANT = "applicant"
OFFICER = "officer"
SUPERVISOR = "supervisor"
FINANCE = "finance"
PAYMENT_APPROVER = "payment_approver"
SYSTEM = "system"

_DENIED = {
    APPLICANT: "Alleen de aanvrager (of een collega van dezelfde organisatie) kan dit doen.",
    OFFICER: "Alleen een behandelaar kan dit doen.",
    SUPERVISOR: "Alleen een supervisor kan een besluit medeondertekenen.",
    FINANCE: "Alleen de afdeling financiën kan een betaling voorstellen.",
    PAYMENT_APPROVER: "Alleen financiën of een supervisor kan een betaling goedkeuren.",
}


def is_applicant_side(user: User | None, app) -> bool:
    if user is None or not user.active:
        return False
    if user.id == app.applicant_id:
        return True
    return app.organisation_id is not None and user.organisation_id == app.organisation_id \
        and user.role == Role.WERKGEVER.value


def _fits(kind: str, user: User | None, app) -> bool:
    if kind == SYSTEM:
        return user is None
    if user is None or not user.active:
        return False
    if kind == APPLICANT:
        return is_applicant_side(user, app)
    if kind == OFFICER:
        return user.has_role(Role.OFFICER)
    if kind == SUPERVISOR:
        return user.role == Role.SUPERVISOR.value
    if kind == FINANCE:
        return user.role == Role.FINANCE.value
    if kind == PAYMENT_APPROVER:
        return user.role in (Role.FINANCE.value, Role.SUPERVISOR.value)
    return False


def may_send(who: frozenset[str], user: User | None, app) -> bool:
    """Whether ``user`` fits one of the actor kinds ``who`` (SYSTEM: no user, a job)."""
    return any(_fits(kind, user, app) for kind in who)


def check_role(who: frozenset[str], user: User | None, app) -> None:
    if not may_send(who, user, app):
        kind = next((k for k in sorted(who) if k != SYSTEM), SYSTEM)
        raise WorkflowError(_DENIED.get(kind, "Dit mag u niet doen."), "geen_rechten")


def check_co_signer(user: User, app) -> None:
    """Vier-ogen: the second person is not the one who proposed."""
    proposer = (app.pending or {}).get("officer_id")
    if proposer is not None and user.id == proposer:
        raise WorkflowError("U heeft dit besluit zelf voorgesteld. Een andere supervisor moet het ondertekenen.",
                            "vier_ogen")
