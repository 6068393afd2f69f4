"""Server-side sessions (ASVS V3, issue 12).

The browser holds only a random session id (Flask-Session); the data lives in the ``sessions``
table, or in Redis when ``FUND_REDIS_URL`` is set. Every session of a user ends at once: its stored
data is deleted (rows by user id; in Redis through a per-user set of keys) and
``users.session_epoch`` goes up (logout, password change, deactivation, role change): a session
carries the epoch it was made in and the login loader refuses any other. The id rotates at the
password step and at login; a session expires after an idle time (staff 30 min, applicants 2 h)
and after an absolute lifetime (12 h), settings in ``fund/config.py``.

Flask-Session's own SQLAlchemy backend is not used: it commits the application's shared
``db.session`` (which could commit a half-done request) and creates its table outside Alembic.
The small backend below reuses everything else of the library (cookie, id, rotation, msgpack).
"""
from __future__ import annotations

import time
from typing import Optional

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from sqlalchemy import delete, insert, select, update

from fund.extensions import db
from fund.models.session import StoredSession
from fund.models.types import utcnow

EXPIRED = "U bent uitgelogd, omdat u een tijd niets deed of al lang was ingelogd. Log opnieuw in."
ENDED = ("U bent uitgelogd. Dat gebeurt bijvoorbeeld als u op een ander apparaat uitlogt of uw wachtwoord "
         "wijzigt. Log opnieuw in.")
APPLICANT_ROLES = ("inwoner", "werkgever")


class DatabaseSession(ServerSideSession):
    pass


class DatabaseSessionInterface(ServerSideSessionInterface):
    """Sessions in our own ``sessions`` table, each read and write in a short transaction of its
    own (never the request's ``db.session``)."""

    session_class = DatabaseSession
    ttl = False

    def __init__(self, app: Flask):
        super().__init__(app, key_prefix="", permanent=True, cleanup_n_requests=None)

    def regenerate(self, session: ServerSideSession) -> None:
        """A new id now; the old row goes when the response is saved, after the view's own
        commit (deleting it at once, on a second connection, would wait for the view's
        transaction on SQLite)."""
        if session:
            g.setdefault("_fund_old_session_ids", []).append(session.sid)
            session.sid = self._generate_sid(self.sid_length)
            session.modified = True

    def save_session(self, app: Flask, session: ServerSideSession, response) -> None:
        for old in g.pop("_fund_old_session_ids", []):
            self._delete_session(self._get_store_id(old))
        super().save_session(app, session, response)

    def _register_cleanup_app_command(self):
        """Expired rows are purged by the tick (:func:`purge_expired`), not a separate command."""

    def _retrieve_session_data(self, store_id: str) -> Optional[dict]:
        table = StoredSession.__table__
        with db.engine.begin() as conn:
            row = conn.execute(select(table.c.data, table.c.expiry).where(table.c.session_id == store_id)).first()
        if row is None or row.expiry <= utcnow():
            return None
        return self.serializer.decode(row.data)

    def _delete_session(self, store_id: str) -> None:
        table = StoredSession.__table__
        with db.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.session_id == store_id))

    def _upsert_session(self, session_lifetime, session: ServerSideSession, store_id: str) -> None:
        table = StoredSession.__table__
        uid = session.get("_user_id")
        values = {"data": self.serializer.encode(session), "expiry": utcnow() + session_lifetime,
                  "user_id": int(uid) if uid and str(uid).isdigit() else None}
        with db.engine.begin() as conn:
            if conn.execute(update(table).where(table.c.session_id == store_id).values(**values)).rowcount == 0:
                conn.execute(insert(table).values(session_id=store_id, **values))

    def _delete_expired_sessions(self) -> None:
        purge_expired()

    def end_user(self, user_id: int) -> None:
        """Delete every stored session of the user, in the caller's transaction."""
        db.session.execute(delete(StoredSession).where(StoredSession.user_id == user_id))


def _redis_interface(app: Flask, url: str):
    """Flask-Session's Redis backend plus, per user, a Redis set of that user's session keys, so
    :func:`end_all` deletes them (not only the epoch check refusing them until their TTL)."""
    from flask_session.redis import RedisSessionInterface
    from redis import Redis

    class RedisSessions(RedisSessionInterface):
        index_prefix = "fund:session-user:"  # outside key_prefix: no cookie can name an index

        def _upsert_session(self, session_lifetime, session, store_id: str) -> None:
            super()._upsert_session(session_lifetime, session, store_id)
            uid = session.get("_user_id")
            if uid:
                index = f"{self.index_prefix}{uid}"
                with self.client.pipeline() as pipe:
                    pipe.sadd(index, store_id)
                    pipe.expire(index, session_lifetime)  # outlives every member it names
                    pipe.execute()

        def end_user(self, user_id: int) -> None:
            index = f"{self.index_prefix}{user_id}"
            keys = self.client.smembers(index)
            self.client.delete(index, *keys)

    return RedisSessions(app, client=Redis.from_url(url), key_prefix="fund:session:", permanent=True)


def init_app(app: Flask) -> None:
    url = app.config.get("FUND_REDIS_URL")
    if url:
        app.session_interface = _redis_interface(app, url)
    else:
        app.session_interface = DatabaseSessionInterface(app)
    app.before_request(enforce_timeouts)


def _now() -> float:
    """Wall-clock seconds (tests move it to pass the idle and absolute limits)."""
    return time.time()


def rotate() -> None:
    """A new session id for the same data; the old id no longer opens anything (session fixation)."""
    session["_rotated"] = int(_now())  # the library rotates only a non-empty session
    current_app.session_interface.regenerate(session)


def start(user) -> None:
    """At login: a new id, the user's epoch and the start time of the absolute lifetime."""
    session["_epoch"] = user.session_epoch or 0
    session["_created"] = session["_seen"] = int(_now())
    rotate()


def end_all(user) -> None:
    """End every session of ``user`` (the caller commits): the epoch goes up, so no stored
    session of the old epoch logs in again; the stored sessions go as well (table rows in the
    caller's transaction; Redis keys at once, so a rollback after this still ends them: the
    safe side). A request of that user still running elsewhere may write its session back; the
    epoch refuses it."""
    user.session_epoch = (user.session_epoch or 0) + 1
    current_app.session_interface.end_user(user.id)  # both interfaces of init_app have it


def belongs_to(user) -> bool:
    """The login loader's check: this session was made in the user's current epoch."""
    return session.get("_epoch") == (user.session_epoch or 0)


def purge_expired() -> int:
    with db.engine.begin() as conn:
        return conn.execute(delete(StoredSession.__table__).where(StoredSession.expiry <= utcnow())).rowcount


def enforce_timeouts():
    """Before every request of a logged-in session: ended, idle too long or too old -> logged out
    with a Dutch message; otherwise the idle clock restarts."""
    if request.endpoint == "static" or "_user_id" not in session:
        return
    now = int(_now())
    cfg = current_app.config
    if not current_user.is_authenticated:  # ended elsewhere, or the account was blocked
        return _drop(ENDED)
    idle = (cfg["FUND_SESSION_IDLE_APPLICANT_MINUTES"] if current_user.role in APPLICANT_ROLES
            else cfg["FUND_SESSION_IDLE_STAFF_MINUTES"]) * 60
    created, seen = session.get("_created"), session.get("_seen")
    if (created is None or seen is None or now - seen > idle
            or now - created > cfg["FUND_SESSION_ABSOLUTE_HOURS"] * 3600):
        return _drop(EXPIRED)
    session["_seen"] = now
    return None


def _drop(message: str):
    """Log out, a new empty session, and straight to the login page with the one message (not
    also Flask-Login's "Log in om deze pagina te zien")."""
    logout_user()
    session.clear()
    flash(message, "info")
    rotate()
    return redirect(url_for("auth.login"))
