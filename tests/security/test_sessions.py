"""Server-side sessions (issue 12): the cookie is only an id, sessions end for real, ids rotate,
idle and absolute limits with a Dutch message."""
import pytest
from sqlalchemy import select

from fund.accounts import make_reset_token
from fund.extensions import db
from fund.identity import sessions
from fund.models import StoredSession, User
from tests.web.helpers import PASSWORD

APPLICANT_HOME = "/mijn/aanvragen"
STAFF_HOME = "/behandeling/"


def _login(client, user):
    resp = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert resp.status_code == 302 and "/auth/login" not in resp.headers["Location"], resp.data[:300]
    return client.get_cookie("session").value


def _is_in(client, path=APPLICANT_HOME) -> bool:
    resp = client.get(path)
    return resp.status_code == 200


def _replay(app, cookie):
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


@pytest.fixture
def clock(monkeypatch):
    """Move the session clock by hand."""
    import time

    state = {"now": time.time()}
    monkeypatch.setattr(sessions, "_now", lambda: state["now"])
    return state


def test_the_cookie_is_only_an_id_and_the_data_is_in_the_table(app, users):
    client = app.test_client()
    sid = _login(client, users["inwoner"])
    assert "." not in sid and len(sid) >= 32  # not a signed data cookie (payload.timestamp.sig)
    row = db.session.scalars(select(StoredSession).where(StoredSession.session_id == sid)).one()
    assert row.user_id == users["inwoner"].id
    assert _is_in(client)


def test_logout_ends_every_session_of_the_user_and_a_replayed_cookie(app, users):
    first, second = app.test_client(), app.test_client()
    cookie = _login(first, users["inwoner"])
    _login(second, users["inwoner"])  # another browser of the same person
    stolen = _replay(app, cookie)
    assert _is_in(stolen)
    first.post("/auth/logout")
    for client in (first, second, _replay(app, cookie)):
        resp = client.get(APPLICANT_HOME)
        assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]
    assert db.session.scalar(select(StoredSession).where(StoredSession.user_id == users["inwoner"].id)) is None


def test_a_password_reset_ends_the_old_sessions(app, users):
    user = users["inwoner"]
    browser = app.test_client()
    cookie = _login(browser, user)
    token = make_reset_token(user)
    new = "blauwe tram rijdt vannacht"
    resp = app.test_client().post(f"/auth/wachtwoord/{token}", data={"password": new, "password_repeat": new})
    assert resp.status_code == 302
    assert not _is_in(browser) and not _is_in(_replay(app, cookie))
    follow = browser.get(APPLICANT_HOME, follow_redirects=True)
    assert "Log in" in follow.get_data(as_text=True)


def test_deactivation_by_an_admin_ends_the_sessions(app, users):
    officer = users["officer"]
    browser = app.test_client()
    _login(browser, officer)
    assert _is_in(browser, STAFF_HOME)
    admin = app.test_client()
    _login(admin, users["admin"])
    resp = admin.post(f"/beheer/gebruikers/{officer.id}", data={"role": "officer", "active": "nee"})
    assert resp.status_code == 302
    assert not _is_in(browser, STAFF_HOME)
    assert db.session.get(User, officer.id).session_epoch == 1


def test_the_session_id_rotates_at_login(app, users):
    client = app.test_client()
    with client.session_transaction() as sess:  # a session that existed before login (fixation)
        sess["voorkeur"] = "iets"
    before = client.get_cookie("session").value
    after = _login(client, users["inwoner"])
    assert after != before
    assert not _is_in(_replay(app, before))  # the old id opens nothing
    assert db.session.scalar(select(StoredSession).where(StoredSession.session_id == before)) is None


def test_staff_idle_30_minutes_applicants_2_hours(app, users, clock):
    staff, applicant = app.test_client(), app.test_client()
    _login(staff, users["officer"])
    _login(applicant, users["inwoner"])
    clock["now"] += 29 * 60
    assert _is_in(staff, STAFF_HOME) and _is_in(applicant)
    clock["now"] += 31 * 60  # 31 minutes since the last request
    resp = staff.get(STAFF_HOME, follow_redirects=True)
    assert "U bent uitgelogd, omdat u een tijd niets deed of al lang was ingelogd." in resp.get_data(as_text=True)
    assert _is_in(applicant)
    clock["now"] += 121 * 60
    resp = applicant.get(APPLICANT_HOME, follow_redirects=True)
    assert "U bent uitgelogd, omdat u een tijd niets deed of al lang was ingelogd." in resp.get_data(as_text=True)
    assert not _is_in(applicant)


def test_absolute_lifetime_12_hours_even_when_active(app, users, clock):
    client = app.test_client()
    _login(client, users["inwoner"])
    for _ in range(7):  # every 100 minutes: never idle too long; 11 h 40 in all
        clock["now"] += 100 * 60
        assert _is_in(client)
    clock["now"] += 30 * 60  # 12 h 10
    resp = client.get(APPLICANT_HOME, follow_redirects=True)
    assert "U bent uitgelogd, omdat u een tijd niets deed of al lang was ingelogd." in resp.get_data(as_text=True)
