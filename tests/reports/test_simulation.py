"""`fund rules simulate`: the draft rules against applications already received, read-only."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from tests.facts import llo_facts, voucher_facts
from fund.extensions import db
from fund.models import Application
from fund.reports.simulation import simulate
from fund.workflow import clock
from fund.rules.rulebook import rules_dir_from
from tests.workflow.conftest import make_people
from tests.workflow.helpers import submitted



def _draft(tmp_path: Path, **new_2026_values: str) -> Path:
    """A full copy of rules/ with the 2026 value of LLO parameters changed."""
    draft = tmp_path / "ontwerp"
    shutil.copytree(rules_dir_from(None), draft)
    path = draft / "llo" / "parameters.yaml"
    text = path.read_text(encoding="utf-8")
    for name, value in new_2026_values.items():
        text, n = re.subn(rf"(\n  {name}:\n(?:    .*\n)*?      2026-01-01: )\"[^\"]*\"", rf'\g<1>"{value}"', text)
        assert n == 1, name
    path.write_text(text, encoding="utf-8")
    return draft


@pytest.fixture
def received(app):
    people = make_people()
    apps = {
        cost: submitted(people, "llo", llo_facts(cost=cost))
        for cost in ("1200.00", "1800.00", "2400.00", "3000.00")
    }
    apps["jong"] = submitted(people, "llo", llo_facts(cost="3400.00", birth_date="2004-02-02",
                                                       municipality="GM0118"))
    apps["voucher"] = submitted(people, "voucher", voucher_facts(people.org))
    db.session.commit()
    return apps


def _snapshot():
    return [(a.id, a.status, a.eligibility_outcome, a.computed_amount, json.dumps(a.eligibility_result, sort_keys=True))
            for a in db.session.scalars(select(Application).order_by(Application.id))]


def test_lowering_the_2026_llo_maximum_changes_exactly_the_amounts_above_it(received, tmp_path):
    before = {key: app.computed_amount for key, app in received.items()}
    assert str(before["3000.00"]) == "2500.00" and str(before["jong"]) == "3400.00"
    snapshot = _snapshot()
    draft = _draft(tmp_path, maximum_overig="2000.00", maximum_prioritair="3000.00")

    report = simulate(draft, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))

    assert _snapshot() == snapshot  # read-only
    expected = sorted(received[k].number for k in ("2400.00", "3000.00", "jong"))
    assert [c["number"] for c in report["changes"]] == expected
    by_number = {c["number"]: c for c in report["changes"]}
    assert by_number[received["2400.00"].number]["after"] == {"outcome": "eligible", "amount": "2000.00", "reasons": []}
    assert by_number[received["jong"].number]["before"]["amount"] == "3400.00"
    assert by_number[received["jong"].number]["after"]["amount"] == "3000.00"
    llo = report["instruments"]["llo"]
    assert (llo["applications"], llo["changed"]) == (5, 3)
    assert llo["before"]["amount"] == "11300.00" and llo["after"]["amount"] == "10000.00"
    assert llo["amount_delta"] == "-1300.00"
    assert llo["before"]["eligible"] == llo["after"]["eligible"] == 5
    assert llo["prioritaire_doelgroep"] == {"gain": 0, "lose": 1}
    tv = llo["tijdvakken"]["2026"]
    assert tv["before"]["ceiling_room"] == "588700.00" and tv["after"]["ceiling_room"] == "590000.00"
    assert report["instruments"]["voucher"]["changed"] == 0
    assert report["gemeenten"]["GM0118"]["amount_delta"] == "-400.00"
    assert report["period"] == {"from": "2026-01-01", "to": "2026-12-31"}


def test_period_and_instrument_filter(received, tmp_path):
    draft = _draft(tmp_path, maximum_overig="2000.00")
    today = clock.today()  # the pinned test clock: the day the applications were received
    assert simulate(draft, start=dt.date(2026, 1, 1), end=today - dt.timedelta(days=1))["instruments"] == {}
    only = simulate(draft, start=today, end=today, instrument="voucher")
    assert list(only["instruments"]) == ["voucher"] and only["changes"] == []


def test_cli_json_text_and_xlsx(received, tmp_path):
    from flask import current_app

    from fund.rules.cli import rules_cli

    draft = _draft(tmp_path, maximum_overig="2000.00")
    runner = current_app.test_cli_runner()
    result = runner.invoke(rules_cli, ["simulate", "--draft", str(draft), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)  # default period: the current tijdvak
    assert report["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert len(report["changes"]) == 2
    text = runner.invoke(rules_cli, ["simulate", "--draft", str(draft)])
    assert text.exit_code == 0 and "Veranderde aanvragen: 2" in text.output
    out = tmp_path / "sim.xlsx"
    xlsx = runner.invoke(rules_cli, ["simulate", "--draft", str(draft), "--format", "xlsx", "--output", str(out)])
    assert xlsx.exit_code == 0, xlsx.output
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Instrumenten", "Gemeenten", "Veranderd"]
    assert len(list(wb["Veranderd"].iter_rows(values_only=True))) == 3


def test_cli_refuses_a_broken_draft(received, tmp_path):
    from flask import current_app

    from fund.rules.cli import rules_cli

    draft = _draft(tmp_path)
    (draft / "llo" / "parameters.yaml").write_text("parameters: [kapot", encoding="utf-8")
    result = current_app.test_cli_runner().invoke(rules_cli, ["simulate", "--draft", str(draft)])
    assert result.exit_code == 1
    assert "niets gesimuleerd" in result.output


def test_on_the_demo_data_exactly_the_amounts_above_the_new_maximum_change(app, tmp_path):
    """Issue 17's "done when": the demo seed, a draft with a lower 2026 LLO maximum, and the
    JSON of `fund rules simulate` names exactly the applications whose amount was above it."""
    from flask import current_app

    from fund.demo.seed import seed
    from fund.rules.cli import rules_cli

    seed()
    db.session.commit()
    llo_2026 = [a for a in db.session.scalars(select(Application).where(
        Application.instrument == "llo", Application.eligibility_result.is_not(None),
        Application.received_at >= dt.datetime(2026, 1, 1, tzinfo=clock.NL)))]
    new_max = "2000.00"
    above = sorted(a.number for a in llo_2026 if a.computed_amount is not None and a.computed_amount > Decimal(new_max))
    at_or_below = [a for a in llo_2026 if a.computed_amount is not None and a.computed_amount <= Decimal(new_max)]
    assert above and at_or_below, "the demo data must have LLO amounts on both sides of the new maximum"
    draft = _draft(tmp_path, maximum_overig=new_max, maximum_prioritair=new_max)

    out = tmp_path / "simulatie.json"
    result = current_app.test_cli_runner().invoke(rules_cli, [
        "simulate", "--draft", str(draft), "--from", "2026-01-01", "--to", "2026-12-31",
        "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [c["number"] for c in report["changes"]] == above
    assert all(c["after"]["amount"] == new_max and Decimal(c["before"]["amount"]) > Decimal(new_max)
               for c in report["changes"])
    assert report["instruments"]["llo"]["changed"] == len(above)
    assert report["instruments"]["llo"]["applications"] == len(llo_2026)
