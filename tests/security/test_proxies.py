"""Behind a trusted reverse proxy each client has its own login limit; without one configured,
X-Forwarded-For is ignored (issue 12, Medium: rate limits)."""
from __future__ import annotations

import pytest

from tests.conftest import make_app


def _login_statuses(app, forwarded_for: str, n: int) -> list[int]:
    client = app.test_client()
    return [client.post("/auth/login", data={"email": "x@test.example", "password": ""},
                        headers={"X-Forwarded-For": forwarded_for}).status_code for _ in range(n)]


@pytest.mark.parametrize("hops,second_client_limited", [(1, False), (0, True)])
def test_login_limit_counts_per_client_behind_trusted_proxies(sqlite_url, tmp_path, hops, second_client_limited):
    from fund.extensions import db

    app = make_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True, FUND_TRUSTED_PROXIES=hops)
    with app.app_context():
        try:
            assert _login_statuses(app, "203.0.113.7", 11)[-1] == 429  # 10 per minute
            other = _login_statuses(app, "198.51.100.9", 1)[0]
            assert (other == 429) is second_client_limited
        finally:
            db.session.remove()
            db.engine.dispose()
