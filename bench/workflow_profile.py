"""Where the CPU of a workflow flow goes: N flows in one thread under cProfile.

The flow is the submission surge's (``bench/submission_surge.py``): create, attach the required
documents, submit, assign, grant; letters off (their rendering is measured by
``bench/letter_bench.py``). The mails still go out in-process after each commit (the receipt mail
renders the answers PDF); their delivery is shown on its own line and the other shares are of
the rest: the workflow's transactions. One thread, so the figures are CPU, not lock waits. SQLite in a
temporary folder by default (removed after); ``--pg`` uses a scratch PostgreSQL database
(``bench/pg.py``, dropped after).

    .venv/bin/python bench/workflow_profile.py --flows 200
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pg import scratch_database  # noqa: E402
from bench.submission_surge import build_app, prepare, run_flow  # noqa: E402

# (label, file suffix, function name): cumulative time of these, as a share of the whole run
DELIVERY = ("fund/delivery/outbox.py", "dispatch")
WATCHED = [
    ("machine built (ApplicationMachine.__init__)", "statemachine/statemachine.py", "__init__"),
    ("machine bound (machine_for)", "fund/workflow/machine.py", "machine_for"),
    ("Session.flush", "sqlalchemy/orm/session.py", "flush"),
    ("audit record", "fund/audit/chain.py", "record"),
    ("history_facts", "fund/workflow/history.py", "history_facts"),
    ("application row lock (_lock)", "fund/workflow/service.py", "_lock"),
    ("budget applied last (ledger.apply)", "fund/workflow/ledger.py", "apply"),
    ("commit", "sqlalchemy/orm/session.py", "commit"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as instance, (scratch_database() if args.pg else nullcontext()) as pg:
        url = pg or f"sqlite:///{instance}/profile.db"
        app = build_app(url, Path(instance), 1, letters=False)
        inwoners, officer = prepare(app, args.flows + 10)
        for inwoner in inwoners[:10]:  # warm up: first imports, rule files, statement caches
            run_flow(app, inwoner, officer)
        profile = cProfile.Profile()
        begin = time.perf_counter()
        profile.enable()
        for inwoner in inwoners[10:]:
            run_flow(app, inwoner, officer)
        profile.disable()
        elapsed = time.perf_counter() - begin
        with app.app_context():
            from fund.extensions import db
            db.engine.dispose()

    stats = pstats.Stats(profile)

    def cumulative(suffix: str, name: str) -> float:
        return sum(ct for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
                   if func == name and path.endswith(suffix))

    delivery = cumulative(*DELIVERY)
    workflow = stats.total_tt - delivery
    print(f"{args.flows} flows in {elapsed:.2f} s ({args.flows / elapsed:.1f} flows/s in one thread, "
          f"{'PostgreSQL' if args.pg else 'SQLite'}); profiled {stats.total_tt:.2f} s, of which mail "
          f"delivery after the commits {delivery:.2f} s and the workflow {workflow:.2f} s "
          f"({1000 * workflow / args.flows:.1f} ms per flow)")
    print("share of the workflow's time (cumulative, so nested lines overlap):")
    for label, suffix, name in WATCHED:
        spent = cumulative(suffix, name)
        print(f"  {label:45s} {spent:7.2f} s  {100 * spent / workflow:5.1f} %")

if __name__ == "__main__":
    main()
