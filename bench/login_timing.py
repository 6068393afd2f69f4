"""Login timing: does the answer time tell whether an account exists? (issue 12, ASVS 2.2 / 3.x)

Posts the real login form (``POST /auth/login``, the whole view: form, lookup, throttle, one argon2
verification, template) with a wrong password, interleaved in one run: for an address with an
account, for addresses without one, and for a blocked account. Every try comes from another
client address, so the per-address growing delay never starts (it would be the same for all
three anyway); rate limits are off. Prints median and p95 in ms per kind.

    .venv/bin/python bench/login_timing.py --tries 300

Runs on a scratch SQLite database in a temporary folder, removed afterwards.
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

PASSWORD = "blauwe tram rijdt vannacht"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=300, help="login posts per kind")
    args = parser.parse_args()
    from flask_migrate import upgrade

    from fund.accounts import create_user
    from fund.app import create_app
    from fund.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/bench.db", "INSTANCE_PATH": tmp,
                          "SECRET_KEY": "bench", "FUND_LETTERS": False, "WTF_CSRF_ENABLED": False,
                          "RATELIMIT_ENABLED": False})
        with app.app_context():
            upgrade()
            create_user("bestaat@bench.example", "Bestaat", PASSWORD, "inwoner")
            create_user("geblokkeerd@bench.example", "Geblokkeerd", PASSWORD, "inwoner").active = False
            db.session.commit()
            db.session.remove()
        client = app.test_client()
        kinds = {"known account": lambda i: "bestaat@bench.example",
                 "unknown address": lambda i: f"niemand{i}@bench.example",
                 "blocked account": lambda i: "geblokkeerd@bench.example"}
        times: dict[str, list[float]] = {k: [] for k in kinds}
        n = 0
        for i in range(-5, args.tries):  # 5 warm-up rounds, not counted
            for kind, email in kinds.items():
                n += 1
                addr = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
                t = time.perf_counter()
                resp = client.post("/auth/login", data={"email": email(i), "password": "fout-wachtwoord-123"},
                                   environ_base={"REMOTE_ADDR": addr})
                ms = (time.perf_counter() - t) * 1000
                assert resp.status_code == 200 and "klopt niet" in resp.get_data(as_text=True), resp.status_code
                if i >= 0:
                    times[kind].append(ms)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print(f"login with a wrong password, {args.tries} tries per kind, interleaved")
    print(f"{'kind':<18}{'median ms':>11}{'p95 ms':>9}")
    for kind, values in times.items():
        print(f"{kind:<18}{statistics.median(values):>11.1f}{p95(values):>9.1f}")
    known, unknown = statistics.median(times["known account"]), statistics.median(times["unknown address"])
    print(f"median known / unknown: {known / unknown:.3f}")


if __name__ == "__main__":
    main()
