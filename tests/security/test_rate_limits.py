"""Rate limits are shared by every worker (Redis, else the database; never process memory in
production) and failed logins slow down per e-mail address with growing delays (issue 12)."""
import pytest
from limits.storage import storage_from_string

from fund.config import ConfigError, load_config
from fund.extensions import db, limiter
from fund.identity import throttle
from tests.conftest import make_app
from tests.test_jobs import redis_url  # noqa: F401  (a real redis-server)
from tests.web.helpers import PASSWORD


def _post_login(client, email="x@test.example", password="fout", addr="203.0.113.7"):
    return client.post("/auth/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": addr})


def _limit_is_shared(app, uri):
    """Six login posts in 'worker 1', then five in 'worker 2' (its own storage object, as another
    gunicorn process has): the limit of 10 a minute counts them together."""
    with app.app_context():
        try:
            client = app.test_client()
            assert [_post_login(client, f"a{i}@test.example").status_code for i in range(6)] == [200] * 6
            limiter._storage = storage_from_string(uri)  # a second process: a new connection
            limiter._limiter = type(limiter._limiter)(limiter._storage)
            statuses = [_post_login(client, f"b{i}@test.example").status_code for i in range(5)]
            assert statuses == [200, 200, 200, 200, 429]
        finally:
            db.session.remove()
            db.engine.dispose()


def test_without_redis_the_counters_are_in_the_database(sqlite_url, tmp_path):
    app = make_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True)
    assert app.config["RATELIMIT_STORAGE_URI"] == "fund+db://"
    _limit_is_shared(app, "fund+db://")


def test_with_redis_the_counters_are_in_redis(sqlite_url, tmp_path, redis_url):  # noqa: F811
    app = make_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=redis_url)
    _limit_is_shared(app, redis_url)
    from redis import Redis

    assert any(b"LIMITER" in key for key in Redis.from_url(redis_url).keys())


def test_redis_url_is_the_default_storage_and_memory_is_refused_in_production(monkeypatch, tmp_path):
    monkeypatch.setenv("FUND_REDIS_URL", "redis://127.0.0.1:6390/0")
    monkeypatch.delenv("FUND_RATELIMIT_STORAGE_URI", raising=False)
    assert load_config(str(tmp_path))["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6390/0"
    monkeypatch.setenv("FUND_RATELIMIT_STORAGE_URI", "memory://")
    monkeypatch.setenv("FUND_ENV", "production")
    monkeypatch.delenv("FUND_TODAY", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("FUND_PSEUDONYM_KEY", "y" * 40)
    monkeypatch.setenv("FUND_BESTUURSORGAAN_RSIN", "001711118")
    with pytest.raises(ConfigError, match="niet toegestaan in productie"):
        load_config(str(tmp_path))


def test_sessions_live_in_redis_when_it_is_configured(sqlite_url, tmp_path, redis_url):  # noqa: F811
    from redis import Redis

    from tests.web.helpers import make_users

    app = make_app(sqlite_url, tmp_path, FUND_REDIS_URL=redis_url)
    with app.app_context():
        try:
            users = make_users()
            client = app.test_client()
            assert _post_login(client, users["inwoner"].email, PASSWORD).status_code == 302
            sid = client.get_cookie("session").value
            assert Redis.from_url(redis_url).exists(f"fund:session:{sid}")
            assert client.get("/mijn/aanvragen").status_code == 200
            client.post("/auth/logout")
            other = app.test_client()
            other.set_cookie("session", sid)
            assert other.get("/mijn/aanvragen").status_code == 302
        finally:
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def clock(monkeypatch):
    import time

    state = {"now": time.time()}
    monkeypatch.setattr(throttle, "_now", lambda: state["now"])
    return state


def test_failed_logins_get_growing_delays_per_account(app, users, clock):
    client = app.test_client()
    email = users["inwoner"].email
    assert [_post_login(client, email).status_code for _ in range(3)] == [200] * 3  # free tries
    assert _post_login(client, email).status_code == 200  # 4th failure: now wait 2 s
    refused = _post_login(client, email, PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    assert ("Voor dit e-mailadres is te vaak een verkeerd wachtwoord ingevuld. Wacht 2 seconden en probeer "
            "het dan opnieuw.") in refused.get_data(as_text=True)
    clock["now"] += 2
    assert _post_login(client, email).status_code == 200  # 5th failure: 4 s
    clock["now"] += 3
    assert "Wacht 1 seconde en" in _post_login(client, email).get_data(as_text=True)
    clock["now"] += 1
    for _ in range(10):  # the wait doubles but never passes the maximum
        _post_login(client, email)
        clock["now"] += 61
    _post_login(client, email)
    assert "Wacht 60 seconden" in _post_login(client, email).get_data(as_text=True)
    # from another place the real user is not slowed down: no lock-out of a known account
    ok = _post_login(app.test_client(), email, PASSWORD, addr="198.51.100.9")
    assert ok.status_code == 302


def test_unknown_addresses_are_slowed_down_the_same_way(app, users, clock):
    client = app.test_client()
    known = [_post_login(client, users["inwoner"].email).status_code for _ in range(5)]
    unknown = [_post_login(client, "niemand@test.example").status_code for _ in range(5)]
    assert known == unknown == [200, 200, 200, 200, 429]


def test_a_successful_login_clears_the_failures(app, users, clock):
    client = app.test_client()
    email = users["inwoner"].email
    for _ in range(3):
        _post_login(client, email)
    assert _post_login(client, email, PASSWORD).status_code == 302
    client.post("/auth/logout")
    assert [_post_login(client, email).status_code for _ in range(4)] == [200] * 4


def test_an_hourly_limit_says_wait_an_hour(sqlite_url, tmp_path):
    """Registration allows 10 posts an hour: the 11th is told to wait an hour, not a minute."""
    app = make_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True)
    with app.app_context():
        try:
            client = app.test_client()
            statuses = [client.post("/auth/registreren", data={},
                                    environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code for _ in range(11)]
            assert statuses == [200] * 10 + [429]
            refused = client.post("/auth/registreren", data={}, environ_base={"REMOTE_ADDR": "203.0.113.9"})
            assert ("U heeft het te vaak geprobeerd. Wacht een uur en probeer het dan opnieuw."
                    in refused.get_data(as_text=True))
            login = [client.post("/auth/login", data={}, environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code
                     for _ in range(11)]
            assert login[-1] == 429  # 10 a minute: the general text
            assert "Wacht een minuut" in client.post("/auth/login", data={}, environ_base={
                "REMOTE_ADDR": "203.0.113.9"}).get_data(as_text=True)
        finally:
            db.session.remove()
            db.engine.dispose()
