"""The data model: one module per aggregate, re-exported here for convenience."""
from fund.models.types import Role
from fund.models.people import LoginIdentity, Organisation, RecoveryCode, User
from fund.models.application import Application, Document, Note
from fund.models.decision import Decision
from fund.models.money import Budget, Payment, PaymentBatch
from fund.models.outcome import Outcome
from fund.models.audit import AuditEvent
from fund.models.outbox import OutboxMessage
from fund.models.session import LoginThrottle, RateLimitCounter, StoredSession

__all__ = [
    "LoginThrottle",
    "RateLimitCounter",
    "StoredSession",
    "Application",
    "AuditEvent",
    "Budget",
    "Decision",
    "Document",
    "LoginIdentity",
    "Note",
    "Organisation",
    "OutboxMessage",
    "Outcome",
    "Payment",
    "PaymentBatch",
    "RecoveryCode",
    "Role",
    "User",
]
