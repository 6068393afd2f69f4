"""Passwords, one BSN per inwoner account, constant work at login, no demo data in production."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fund import accounts
from fund.extensions import db
from fund.models import User
from tests.web.helpers import PASSWORD

REPO = Path(__file__).resolve().parents[2]
REG = {"account_type": "inwoner", "name": "Henk", "email": "henk@voorbeeld.nl", "password": PASSWORD,
       "password_repeat": PASSWORD, "street": "Raadhuisstraat", "house_number": "4",
       "postcode": "7901bn", "city": "Hoogeveen"}


@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "password1234", "qwertyuiop12", "welkom123456"])
def test_common_and_trivial_passwords_are_refused(client, weak):
    resp = client.post("/auth/registreren", data={**REG, "password": weak, "password_repeat": weak})
    assert "wachtwoorden die op internet zijn uitgelekt" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_one_bsn_cannot_belong_to_two_inwoner_accounts(app):
    client = app.test_client()
    assert client.post("/auth/registreren", data={**REG, "bsn": "123456782"}).status_code == 302
    other = app.test_client()
    resp = other.post("/auth/registreren", data={**REG, "email": "ander@voorbeeld.nl", "bsn": "123456782"})
    assert resp.status_code == 302  # the same answer as a new account (test_registration_enumeration)
    assert db.session.scalar(select(func.count(User.id)).where(User.bsn == "123456782")) == 1


def test_login_does_one_argon2_verification_whether_or_not_the_account_exists(client, users, monkeypatch):
    calls = []

    class Counting(type(accounts._hasher)):
        def verify(self, *args):
            calls.append(1)
            return super().verify(*args)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    for email in ("bestaat-niet@test.example", "inwoner@test.example"):
        calls.clear()
        resp = client.post("/auth/login", data={"email": email, "password": "fout-wachtwoord-123"})
        assert "klopt niet" in resp.get_data(as_text=True)
        assert len(calls) == 1, email


def test_demo_seed_refuses_production(sqlite_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("FUND_REDIS_URL", "REDIS_URL", "FUND_TODAY")}
    env.update(FUND_ENV="production", DATABASE_URL=sqlite_url, FUND_INSTANCE_PATH=str(tmp_path),
               SECRET_KEY="x" * 40, FUND_PSEUDONYM_KEY="y" * 40, FUND_BASE_URL="https://fonds.example",
               FUND_BESTUURSORGAAN_RSIN="123456782")
    result = subprocess.run([sys.executable, "-m", "fund", "demo", "seed"], capture_output=True, text=True,
                            env=env, cwd=REPO, timeout=120)
    assert result.returncode != 0
    assert "niet in productie" in result.stderr + result.stdout, result.stderr[-1500:]
