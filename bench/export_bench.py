"""Benchmark the auditor export of decisions on PostgreSQL: rows/s and peak memory per format,
against PostgreSQL's own ``COPY (SELECT ...) TO STDOUT`` of the same rows.

    .venv/bin/python bench/export_bench.py [--rows 100000]

Uses ``DATABASE_URL`` (an admin URL: a scratch database is created under it) or starts a throwaway cluster
with ``tests/pg_cluster.py``. Each format runs in a fresh child process, so its peak RSS
(``ru_maxrss``) is its own; the child also reports its RSS before the export started, so the
difference is what the export itself cost.

On PostgreSQL csv, json and zgw are formatted by the database (``fund/exports/decision_sql.py``),
so most of their work runs in the server, which is not under the benchmark's ``nice``, like the
COPY baseline. What the baseline leaves out: COPY writes the applicant id where the export writes
the HMAC pseudonym, and neither neutralises formulas nor quotes like Python's csv module.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import scratch_database  # noqa: E402
FORMATS = ("csv", "json", "zgw", "xlsx")


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _app(url: str):
    import os

    from fund.app import create_app

    return create_app({"DATABASE_URL": url, "FUND_LETTERS": False, "SECRET_KEY": "bench",
                       "INSTANCE_PATH": os.environ["FUND_BENCH_INSTANCE"]})


def populate(url: str, rows: int) -> None:
    """Users, applications and one decision per application, inserted set-wise by PostgreSQL."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("""
            INSERT INTO users (email, name, password_hash, role, active, created_at)
            SELECT 'o' || g || '@bench.test', 'Behandelaar ' || g, 'x', 'officer', true, now()
            FROM generate_series(1, 20) g
        """)
        conn.execute("""
            INSERT INTO users (email, name, password_hash, role, active, created_at, bsn, street, postcode, city)
            SELECT 'i' || g || '@bench.test', 'Inwoner ' || g, 'x', 'inwoner', true, now(),
                   '111222333', 'Hoofdstraat ' || g, '7811 EA', 'Emmen'
            FROM generate_series(1, %(people)s) g;
        """, {"people": max(rows // 2, 1)})
        conn.execute("""
            INSERT INTO applications (number, instrument, status, applicant_id, facts, municipality, title,
                                      iban, created_at, updated_at, tijdvak, ruleset_id, granted_amount,
                                      final_amount, deadline_extended, version)
            SELECT 'DOF-2026-' || lpad(g::text, greatest(6, length(g::text)), '0'),  -- unique past 999,999
                   (ARRAY['llo','voucher','praktijkverklaring'])[1 + g %% 3], 'verleend',
                   20 + 1 + (g %% %(people)s),
                   jsonb_build_object('application', jsonb_build_object('date', '2026-03-02')),
                   (ARRAY['GM0114','GM0118','GM1680','GM0109'])[1 + g %% 4], 'Traject ' || g,
                   'NL91ABNA0417164300', now(), now(), 2026,
                   (ARRAY['llo-2026','voucher-2026','praktijkverklaring-2026'])[1 + g %% 3],
                   1000 + (g %% 2500), CASE WHEN g %% 5 = 0 THEN 800 + (g %% 500) END, false, 1
            FROM generate_series(1, %(rows)s) g;
        """, {"rows": rows, "people": max(rows // 2, 1)})
        conn.execute("""
            INSERT INTO decisions (number, application_id, kind, decided_on, sent_on, effective_on, amount,
                                   motivation, reasons, referrals, ruleset_id, legal_basis, deviates,
                                   officer_id, second_officer_id, created_at)
            SELECT 'BES-2026-' || lpad(a.id::text, greatest(6, length(a.id::text)), '0'), a.id,
                   (ARRAY['verlening','afwijzing','doorverwijzing','vaststelling'])[1 + a.id % 4],
                   DATE '2026-01-01' + (a.id % 360), DATE '2026-01-01' + (a.id % 360),
                   DATE '2026-01-01' + (a.id % 360), a.granted_amount,
                   'U voldoet aan de voorwaarden van de regeling. Het bedrag is de kosten, hoogstens het maximum.',
                   CASE WHEN a.id % 4 = 1 THEN '["leeftijd"]'::jsonb ELSE '[]'::jsonb END,
                   CASE WHEN a.id % 4 = 2 THEN '["uwv"]'::jsonb ELSE '[]'::jsonb END,
                   a.ruleset_id, 'Regeling Drents Ontwikkelfonds, versie 2026', false,
                   1 + a.id % 10, CASE WHEN a.granted_amount > 2500 THEN 11 + a.id % 10 END, now()
            FROM applications a
        """)
        conn.execute("""
            INSERT INTO payments (application_id, kind, amount, status, idempotency_key, proposed_by_id,
                                  approved_by_id, created_at)
            SELECT a.id, 'voorschot', round(a.granted_amount * 0.8, 2), 'betaald', 'bench-' || a.id, 1, 2, now()
            FROM applications a WHERE a.id % 2 = 0
        """)
        conn.execute("ANALYZE")


COPY_SQL = """
COPY (
  SELECT d.number, a.number, a.instrument, d.kind, d.decided_on, d.sent_on, d.amount, a.granted_amount,
         coalesce(p.paid, 0), a.final_amount, d.ruleset_id, d.reasons, d.referrals, d.deviates, d.motivation,
         o.name, s.name, a.municipality, a.applicant_id
  FROM decisions d
  JOIN applications a ON a.id = d.application_id
  JOIN users o ON o.id = d.officer_id
  LEFT JOIN users s ON s.id = d.second_officer_id
  LEFT JOIN (SELECT application_id, sum(CASE WHEN kind = 'terugvordering' THEN -amount ELSE amount END) AS paid
             FROM payments WHERE status = 'betaald' GROUP BY application_id) p ON p.application_id = d.application_id
  ORDER BY d.decided_on, d.id
) TO STDOUT (FORMAT csv)
"""


def copy_baseline(url: str) -> dict:
    import psycopg

    start = time.perf_counter()
    size = 0
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        with conn.cursor() as cur:
            with cur.copy(COPY_SQL) as copy:
                for block in copy:
                    size += len(block)
    return {"seconds": time.perf_counter() - start, "bytes": size}


def child(url: str, fmt: str) -> None:
    """One format in this process; prints one JSON line."""
    app = _app(url)
    with app.app_context():
        from fund.exports.decisions import DecisionFilter
        from fund.exports.formats import decision_export
        from fund.extensions import db
        from fund.models import Decision

        rows = db.session.query(Decision).count()
        import fund.exports.zgw  # noqa: F401  (import cost outside the timing)
        import openpyxl  # noqa: F401

        before = _rss_kb()
        peak_sample = before
        start = time.perf_counter()
        size = 0
        for i, chunk in enumerate(decision_export(DecisionFilter(), fmt)):
            size += len(chunk)
            if i % 20 == 0:
                peak_sample = max(peak_sample, _rss_kb())
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"format": fmt, "rows": rows, "seconds": seconds, "bytes": size,
                      "rss_before_kb": before, "peak_rss_kb": max(peak, peak_sample)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, e.g. csv,json")
    parser.add_argument("--child", nargs=2, metavar=("URL", "FORMAT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    import os
    import tempfile

    with tempfile.TemporaryDirectory() as instance, scratch_database() as url:
        os.environ["FUND_BENCH_INSTANCE"] = instance  # the children inherit it; removed at the end
        from flask_migrate import upgrade

        app = _app(url)
        with app.app_context():
            upgrade()
            from fund.extensions import db

            db.engine.dispose()
        t0 = time.perf_counter()
        populate(url, args.rows)
        print(f"inserted {args.rows} decisions in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        copy = copy_baseline(url)
        results = []
        for fmt in args.formats.split(","):
            out = subprocess.run([sys.executable, __file__, "--child", url, fmt], capture_output=True,
                                 text=True, check=True)
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        copy_rate = args.rows / copy["seconds"]
        print(f"\nPostgreSQL COPY ... TO STDOUT (csv): {args.rows} rows in {copy['seconds']:.2f} s "
              f"= {copy_rate:,.0f} rows/s, {copy['bytes'] / 1e6:.1f} MB")
        print(f"{'format':<6} {'rows':>8} {'seconds':>8} {'rows/s':>9} {'MB':>7} {'RSS before':>11} "
              f"{'peak RSS':>9} {'export/COPY time':>17}")
        for r in results:
            print(f"{r['format']:<6} {r['rows']:>8} {r['seconds']:>8.2f} {r['rows'] / r['seconds']:>9,.0f} "
                  f"{r['bytes'] / 1e6:>7.1f} {r['rss_before_kb'] / 1024:>9.0f}MB {r['peak_rss_kb'] / 1024:>7.0f}MB "
                  f"{r['seconds'] / copy['seconds']:>16.1f}x")


if __name__ == "__main__":
    main()
