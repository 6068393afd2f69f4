"""Officer queue with 100,000 applications on PostgreSQL: time per page, through the real view.

Fills a scratch database with N applications spread over every status, instrument and
municipality (with a facts document of realistic size), then requests the officer queue page
(``GET /behandeling/`` as a logged-in officer, template rendering included) for a set of
filters, sorts and deep pages (reached by their keyset cursor), R times each, and reports p50 and p95 in milliseconds plus
PostgreSQL's plan for the default view.

    .venv/bin/python bench/queue_bench.py --applications 100000 --repeat 20

Uses DATABASE_URL (an admin URL: a scratch database is created under it) or starts a
throwaway cluster with tests/pg_cluster.py.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import scratch_database  # noqa: E402

STATUSES = {  # a fund some years in: most cases are closed
    "ingediend": 4, "in_behandeling": 8, "herstel": 2, "besluit_voorgesteld": 1, "verleend": 5,
    "afgewezen": 8, "doorverwezen": 6, "buiten_behandeling": 2, "ingetrokken": 2, "uitbetaald": 12,
    "uitkomst_gemeld": 3, "vastgesteld": 5, "gesloten": 41, "bezwaar": 1,
}
MUNICIPALITIES = ["GM1680", "GM1681", "GM0109", "GM1690", "GM0114", "GM0118", "GM1731"]
CASES = [
    ("default (open, by deadline)", {}),
    ("instrument=llo", {"instrument": "llo"}),
    ("status=in_behandeling", {"status": "in_behandeling"}),
    ("status=gesloten (40 % of all)", {"status": "gesloten"}),
    ("municipality=GM0114", {"municipality": "GM0114"}),
    ("overdue", {"termijn": "verlopen"}),
    ("unassigned, newest first", {"toegewezen": "niemand", "sort": "nieuw"}),
    ("default, page 20", {"pagina": "20"}),
    ("status=gesloten, page 200", {"status": "gesloten", "pagina": "200"}),
]


def facts_for(i: int, instrument: str, municipality: str) -> dict:
    return {
        "instrument": instrument,
        "application": {"date": "2026-03-02"},
        "applicant": {"birth_date": "1980-05-10", "municipality": municipality,
                      "employment_status": "employed", "has_startkwalificatie": True,
                      "statushouder": False, "inburgeringsplichtig": False,
                      "banenafspraak_indicatie": False},
        "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": "zorg_welzijn",
                     "full_time": False, "start_date": "2026-04-01", "end_date": "2026-12-31",
                     "cost": f"{1000 + i % 3000}.00"},
        "funding": {"coverage": "none"},
    }


def fill(app, n: int, seed: int) -> None:
    from sqlalchemy import insert

    from fund.accounts import create_user
    from fund.extensions import db
    from fund.models import Application, User

    rng = random.Random(seed)
    with app.app_context():
        create_user("officer@bench.example", "Officer", "bench-password", "officer")
        users = [{"email": f"inwoner{i}@bench.example", "name": f"Inwoner {i}", "password_hash": "x",
                  "role": "inwoner", "active": True, "created_at": datetime.now(timezone.utc)}
                 for i in range(n // 5)]
        db.session.execute(insert(User), users)
        db.session.commit()
        first_user = db.session.query(db.func.min(User.id)).filter(User.role == "inwoner").scalar()
        statuses, weights = zip(*STATUSES.items())
        today = date.today()
        batch = []
        for i in range(n):
            instrument = rng.choice(("llo", "llo", "voucher", "praktijkverklaring"))
            municipality = rng.choice(MUNICIPALITIES)
            status = rng.choices(statuses, weights)[0]
            received = datetime.now(timezone.utc) - timedelta(days=rng.randint(0, 700))
            batch.append({
                "number": f"DOF-2026-{i + 1:06d}", "instrument": instrument, "status": status,
                "applicant_id": first_user + rng.randrange(n // 5), "facts": facts_for(i, instrument, municipality),
                "municipality": municipality, "title": f"Traject {i}", "created_at": received,
                "updated_at": received, "received_at": received, "complete_at": received, "tijdvak": 2026,
                "decision_deadline": today + timedelta(days=rng.randint(-30, 56)),
                "assigned_officer_id": None, "deadline_extended": False, "version": 1,
            })
            if len(batch) == 5000:
                db.session.execute(insert(Application), batch)
                db.session.commit()
                batch.clear()
        if batch:
            db.session.execute(insert(Application), batch)
            db.session.commit()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def keyset_args(app, args: dict) -> dict:
    """A deep page is reached by its cursor (keyset paging): the cursor of the row just before
    page N, found once with OFFSET outside the timing, as "Volgende pagina" would carry it."""
    if "pagina" not in args:
        return args
    from fund.extensions import db
    from fund.models import User
    from fund.views.staff_queries import PAGE_SIZE, QueueFilter, cursor_of, queue_query

    page = int(args["pagina"])
    f = QueueFilter(**{k: v for k, v in args.items() if k in ("status", "sort")})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.role == "officer"))
        q = queue_query(f, user).order_by(*_order(f)).offset((page - 1) * PAGE_SIZE - 1).limit(1)
        row = db.session.scalars(q).first()
        return {**args, "na": cursor_of(row, f.sort)} if row is not None else None


def _order(f):
    from fund.models import Application

    if f.sort == "nieuw":
        return Application.received_at.desc().nulls_last(), Application.id.desc()
    if f.sort == "ontvangen":
        return Application.received_at.asc().nulls_last(), Application.id.asc()
    return Application.decision_deadline.asc().nulls_last(), Application.id.asc()


def measure(app, repeat: int) -> list[tuple[str, float, float, int]]:
    client = app.test_client()
    resp = client.post("/auth/login", data={"email": "officer@bench.example", "password": "bench-password"})
    assert resp.status_code == 302, resp.status_code
    results = []
    for label, args in CASES:
        args = keyset_args(app, args)
        if args is None:  # fewer applications than that page needs
            continue
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            resp = client.get("/behandeling/", query_string=args)
            timings.append((time.perf_counter() - start) * 1000)
            assert resp.status_code == 200, (label, resp.status_code)
        rows = resp.get_data(as_text=True).count("<tr") - 1
        results.append((label, statistics.median(timings), statistics.quantiles(timings, n=20)[-1], rows))
    return results


def plan(app) -> str:
    from sqlalchemy.dialects import postgresql

    from fund.extensions import db
    from fund.models import User
    from fund.views.staff_queries import PAGE_SIZE, QueueFilter, queue_query

    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.role == "officer"))
        q = queue_query(QueueFilter(), user).order_by(*_order(QueueFilter())).limit(PAGE_SIZE + 1)
        sql = str(q.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        rows = db.session.execute(db.text("EXPLAIN (ANALYZE, COSTS OFF, TIMING ON) " + sql)).all()
        return "\n".join(r[0] for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    with scratch_database() as url:
        from flask_migrate import upgrade

        from fund.app import create_app

        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tempfile.mkdtemp(), "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "FUND_LETTERS": False})
        with app.app_context():
            upgrade()
        t0 = time.perf_counter()
        fill(app, args.applications, args.seed)
        print(f"filled {args.applications:,} applications in {time.perf_counter() - t0:.1f} s")
        print("\n| view | p50 ms | p95 ms | rows on page |\n|---|---:|---:|---:|")
        for label, p50, p95, rows in measure(app, args.repeat):
            print(f"| {label} | {p50:.1f} | {p95:.1f} | {rows} |")
        print("\nPlan of the default view:\n" + plan(app))
        with app.app_context():
            from fund.extensions import db

            db.engine.dispose()


if __name__ == "__main__":
    main()
