"""Workers booting together never trip over each other's writability check (issue 12, High)."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _boot_many(path: str, times: int) -> int:
    from fund.app import _ensure_instance_folder
    from fund.config import ConfigError

    failures = 0
    for _ in range(times):
        try:
            _ensure_instance_folder(path)
        except ConfigError:
            failures += 1
    return failures


def test_parallel_instance_folder_checks_never_fail(tmp_path):
    """8 processes × 1,500 checks on one folder (the shared '.write-test' name failed here)."""
    folder = str(tmp_path / "instance")
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(8) as pool:
        failures = pool.starmap(_boot_many, [(folder, 1500)] * 8)
    assert sum(failures) == 0
    assert os.listdir(folder) == []  # no probe left behind


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_gunicorn_boots_eight_workers_at_once_repeatedly(sqlite_template, tmp_path):
    """Real gunicorn, 8 workers booting together on one fresh instance folder, three times."""
    db_file = tmp_path / "fund.sqlite3"
    shutil.copy(sqlite_template, db_file)
    env = {k: v for k, v in os.environ.items() if k not in ("FUND_ENV", "FUND_REDIS_URL", "REDIS_URL")}
    env["DATABASE_URL"] = f"sqlite:///{db_file}"
    for attempt in range(3):
        env["FUND_INSTANCE_PATH"] = str(tmp_path / f"instance-{attempt}")
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "8", "wsgi:app"],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 60
            status = None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status
                    break
                except OSError:
                    time.sleep(0.3)
            time.sleep(1.0)  # let the slower workers finish booting
            assert proc.poll() is None, proc.communicate()[0][-2000:]
            assert status == 200
        finally:
            proc.terminate()
            out = proc.communicate(timeout=30)[0]
        assert "Worker failed to boot" not in out, out[-2000:]
