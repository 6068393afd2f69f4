"""Unit tests of the rules engine: contract, machinery, rule-file errors, determinism."""
from __future__ import annotations

import copy
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from fund.rules import (
    InputError,
    RuleFileError,
    evaluate,
    explain,
    load_rulebook,
    validate_facts,
    with_history,
)
from fund.rules.cli import rules_cli
from fund.rules.dates import add_months, age_on, money_text, round_down_euros
from fund.rules.rulebook import DEFAULT_RULES_DIR, clear_cache, load
from tests.example_documents import LLO_EXAMPLE

EXAMPLE = LLO_EXAMPLE


# -- §7 contract ------------------------------------------------------------------------------

def test_par7_example_gives_exactly_the_stated_result() -> None:
    result = evaluate(copy.deepcopy(EXAMPLE))
    assert {k: v for k, v in result.items() if k != "trace"} == {
        "instrument": "llo", "ruleset": "llo-2026", "outcome": "eligible", "amount": "1800.00",
        "priority_group": False, "reasons": [], "referrals": [], "needs_info": []}
    leeftijd = next(t for t in result["trace"] if t["rule"] == "leeftijd")
    assert leeftijd == {"rule": "leeftijd", "kind": "eligibility", "passed": True,
                        "explanation": "U bent op 2 maart 2026 45 jaar; de regeling vraagt 18 tot 67 jaar."}
    json.dumps(result)  # JSON-ready


def test_every_eligibility_rule_is_traced_with_kind_eligibility() -> None:
    result = evaluate(copy.deepcopy(EXAMPLE))
    codes = [t["rule"] for t in result["trace"] if t["kind"] == "eligibility"]
    assert codes == ["buiten_werkgebied", "leeftijd", "aanbieder_niet_erkend", "richting",
                     "gestart_voor_aanvraag", "duur", "minimum_kosten", "eerder_traject"]
    for step in result["trace"]:
        assert set(step) == {"rule", "kind", "passed", "explanation"}
        assert step["explanation"].endswith(".") and "{" not in step["explanation"]


def test_input_error_shape() -> None:
    doc = copy.deepcopy(EXAMPLE)
    del doc["applicant"]["birth_date"]
    with pytest.raises(InputError) as info:
        evaluate(doc)
    assert info.value.errors == [{"field": "applicant.birth_date", "message": "ontbreekt"}]


@pytest.mark.parametrize("document", [None, [], "llo", 3])
def test_document_must_be_an_object(document: object) -> None:
    with pytest.raises(InputError) as info:
        evaluate(document)  # type: ignore[arg-type]
    assert info.value.errors[0]["field"] == "document"


def test_float_money_is_never_used_internally() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["training"]["cost"] = 0.1 + 0.2  # 0.30000000000000004 as a float
    doc["training"]["cost"] = 1800.1
    facts = validate_facts(doc)
    assert facts["training"]["cost"] == Decimal("1800.1")
    assert isinstance(facts["funding"]["other_amount"], Decimal)


def test_validate_facts_normalises_and_fills_defaults() -> None:
    doc = copy.deepcopy(EXAMPLE)
    del doc["history"]
    facts = validate_facts(doc)
    assert facts["ruleset"] == "llo-2026"
    assert facts["application"]["date"] == dt.date(2026, 3, 2)
    assert facts["history"]["llo_granted_last_12_months"] == 0
    assert facts["funding"]["uwv_declined"] is False
    assert facts["funding"]["other_amount"] == Decimal("0")


def test_with_history_overrides_what_the_applicant_typed() -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["history"] = {"llo_granted_last_12_months": 0, "made_up": 1}
    forced = with_history(doc, {"llo_granted_last_12_months": 1})
    assert forced["history"] == {"llo_granted_last_12_months": 1}
    assert doc["history"]["llo_granted_last_12_months"] == 0  # original untouched
    assert evaluate(forced)["reasons"] == ["eerder_traject"]
    voucher = with_history({"instrument": "voucher"}, {"vouchers_granted_this_year": Decimal("2500")})
    assert voucher["history"] == {"vouchers_granted_this_year": "2500.00"}


# -- machinery ----------------------------------------------------------------------------------

@pytest.mark.parametrize("start,months,expected", [
    ("2026-01-31", 1, "2026-02-28"),
    ("2028-01-31", 1, "2028-02-29"),
    ("2026-03-31", 1, "2026-04-30"),
    ("2028-02-29", 12, "2029-02-28"),
    ("2026-04-01", 24, "2028-04-01"),
])
def test_add_months_clamps_to_month_end(start: str, months: int, expected: str) -> None:
    assert add_months(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("birth,on,age", [
    ("1980-05-10", "2026-03-02", 45),
    ("2008-03-02", "2026-03-02", 18),
    ("2008-03-03", "2026-03-02", 17),
    ("2008-02-29", "2026-02-28", 17),
    ("2008-02-29", "2026-03-01", 18),
])
def test_age_on(birth: str, on: str, age: int) -> None:
    assert age_on(dt.date.fromisoformat(birth), dt.date.fromisoformat(on)) == age


def test_money_helpers() -> None:
    assert round_down_euros(Decimal("1800.99")) == Decimal("1800.00")
    assert str(round_down_euros(Decimal("999.9975"))) == "999.00"
    assert money_text(Decimal("1800")) == "€ 1.800,00"
    assert money_text(Decimal("50000000.01")) == "€ 50.000.000,01"


# -- rulebook API -------------------------------------------------------------------------------

def test_rulebook_parameters_and_procedure() -> None:
    book = load_rulebook()
    assert book.instruments == ["llo", "voucher", "praktijkverklaring"]
    assert [rs.id for rs in book.rulesets()] == [
        "llo-2026", "llo-2027", "praktijkverklaring-2026", "praktijkverklaring-2027",
        "voucher-2026", "voucher-2027"]
    assert book.parameter("llo", dt.date(2026, 5, 1), "voorschot_percentage") == Decimal("0.80")
    assert book.parameter("llo", "2027-05-01", "maximum_prioritair") == Decimal("4000.00")
    assert book.parameter("voucher", "2027-05-01", "tarief_klein_mkb") == Decimal("0.80")
    proc = book.procedure("praktijkverklaring", dt.date(2027, 1, 1))
    assert proc.subsidieplafond == Decimal("300000.00")
    assert proc.voorschot_percentage == Decimal("0.75")
    assert proc.vier_ogen_drempel == Decimal("2500.00")
    assert (proc.beslistermijn_weken, proc.hersteltermijn_dagen, proc.bezwaartermijn_weken) == (8, 14, 6)
    plafonds = {(rs.instrument, rs.tijdvak.id): rs.procedure.subsidieplafond for rs in book.rulesets()}
    assert plafonds == {("llo", "2026"): Decimal("600000.00"), ("llo", "2027"): Decimal("750000.00"),
                        ("voucher", "2026"): Decimal("200000.00"), ("voucher", "2027"): Decimal("200000.00"),
                        ("praktijkverklaring", "2026"): Decimal("250000.00"),
                        ("praktijkverklaring", "2027"): Decimal("300000.00")}
    with pytest.raises(LookupError, match="geen regeling van kracht op 2025-12-31"):
        book.ruleset("llo", dt.date(2025, 12, 31))


def test_vaststelling_amounts() -> None:
    book = load_rulebook()
    llo = book.ruleset("llo", "2026-03-02")
    assert llo.voorschot_amount(Decimal("1800.00")) == Decimal("1440.00")
    assert llo.vaststelling_amount("completed", granted=Decimal("1800")) == Decimal("1800.00")
    assert llo.vaststelling_amount("dropped_out", granted=Decimal("1800"), actual_costs=Decimal("950.75")) == Decimal("950.00")
    assert llo.vaststelling_amount("partly_followed", granted=Decimal("1800"), actual_costs=Decimal("2950")) == Decimal("1800.00")
    assert llo.vaststelling_amount("not_started", granted=Decimal("1800")) == Decimal("0.00")
    pk = book.ruleset("praktijkverklaring", "2026-03-02")
    assert pk.vaststelling_amount("not_obtained", granted=Decimal("2000")) == Decimal("1500.00")
    voucher = book.ruleset("voucher", "2026-03-02")
    facts = {"instrument": "voucher", "application": {"date": "2026-03-02"},
             "employer": {"kvk_number": "12345678", "municipality": "GM0114", "employees": 5,
                          "annual_turnover": "1", "de_minimis_received_3y": "0"},
             "activity": {"kind": "scholing", "provider_kind": "mbo", "legally_required": False,
                          "participants": 1, "start_date": "2026-04-01", "end_date": "2026-05-01",
                          "cost": "4000"},
             "funding": {"coverage": "none"}}
    assert voucher.vaststelling_amount("completed", granted=Decimal("3000"), actual_costs=Decimal("3000"),
                                       facts=facts) == Decimal("2250.00")


def test_explain_is_readable_dutch_with_tijdvak_values() -> None:
    text_2026 = explain("llo", "2026-06-01")
    text_2027 = explain("llo", dt.date(2027, 6, 1))
    assert "llo-2026" in text_2026 and "€ 3.750,00" in text_2026
    assert "llo-2027" in text_2027 and "€ 4.000,00" in text_2027 and "onderwijs" in text_2027
    for code in ("buiten_werkgebied", "leeftijd", "eerder_traject", "studiefinanciering"):
        assert f"`{code}`" in text_2026


def test_no_eval_or_exec_in_the_engine() -> None:
    package = Path(__file__).resolve().parents[2] / "fund" / "rules"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "eval(" not in source.replace("evaluate(", "").replace("_eval(", ""), path
        assert "exec(" not in source, path


def test_determinism() -> None:
    first = json.dumps(evaluate(copy.deepcopy(EXAMPLE)), sort_keys=True)
    for _ in range(20):
        assert json.dumps(evaluate(copy.deepcopy(EXAMPLE)), sort_keys=True) == first
    clear_cache()
    assert json.dumps(evaluate(copy.deepcopy(EXAMPLE)), sort_keys=True) == first


# -- rule files are data: change a number, no Python change -------------------------------------

@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


def test_changing_the_llo_maximum_in_yaml_changes_the_amount(rules_copy: Path) -> None:
    doc = copy.deepcopy(EXAMPLE)
    doc["training"]["cost"] = "5000.00"
    assert evaluate(doc)["amount"] == "2500.00"
    params = rules_copy / "llo" / "parameters.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace('2026-01-01: "2500.00"', '2026-01-01: "2750.00"'),
                      encoding="utf-8")
    result = evaluate(doc, rules_dir=rules_copy)
    assert result["amount"] == "2750.00"
    assert "€ 2.750,00" in next(t for t in result["trace"] if t["rule"] == "bedrag")["explanation"]
    assert evaluate(doc)["amount"] == "2500.00"  # the real rules are untouched


def test_env_var_points_to_another_rules_dir(rules_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = rules_copy / "shared" / "parameters.yaml"
    shared.write_text(shared.read_text(encoding="utf-8").replace("2026-01-01: 67", "2026-01-01: 70"), encoding="utf-8")
    monkeypatch.setenv("FUND_RULES_DIR", str(rules_copy))
    doc = copy.deepcopy(EXAMPLE)
    doc["applicant"]["birth_date"] = "1958-01-01"  # 68 on the application date
    result = evaluate(doc)
    assert result["outcome"] == "eligible"
    assert "18 tot 70 jaar" in next(t for t in result["trace"] if t["rule"] == "leeftijd")["explanation"]


# -- rule-file errors come with file and line ---------------------------------------------------

def _break(rules_copy: Path, relative: str, old: str, new: str) -> int:
    path = rules_copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def _problems(rules_copy: Path) -> list[str]:
    with pytest.raises(RuleFileError) as info:
        load(rules_copy)
    return [str(p) for p in info.value.problems]


def test_typo_in_operator_key_reports_file_and_line(rules_copy: Path) -> None:
    line = _break(rules_copy, "llo/instrument.yaml", "passes_when: {op: in, left: {fact: training.provider_kind}",
                  "passes_when: {op: in, lefft: {fact: training.provider_kind}")
    problems = _problems(rules_copy)
    assert any(p.startswith(f"rules/llo/instrument.yaml:{line}:") and "lefft" in p for p in problems), problems


def test_unknown_fact_reports_file_and_line(rules_copy: Path) -> None:
    line = _break(rules_copy, "llo/instrument.yaml", "{fact: applicant.statushouder}", "{fact: applicant.statushoudr}")
    problems = _problems(rules_copy)
    assert any(p.startswith(f"rules/llo/instrument.yaml:{line}:") and "onbekend feit 'applicant.statushoudr'" in p
               for p in problems), problems


def test_unknown_parameter_in_shared_rule_reports_shared_file(rules_copy: Path) -> None:
    line = _break(rules_copy, "shared/rules.yaml", "right: {param: werkgebied}", "right: {param: werkgebeid}")
    problems = _problems(rules_copy)
    assert any(p.startswith(f"rules/shared/rules.yaml:{line}:") and "werkgebeid" in p for p in problems), problems


def test_unknown_operator_value(rules_copy: Path) -> None:
    line = _break(rules_copy, "voucher/instrument.yaml", 'passes_when: {op: ">", left: {var: ruimte_jaarmaximum}',
                  'passes_when: {op: "=>", left: {var: ruimte_jaarmaximum}')
    problems = _problems(rules_copy)
    assert any(p.startswith(f"rules/voucher/instrument.yaml:{line}:") and "=>" in p for p in problems), problems


def test_unknown_placeholder_in_explanation(rules_copy: Path) -> None:
    line = _break(rules_copy, "llo/instrument.yaml", "{history.llo_granted_last_12_months} keer",
                  "{history.llo_granted} keer")
    problems = _problems(rules_copy)
    assert any(p.startswith(f"rules/llo/instrument.yaml:{line}:") and "history.llo_granted" in p for p in problems), problems


def test_parameter_without_value_for_a_tijdvak(rules_copy: Path) -> None:
    line = _break(rules_copy, "llo/parameters.yaml", '      2026-01-01: "250.00"', '      2027-01-01: "250.00"')
    problems = _problems(rules_copy)
    assert any(p.startswith("rules/llo/parameters.yaml:") and "geen waarde voor tijdvak 2026" in p for p in problems), problems
    assert any(f":{line - 1}:" in p or f":{line}:" in p for p in problems), problems


def test_duplicate_key_and_bad_yaml(rules_copy: Path) -> None:
    _break(rules_copy, "voucher/parameters.yaml", "  min_deelnemers:", "  min_werknemers:")
    problems = _problems(rules_copy)
    assert any("rules/voucher/parameters.yaml:" in p and "twee keer" in p for p in problems), problems
    (rules_copy / "voucher" / "parameters.yaml").write_text("parameters: [unclosed\n", encoding="utf-8")
    problems = _problems(rules_copy)
    assert any(p.startswith("rules/voucher/parameters.yaml:") and "geen geldige YAML" in p for p in problems), problems


def test_definition_cycle_is_found(rules_copy: Path) -> None:
    _break(rules_copy, "llo/instrument.yaml", "value: {round_down: {min: [{var: basis}, {var: maximum}]}}",
           "value: {round_down: {min: [{var: bedrag}, {var: maximum}]}}")
    problems = _problems(rules_copy)
    assert any("kring" in p for p in problems), problems


# -- CLI ----------------------------------------------------------------------------------------

def test_cli_eval_ok_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(EXAMPLE), encoding="utf-8")
    ok = runner.invoke(rules_cli, ["eval", str(path)])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["amount"] == "1800.00"
    bad = copy.deepcopy(EXAMPLE)
    del bad["applicant"]["birth_date"]
    out = runner.invoke(rules_cli, ["eval", "-"], input=json.dumps(bad))
    assert out.exit_code == 2
    assert json.loads(out.output) == {"errors": [{"field": "applicant.birth_date", "message": "ontbreekt"}]}
    malformed = runner.invoke(rules_cli, ["eval", "-"], input="{not json")
    assert malformed.exit_code == 2
    assert json.loads(malformed.output)["errors"][0]["field"] == "document"


def test_cli_check_test_explain(rules_copy: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(rules_cli, ["check"]).exit_code == 0
    tested = runner.invoke(rules_cli, ["test"])
    assert tested.exit_code == 0 and " passed, 0 failed" in tested.output
    explained = runner.invoke(rules_cli, ["explain", "voucher", "--date", "2027-03-01"])
    assert explained.exit_code == 0 and "80%" in explained.output
    _break(rules_copy, "llo/instrument.yaml", "{fact: applicant.statushouder}", "{fact: applicant.statushoudr}")
    broken = runner.invoke(rules_cli, ["--rules-dir", str(rules_copy), "check"])
    assert broken.exit_code == 1 and "rules/llo/instrument.yaml:" in broken.output


def test_cli_test_reports_failures(rules_copy: Path) -> None:
    _break(rules_copy, "llo/parameters.yaml", '2026-01-01: "2500.00"', '2026-01-01: "2600.00"')
    out = CliRunner().invoke(rules_cli, ["--rules-dir", str(rules_copy), "test"])
    assert out.exit_code == 1
    assert "FAIL" in out.output and out.output.strip().splitlines()[-1].endswith("failed")


# -- API view (plain Flask app, no database) ----------------------------------------------------

def test_api_view() -> None:
    flask = pytest.importorskip("flask")
    from fund.rules.api import eligibility_view

    app = flask.Flask(__name__)
    app.add_url_rule("/api/v1/eligibility", view_func=eligibility_view, methods=["POST"])
    client = app.test_client()
    ok = client.post("/api/v1/eligibility", json=EXAMPLE)
    assert ok.status_code == 200 and ok.get_json()["amount"] == "1800.00"
    bad = client.post("/api/v1/eligibility", json={"instrument": "x"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "instrument"
    junk = client.post("/api/v1/eligibility", data="{nope", content_type="application/json")
    assert junk.status_code == 422 and junk.get_json()["errors"][0]["field"] == "document"
