"""Crash test of the outbox: co-signs in worker processes killed with SIGKILL at a random
moment, then one sweep. Counts decisions without a letter and mails sent more than once.

Each round starts a fresh Python process (like a gunicorn worker) that co-signs one proposed
grant with letters and e-mail delivered in-process right after the commit, and kills it with
``kill -9`` after a random delay between 0 and ``--max-delay`` seconds: before the commit, between
the commit and delivery, or during delivery (letter rendering, SMTP). Then the "restart": one
``fund outbox deliver``. Mail goes to a real SMTP server (aiosmtpd) that counts Message-IDs.

    .venv/bin/python bench/outbox_kill.py --rounds 30

What it leaves out: the processes are not behind gunicorn's HTTP front (the commit and the
dispatch are the same code either way); SQLite in a temporary folder, dropped at the end.
"""
from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import sys
from fund.app import create_app
from fund.extensions import db
from fund.models import User
app = create_app()
with app.app_context():
    from fund.workflow import send
    send(int(sys.argv[1]), "co_sign", db.session.get(User, int(sys.argv[2])), approve=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--max-delay", type=float, default=2.5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    from aiosmtpd.controller import Controller

    received = collections.Counter()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            import email
            msg = email.message_from_bytes(envelope.content)
            received[msg["Message-ID"]] += 1
            return "250 OK"

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/fund.sqlite3", "SECRET_KEY": "bench",
               "FUND_INSTANCE_PATH": tmp, "FUND_SMTP_URL": f"smtp://127.0.0.1:{port}",
               "FUND_TODAY": os.environ.get("FUND_TODAY", "2026-11-25"), "FUND_OUTBOX_LEASE_SECONDS": "3"}
        os.environ.update(env)
        from fund.app import create_app
        from fund.extensions import db

        app = create_app()
        with app.app_context():
            from flask_migrate import upgrade
            from sqlalchemy import func, select

            from tests.facts import llo_facts
            from fund.models import Decision, OutboxMessage
            from fund.workflow import send
            from fund.models.types import Role
            from tests.workflow.conftest import make_people, make_user
            from tests.workflow.helpers import in_review

            upgrade()
            cases = []
            people = make_people()
            for _ in range(args.rounds):
                inwoner = make_user(Role.INWONER)  # a fresh inwoner each round: no history facts interfere
                application = in_review(people, "llo", llo_facts(cost="3200.00", has_startkwalificatie=False),
                                        applicant=inwoner)
                application = send(application, "grant", people.officer)
                cases.append((application.id, people.supervisor.id))
            db.session.commit()
            db.session.execute(OutboxMessage.__table__.update().values(state="delivered"))
            db.session.commit()  # only the co-signs' side effects count
            outcome = collections.Counter()
            started = time.perf_counter()
            for app_id, supervisor_id in cases:
                child = subprocess.Popen([sys.executable, "-c", CHILD, str(app_id), str(supervisor_id)],
                                         env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, args.max_delay))
                if child.poll() is None:
                    child.send_signal(signal.SIGKILL)
                    outcome["killed"] += 1
                else:
                    outcome["finished"] += 1
                child.wait()
            db.session.expire_all()
            committed = db.session.scalar(select(func.count()).select_from(Decision).where(Decision.kind == "verlening"))
            before = db.session.scalar(select(func.count()).select_from(Decision)
                                       .where(Decision.kind == "verlening", Decision.letter_pdf.is_(None)))
            sweep = subprocess.run([sys.executable, "-m", "fund", "outbox", "deliver"], env=env, cwd=ROOT,
                                   capture_output=True, text=True)
            print(f"first sweep: {sweep.stdout.strip()} (exit {sweep.returncode})")
            time.sleep(4)  # a mail held by a killed process is free again after the lease (3 s here)
            sweep = subprocess.run([sys.executable, "-m", "fund", "outbox", "deliver"], env=env, cwd=ROOT,
                                   capture_output=True, text=True)
            db.session.expire_all()
            after = db.session.scalar(select(func.count()).select_from(Decision)
                                      .where(Decision.kind == "verlening", Decision.letter_pdf.is_(None)))
            mails = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.kind == "mail", OutboxMessage.state == "delivered",
                                             OutboxMessage.subject.like("Er staat een besluit%")))
            db.session.remove()
            db.engine.dispose()
    controller.stop()
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    print(f"rounds {args.rounds}: killed {outcome['killed']}, finished {outcome['finished']} "
          f"in {time.perf_counter() - started:.1f} s")
    print(f"co-signs committed: {committed}; without a letter before the sweep: {before}, after: {after}")
    print(f"sweep after the lease: {sweep.stdout.strip()} (exit {sweep.returncode})")
    print(f"'besluit klaar' mails delivered: {mails}; SMTP messages received: {sum(received.values())}, "
          f"duplicates: {duplicates}")
    return 0 if after == 0 and duplicates == 0 and mails == committed else 1


if __name__ == "__main__":
    raise SystemExit(main())
