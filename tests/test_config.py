"""Bad configuration stops with one clear message, not a traceback."""
import os
import subprocess
import sys

import pytest

from fund.app import create_app
from fund.config import ConfigError


def _run_fund(*args, env_extra, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FUND_ENV")}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "fund", *args], capture_output=True, text=True, env=env, cwd=cwd,
        timeout=60,
    )


def test_production_refuses_default_secret(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"FUND_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_production_accepts_a_real_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FUND_PSEUDONYM_KEY", "y" * 40)
    monkeypatch.delenv("FUND_TODAY")  # the suite's pinned clock is refused in production
    app = create_app({"FUND_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_a_pinned_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FUND_PSEUDONYM_KEY", "y" * 40)
    monkeypatch.setenv("FUND_TODAY", "2026-11-28")
    with pytest.raises(ConfigError, match="FUND_TODAY"):
        create_app({"FUND_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_unwritable_instance_folder_is_one_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = _run_fund("db", "current", env_extra={"FUND_INSTANCE_PATH": str(blocker / "inst")},
                       cwd=tmp_path)
    assert result.returncode == 1
    assert "niet beschrijfbaar" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unreachable_database_is_one_clear_message(tmp_path):
    result = _run_fund(
        "db", "upgrade",
        env_extra={"DATABASE_URL": "postgresql://fund:geheim@127.0.0.1:9/fund",
                   "FUND_INSTANCE_PATH": str(tmp_path)},
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "database is niet bereikbaar" in result.stderr
    assert "geheim" not in result.stderr  # the password is masked
    assert "Traceback" not in result.stderr + result.stdout
