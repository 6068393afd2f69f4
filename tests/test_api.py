"""POST /api/v1/eligibility on the real app: public, CSRF-free, rate-limited, §7 shaped."""
from tests.conftest import make_app
from tests.example_documents import LLO_EXAMPLE as EXAMPLE


def test_eligibility_api_public_and_without_csrf_token(sqlite_url, tmp_path):
    app = make_app(sqlite_url, tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    ok = client.post("/api/v1/eligibility", json=EXAMPLE)
    assert ok.status_code == 200
    body = ok.get_json()
    assert (body["outcome"], body["amount"], body["ruleset"]) == ("eligible", "1800.00", "llo-2026")
    assert body["trace"][0]["explanation"]


def test_eligibility_api_input_error_is_422(client):
    resp = client.post("/api/v1/eligibility", json={"instrument": "llo"})
    assert resp.status_code == 422
    fields = {e["field"] for e in resp.get_json()["errors"]}
    assert "application.date" in fields


def test_eligibility_api_is_rate_limited_with_a_json_error(sqlite_url, tmp_path):
    app = make_app(sqlite_url, tmp_path, RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/api/v1/eligibility", json=EXAMPLE).status_code for _ in range(61)]
    assert codes[:60] == [200] * 60
    assert codes[60] == 429
    last = client.post("/api/v1/eligibility", json=EXAMPLE)
    assert last.status_code == 429 and last.get_json()["errors"][0]["message"]


def _validator(client, name):
    import yaml
    from openapi_schema_validator import OAS30Validator

    spec = yaml.safe_load(client.get("/api/v1/openapi.yaml").get_data(as_text=True))
    return OAS30Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


def test_responses_match_the_published_openapi_document(client):
    from tests.example_documents import LLO_EXAMPLE

    resp = client.get("/api/v1/openapi.yaml")
    assert resp.status_code == 200 and resp.mimetype == "application/yaml"
    ok = client.post("/api/v1/eligibility", json=LLO_EXAMPLE).get_json()
    _validator(client, "Result").validate(ok)
    referred = client.post("/api/v1/eligibility", json={**LLO_EXAMPLE, "funding": {"coverage": "full"}})
    assert referred.get_json()["amount"] is None
    _validator(client, "Result").validate(referred.get_json())
    bad = client.post("/api/v1/eligibility", json={"instrument": "llo"}).get_json()
    _validator(client, "Errors").validate(bad)
    assert not _validator(client, "Result").is_valid(bad)
