"""Cold start of ``fund rules eval`` against ``python -c "import flask"``, in the same run.

    nice -n 10 .venv/bin/python bench/cold_start_bench.py --runs 15

Each run starts a fresh interpreter (no warm-up inside a process): the fund command evaluates
the example facts document of regeling §7 (``tests/example_documents.py``) from a temporary
file; the baseline only imports Flask. Three commands alternate, so a busy moment on the shared
machine hits all: ``fund rules eval`` with the rulebook cache (``fund.rules.cache``, in a
temporary folder filled by the first run), the same with the cache switched off
(``FUND_RULES_CACHE_DIR=""``: parse, validate and compile the YAML), and the baseline; the median
and the best of each are reported with their ratio to the baseline.

Byte code: the children run without ``PYTHONDONTWRITEBYTECODE``, so the fund package has its
``__pycache__`` like an installed application (pip compiles site-packages, Flask included, at
install); with that variable set every run would compile the fund sources again (~17 ms).
What it leaves out: the operating system's file cache is warm after the first run (as on a
server).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from tests.example_documents import LLO_EXAMPLE

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.NamedTemporaryFile("w", suffix=".json") as doc, tempfile.TemporaryDirectory() as cache:
        json.dump(LLO_EXAMPLE, doc)
        doc.flush()
        fund = [sys.executable, "-m", "fund", "rules", "eval", doc.name]
        flask = [sys.executable, "-c", "import flask"]
        warm_env = {**env, "FUND_RULES_CACHE_DIR": cache}
        cold_env = {**env, "FUND_RULES_CACHE_DIR": ""}
        timed(fund, warm_env), timed(fund, cold_env), timed(flask, env)  # byte code, cache, file cache
        warm, cold, base = [], [], []
        for _ in range(args.runs):
            warm.append(timed(fund, warm_env))
            cold.append(timed(fund, cold_env))
            base.append(timed(flask, env))
    b_med, b_best = statistics.median(base), min(base)
    print("| command | median s | best s | median × baseline | best × baseline |\n|---|---:|---:|---:|---:|")
    for label, runs in (("fund rules eval, rulebook cache", warm), ("fund rules eval, no cache", cold),
                        ('python -c "import flask" (baseline)', base)):
        med, best = statistics.median(runs), min(runs)
        print(f"| {label} | {med:.3f} | {best:.3f} | {med / b_med:.2f}× | {best / b_best:.2f}× |")

if __name__ == "__main__":
    main()
