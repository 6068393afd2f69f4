"""A scratch PostgreSQL database for the benchmarks.

``DATABASE_URL``, when set, is an admin URL under which a new database is created; otherwise a
throwaway cluster is started with Debian's binaries (``tests/pg_cluster.py``) and removed after.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator


def make_database(admin_url: str) -> str:
    """Create an empty database under ``admin_url`` and return its URL."""
    from sqlalchemy import create_engine, text

    name = f"fund_bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, url: str) -> None:
    """Drop a scratch database made by :func:`make_database` (connections still open are ended)."""
    from sqlalchemy import create_engine, text

    name = url.rsplit("/", 1)[1]
    assert name.startswith("fund_bench_"), name  # never anything but our own scratch database
    engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://"),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@contextmanager
def scratch_database() -> Iterator[str]:
    """A new database, dropped afterwards; the throwaway cluster (if one was started) removed."""
    cluster = None
    admin_url = os.environ.get("DATABASE_URL")
    if not admin_url:
        from tests.pg_cluster import start

        cluster = start()
        admin_url = cluster.admin_url
    url = None
    try:
        url = make_database(admin_url)
        yield url
    finally:
        if url is not None and cluster is None:
            drop_database(admin_url, url)
        if cluster is not None:
            cluster.stop()
