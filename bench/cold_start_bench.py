"""Cold start of ``fund rules eval`` against ``python -c "import flask"``, in the same run.

    nice -n 10 .venv/bin/python bench/cold_start_bench.py --runs 15

Each run starts a fresh interpreter (no warm-up inside a process): the fund command evaluates
the example facts document of regeling §7 (``tests/example_documents.py``) from a temporary
file; the baseline only imports Flask. The two alternate, so a busy moment on the shared
machine hits both; the median and the best of each are reported with their ratio. What it
leaves out: the operating system's file cache is warm after the first run (as on a server).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from tests.example_documents import LLO_EXAMPLE

    with tempfile.NamedTemporaryFile("w", suffix=".json") as doc:
        json.dump(LLO_EXAMPLE, doc)
        doc.flush()
        fund = [sys.executable, "-m", "fund", "rules", "eval", doc.name]
        flask = [sys.executable, "-c", "import flask"]
        timed(fund), timed(flask)  # fill the file cache
        a, b = [], []
        for _ in range(args.runs):
            a.append(timed(fund))
            b.append(timed(flask))
    print("| command | median s | best s |\n|---|---:|---:|")
    print(f"| fund rules eval (example) | {statistics.median(a):.3f} | {min(a):.3f} |")
    print(f'| python -c "import flask" | {statistics.median(b):.3f} | {min(b):.3f} |')
    print(f"| ratio | {statistics.median(a) / statistics.median(b):.2f}× | {min(a) / min(b):.2f}× |")


if __name__ == "__main__":
    main()
