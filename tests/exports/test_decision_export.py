"""Auditor exports of decisions: every format, the filters, pseudonyms and no personal data."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from stdnum.nl import bsn as stdnum_bsn

from fund.exports.decisions import COLUMNS, DecisionFilter
from fund.exports.formats import decision_export
from fund.exports.period import ExportError, Period
from fund.exports.pseudonym import applicant_key, applicant_keys
from fund.exports.zgw import besluit_schema
from fund.extensions import db
from tests.letters import factories as f

NINE_DIGITS = re.compile(r"(?<![0-9A-Za-z])(\d{9})(?![0-9A-Za-z])")


def _bytes(flt, fmt) -> bytes:
    return b"".join(decision_export(flt, fmt))


def assert_no_personal_data(blob: str) -> None:
    assert f.TEST_BSN not in blob and f.TEST_IBAN not in blob
    for name in ("Fatima El Amrani", "Hoofdstraat", "7811 EA", "Gerrit Lubbers"):
        assert name not in blob
    for match in NINE_DIGITS.findall(blob):
        assert not stdnum_bsn.is_valid(match), f"BSN-like number {match} in export"


@pytest.fixture
def data(any_app):
    kinds = f.all_kinds()
    return kinds


def test_csv_has_one_row_per_decision_with_all_columns(data):
    rows = list(csv.DictReader(io.StringIO(_bytes(DecisionFilter(), "csv").decode("utf-8"))))
    from fund.models import Decision

    assert len(rows) == db.session.query(Decision).count()
    assert list(rows[0].keys()) == [heading for _, heading in COLUMNS]
    grant = data["verlening"]
    row = next(r for r in rows if r["Besluitnummer"] == grant.number)
    assert row["Aanvraagnummer"] == grant.application.number
    assert row["Instrument"] == "llo" and row["Soort besluit"] == "verlening"
    assert row["Besluitdatum"] == "2026-03-20"
    assert row["Bedrag in besluit"] == "1800.00" and row["Verleend"] == "1800.00"
    assert row["Regelset"] == "llo-2026"
    assert row["Behandelaar"] == "Anouk Bakker"
    assert row["Gemeente"] == "GM0114"
    assert row["Aanvrager (pseudoniem)"] == applicant_key(grant.application.applicant_id)
    assert re.fullmatch(r"[0-9a-f]{64}", row["Aanvrager (pseudoniem)"])

    reclaim = next(r for r in rows if r["Besluitnummer"] == data["terugvordering"].number)
    assert reclaim["Betaald"] == "1440.00" and reclaim["Vastgesteld"] == "600.00"
    assert reclaim["Tweede behandelaar (vier ogen)"] == "Ingrid Hofstra"
    rejected = next(r for r in rows if r["Besluitnummer"] == data["afwijzing"].number)
    assert rejected["Redenen"] == "buiten_werkgebied;leeftijd"
    referred = next(r for r in rows if r["Besluitnummer"] == data["doorverwijzing"].number)
    assert referred["Doorverwijzingen"] == "uwv"


def test_filters_period_and_instrument(data):
    flt = DecisionFilter(Period.parse("2026-05-01", "2026-05-31"))
    rows = json.loads(_bytes(flt, "json"))
    assert {r["kind"] for r in rows} == {"bezwaar_gegrond", "bezwaar_ongegrond"}
    assert json.loads(_bytes(DecisionFilter(instrument="voucher"), "json")) == []
    with pytest.raises(ExportError):
        DecisionFilter(instrument="fiets")
    with pytest.raises(ExportError):
        Period.parse("2026-05-01", "2026-04-01")


def test_json_keeps_money_exact_and_lists(data):
    rows = json.loads(_bytes(DecisionFilter(), "json"))
    grant = next(r for r in rows if r["decision_number"] == data["verlening"].number)
    assert grant["decision_amount"] == "1800.00" and grant["paid_amount"] == "0.00"
    assert grant["reasons"] == [] and grant["deviates"] is False
    assert grant["decided_on"] == "2026-03-20"


def test_xlsx_opens_with_the_same_rows(data):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(_bytes(DecisionFilter(), "xlsx")), read_only=True)
    ws = wb["Besluiten"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == tuple(h for _, h in COLUMNS)
    from fund.models import Decision

    assert len(rows) - 1 == db.session.query(Decision).count()
    grant = next(r for r in rows if r[0] == data["verlening"].number)
    assert grant[6] == 1800  # a number cell, not text


def test_zgw_objects_validate_against_the_besluit_schema(data):
    validator = Draft202012Validator(besluit_schema(), format_checker=FormatChecker())
    objects = json.loads(_bytes(DecisionFilter(), "zgw"))
    assert objects
    for obj in objects:
        errors = sorted(validator.iter_errors(obj), key=str)
        assert not errors, f"{obj['identificatie']}: {[e.message for e in errors]}"
    by_id = {o["identificatie"]: o for o in objects}
    grant = by_id[data["verlening"].number]
    assert grant["verantwoordelijkeOrganisatie"] == "001711118"
    assert grant["besluittype"] == "http://127.0.0.1:5000/zgw/besluittypen/llo-verlening"
    assert grant["zaak"].endswith(f"/zgw/zaken/{data['verlening'].application.number}")
    assert grant["datum"] == "2026-03-20" and grant["verzenddatum"] == "2026-03-20"
    assert grant["uiterlijkeReactiedatum"] == "2026-05-01"
    assert by_id[data["verdaging"].number]["uiterlijkeReactiedatum"] is None
    # The afwijzing that a bezwaar_gegrond replaced is marked as revoked.
    revoked = by_id[data["bezwaar_gegrond"].supersedes.number]
    assert revoked["vervalreden"] == "ingetrokken_belanghebbende"
    assert revoked["vervaldatum"] == "2026-05-04"


def test_schema_rejects_what_the_api_rejects():
    validator = Draft202012Validator(besluit_schema(), format_checker=FormatChecker())
    good = {"verantwoordelijkeOrganisatie": "001711118", "besluittype": "https://x.test/bt/1",
            "datum": "2026-03-20", "ingangsdatum": "2026-03-20"}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "identificatie": "B" * 51})
    assert not validator.is_valid({**good, "verantwoordelijkeOrganisatie": "1234"})
    assert not validator.is_valid({**good, "datum": "20-03-2026"})
    assert not validator.is_valid({k: v for k, v in good.items() if k != "besluittype"})


@pytest.mark.parametrize("fmt", ["csv", "json", "zgw"])
def test_no_bsn_name_address_or_iban_in_any_export(data, fmt):
    blob = _bytes(DecisionFilter(), fmt).decode("utf-8")
    if fmt == "zgw":
        blob = blob.replace('"001711118"', '""')  # the RSIN of the bestuursorgaan is public
    assert_no_personal_data(blob)


def test_pseudonym_depends_on_the_key(app):
    assert applicant_key(7, "a") == applicant_key(7, "a")
    assert applicant_key(7, "a") != applicant_key(7, "b")
    assert applicant_key(7, "a") != applicant_key(8, "a")
    # the export's prepared, memoised keys are the same keys
    keys = applicant_keys("a")
    assert [keys(7), keys(8), keys(7), keys(None)] == [applicant_key(7, "a"), applicant_key(8, "a"),
                                                        applicant_key(7, "a"), ""]


def test_cli_writes_each_format(data, tmp_path):
    from fund.exports.cli import export_cli

    runner = data and __import__("flask").current_app.test_cli_runner()
    for fmt in ("csv", "xlsx", "json", "zgw"):
        out = tmp_path / f"besluiten.{fmt}"
        result = runner.invoke(export_cli, ["decisions", "--from", "2026-01-01", "--to", "2026-12-31",
                                            "--instrument", "llo", "--format", fmt, "--output", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    result = runner.invoke(export_cli, ["decisions", "--format", "json", "--from", "2027-01-01"])
    assert result.exit_code == 0
    assert [r["kind"] for r in json.loads(result.stdout)] == ["vaststelling"]
    bad = runner.invoke(export_cli, ["decisions", "--from", "gisteren"])
    assert bad.exit_code == 2 and "geen geldige datum" in bad.output


def test_zgw_export_of_the_demo_data_validates_including_the_rsin(app):
    """The issue's acceptance check: every Besluit of the demo data is valid against the schema
    and names a bestuursorgaan whose RSIN passes the 11-proef."""
    from fund.demo.seed import seed

    seed()
    validator = Draft202012Validator(besluit_schema(), format_checker=FormatChecker())
    objects = json.loads(_bytes(DecisionFilter(), "zgw"))
    assert len(objects) >= 10
    for obj in objects:
        assert not sorted(validator.iter_errors(obj), key=str), obj["identificatie"]
        assert stdnum_bsn.is_valid(obj["verantwoordelijkeOrganisatie"]), obj["verantwoordelijkeOrganisatie"]


def test_fast_csv_cells_write_what_the_generic_text_value_writes(data):
    """The decision CSV converts per column (CSV_CELLS); it must give the same bytes as the
    generic text_value + neutralise_formula path, including empty, negative, formula-like and
    list values, and the same applicant pseudonym as one HMAC per row."""
    import datetime as dt
    from decimal import Decimal

    from fund.exports import decisions
    from fund.exports.writers import csv_stream

    rows = [dict(r) for r in decisions.iter_rows(DecisionFilter())]
    assert rows and all(r["applicant_key"] for r in rows)
    odd = dict(rows[0], decision_amount=Decimal("-840.00"), final_amount=None, sent_on=None,
               decided_on=dt.date(2026, 3, 2), reasons=["=cmd", "leeftijd"], referrals=[],
               motivation="=HYPERLINK(\"x\")", second_officer=None, deviates=True, municipality="+31")
    rows.append(odd)
    fast = b"".join(csv_stream(COLUMNS, rows, decisions.text_value, cells=decisions.CSV_CELLS))
    generic = b"".join(csv_stream(COLUMNS, rows, decisions.text_value))
    assert fast == generic
    assert "'=HYPERLINK" in fast.decode() and "-840.00" in fast.decode() and "'=cmd;leeftijd" in fast.decode()
    assert _bytes(DecisionFilter(), "csv").splitlines() == generic.splitlines()[:-1]  # the view path
    for raw, row in zip(decisions.iter_raw(DecisionFilter()), rows):
        assert row["applicant_key"] == applicant_key(raw.applicant_id)
