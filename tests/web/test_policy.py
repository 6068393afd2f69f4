"""The beleidsmedewerker's simulation page shows what `fund rules simulate` reports."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import zipfile

import pytest
from openpyxl import load_workbook

from tests.facts import llo_facts
from fund.extensions import db
from fund.reports.simulation import simulate
from fund.reports.simulation_runs import report
from fund.rules.rulebook import rules_dir_from
from tests.web.helpers import login
from tests.workflow.conftest import make_people
from tests.workflow.helpers import submitted


@pytest.fixture
def received(app):
    people = make_people()
    apps = [submitted(people, "llo", llo_facts(cost=c)) for c in ("1200.00", "2400.00", "3000.00")]
    db.session.commit()
    return apps


def _form(**values):
    return {"regelset": "llo-2026", "van": "2026-01-01", "tot": "2026-12-31", "instrument": "", **values}


def test_lowering_the_maximum_on_the_page_equals_the_cli(app, users, received, tmp_path):
    client = app.test_client()
    login(client, users["beleid"])
    page = client.get("/beleid/simulatie?regelset=llo-2026")
    assert page.status_code == 200
    assert 'name="p_maximum_overig"' in page.text and 'value="2500.00"' in page.text

    resp = client.post("/beleid/simulatie", data=_form(p_maximum_overig="2000,00"))
    assert resp.status_code == 303
    run_id = resp.headers["Location"].rsplit("/", 1)[1]
    shown = client.get(resp.headers["Location"])
    assert shown.status_code == 200
    assert "Aanvragen die veranderen (2)" in shown.text

    data = report(run_id)
    # the same as the command line on a draft with the same change
    draft = tmp_path / "ontwerp"
    shutil.copytree(rules_dir_from(None), draft)
    text = (draft / "llo" / "parameters.yaml").read_text(encoding="utf-8")
    (draft / "llo" / "parameters.yaml").write_text(
        text.replace('      2026-01-01: "2500.00"', '      2026-01-01: "2000.00"', 1), encoding="utf-8")
    cli = simulate(draft, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert data["changes"] == cli["changes"] and data["instruments"] == cli["instruments"]
    assert sorted(c["number"] for c in data["changes"]) == sorted(a.number for a in received[1:])
    for change in data["changes"]:
        assert change["number"] in shown.text
    assert data["instruments"]["llo"]["amount_delta"] in shown.text
    # the prioritaire doelgroep as a chart with its table: who gains, who loses
    group = data["instruments"]["llo"]["prioritaire_doelgroep"]
    assert 'aria-labelledby="grafiek-doelgroep-title grafiek-doelgroep-desc"' in shown.text
    assert f"llo krijgt minder: {group['lose']}" in shown.text

    xlsx = client.get(f"/beleid/simulatie/{run_id}/simulatie.xlsx")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.data))
    assert len(list(wb["Veranderd"].iter_rows(values_only=True))) == 3


@pytest.mark.parametrize("values, message", [
    ({"p_maximum_overig": "veel"}, "is geen getal"),
    ({"p_maximum_overig": "-5"}, "mag niet negatief zijn"),
    ({}, "U heeft geen waarde veranderd"),
    ({"p_maximum_overig": "2000", "van": "2026-12-31", "tot": "2026-01-01"}, "einddatum ligt voor de begindatum"),
])
def test_bad_input_gets_a_dutch_message_and_keeps_the_values(app, users, values, message):
    client = app.test_client()
    login(client, users["beleid"])
    resp = client.post("/beleid/simulatie", data=_form(**values))
    assert resp.status_code == 400
    assert message in resp.text
    if "p_maximum_overig" in values:
        assert f'value="{values["p_maximum_overig"]}"' in resp.text


def test_zip_upload(app, users, received, tmp_path):
    buf = io.BytesIO()
    root = rules_dir_from(None)
    with zipfile.ZipFile(buf, "w") as zf:
        for path in root.rglob("*.yaml"):
            zf.write(path, f"rules/{path.relative_to(root)}")
    client = app.test_client()
    login(client, users["beleid"])
    resp = client.post("/beleid/simulatie", data={**_form(), "ontwerp": (io.BytesIO(buf.getvalue()), "ontwerp.zip")},
                       content_type="multipart/form-data")
    assert resp.status_code == 303, resp.text
    assert "Geen enkele aanvraag verandert." in client.get(resp.headers["Location"]).text
    bad = client.post("/beleid/simulatie", data={**_form(), "ontwerp": (io.BytesIO(b"geen zip"), "x.zip")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "Dit is geen zip-bestand." in bad.text
