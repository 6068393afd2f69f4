"""Background jobs: in-process without a queue, through a real Redis + RQ worker with one."""
import os
import shutil
import socket
import subprocess
import time

import pytest

from fund.jobs import enqueue

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def test_without_queue_the_job_runs_in_process(app):
    assert app.config["FUND_REDIS_URL"] == ""
    assert enqueue("json:dumps", {"a": 1}) == '{"a": 1}'


@pytest.fixture
def redis_url(tmp_path):
    exe = shutil.which("redis-server")
    if not exe:
        if IN_CI:
            pytest.fail("redis-server is required in CI (.ci/run installs it)")
        pytest.skip("redis-server not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(autouse=True)
def fresh_worker_app(monkeypatch):
    """The worker's app is kept per process: each test's worker builds its own from its settings."""
    from fund import jobs

    monkeypatch.setattr(jobs, "_worker_app", None)


def test_with_queue_the_job_goes_through_redis_to_a_worker(redis_url, sqlite_url, tmp_path, monkeypatch):
    from redis import Redis
    from rq import Queue, SimpleWorker

    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path, FUND_REDIS_URL=redis_url)
    with app.app_context():
        job = enqueue("json:dumps", [1, 2, 3])
    assert job.get_status() == "queued"  # not run yet: it waits on the queue
    # The worker builds its own app from the environment, as a real worker process would.
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("FUND_INSTANCE_PATH", str(tmp_path))
    connection = Redis.from_url(redis_url)
    SimpleWorker([Queue("fund", connection=connection)], connection=connection).work(burst=True)
    job.refresh()
    assert job.get_status() == "finished"
    assert job.return_value() == "[1, 2, 3]"


def test_a_worker_builds_its_app_once_for_all_its_jobs(redis_url, sqlite_url, tmp_path, monkeypatch):
    """Each job used to build the whole app again; now the worker process builds it once."""
    from redis import Redis
    from rq import Queue, SimpleWorker

    import fund.app
    from fund import jobs
    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path, FUND_REDIS_URL=redis_url)
    with app.app_context():
        queued = [enqueue("json:dumps", [n]) for n in range(3)]
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("FUND_INSTANCE_PATH", str(tmp_path))
    built = []
    real_create_app = fund.app.create_app
    monkeypatch.setattr(fund.app, "create_app", lambda *a, **k: built.append(1) or real_create_app(*a, **k))
    connection = Redis.from_url(redis_url)
    SimpleWorker([Queue("fund", connection=connection)], connection=connection).work(burst=True)
    for job in queued:
        job.refresh()
    assert [job.return_value() for job in queued] == ["[0]", "[1]", "[2]"]
    assert len(built) == 1
