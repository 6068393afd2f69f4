"""Staff second factor: enrolment with a QR code, real TOTP codes (pyotp) on a pinned clock,
one-time recovery codes, the admin's reset, and the audit events of every login step."""
from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest
from sqlalchemy import select

from fund.config import load_config
from fund.extensions import db
from fund.models import AuditEvent, RecoveryCode
from fund.identity import second_factor
from tests.web.helpers import PASSWORD, login

NOW = dt.datetime(2026, 11, 25, 9, 30, 10, tzinfo=dt.timezone.utc)


@pytest.fixture
def pinned(monkeypatch):
    """The server's clock, which the tests move by hand (codes change every 30 seconds)."""
    state = {"now": NOW}
    monkeypatch.setattr(second_factor, "now", lambda: state["now"])
    return state


@pytest.fixture
def totp_on(app):
    app.config["FUND_STAFF_TOTP"] = True
    yield
    app.config["FUND_STAFF_TOTP"] = False


def _events(name):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                              .order_by(AuditEvent.seq)).all()


def _password(client, user):
    return client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


def _enrol(client, user, at):
    """Password, QR page, first code; returns the recovery codes shown once."""
    resp = _password(client, user)
    assert resp.headers["Location"].endswith("/auth/tweede-stap/instellen")
    page = client.get("/auth/tweede-stap/instellen").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    db.session.refresh(user)
    secret = user.totp_secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    resp = client.post("/auth/tweede-stap/instellen", data={"code": pyotp.TOTP(secret).at(at)})
    assert resp.status_code == 200
    return secret, re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", resp.get_data(as_text=True))


def test_staff_enrol_on_first_login_and_then_need_a_fresh_code(app, users, pinned, totp_on):
    officer = users["officer"]
    client = app.test_client()
    resp = _password(client, officer)
    # the password alone does not log in
    assert client.get("/behandeling/").status_code in (302, 401, 403)
    resp = client.post("/auth/tweede-stap/instellen", data={"code": "000000"})
    assert resp.status_code == 422 and "Deze code klopt niet" in resp.get_data(as_text=True)
    client = app.test_client()
    secret, codes = _enrol(client, officer, NOW)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/behandeling/").status_code == 200
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(c.replace("-", "") in h for c in codes for h in stored)
    assert _events("second_factor_enrolled")[-1].actor_id == officer.id
    assert _events("login")[-1].data == {"method": "password+totp"}
    client.post("/auth/logout")
    assert _events("logout")[-1].actor_id == officer.id

    # the next login asks for a code; the one already used is refused, the next one works
    client = app.test_client()
    assert _password(client, officer).headers["Location"].endswith("/auth/tweede-stap")
    resp = client.post("/auth/tweede-stap", data={"code": pyotp.TOTP(secret).at(NOW)})
    assert resp.status_code == 422
    pinned["now"] = NOW + dt.timedelta(seconds=30)
    resp = client.post("/auth/tweede-stap", data={"code": pyotp.TOTP(secret).at(pinned["now"])})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/behandeling/")
    # a code from five minutes ago is refused
    client = app.test_client()
    _password(client, officer)
    pinned["now"] = NOW + dt.timedelta(minutes=10)
    resp = client.post("/auth/tweede-stap",
                       data={"code": pyotp.TOTP(secret).at(NOW + dt.timedelta(minutes=5))})
    assert resp.status_code == 422
    failed = _events("login_failed")
    assert failed[-1].data == {"method": "password", "step": "second_factor"}
    # no secret, code or e-mail address anywhere in the trail
    trail = " ".join(str(e.data) for e in db.session.scalars(select(AuditEvent)))
    assert secret not in trail and officer.email not in trail
    assert not any(c in trail or c.replace("-", "") in trail for c in codes)


def test_recovery_code_works_once(app, users, pinned, totp_on):
    finance = users["finance"]
    _secret, codes = _enrol(app.test_client(), finance, NOW)
    client = app.test_client()
    _password(client, finance)
    resp = client.post("/auth/tweede-stap", data={"code": codes[3].upper()})
    assert resp.status_code == 302
    assert _events("login")[-1].data == {"method": "password+herstelcode"}
    assert _events("recovery_code_used")[-1].data == {"remaining": 9}
    client = app.test_client()
    _password(client, finance)
    assert client.post("/auth/tweede-stap", data={"code": codes[3]}).status_code == 422


def test_five_wrong_codes_start_over(app, users, pinned, totp_on):
    client = app.test_client()
    _enrol(client, users["auditor"], NOW)
    client = app.test_client()
    _password(client, users["auditor"])
    for _ in range(4):
        assert client.post("/auth/tweede-stap", data={"code": "123456"}).status_code == 422
    resp = client.post("/auth/tweede-stap", data={"code": "123456"})
    assert resp.headers["Location"].endswith("/auth/login")
    assert client.get("/auth/tweede-stap").headers["Location"].endswith("/auth/login")


def test_applicants_log_in_without_a_code(app, users, totp_on):
    client = app.test_client()
    resp = _password(client, users["inwoner"])
    assert resp.headers["Location"].endswith("/mijn/aanvragen")


def test_without_the_setting_staff_log_in_with_password_unless_enrolled(app, users, pinned):
    assert app.config["FUND_STAFF_TOTP"] is False
    client = app.test_client()
    assert _password(client, users["officer"]).headers["Location"].endswith("/behandeling/")
    app.config["FUND_STAFF_TOTP"] = True
    try:
        _enrol(app.test_client(), users["officer"], NOW)
    finally:
        app.config["FUND_STAFF_TOTP"] = False
    # once enrolled, the code is always asked
    assert _password(app.test_client(), users["officer"]).headers["Location"].endswith("/auth/tweede-stap")


def test_production_always_demands_the_second_factor(monkeypatch, tmp_path):
    monkeypatch.setenv("FUND_STAFF_TOTP", "0")
    monkeypatch.delenv("FUND_TODAY", raising=False)
    cfg = load_config(str(tmp_path), {"FUND_ENV": "production", "SECRET_KEY": "x" * 40,
                                      "FUND_PSEUDONYM_KEY": "k" * 40,
                                      "FUND_BESTUURSORGAAN": load_config(str(tmp_path))["FUND_BESTUURSORGAAN"]})
    assert cfg["FUND_STAFF_TOTP"] is True
    monkeypatch.setenv("FUND_STAFF_TOTP", "1")
    assert load_config(str(tmp_path))["FUND_STAFF_TOTP"] is True
    monkeypatch.setenv("FUND_STAFF_TOTP", "0")
    assert load_config(str(tmp_path))["FUND_STAFF_TOTP"] is False


def test_admin_resets_a_colleagues_second_factor(app, users, pinned, totp_on):
    officer = users["officer"]
    _enrol(app.test_client(), officer, NOW)
    admin = app.test_client()
    login(admin, users["admin"])
    page = admin.get(f"/beheer/gebruikers/{officer.id}").get_data(as_text=True)
    assert "Tweede stap wissen" in page
    resp = admin.post(f"/beheer/gebruikers/{officer.id}/tweede-stap-wissen")
    assert resp.status_code == 302
    db.session.refresh(officer)
    assert officer.totp_secret is None and not officer.has_second_factor
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == officer.id)) is None
    ev = _events("second_factor_reset")[-1]
    assert ev.actor_id == users["admin"].id and ev.entity_id == officer.id
    # the officer sets it up again at the next login
    assert _password(app.test_client(), officer).headers["Location"].endswith("/auth/tweede-stap/instellen")
    # an admin cannot reset their own
    resp = admin.post(f"/beheer/gebruikers/{users['admin'].id}/tweede-stap-wissen")
    assert resp.status_code == 302


def test_failed_password_login_is_audited_without_the_address(app, users):
    client = app.test_client()
    client.post("/auth/login", data={"email": users["officer"].email, "password": "fout-fout-fout"})
    client.post("/auth/login", data={"email": "niemand@example.org", "password": "fout-fout-fout"})
    failed = _events("login_failed")
    assert [e.actor_id for e in failed] == [users["officer"].id, None]
    assert all(e.data == {"method": "password", "step": "password"} for e in failed)
