"""With sessions in Redis (``FUND_REDIS_URL``), logout, a password reset and blocking an account
delete every stored session of that user, not only raise the epoch; a replayed cookie opens
nothing (issue 12, against a real redis-server)."""
import pytest
from redis import Redis

from fund.accounts import make_reset_token
from fund.extensions import db
from tests.conftest import make_app
from tests.test_jobs import redis_url  # noqa: F401  (a real redis-server)
from tests.web.helpers import PASSWORD, make_users

NEW_PASSWORD = "blauwe tram rijdt vannacht"


@pytest.fixture
def redis_app(sqlite_url, tmp_path, redis_url):  # noqa: F811
    from flask import g

    app = make_app(sqlite_url, tmp_path, FUND_REDIS_URL=redis_url)
    # one app context for the whole test: Flask-Login's cached user must not outlive a request
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: g.pop("_login_user", None) and None)
    with app.app_context():
        try:
            yield app, Redis.from_url(redis_url), make_users()
        finally:
            db.session.remove()
            db.engine.dispose()


def _login(client, user) -> str:
    resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 302 and "/auth/login" not in resp.headers["Location"]
    return client.get_cookie("session").value


def _logout(app, user, browser):
    browser.post("/auth/logout")


def _reset_password(app, user, browser):
    token = make_reset_token(user)
    resp = app.test_client().post(f"/auth/wachtwoord/{token}",
                                  data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD})
    assert resp.status_code == 302


def _block(app, user, browser):
    admin = app.test_client()
    _login(admin, _block.admin)
    resp = admin.post(f"/beheer/gebruikers/{user.id}", data={"role": user.role, "active": "nee"})
    assert resp.status_code == 302


@pytest.mark.parametrize("end", [_logout, _reset_password, _block], ids=["logout", "password-reset", "blocked"])
def test_every_stored_session_of_the_user_is_deleted(redis_app, end):
    app, redis, users = redis_app
    user = users["officer"]
    _block.admin = users["admin"]
    first, second = app.test_client(), app.test_client()
    cookies = [_login(first, user), _login(second, user)]
    other_cookie = _login(app.test_client(), users["officer2"])
    assert all(redis.exists(f"fund:session:{sid}") for sid in cookies)
    end(app, user, first)
    # the data of both sessions is gone from Redis, the other user's session stays
    assert not any(redis.exists(f"fund:session:{sid}") for sid in cookies)
    assert redis.exists(f"fund:session:{other_cookie}")
    for sid in cookies:  # the old cookies, replayed in a fresh browser, open nothing
        stolen = app.test_client()
        stolen.set_cookie("session", sid)
        resp = stolen.get("/behandeling/")
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_a_cookie_naming_the_per_user_index_is_just_an_unknown_session(redis_app):
    app, redis, users = redis_app
    _login(app.test_client(), users["officer"])
    index_keys = [k.decode() for k in redis.keys("fund:*") if not k.startswith(b"fund:session:")]
    assert index_keys  # the user's list of session keys
    probe = app.test_client()
    for key in index_keys:
        for sid in (key, key.removeprefix("fund:")):
            probe.set_cookie("session", sid)
            assert probe.get("/behandeling/").status_code == 302  # to the login page, not a 500
