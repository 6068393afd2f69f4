"""Which documents an aanvraag needs before it is complete (rules/shared/workflow.yaml)."""
from __future__ import annotations

from fund.workflow.procedure import choices


def _fact(facts: dict, dotted: str):
    value = facts
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def required_kinds(instrument: str, facts: dict) -> list[str]:
    spec = choices()["required_documents"].get(instrument, {})
    kinds = list(spec.get("always", []))
    for rule in spec.get("when", []):
        if _fact(facts, rule["fact"]) == rule["equals"] and rule["kind"] not in kinds:
            kinds.append(rule["kind"])
    return kinds


def missing_documents(app) -> list[str]:
    present = {doc.kind for doc in app.documents}
    return [kind for kind in required_kinds(app.instrument, app.facts or {}) if kind not in present]


def label(kind: str) -> str:
    return choices()["document_labels"].get(kind, kind)
