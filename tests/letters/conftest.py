import pytest


@pytest.fixture
def letters_app(sqlite_url, tmp_path):
    """The app with letters switched on (the suite default is off, for speed)."""
    from fund.extensions import db
    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path, FUND_LETTERS=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
