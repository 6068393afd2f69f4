"""Decision letters against plain WeasyPrint of the same HTML, in the same run.

    nice -n 10 .venv/bin/python bench/letter_bench.py --letters 20

Builds one decision of every kind (the letter tests' fixtures, ``tests/letters/factories.py``)
in a temporary SQLite database, renders each letter's HTML once, then times per letter,
interleaved: ``fund.letters.render.letter_pdf`` (the app's path: template, context, PDF/A-3b)
and the baseline ``weasyprint.HTML(string=<that letter's HTML with its CSS inline>,
base_url=static/).write_pdf()`` — plain WeasyPrint, no PDF/A, stylesheet and fonts parsed per
call as a first-time user would write it. Reports the median ms per letter of each and the
ratio. Leaves out: storing the PDF and the outbox (see bench/outbox_kill.py); the temporary
database is removed at the end.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=20, help="letters per kind and way")
    args = parser.parse_args()
    from flask_migrate import upgrade
    from weasyprint import HTML

    from fund.app import create_app
    from fund.extensions import db
    from fund.letters.pdf import STATIC_DIR
    from fund.letters.render import letter_html, letter_pdf
    from fund.models import Decision
    from tests.letters import factories

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench", "FUND_LETTERS": False})
        with app.app_context(), app.test_request_context():
            upgrade()
            ids = {kind: d.id for kind, d in factories.all_kinds().items()}
            db.session.commit()
            decisions = [db.session.get(Decision, i) for i in ids.values()]
            html = {d.id: letter_html(d) for d in decisions}  # stylesheet inline
            letter_pdf(decisions[0]), HTML(string=html[decisions[0].id]).write_pdf()  # warm-up
            app_ms, plain_ms = [], []
            for _ in range(args.letters):
                for d in decisions:
                    t = time.perf_counter()
                    letter_pdf(d)
                    app_ms.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    HTML(string=html[d.id], base_url=str(STATIC_DIR) + "/").write_pdf()
                    plain_ms.append((time.perf_counter() - t) * 1000)
            db.session.remove()
            db.engine.dispose()
    a, b = statistics.median(app_ms), statistics.median(plain_ms)
    print(f"{len(app_ms)} letters each way ({len(decisions)} kinds)")
    print("| way | median ms per letter | p95 ms |\n|---|---:|---:|")
    print(f"| fund letter_pdf (PDF/A-3b) | {a:.1f} | {statistics.quantiles(app_ms, n=20)[-1]:.1f} |")
    print(f"| plain WeasyPrint, same HTML | {b:.1f} | {statistics.quantiles(plain_ms, n=20)[-1]:.1f} |")
    print(f"| ratio | {a / b:.2f}× | |")


if __name__ == "__main__":
    main()
