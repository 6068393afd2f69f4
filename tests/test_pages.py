"""Basic pages render in Dutch with the security headers every page must carry."""


def test_home_page(client):
    resp = client.get("/")
    assert resp.status_code == 200
    assert b'lang="nl"' in resp.data
    assert b"Drents ontwikkelfonds" in resp.data


def test_security_headers(client):
    resp = client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_only_on_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "Strict-Transport-Security" in client.get("/", base_url="https://localhost").headers


def test_unknown_page_is_dutch_404(client):
    resp = client.get("/bestaat-niet")
    assert resp.status_code == 404
    assert "Pagina niet gevonden" in resp.get_data(as_text=True)


def test_staff_pages_need_login(client):
    resp = client.get("/behandeling/")
    assert resp.status_code == 302 and "/auth/login" in resp.headers["Location"]


def test_login_with_demo_account(client, app):
    from fund.demo.seed import DEMO_PASSWORD, seed

    seed()
    resp = client.post("/auth/login", data={"email": "officer@ontwikkelfonds.test",
                                             "password": DEMO_PASSWORD})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/behandeling/")
    assert client.get("/behandeling/").status_code == 200


def test_wrong_password_is_refused_in_dutch(client, app):
    from fund.demo.seed import seed

    seed()
    resp = client.post("/auth/login", data={"email": "officer@ontwikkelfonds.test",
                                             "password": "fout"})
    assert resp.status_code == 200
    assert "klopt niet" in resp.get_data(as_text=True)
