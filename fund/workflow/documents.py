"""Which documents an aanvraag needs before it is complete (``documents:`` in
rules/<instrument>/form.yaml; their names in rules/shared/workflow.yaml)."""
from __future__ import annotations

from fund.rules import load_rulebook


def _fact(facts: dict, dotted: str):
    value = facts
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def required_kinds(instrument: str, facts: dict) -> list[str]:
    form = load_rulebook().form(instrument)
    kinds = list(form.documents_always)
    for dotted, equals, kind in form.documents_when:
        if _fact(facts, dotted) == equals and kind not in kinds:
            kinds.append(kind)
    return kinds


def offered_kinds(instrument: str) -> list[str]:
    """The document types an applicant can choose for this instrument: every type its
    ``documents:`` in rules/<instrument>/form.yaml can ask for, then "overig"."""
    form = load_rulebook().form(instrument)
    kinds = list(form.documents_always)
    for _dotted, _equals, kind in form.documents_when:
        if kind not in kinds:
            kinds.append(kind)
    return kinds + ["overig"]


def missing_documents(app) -> list[str]:
    present = {doc.kind for doc in app.documents}
    return [kind for kind in required_kinds(app.instrument, app.facts or {}) if kind not in present]


def label(kind: str) -> str:
    return load_rulebook().document_labels.get(kind, kind)
