"""Helpers for the portal tests: users of every role, logging in, filling the forms."""
from __future__ import annotations

import pytest
from flask import g

from tests.web.helpers import make_users


@pytest.fixture(autouse=True)
def _fresh_login_per_request(app):
    """The ``app`` fixture keeps one app context open for the whole test, so Flask's ``g``
    (where Flask-Login caches the user) would outlive a request; several test clients acting
    as different users need it cleared at the start of every request."""
    def forget_cached_user():
        g.pop("_login_user", None)

    app.before_request_funcs.setdefault(None, []).insert(0, forget_cached_user)


@pytest.fixture
def users(app):
    """One user per role (plus a second of some), committed; {name: user}."""
    return make_users()
