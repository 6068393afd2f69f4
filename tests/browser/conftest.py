"""End-to-end tests in headless Chromium (Debian's /usr/bin/chromium) through Playwright.

The app runs on a free localhost port in a background thread (werkzeug ``make_server``) on a
fresh copy of the migrated SQLite template, with CSRF protection on as in production. Every
page a walk visits is checked with axe-core (0 violations) by :class:`Walker`.
"""
from __future__ import annotations

import os
import tempfile
import shutil
import threading
from pathlib import Path

import pytest

from tests.conftest import IN_CI, make_app

CHROMIUM = "/usr/bin/chromium"
# The walks always take their screenshots (a page that cannot be drawn fails the test); they
# land in docs/screenshots/ only with FUND_UPDATE_SCREENSHOTS=1, so `make test` leaves the
# work tree clean: FUND_UPDATE_SCREENSHOTS=1 make test
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("FUND_UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "fund-screenshots"
)


def pytest_collection_modifyitems(config, items):
    # Outside CI a machine without Chromium skips the walks; in CI they run and fail in
    # _chromium_present below.
    if os.path.exists(CHROMIUM) or IN_CI:
        return
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    if not os.path.exists(CHROMIUM) and IN_CI:
        pytest.fail(f"{CHROMIUM} is required in CI (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def live_app(sqlite_template, tmp_path):
    """(base_url, app): the app served on a free port; torn down after the test."""
    from werkzeug.serving import make_server

    from fund.extensions import db

    db_path = tmp_path / "fund.sqlite3"
    shutil.copy(sqlite_template, db_path)
    app = make_app(f"sqlite:///{db_path}", tmp_path, WTF_CSRF_ENABLED=True,
                   FUND_BASE_URL="http://127.0.0.1", FUND_LETTERS=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["FUND_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url, app
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def seeded(live_app):
    """Users of every role (password tests.web.helpers.PASSWORD); returns their e-mails."""
    from tests.web.helpers import make_users

    _, app = live_app
    with app.app_context():
        users = make_users()
        emails = {key: user.email for key, user in users.items()}
        from fund.extensions import db

        db.session.remove()
    return emails
