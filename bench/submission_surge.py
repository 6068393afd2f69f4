"""Submission surge: N concurrent submissions + approvals through the workflow on PostgreSQL.

Each flow is what a real aanvraag costs: create (concept), attach the required document,
submit (facts validated, eligibility check with history facts), assign, grant (Budget row
lock, Decision, audit event). Every step is its own transaction with an audit event, so a flow
is 5 commits. The baseline is raw PostgreSQL in the same run: a psycopg loop inserting one row
and committing per row, with the same number of threads.

    .venv/bin/python bench/submission_surge.py --flows 400 --threads 16

Uses DATABASE_URL (an admin URL: a scratch database is created under it) or starts a throwaway
cluster with tests/pg_cluster.py.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
    from fund.demo.applications import attach_required_documents, llo_facts
    from fund.extensions import db
    from fund.models import User
    from fund.workflow import create_application, send

    with app.app_context():
        start = time.perf_counter()
        try:
            inwoner, officer = db.session.get(User, inwoner_id), db.session.get(User, officer_id)
            application = create_application(inwoner, "llo", llo_facts(), title="Surge")
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


def run_raw(url: str, rows: int, threads: int) -> dict:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_raw (id bigserial primary key, payload jsonb, at timestamptz default now())")
    per_thread = rows // threads
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(_):
        mine = []
        with psycopg.connect(conninfo) as conn:
            for i in range(per_thread):
                start = time.perf_counter()
                conn.execute("INSERT INTO bench_raw (payload) VALUES (%s)", ('{"n": %d}' % i,))
                conn.commit()
                mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    begin = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(worker, range(threads)))
    elapsed = time.perf_counter() - begin
    return {"rows": per_thread * threads, "commits_per_s": per_thread * threads / elapsed,
            "p95_ms": p95(latencies) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=400)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()

    with scratch_database() as url:
        with tempfile.TemporaryDirectory() as instance:
            app = build_app(url, Path(instance), args.threads)
            inwoners, officer = prepare(app, args.flows)
            wf = run_workflow(app, inwoners, officer, args.threads)
            raw = run_raw(url, args.flows * COMMITS_PER_FLOW, args.threads)
    print(f"threads={args.threads} flows={wf['flows']} granted={wf['granted']}")
    print(f"workflow: {wf['flows_per_s']:.1f} flows/s ({wf['commits_per_s']:.1f} transactions/s), "
          f"flow latency p50 {wf['p50_ms']:.0f} ms, p95 {wf['p95_ms']:.0f} ms, total {wf['elapsed']:.1f} s")
    print(f"raw PostgreSQL insert+commit: {raw['commits_per_s']:.0f} commits/s ({raw['rows']} rows), "
          f"p95 {raw['p95_ms']:.2f} ms")
    print(f"ratio workflow transactions / raw commits: {wf['commits_per_s'] / raw['commits_per_s']:.3f} "
          f"(1 : {raw['commits_per_s'] / wf['commits_per_s']:.0f})")


if __name__ == "__main__":
    main()
