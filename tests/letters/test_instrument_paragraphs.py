"""An instrument folder may add its own paragraphs to its letters (``letters:`` in its
form.yaml, per soort besluit); the letter templates ask the folder, and a paragraph for a soort
besluit that does not exist is a rule-file error with file:line."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.facts import praktijkverklaring_facts
from fund.letters.render import letter_html
from fund.rules import load_rulebook
from fund.rules import RuleFileError
from fund.rules.rulebook import load
from tests.letters import factories as f

RULES = Path(__file__).resolve().parents[2] / "rules"


def test_the_instrument_paragraph_is_in_its_verlening_only(letters_app):
    paragraph = load_rulebook().form("praktijkverklaring").paragraphs("verlening")[0]
    doc = praktijkverklaring_facts()
    doc["application"]["date"] = "2026-03-02"  # as the other letter fixtures: no dependence on today
    doc["traject"].update(start_date="2026-04-01", end_date="2026-12-31")
    praktijk = f.application(doc=doc)
    assert praktijk.eligibility_outcome == "eligible"
    llo = f.application()
    assert paragraph in letter_html(f.decision(praktijk, "verlening", amount="2000.00"))
    assert paragraph not in letter_html(f.decision(praktijk, "afwijzing"))
    assert paragraph not in letter_html(f.decision(llo, "verlening", amount="1800.00"))
    assert load_rulebook().form("llo").paragraphs("verlening") == ()


def test_a_paragraph_for_an_unknown_decision_kind_is_a_load_error(tmp_path):
    shutil.copytree(RULES, tmp_path / "rules")
    form = tmp_path / "rules" / "llo" / "form.yaml"
    form.write_text(form.read_text(encoding="utf-8") + "letters:\n  toekenning:\n    - Tekst.\n",
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path / "rules")
    assert "form.yaml:" in str(caught.value) and "onbekende soort besluit 'toekenning'" in str(caught.value)


def test_a_leerbedrijfs_letter_names_the_candidate_in_voor_wie(letters_app):
    """A leerbedrijf applied for its candidate: the letter's header says for whom (issue 14);
    the candidate's own application has no such row."""
    doc = praktijkverklaring_facts(applicant_kind="organisation")
    doc["application"]["date"] = "2026-03-02"
    doc["traject"].update(start_date="2026-04-01", end_date="2026-12-31")
    doc["candidate"]["name"] = "Sanne de Vries"
    org = f.organisation("Bakkerij Bos")
    by_leerbedrijf = f.application(f.user("werkgever", organisation_id=org.id), doc=doc, organisation_=org)
    for kind, amount in (("verlening", "2000.00"), ("afwijzing", None)):
        html = letter_html(f.decision(by_leerbedrijf, kind, amount=amount))
        assert '<th scope="row">Voor wie</th><td>Sanne de Vries</td>' in html, kind
    own = praktijkverklaring_facts()
    own["application"]["date"] = "2026-03-02"
    own["traject"].update(start_date="2026-04-01", end_date="2026-12-31")
    html = letter_html(f.decision(f.application(doc=own), "verlening", amount="2000.00"))
    assert "Voor wie" not in html
