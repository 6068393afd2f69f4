"""The transactional outbox: side effects are rows written with the event, delivered after it.

Nothing is fire-and-forget. ``add_letter``/``add_mail`` only add a row to the caller's session,
so the row commits or rolls back with the event. After the commit ``dispatch()`` hands the new
rows to RQ (``FUND_REDIS_URL``) or delivers them in this process; ``sweep()`` (``fund outbox
deliver``, ``fund worker``, ``fund workflow tick``) delivers every row that is still due, so a
process killed between commit and delivery loses nothing.

Delivery of one row (``deliver``) first *claims* it: a conditional UPDATE that sets a short lease
(``locked_until``) and counts the attempt, committed before any work. Only the claimer delivers,
so two dispatchers never send the same mail. A letter is idempotent by itself (stored once on its
Decision); a mail is marked delivered right after the SMTP server accepted it. The one window that
remains — a crash after the server accepted the mail and before the mark commits — would send it
again after the lease; the stable Message-ID lets mail clients fold such a duplicate.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, func, or_, select, update
from sqlalchemy.orm import Session

from fund.extensions import db
from fund.models.outbox import DELIVERED, PARKED, PENDING, OutboxMessage
from fund.models.types import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=2)
JOB = "fund.delivery.outbox:deliver"


# -- writing (inside the caller's transaction) ----------------------------------------------------

def add_letter(decision) -> OutboxMessage | None:
    """Queue the letter of a new beschikking (the caller's transaction commits it)."""
    return _add(OutboxMessage(kind="letter", dedupe_key=f"letter:{decision.id}",
                              payload={"decision_id": decision.id},
                              application_id=decision.application_id))


def add_mail(*, to: str, subject: str, text: str, html: str, key: str, user_id: int | None = None,
             application_id: int | None = None, attachment: dict | None = None) -> OutboxMessage | None:
    """Queue one e-mail. ``key`` names the side effect (``"submitted:DOF-2026-000012"``): the
    same key is never queued twice. ``attachment`` names a file made at delivery
    (``{"kind": "answers_pdf", "application_id": 12}``)."""
    return _add(OutboxMessage(kind="mail", dedupe_key=f"mail:{key}", to_address=to, subject=subject,
                              body=text, html_body=html, user_id=user_id, application_id=application_id,
                              payload={"attachment": attachment} if attachment else None))


def _add(row: OutboxMessage) -> OutboxMessage | None:
    session = db.session
    exists = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == row.dedupe_key))
    pending_keys = session.info.setdefault("outbox_keys", set())
    if exists is not None or row.dedupe_key in pending_keys:
        return None  # already queued: a retried event does not queue the side effect again
    row.state = PENDING
    row.attempts = 0
    pending_keys.add(row.dedupe_key)
    session.add(row)
    return row


# -- bookkeeping: which rows did the last commit make -------------------------------------------------

@event.listens_for(Session, "after_flush")
def _remember_new_rows(session, _flush_context):
    new = [o.id for o in session.new if isinstance(o, OutboxMessage)]
    if new:
        session.info.setdefault("outbox_flushed", []).extend(new)


@event.listens_for(Session, "after_commit")
def _committed(session):
    flushed = session.info.pop("outbox_flushed", [])
    session.info.pop("outbox_keys", None)
    if flushed:
        session.info.setdefault("outbox_committed", []).extend(flushed)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session):
    session.info.pop("outbox_flushed", None)
    session.info.pop("outbox_keys", None)


# -- dispatching ---------------------------------------------------------------------------------

def dispatch() -> None:
    """Hand the rows of the last commit(s) to the queue, or deliver them now in-process.

    Never raises: the event is committed, and whatever is not delivered now the sweep delivers.
    """
    ids = db.session.info.pop("outbox_committed", [])
    if not ids:
        return
    app = current_app._get_current_object()
    redis_url = app.config.get("FUND_REDIS_URL")
    for row_id in ids:
        try:
            if redis_url:
                from fund.jobs import enqueue

                enqueue(JOB, row_id)
            elif _deliver_now(row_id):
                deliver(row_id)
        except Exception:  # noqa: BLE001  (the sweep will try again)
            db.session.rollback()
            log.exception("outbox: dispatch of row %s failed; the sweep will deliver it", row_id)


def _deliver_now(row_id: int) -> bool:
    """In-process delivery right after the commit; the test-suite switches letters off for speed
    (``FUND_LETTERS=False``): their rows wait for ``fund outbox deliver``."""
    if current_app.config.get("FUND_LETTERS", True):
        return True
    return db.session.scalar(select(OutboxMessage.kind).where(OutboxMessage.id == row_id)) != "letter"


# -- delivering ----------------------------------------------------------------------------------------

def _free(now):
    """Not held by another dispatcher. A letter is never held: rendering it twice stores it once
    (``render_decision_letter``), so a crashed claimer's letter is taken over at once."""
    return or_(OutboxMessage.kind == "letter", OutboxMessage.locked_until.is_(None),
               OutboxMessage.locked_until < now)


def _claim(row_id: int) -> bool:
    now = utcnow()
    # longer than any one delivery; a crashed claimer's mail is free again after it
    lease = timedelta(seconds=current_app.config["FUND_OUTBOX_LEASE_SECONDS"])
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.state == PENDING, _free(now))
        .values(locked_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def _backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def deliver(row_id: int) -> bool:
    """Deliver one row if it is still pending and nobody else holds it. True when delivered."""
    from fund.delivery import mail

    if not _claim(row_id):
        return False
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    try:
        if row.kind == "letter":
            from fund.letters.render import render_decision_letter

            render_decision_letter(row.payload["decision_id"])
        else:
            mail.send(row)
    except Exception as exc:  # noqa: BLE001  (recorded on the row, retried, parked at the end)
        db.session.rollback()
        row = db.session.get(OutboxMessage, row_id, populate_existing=True)
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.locked_until = None
        if row.attempts >= MAX_ATTEMPTS:
            row.state = PARKED
            log.error("outbox: row %s (%s) parked after %s attempts", row.id, row.kind, row.attempts)
        else:
            row.next_attempt_at = utcnow() + _backoff(row.attempts)
            log.warning("outbox: row %s (%s) failed, attempt %s; retry later", row.id, row.kind, row.attempts)
        db.session.commit()
        return False
    row = db.session.get(OutboxMessage, row_id, populate_existing=True)
    row.state = DELIVERED
    row.sent_at = utcnow()
    row.locked_until = None
    row.last_error = None
    db.session.commit()
    return True


def due_ids(limit: int | None = None) -> list[int]:
    now = utcnow()
    query = (select(OutboxMessage.id)
             .where(OutboxMessage.state == PENDING,
                    or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
                    _free(now))
             .order_by(OutboxMessage.id))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def sweep(*, limit: int | None = None, ignore_backoff: bool = False) -> dict:
    """Deliver every pending row that is due (all pending rows with ``ignore_backoff``)."""
    if ignore_backoff:
        db.session.execute(update(OutboxMessage).where(OutboxMessage.state == PENDING)
                           .values(next_attempt_at=None).execution_options(synchronize_session=False))
        db.session.commit()
    delivered = failed = 0
    for row_id in due_ids(limit):
        if deliver(row_id):
            delivered += 1
        else:
            failed += 1
    return {"delivered": delivered, "not_delivered": failed}


def retry(row_id: int) -> OutboxMessage | None:
    """Put a parked (or waiting) row back in line and try it now."""
    row = db.session.get(OutboxMessage, row_id)
    if row is None:
        return None
    if row.state != DELIVERED:
        row.state = PENDING
        row.next_attempt_at = None
        row.locked_until = None
        row.attempts = 0
        db.session.commit()
        deliver(row_id)
        db.session.refresh(row)
    return row


def pending_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == PENDING))


def status() -> dict:
    """Counts per kind and state, and the oldest pending row's creation time."""
    counts = {(k, s): n for k, s, n in db.session.execute(
        select(OutboxMessage.kind, OutboxMessage.state, func.count()).group_by(OutboxMessage.kind, OutboxMessage.state))}
    oldest = db.session.scalar(select(func.min(OutboxMessage.created_at)).where(OutboxMessage.state == PENDING))
    parked = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.state == PARKED)
                                     .order_by(OutboxMessage.id)))
    return {"counts": counts, "oldest_pending": oldest, "parked": parked}
