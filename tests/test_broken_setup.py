"""A broken set-up is one Dutch line and a non-zero exit at every entry point: the `fund`
command, `gunicorn wsgi:app` and `fund worker` (issue 10). Each case runs the real command."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GUNICORN_LOG = re.compile(r"^\[\d{4}-\d\d-\d\d [\d:]+ [+-]\d{4}\] \[\d+\] \[(INFO|DEBUG)\] ")


def _env(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "FUND_ENV", "FUND_RULES_DIR", "FUND_REDIS_URL", "REDIS_URL", "FUND_TODAY")}
    env["FUND_INSTANCE_PATH"] = str(tmp_path / "instance")
    env.update(extra)
    return env


def _run(args: list[str], env: dict, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=90)


def _fund(*args: str, env: dict) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "fund", *args], env)


def _gunicorn(env: dict) -> subprocess.CompletedProcess:
    return _run([sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0", "--workers", "2", "wsgi:app"], env)


def _one_line(result: subprocess.CompletedProcess, *, gunicorn: bool = False) -> str:
    """The only line the command said besides gunicorn's own [INFO] start line."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    lines = [ln for ln in (result.stderr + result.stdout).splitlines() if ln.strip()]
    if gunicorn:
        lines = [ln for ln in lines if not GUNICORN_LOG.match(ln)]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def broken_yaml_rules(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(REPO / "rules", rules)
    with (rules / "voucher" / "parameters.yaml").open("a", encoding="utf-8") as fh:
        fh.write("kapot: [niet gesloten\n")
    return rules


# -- rules folder ---------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["db", "current"], ["demo", "seed"], ["workflow", "tick"], ["worker"]])
def test_missing_rules_folder_is_one_line_in_every_command(tmp_path, command):
    line = _one_line(_fund(*command, env=_env(tmp_path, FUND_RULES_DIR=str(tmp_path / "geen-regels"))))
    assert line.startswith("De regels kunnen niet worden geladen: ") and "map met regels bestaat niet" in line


def test_yaml_syntax_error_is_one_line_in_a_command_and_reported_once_by_rules_check(tmp_path, broken_yaml_rules):
    env = _env(tmp_path, FUND_RULES_DIR=str(broken_yaml_rules))
    line = _one_line(_fund("db", "current", env=env))
    assert "rules/voucher/parameters.yaml:" in line and "geen geldige YAML" in line
    check = _fund("rules", "check", env=env)
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert check.stdout.splitlines() == [
        "rules/voucher/parameters.yaml:100: geen geldige YAML (while parsing a flow sequence: "
        "expected ',' or ']', but got '<stream end>')"]
    assert check.stderr.strip() == "1 probleem/problemen gevonden"


def test_missing_rules_folder_under_gunicorn(tmp_path):
    line = _one_line(_gunicorn(_env(tmp_path, FUND_RULES_DIR=str(tmp_path / "geen-regels"))), gunicorn=True)
    assert line.startswith("De regels kunnen niet worden geladen: ")


# -- configuration and database -------------------------------------------------------------------

def test_bad_production_config_under_gunicorn(tmp_path):
    result = _gunicorn(_env(tmp_path, FUND_ENV="production"))
    assert result.returncode == 1
    assert _one_line(result, gunicorn=True).startswith("Fout in de instellingen: SECRET_KEY ontbreekt")


def test_unmigrated_database_under_gunicorn_says_run_fund_db_upgrade(tmp_path):
    line = _one_line(_gunicorn(_env(tmp_path)), gunicorn=True)
    assert "De database is niet bijgewerkt" in line and "`fund db upgrade`" in line


def test_wsgi_module_itself_exits_3_so_gunicorn_stops_its_workers(tmp_path):
    """Without gunicorn.conf.py (another folder, `-c other.py`) the worker still says one line
    and exits with gunicorn's boot-error status, so the master stops instead of respawning."""
    result = _run([sys.executable, "-c", "import wsgi"], _env(tmp_path))
    assert result.returncode == 3
    assert "`fund db upgrade`" in _one_line(result)


def test_a_migrated_database_serves_under_gunicorn(tmp_path):
    env = _env(tmp_path)
    assert _fund("db", "upgrade", env=env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "wsgi:app"], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        import time
        import urllib.request

        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("url", ["mysql://fund:geheim@127.0.0.1/fund", "oracle://x@y/z"])
def test_unsupported_database_scheme_is_one_line(tmp_path, url):
    line = _one_line(_fund("db", "upgrade", env=_env(tmp_path, DATABASE_URL=url)))
    assert line.startswith("Fout in de instellingen: DATABASE_URL gebruikt '") and "geheim" not in line


def test_unsupported_database_scheme_under_gunicorn(tmp_path):
    line = _one_line(_gunicorn(_env(tmp_path, DATABASE_URL="mysql://fund@127.0.0.1/fund")), gunicorn=True)
    assert "DATABASE_URL gebruikt 'mysql'" in line


# -- worker ---------------------------------------------------------------------------------------

def test_unreachable_redis_for_the_worker_is_one_line(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    line = _one_line(_fund("worker", env=_env(tmp_path, FUND_REDIS_URL=f"redis://127.0.0.1:{port}/0")))
    assert line.startswith("Redis is niet bereikbaar: ") and "FUND_REDIS_URL" in line


def test_help_with_a_broken_rules_folder_says_the_line_not_a_traceback(tmp_path):
    result = _fund("--help", env=_env(tmp_path, FUND_RULES_DIR=str(tmp_path / "geen-regels")))
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip().startswith("De regels kunnen niet worden geladen: ")
    assert "rules" in result.stdout and "Usage: fund" in result.stdout
