"""`fund rules simulate` over 100,000 applications: time and peak memory.

Fills a scratch SQLite database (or DATABASE_URL's PostgreSQL with --pg) with N received LLO
applications whose facts and stored history are realistic (costs spread 300..4,300 euros, ages
18..66, every werkgebied municipality), then simulates a draft that lowers the 2026 LLO
maximum_overig from 2,500 to 2,000 euros, reporting wall time and peak RSS, and RSS after 10 %
of the run (memory must stay flat: applications are read in keyset batches of 1,000 columns,
never as ORM instances).

    .venv/bin/python bench/simulate_bench.py --applications 100000
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MUNICIPALITIES = ["GM1680", "GM1681", "GM0109", "GM1690", "GM0114", "GM0118", "GM1731"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fill(app, n: int, seed: int) -> None:
    from sqlalchemy import insert

    from fund.extensions import db
    from fund.models import Application, User

    rng = random.Random(seed)
    with app.app_context():
        db.session.execute(insert(User), [{"email": "inwoner@bench.example", "name": "Inwoner", "password_hash": "x",
                                           "role": "inwoner", "active": True, "created_at": datetime.now(timezone.utc)}])
        user_id = db.session.query(db.func.min(User.id)).scalar()
        batch = []
        for i in range(n):
            received = datetime(2026, 1, 5, 9, tzinfo=timezone.utc) + dt.timedelta(minutes=i * 4)
            municipality = rng.choice(MUNICIPALITIES)
            facts = {
                "instrument": "llo", "application": {"date": received.date().isoformat()},
                "applicant": {"birth_date": f"{rng.randint(1960, 2007)}-05-10", "municipality": municipality,
                              "employment_status": rng.choice(["employed", "employed", "ww", "none"]),
                              "has_startkwalificatie": rng.random() < .8, "statushouder": False,
                              "inburgeringsplichtig": False, "banenafspraak_indicatie": False},
                "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": "zorg_welzijn",
                             "full_time": False, "start_date": (received.date() + dt.timedelta(days=21)).isoformat(),
                             "end_date": (received.date() + dt.timedelta(days=200)).isoformat(),
                             "cost": f"{rng.randint(300, 4300)}.00"},
                "funding": {"coverage": "none", "uwv_declined": True, "gemeente_declined": True},
            }
            batch.append({"number": f"DOF-2026-{i + 1:06d}", "instrument": "llo", "status": "ingediend",
                          "applicant_id": user_id, "facts": facts, "municipality": municipality,
                          "title": f"Traject {i}", "created_at": received, "updated_at": received,
                          "received_at": received, "tijdvak": 2026, "deadline_extended": False, "version": 1,
                          "eligibility_result": {"history": {"llo_granted_last_12_months": rng.choice([0] * 9 + [1])}}})
            if len(batch) == 5000:
                db.session.execute(insert(Application), batch)
                db.session.commit()
                batch.clear()
        if batch:
            db.session.execute(insert(Application), batch)
            db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from fund.app import create_app
    from fund.reports.simulation import simulate

    work = Path(tempfile.mkdtemp())
    app = create_app({"DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}", "INSTANCE_PATH": str(work),
                      "SECRET_KEY": "bench", "FUND_LETTERS": False})
    with app.app_context():
        upgrade()
    t0 = time.perf_counter()
    fill(app, args.applications, args.seed)
    print(f"filled {args.applications:,} applications in {time.perf_counter() - t0:.1f} s")
    draft = work / "ontwerp"
    shutil.copytree(ROOT / "rules", draft)
    path = draft / "llo" / "parameters.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('      2026-01-01: "2500.00"', '      2026-01-01: "2000.00"', 1),
                    encoding="utf-8")
    marks = {}

    def progress(seen: int) -> None:
        if seen >= args.applications // 10 and "rss_10" not in marks:
            marks["rss_10"] = rss_mb()

    with app.app_context():
        from fund.rules import load_rulebook

        load_rulebook(), load_rulebook(draft)  # compile both outside the timing
        base = rss_mb()
        t0 = time.perf_counter()
        report = simulate(draft, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), progress=progress)
        seconds = time.perf_counter() - t0
    llo = report["instruments"]["llo"]
    print(f"simulated {llo['applications']:,} applications in {seconds:.1f} s "
          f"({llo['applications'] / seconds:,.0f}/s); changed {llo['changed']:,}; delta {llo['amount_delta']}")
    print(f"peak RSS: before {base:.0f} MB, after 10 % {marks.get('rss_10', 0):.0f} MB, at the end {rss_mb():.0f} MB")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
