"""Internal notes on a file: staff write them, the applicant never sees them.

Not a transition (the status stays), but written like one: in one transaction with its audit
event ``note_added``, which carries the text, so the auditor's export of the file has it too.
"""
from __future__ import annotations

from fund.extensions import db
from fund.models import Application, Note
from fund.workflow import clock
from fund.workflow.errors import WorkflowError

MAX_LENGTH = 4000  # about a page: a note, not a document (upload those as documents)


def add_note(application: Application, actor, text: str) -> Note:
    """Add ``text`` as a note by ``actor``; commits. WorkflowError (nothing written) when empty or too long."""
    from fund.audit import record
    from fund.workflow.service import _run

    text = (text or "").strip()
    if not text:
        raise WorkflowError("Schrijf eerst de notitie.", "notitie_leeg")
    if len(text) > MAX_LENGTH:
        raise WorkflowError(f"Een notitie is hoogstens {MAX_LENGTH} tekens. Deze is {len(text)} tekens. "
                            "Voeg een lang stuk toe als document.", "notitie_te_lang")

    def work() -> Note:
        note = Note(application_id=application.id, author_id=actor.id, created_at=clock.now(), text=text)
        db.session.add(note)
        db.session.flush()
        record("note_added", actor=actor, application=application, entity=note,
               from_state=application.status, to_state=application.status, data={"text": text})
        return note

    return _run(work)
