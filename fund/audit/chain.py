"""Hash-chained audit events.

Every event stores the SHA-256 of its predecessor and its own hash over a canonical JSON form
(sorted keys, no whitespace, decimals and dates as strings). ``verify`` recomputes the chain and
names the first event that was altered, removed or inserted.

We write this by hand rather than use a library: the few packages that offer "tamper-evident
logs" bring their own storage; what we need is twenty lines on top of our own table, in the
same transaction as the change they record.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Iterator

from sqlalchemy import select, text

from fund.extensions import db
from fund.models.audit import GENESIS_HASH, AuditEvent
from fund.models.types import utcnow

# Any constant works; it names "the audit chain" among PostgreSQL advisory locks.
_CHAIN_LOCK_KEY = 7_300_114


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value == value.quantize(Decimal("0.01")) else str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    return value


def canonical_json(payload: dict) -> str:
    return json.dumps(_jsonable(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def hashed_fields(ev: AuditEvent) -> dict:
    """Exactly the fields the hash covers (exports use this too, so auditors can re-verify)."""
    return {
        "seq": ev.seq,
        "occurred_at": ev.occurred_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": ev.actor_id,
        "actor_role": ev.actor_role,
        "application_id": ev.application_id,
        "entity_type": ev.entity_type,
        "entity_id": ev.entity_id,
        "event": ev.event,
        "from_state": ev.from_state,
        "to_state": ev.to_state,
        "reason": ev.reason,
        "data": ev.data or {},
        "prev_hash": ev.prev_hash,
    }


def compute_hash(ev: AuditEvent) -> str:
    return hashlib.sha256(canonical_json(hashed_fields(ev)).encode("utf-8")).hexdigest()


def record(
    event: str,
    *,
    actor=None,
    application=None,
    entity=None,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    data: dict | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (the caller commits or rolls back).

    Never put a BSN, IBAN or password in ``data``: the trail is exported to auditors.
    """
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers of the chain until commit; without it two transactions could
        # both append after the same predecessor (the unique prev_hash would then refuse one).
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    ev = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        occurred_at=utcnow(),
        actor_id=getattr(actor, "id", None),
        actor_role=getattr(actor, "role", None),
        application_id=getattr(application, "id", None),
        entity_type=type(entity).__name__.lower() if entity is not None else None,
        entity_id=getattr(entity, "id", None),
        event=event,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=_jsonable(data or {}),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    ev.hash = compute_hash(ev)
    session.add(ev)
    session.flush()
    return ev


@dataclass(frozen=True)
class ChainBreak:
    """The first place the chain does not hold."""

    seq: int
    event_id: int | None
    problem: str  # "gewijzigd" (altered), "verwijderd" (removed), "ingevoegd" (inserted)
    detail: str


def iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    """All events in chain order, read in batches so memory stays flat."""
    last_seq = 0
    while True:
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq
        db.session.expunge_all()


def verify() -> tuple[int, ChainBreak | None]:
    """Walk the whole chain. Returns (events checked, first break or None)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for ev in iter_events():
        count += 1
        if ev.seq != expected_seq:
            if ev.seq > expected_seq:
                return count, ChainBreak(
                    expected_seq, None, "verwijderd",
                    f"gebeurtenis {expected_seq} ontbreekt (volgende is {ev.seq})",
                )
            return count, ChainBreak(ev.seq, ev.id, "ingevoegd", "volgnummer komt dubbel voor")
        if ev.prev_hash != expected_prev:
            return count, ChainBreak(
                ev.seq, ev.id, "ingevoegd" if compute_hash(ev) == ev.hash else "gewijzigd",
                "verwijst niet naar de hash van de vorige gebeurtenis",
            )
        if compute_hash(ev) != ev.hash:
            return count, ChainBreak(
                ev.seq, ev.id, "gewijzigd", "inhoud past niet bij de opgeslagen hash"
            )
        expected_prev = ev.hash
        expected_seq += 1
    return count, None
