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
    monkeypatch.setenv("FUND_BESTUURSORGAAN_RSIN", "002564440")
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


@pytest.mark.parametrize("rsin", ["001711113", "12345678", "00171111A", "000000000"])
def test_an_rsin_that_fails_the_11_proef_is_refused_at_start(tmp_path, monkeypatch, rsin):
    monkeypatch.setenv("FUND_BESTUURSORGAAN_RSIN", rsin)
    with pytest.raises(ConfigError, match="geen geldig RSIN"):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_the_default_rsin_passes_the_11_proef(tmp_path, monkeypatch):
    from stdnum.nl import bsn

    monkeypatch.delenv("FUND_BESTUURSORGAAN_RSIN", raising=False)
    rsin = create_app({"INSTANCE_PATH": str(tmp_path)}).config["FUND_BESTUURSORGAAN"].rsin
    assert bsn.is_valid(rsin) and len(rsin) == 9


def test_production_requires_the_rsin_explicitly(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FUND_PSEUDONYM_KEY", "y" * 40)
    monkeypatch.delenv("FUND_TODAY")
    monkeypatch.delenv("FUND_BESTUURSORGAAN_RSIN", raising=False)
    with pytest.raises(ConfigError, match="FUND_BESTUURSORGAAN_RSIN ontbreekt"):
        create_app({"FUND_ENV": "production", "INSTANCE_PATH": str(tmp_path)})


def test_a_bad_rsin_is_one_line_from_the_fund_command(tmp_path):
    result = _run_fund("db", "current", env_extra={"FUND_BESTUURSORGAAN_RSIN": "001711113",
                                                   "FUND_INSTANCE_PATH": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Fout in de instellingen: FUND_BESTUURSORGAAN_RSIN '001711113' is geen geldig RSIN: het moet 9 "
        "cijfers hebben en door de 11-proef komen. Zet het RSIN van het bestuursorgaan."]


@pytest.mark.parametrize("name, value, message", [
    ("FUND_DEBTOR_IBAN", "NL00ABNA0417164300", "geen geldig IBAN"),
    ("FUND_DEBTOR_BIC", "ABN", "geen geldige BIC"),
])
def test_the_funds_bank_account_is_checked_at_start(tmp_path, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_a_set_bank_account_is_taken_as_written(tmp_path, monkeypatch):
    monkeypatch.setenv("FUND_DEBTOR_IBAN", "nl44 rabo 0123 4567 89")
    monkeypatch.setenv("FUND_DEBTOR_BIC", "rabonl2u")
    account = create_app({"INSTANCE_PATH": str(tmp_path)}).config["FUND_DEBTOR"]
    assert (account.iban, account.bic, account.configured) == ("NL44RABO0123456789", "RABONL2U", True)
