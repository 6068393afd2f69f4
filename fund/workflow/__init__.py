"""The procedure of an aanvraag (regeling §1, §3-§6) as one python-statemachine machine.

Everything outside this package changes an application only through this API
(docs/contract-workflow.md); no other code sets ``Application.status``.
"""
from fund.workflow.errors import WorkflowError
from fund.workflow.events import event_label
from fund.workflow.states import APPLICANT_STATUS_LABELS, STATUS_LABELS
from fund.workflow.service import EventOption, available_events, create_application, send, update_facts

__all__ = [
    "APPLICANT_STATUS_LABELS",
    "STATUS_LABELS",
    "EventOption",
    "WorkflowError",
    "available_events",
    "create_application",
    "event_label",
    "send",
    "update_facts",
]
