"""Submission surge: complete aanvragen through the workflow on PostgreSQL, as in production.

Each flow is what a real aanvraag costs: create (concept), attach the required documents,
submit (facts validated, eligibility check with history facts, receipt mail), assign, grant
(Decision, beschikking letter, the Budget row changed last, audit event). That is 5 commits per
flow (4 with an audit event).

Measured, in one run against one throwaway PostgreSQL cluster:

1. **surge**: the flows in ``--processes`` separate Python processes (like gunicorn workers),
   ``--threads`` each, letters ON. After each commit the outbox rows go to RQ on a real
   ``redis-server`` (a throwaway one on a free port) and ``--rq-workers`` ``fund worker``
   processes render the letters (WeasyPrint, PDF/A) and the receipt mails (with the answers
   PDF). Flows/s counts flows done by the workflow; the letters are counted once the queue is
   drained, with the time that took.
2. **old mode** (the same-run baseline): what this benchmark did before issue 18, threads in one
   process, letters off (mails still delivered in the process after each commit), no Redis.
3. **pgbench TPC-B** (``pgbench -i`` then ``pgbench -c N -j N -T s``) on the same cluster, N =
   processes x threads.

    .venv/bin/python bench/submission_surge.py --flows 200 --processes 4 --threads 2 --rq-workers 2

Left out: HTTP (the flows call the workflow API the views call; gunicorn's request parsing,
templates and sessions are not in the figures), uploads of real files (document rows only), an
SMTP server (mails are written as .eml files to a temporary instance folder, as without
``FUND_SMTP_URL``). Everything it creates is dropped: the scratch database, the cluster it
started, the Redis server, the temporary folders. Uses ``DATABASE_URL`` as an admin URL when set.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COMMITS_PER_FLOW = 5

from bench.pg import scratch_database  # noqa: E402


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def build_app(url: str, instance: Path, pool: int, *, letters: bool = False, redis_url: str = ""):
    from fund.app import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance), "TESTING": True,
                       "FUND_LETTERS": letters, "FUND_REDIS_URL": redis_url, "SECRET_KEY": "bench",
                       "FUND_DOCUMENT_DIR": str(instance / "documents"),
                       "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": pool, "max_overflow": 4}})


def prepare(app, flows: int) -> tuple[list[int], int]:
    from flask_migrate import upgrade

    from fund.extensions import db
    from fund.models import Budget, User
    from fund.models.types import Role
    from fund.workflow.ledger import ensure_budgets

    with app.app_context():
        upgrade()
        ensure_budgets()
        for budget in db.session.query(Budget):
            budget.ceiling = Decimal("100000000.00")  # measure throughput, not the ceiling
        inwoners = [User(email=f"bench{i}@test.nl", name=f"Inwoner {i}", password_hash="x", role=Role.INWONER.value,
                         street="Hoofdstraat", house_number=str(i + 1), postcode="7811 EA", city="Emmen")
                    for i in range(flows)]
        officer = User(email="bench-officer@test.nl", name="Behandelaar", password_hash="x", role=Role.OFFICER.value)
        db.session.add_all(inwoners + [officer])
        db.session.commit()
        return [u.id for u in inwoners], officer.id


def run_flow(app, inwoner_id: int, officer_id: int) -> tuple[float, str]:
    """One aanvraag from concept to verleend (5 transactions); returns (seconds, final status)."""
    from fund.demo.applications import attach_required_documents, sample_facts
    from fund.extensions import db
    from fund.models import User
    from fund.workflow import create_application, send

    with app.app_context():
        start = time.perf_counter()
        try:
            inwoner, officer = db.session.get(User, inwoner_id), db.session.get(User, officer_id)
            application = create_application(inwoner, "llo", sample_facts("llo"), title="Surge")
            attach_required_documents(application, inwoner)
            application = send(application, "submit", inwoner)
            application = send(application, "assign", officer)
            application = send(application, "grant", officer)
            return time.perf_counter() - start, application.status
        finally:
            db.session.remove()


def run_workflow(app, inwoner_ids: list[int], officer_id: int, threads: int) -> dict:
    begin = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda inwoner_id: run_flow(app, inwoner_id, officer_id), inwoner_ids))
    elapsed = time.perf_counter() - begin
    latencies = [r[0] for r in results]
    return {"elapsed": elapsed, "flows": len(results), "granted": sum(r[1] == "verleend" for r in results),
            "flows_per_s": len(results) / elapsed, "commits_per_s": len(results) * COMMITS_PER_FLOW / elapsed,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": p95(latencies) * 1000}


def _flow_process(url: str, instance: str, redis_url: str, ids: list[int], officer_id: int, threads: int,
                  start_at: float) -> dict:
    """One 'gunicorn worker': its own app and connection pool, ``threads`` flows at a time."""
    app = build_app(url, Path(instance), threads, letters=True, redis_url=redis_url)
    with app.app_context():
        from fund.extensions import db
        from fund.rules import load_rulebook

        load_rulebook()  # warm, as a worker is before its first request
        db.session.execute(db.text("SELECT 1"))
        db.session.remove()
    time.sleep(max(0.0, start_at - time.time()))
    begin = time.time()
    with ThreadPoolExecutor(threads) as pool:
        results = list(pool.map(lambda inwoner_id: run_flow(app, inwoner_id, officer_id), ids))
    return {"begin": begin, "end": time.time(), "latencies": [r[0] for r in results],
            "statuses": [r[1] for r in results]}


def run_surge(url: str, instance: Path, redis_url: str, inwoner_ids: list[int], officer_id: int,
              processes: int, threads: int) -> dict:
    import multiprocessing

    chunks = [inwoner_ids[i::processes] for i in range(processes)]
    start_at = time.time() + 8  # every process built its app and waits for the same moment
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn")) as pool:
        parts = list(pool.map(_flow_process, [url] * processes, [str(instance)] * processes,
                              [redis_url] * processes, chunks, [officer_id] * processes,
                              [threads] * processes, [start_at] * processes))
    elapsed = max(p["end"] for p in parts) - min(p["begin"] for p in parts)
    latencies = [x for p in parts for x in p["latencies"]]
    statuses = [x for p in parts for x in p["statuses"]]
    return {"elapsed": elapsed, "end": max(p["end"] for p in parts), "flows": len(statuses),
            "granted": statuses.count("verleend"), "flows_per_s": len(statuses) / elapsed,
            "commits_per_s": len(statuses) * COMMITS_PER_FLOW / elapsed,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": p95(latencies) * 1000}


def outbox_counts(app) -> dict:
    from sqlalchemy import func, select

    from fund.extensions import db
    from fund.models.outbox import OutboxMessage

    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.kind, OutboxMessage.state, func.count())
                                  .group_by(OutboxMessage.kind, OutboxMessage.state)).all()
        db.session.remove()
    return {(kind, state): n for kind, state, n in rows}


def wait_for_letters(app, since: float, timeout: float) -> dict:
    """Poll until no outbox row is pending; the letters and mails delivered, and when."""
    from fund.models.outbox import PENDING

    while True:
        counts = outbox_counts(app)
        pending = sum(n for (_kind, state), n in counts.items() if state == PENDING)
        if not pending or time.time() - since > timeout:
            break
        time.sleep(1)
    with app.app_context():
        from sqlalchemy import func, select

        from fund.extensions import db
        from fund.models import Decision

        letters = db.session.scalar(select(func.count()).where(Decision.letter_pdf.is_not(None)))
        pdf_bytes = db.session.scalar(select(func.coalesce(func.sum(func.length(Decision.letter_pdf)), 0)))
        db.session.remove()
    return {"drained_after": time.time() - since, "pending": pending, "counts": counts,
            "letters": letters, "letter_kb": pdf_bytes / 1024}


@contextmanager
def redis_server():
    """A throwaway redis-server on a free port (no persistence), stopped afterwards."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        proc = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                 "--save", "", "--appendonly", "no", "--dir", folder],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            from redis import Redis

            url = f"redis://127.0.0.1:{port}/0"
            for _ in range(100):
                try:
                    Redis.from_url(url).ping()
                    break
                except Exception:  # noqa: BLE001  (not up yet)
                    time.sleep(0.05)
            yield url
        finally:
            proc.terminate()
            proc.wait(10)


@contextmanager
def rq_workers(count: int, url: str, redis_url: str, instance: Path):
    """``fund worker`` processes (RQ), with the environment a deployment gives them."""
    env = {**os.environ, "DATABASE_URL": url, "FUND_REDIS_URL": redis_url, "FUND_LETTERS": "1",
           "FUND_INSTANCE_PATH": str(instance), "SECRET_KEY": "bench", "FUND_ENV": "development"}
    procs = [subprocess.Popen([sys.executable, "-m", "fund", "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(count)]
    try:
        yield procs
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(20)


def _libpq(url: str) -> tuple[list[str], str]:
    from sqlalchemy.engine import make_url

    parts = make_url(url)
    return ["-h", parts.host or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"], \
        parts.database


def run_pgbench(url: str, clients: int, seconds: int) -> dict:
    """TPC-B (pgbench's default script) on the scratch database; its tables go with it."""
    import glob

    pgbench = shutil.which("pgbench") or sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"))[-1]
    conn, dbname = _libpq(url)
    subprocess.run([pgbench, "-i", "-q", "-s", "1", *conn, dbname], check=True, capture_output=True)
    out = subprocess.run([pgbench, "-c", str(clients), "-j", str(clients), "-T", str(seconds), *conn, dbname],
                         check=True, capture_output=True, text=True).stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))
    latency = re.search(r"latency average = ([0-9.]+) ms", out)
    return {"tps": tps, "latency_ms": float(latency.group(1)) if latency else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=200, help="flows of the surge")
    parser.add_argument("--processes", type=int, default=4, help="flow processes (gunicorn workers)")
    parser.add_argument("--threads", type=int, default=2, help="threads per flow process")
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument("--old-flows", type=int, default=100, help="flows of the old-mode baseline (0: skip)")
    parser.add_argument("--pgbench-seconds", type=int, default=30)
    parser.add_argument("--letter-timeout", type=int, default=900, help="seconds to wait for the letters")
    args = parser.parse_args()
    clients = args.processes * args.threads

    with scratch_database() as url, tempfile.TemporaryDirectory() as folder, redis_server() as redis_url:
        instance = Path(folder)
        app = build_app(url, instance, 2)
        inwoners, officer = prepare(app, args.flows + args.old_flows)
        load_before = os.getloadavg()
        with rq_workers(args.rq_workers, url, redis_url, instance):
            surge = run_surge(url, instance, redis_url, inwoners[:args.flows], officer, args.processes, args.threads)
            letters = wait_for_letters(app, surge["end"], args.letter_timeout)
        old = None
        if args.old_flows:
            old_app = build_app(url, instance, clients)
            old = run_workflow(old_app, inwoners[args.flows:], officer, clients)
            with old_app.app_context():
                old_app.extensions["sqlalchemy"].engine.dispose()
        pg = run_pgbench(url, clients, args.pgbench_seconds)
        load_after = os.getloadavg()
        with app.app_context():
            app.extensions["sqlalchemy"].engine.dispose()

    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f} (2 shared cores)")
    print(f"surge: {args.processes} processes x {args.threads} threads, letters on via RQ "
          f"({args.rq_workers} workers): {surge['flows']} flows, {surge['granted']} granted, "
          f"{surge['elapsed']:.1f} s")
    print(f"  {surge['flows_per_s']:.2f} flows/s = {surge['commits_per_s']:.1f} workflow transactions/s; "
          f"flow latency p50 {surge['p50_ms']:.0f} ms, p95 {surge['p95_ms']:.0f} ms")
    print(f"  letters: {letters['letters']} beschikkingen stored ({letters['letter_kb']:.0f} kB of PDF); "
          f"outbox {dict(sorted(letters['counts'].items()))}; queue drained {letters['drained_after']:.1f} s "
          f"after the last flow ({letters['pending']} still pending)")
    if letters["pending"]:
        print("  end to end: not measured, the queue was not drained within --letter-timeout")
    else:
        end_to_end = surge["flows"] / (surge["elapsed"] + letters["drained_after"])
        print(f"  end to end (flows until their last letter and mail): {end_to_end:.2f} flows/s")
    if old:
        print(f"old mode (threads in one process, letters off, {clients} threads): {old['flows']} flows, "
              f"{old['flows_per_s']:.2f} flows/s = {old['commits_per_s']:.1f} transactions/s, "
              f"p50 {old['p50_ms']:.0f} ms, p95 {old['p95_ms']:.0f} ms")
        print(f"  surge / old mode: {surge['flows_per_s'] / old['flows_per_s']:.2f}x flows/s")
    print(f"pgbench TPC-B, {clients} clients, {args.pgbench_seconds} s: {pg['tps']:.0f} tps, "
          f"latency average {pg['latency_ms']} ms")
    print(f"  workflow transactions / pgbench tps: {surge['commits_per_s'] / pg['tps']:.3f} "
          f"(1 : {pg['tps'] / surge['commits_per_s']:.0f})"
          + (f"; old mode {old['commits_per_s'] / pg['tps']:.3f}" if old else ""))


if __name__ == "__main__":
    main()
