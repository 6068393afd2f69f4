from tests.web.conftest import _fresh_login_per_request, users  # noqa: F401  (same fixtures)
