"""`fund rules publish --format algoritmeregister`: one registration per instrument that passes
the field rules of the Algoritmeregister publicatiestandaard 1.0.0, generated from the rules."""
import datetime as dt
import json

import pytest

from fund.rules import load_rulebook
from fund.rules.algoritmeregister import problems, registrations, standard
from tests.test_cli import _fund

DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("ar") / "register.json"
    result = _fund("rules", "publish", "--format", "algoritmeregister", "--date", DAY.isoformat(),
                   "--output", str(out), cwd=out.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_one_registration_per_instrument_passing_every_field_rule(published):
    book = load_rulebook()
    assert sorted(r["source_id"] for r in published) == sorted(
        f"drents-ontwikkelfonds-{i}" for i in book.instruments)
    fields = standard()["fields"]
    for registration in published:
        assert problems(registration) == [], registration["source_id"]
        # the standard's hard limits, checked here directly as well
        for name, value in registration.items():
            limit = fields[name].get("max_length")
            if limit:
                assert len(value) <= limit, name
            if "permitted_values" in fields[name]:
                values = value if isinstance(value, list) else [value]
                assert set(values) <= set(fields[name]["permitted_values"]), name
        for name, rule in fields.items():
            if rule.get("required"):
                assert registration.get(name), name
        assert registration["standard_version"] == "1.0.0" and registration["lang"] == "nld"


def test_criteria_and_human_intervention_come_from_the_rules(published):
    book = load_rulebook()
    by_id = {r["source_id"]: r for r in published}
    for instrument in book.instruments:
        rs = book.ruleset(instrument, DAY)
        registration = by_id[f"drents-ontwikkelfonds-{instrument}"]
        methods = registration["methods_and_models"]
        for rule in rs.eligibility:
            assert rule.description.replace("&", "&amp;") in methods, rule.code
        threshold = rs.formatting.default(rs.procedure.vier_ogen_drempel)
        assert threshold in registration["human_intervention"]
        assert rs.title in registration["name"]
        assert registration["begin_date"] == "2026-01"


@pytest.mark.parametrize("change, fragment", [
    ({"name": "x" * 101}, "name: 101 tekens"),
    ({"status": "Actief"}, "status: 'Actief' is geen toegestane waarde"),
    ({"category": ["Werk", "Recht", "Wonen", "Economie"]}, "category: hoogstens 3"),
    ({"category": ["Banen"]}, "'Banen' is geen toegestane waarde"),
    ({"goal": "<p>ok</p><script>x</script>"}, "<script> is hier niet toegestaan"),
    ({"provider": "<b>Wij</b>"}, "<b> is hier niet toegestaan"),
    ({"begin_date": "2026-13"}, "geen maand als JJJJ-MM"),
    ({"website": "http://example.org"}, "begint met https://"),
    ({"contact_email": "geen adres"}, "geen e-mailadres"),
    ({"lawful_basis_grouping": [{"title": "Awb", "link": "wetten.nl"}]}, "lawful_basis_grouping.link"),
    ({"kleur": "blauw"}, "kleur: onbekend veld"),
])
def test_check_refuses_what_the_standard_refuses(published, change, fragment):
    registration = {**published[0], **change}
    assert any(fragment in p for p in problems(registration)), problems(registration)


def test_required_field_missing_is_a_problem(published):
    registration = dict(published[0])
    del registration["organization"]
    assert problems(registration) == ["organization: is verplicht en ontbreekt"]


def test_organisation_from_configuration():
    result = registrations(organization="Gemeente Noorderhaaks", contact_email="algoritmes@noorderhaaks.nl",
                           website="https://fonds.example", on_date=DAY)
    assert {r["organization"] for r in result} == {"Gemeente Noorderhaaks"}
    assert {r["contact_email"] for r in result} == {"algoritmes@noorderhaaks.nl"}
    assert {r["website"] for r in result} == {"https://fonds.example"}
    assert all(problems(r) == [] for r in result)
