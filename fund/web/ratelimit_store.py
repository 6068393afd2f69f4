"""Rate-limit counters in the application's database, shared by every worker (issue 12).

Flask-Limiter (through ``limits``) keeps its counters in Redis when one is configured; without
Redis the counters must still be shared by all gunicorn workers, so never in process memory.
``limits`` has no SQL storage, so this is the small fixed-window one it needs (``incr``, ``get``,
``get_expiry``): URI ``fund+db://``, table ``rate_limits``, each call its own short transaction.
"""
from __future__ import annotations

import time

from limits.storage import Storage
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from fund.extensions import db
from fund.models.session import RateLimitCounter


class DatabaseStorage(Storage):
    STORAGE_SCHEME = ["fund+db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return SQLAlchemyError

    @staticmethod
    def _table():
        return RateLimitCounter.__table__

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        table, now = self._table(), time.time()
        for _ in range(2):  # a second try when another worker inserted the same key meanwhile
            try:
                with db.engine.begin() as conn:
                    row = conn.execute(select(table.c.count, table.c.expires_at)
                                       .where(table.c.key == key).with_for_update()).first()
                    if row is None:
                        conn.execute(insert(table).values(key=key, count=amount, expires_at=now + expiry))
                        return amount
                    if row.expires_at <= now:
                        conn.execute(update(table).where(table.c.key == key)
                                     .values(count=amount, expires_at=now + expiry))
                        return amount
                    conn.execute(update(table).where(table.c.key == key).values(count=table.c.count + amount))
                    return row.count + amount
            except IntegrityError:
                continue
        raise RuntimeError("rate-limit counter could not be written")

    def get(self, key: str) -> int:
        table = self._table()
        with db.engine.connect() as conn:
            row = conn.execute(select(table.c.count, table.c.expires_at).where(table.c.key == key)).first()
        return row.count if row is not None and row.expires_at > time.time() else 0

    def get_expiry(self, key: str) -> float:
        table = self._table()
        with db.engine.connect() as conn:
            expires = conn.execute(select(table.c.expires_at).where(table.c.key == key)).scalar()
        return expires if expires is not None else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as conn:
                conn.execute(select(1))
            return True
        except SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as conn:
            return conn.execute(delete(self._table())).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as conn:
            conn.execute(delete(self._table()).where(self._table().c.key == key))
