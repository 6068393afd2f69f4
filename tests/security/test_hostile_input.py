"""Hostile input gets a 4xx with a Dutch message, never a 500 (issue 12, Low)."""
from __future__ import annotations

import pytest

from tests.web.helpers import PASSWORD, llo_answers, login

DUTCH_400 = "Uw verzoek bevat tekens die wij niet kunnen verwerken"


def _assert_4xx(resp, dutch: str):
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert dutch in resp.get_data(as_text=True)


@pytest.mark.parametrize("path,role", [("/beheer/gebruikers", "admin"), ("/behandeling/", "officer")])
def test_huge_page_number_is_a_400(client, users, path, role):
    login(client, users[role])
    _assert_4xx(client.get(f"{path}?pagina=9223372036854775807"), "paginanummer")


def test_nul_byte_in_login_email_is_a_400(client, users):
    resp = client.post("/auth/login", data={"email": "a\x00@test.example", "password": "x"})
    _assert_4xx(resp, DUTCH_400)


def test_nul_byte_in_registration_is_a_400(client):
    resp = client.post("/auth/registreren", data={"account_type": "inwoner", "email": "nul@test.example",
                                             "name": "Jan\x00Jansen", "password": PASSWORD,
                                             "password_confirm": PASSWORD, "bsn": "123456782"})
    _assert_4xx(resp, DUTCH_400)


def test_nul_byte_in_search_and_aanvraag_is_a_400(client, users):
    login(client, users["admin"])
    _assert_4xx(client.get("/beheer/gebruikers?zoek=a%00b"), DUTCH_400)
    login(client, users["auditor"])
    _assert_4xx(client.get("/verantwoording/export/controlespoor?aanvraag=A%00B"), DUTCH_400)


def test_far_future_end_date_is_refused_in_dutch(client, users):
    login(client, users["auditor"])
    for path in ("/verantwoording/export/controlespoor", "/verantwoording/export/besluiten"):
        resp = client.get(f"{path}?tot=9999-12-31", follow_redirects=True)
        assert resp.status_code < 500
        assert "De export kan niet" in resp.get_data(as_text=True)


def test_absurd_cost_is_a_dutch_field_error(client, users):
    login(client, users["inwoner"])
    answers = llo_answers()
    resp = client.post("/mijn/aanvragen/nieuw/llo", data=answers["over-u"])
    assert resp.status_code == 302
    step = resp.headers["Location"]
    data = dict(answers["opleiding"], training__cost="1e30")
    resp = client.post(step, data=data)
    assert resp.status_code == 200, resp.status_code
    assert "Dit bedrag is te hoog" in resp.get_data(as_text=True)


def test_deeply_nested_json_on_the_api_is_a_400(client):
    body = "[" * 100_000 + "]" * 100_000
    resp = client.post("/api/v1/eligibility", data=body, content_type="application/json")
    assert resp.status_code == 400, resp.status_code
    assert resp.get_json()["errors"][0]["message"]
