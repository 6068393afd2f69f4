"""The audit trail of one application or one period, with hash and prev_hash per event.

Every field that goes into an event's hash is exported exactly as hashed, so an auditor can
recompute ``sha256(canonical_json(fields))`` (see ``fund.audit.chain``) and, for a period
export, check that each ``prev_hash`` is the ``hash`` of the event before it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator

from sqlalchemy import select

from fund.audit.chain import canonical_json, hashed_fields
from fund.exports.period import ExportError, Period
from fund.extensions import db
from fund.models import Application, AuditEvent

BATCH = 2000

COLUMNS: list[tuple[str, str]] = [
    ("seq", "Volgnummer"),
    ("occurred_at", "Tijdstip (UTC)"),
    ("actor_id", "Gebruiker-id"),
    ("actor_role", "Rol"),
    ("application_id", "Aanvraag-id"),
    ("application_number", "Aanvraagnummer"),
    ("entity_type", "Soort object"),
    ("entity_id", "Object-id"),
    ("event", "Gebeurtenis"),
    ("from_state", "Van status"),
    ("to_state", "Naar status"),
    ("reason", "Reden"),
    ("data", "Gegevens (JSON)"),
    ("prev_hash", "Vorige hash"),
    ("hash", "Hash"),
]


# Said on the auditor's page and on the command line, so it names the fields, not the flags.
NO_SELECTION = "vul een aanvraagnummer in, of een periode met een begin- of einddatum"


@dataclass(frozen=True)
class TrailFilter:
    application_number: str | None = None
    period: Period = Period()

    def __post_init__(self):
        if not self.application_number and not (self.period.start or self.period.end):
            raise ExportError(NO_SELECTION)


def iter_events(flt: TrailFilter) -> Iterator[dict[str, Any]]:
    """The events of the filter in chain order. A wrong application number raises ExportError
    here, before anything is written. The rows are read as plain column tuples in keyset batches
    (seq > last seq), one short query each: no ORM instances to expunge and no cursor held open
    across a commit, so a web download (which records the export and commits while it streams)
    and the CLI give the same rows."""
    table = AuditEvent.__table__
    stmt = (
        select(table, Application.number.label("application_number"))
        .outerjoin(Application, Application.id == table.c.application_id)
        .order_by(table.c.seq)
        .limit(BATCH)
    )
    if flt.application_number:
        app_id = db.session.scalar(
            select(Application.id).where(Application.number == flt.application_number)
        )
        if app_id is None:
            raise ExportError(f"aanvraag {flt.application_number} bestaat niet")
        stmt = stmt.where(table.c.application_id == app_id)
    if flt.period.start:
        start = dt.datetime.combine(flt.period.start, dt.time.min, tzinfo=dt.timezone.utc)
        stmt = stmt.where(table.c.occurred_at >= start)
    if flt.period.end:
        end = dt.datetime.combine(flt.period.end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.timezone.utc)
        stmt = stmt.where(table.c.occurred_at < end)
    return _batches(stmt, table.c.seq)


def _batches(stmt, seq_column) -> Iterator[dict[str, Any]]:
    last = 0
    while True:
        rows = db.session.execute(stmt.where(seq_column > last)).all()
        for ev in rows:
            row = hashed_fields(ev)
            row["application_number"] = ev.application_number
            row["hash"] = ev.hash
            yield row
        if len(rows) < BATCH:
            return
        last = rows[-1].seq


def text_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "data":
        return canonical_json(value)
    return str(value)


def recompute_hash(row: dict[str, Any]) -> str:
    """What an auditor does with one exported event (documented here, used in the tests)."""
    import hashlib

    payload = {k: row[k] for k in (
        "seq", "occurred_at", "actor_id", "actor_role", "application_id", "entity_type",
        "entity_id", "event", "from_state", "to_state", "reason", "data", "prev_hash",
    )}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
