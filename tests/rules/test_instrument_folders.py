"""Contract: every instrument folder is complete and consistent, and a gap is reported with
file:line (``fund rules check`` and the start of the app both load through the same checks)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fund.rules import RuleFileError, load_rulebook
from fund.rules.rulebook import DEFAULT_RULES_DIR, load


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(DEFAULT_RULES_DIR, target)
    return target


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


def test_every_instrument_folder_is_complete():
    book = load_rulebook()
    assert book.instruments == ["llo", "voucher", "praktijkverklaring"]
    for instrument in book.instruments:
        form = book.form(instrument)
        assert form.roles and form.steps and form.check_intro
        assert form.subject and form.activiteit
        for q in form.questions():
            if q.kind == "enum":
                assert q.options and all(label for _, label in q.options), q.fact
        results = set(book.ruleset(instrument, "2026-06-01").vaststelling)
        assert set(dict(form.vaststelling_map).values()) <= results
        # the result question offers exactly the mapped results, each labelled from the YAML
        assert [v for v, _, _ in form.reported_results] == list(dict(form.vaststelling_map))
        assert all(label and letter for _, label, letter in form.reported_results)
    assert book.reported_results["gedeeltelijk"] == "deels gevolgd"
    assert book.instruments_for_role("inwoner") == ("llo", "praktijkverklaring")
    assert book.instruments_for_role("werkgever") == ("voucher", "praktijkverklaring")


@pytest.mark.parametrize(("relative", "old", "new", "message"), [
    ("llo/form.yaml", "fact: training.sector", "fact: training.sectorr",
     "onbekend feit 'training.sectorr' voor llo"),
    ("llo/form.yaml", "          other: Een andere richting\n", "",
     "geen label voor other (waarden van training.sector)"),
    ("llo/form.yaml", "          ict: ICT", "          ict: ICT\n          ruimtevaart: Ruimtevaart",
     "'ruimtevaart' is geen waarde van training.sector"),
    ("llo/form.yaml", "always: [offerte]", "always: [offerte, paspoort]",
     "onbekende documentsoort 'paspoort'"),
    ("voucher/form.yaml", "uitgevallen: dropped_out", "uitgevallen: weggelopen",
     "onbekend vaststellingsresultaat 'weggelopen'"),
    ("praktijkverklaring/form.yaml", "{use: weigeringen}", "{use: weigeringenn}",
     "onbekende vragengroep 'weigeringenn'"),
    ("llo/form.yaml", "    same: applicant", "    same: applicant.shoe_size",
     "onbekend feit 'applicant.shoe_size' voor llo"),
    ("voucher/form.yaml", "label: Ontwikkelvoucher voor werkgevers", "labell: x",
     "onbekende sleutel 'labell'"),
    # the shared files other parts of the application read go through the schema too
    ("shared/targets.yaml", "instruments: [llo]", "instruments: [lloo]", "onbekend instrument 'lloo'"),
    ("shared/targets.yaml", "{fact: activity.kind,", "{fact: activity.soort,",
     "onbekend feit 'activity.soort' voor voucher"),
    ("shared/termijnen.yaml", "naam: Nieuwjaarsdag", "naame: Nieuwjaarsdag", "onbekende sleutel 'naame'"),
    ("shared/workflow.yaml", "document_labels:", "document_label:", "onbekende sleutel 'document_label'"),
    # the results a person may report: declared in YAML with their labels, once
    ("llo/form.yaml", "    gedeeltelijk: partly_followed", "    half: partly_followed",
     "onbekend gemeld resultaat 'half'"),
    ("voucher/form.yaml", "  needs_costs: [diploma,",
     "  reported_results:\n    diploma: {label: Diploma, letter: diploma}\n  needs_costs: [diploma,",
     "'diploma' staat al in shared/workflow.yaml"),
    # demo.yaml: the demo applications of an instrument, checked like the other files
    ("llo/demo.yaml", 'set: {training.cost: "3400.00"', 'set: {training.kosten: "3400.00"',
     "onbekend feit 'training.kosten' voor llo"),
    ("voucher/demo.yaml", "completed: {result: certificaat", "completed: {result: geslaagd",
     "'geslaagd' biedt voucher niet aan"),
    ("praktijkverklaring/demo.yaml", 'title: "Praktijkleren {status}"', 'title: "Praktijkleren"',
     "de titel mist {status}"),
    ("shared/workflow.yaml", "  gedeeltelijk: {label: Voor een deel gevolgd, letter: deels gevolgd}",
     "  gedeeltelijk: {label: Voor een deel gevolgd}", "'letter' ontbreekt"),
])
def test_a_gap_in_an_instrument_folder_is_reported_with_file_and_line(rules_copy, relative, old, new,
                                                                      message):
    line = _break(rules_copy, relative, old, new)
    problems = _problems(rules_copy)
    hits = [p for p in problems if message in p]
    assert hits, problems
    assert any(p.startswith(f"rules/{relative}:") for p in hits), hits
    if "geen label" not in message and "onbekende sleutel" not in message:
        # the line of the broken text (an added line: the one after it)
        assert any(p.startswith((f"rules/{relative}:{line}:", f"rules/{relative}:{line + 1}:"))
                   for p in hits), (line, hits)


def test_a_history_fact_must_be_declared(rules_copy):
    _break(rules_copy, "voucher/form.yaml", "history:\n  vouchers_granted_this_year:",
           "historie:\n  vouchers_granted_this_year:")
    assert any("rules/voucher/form.yaml" in p for p in _problems(rules_copy))


def test_a_missing_form_file_is_reported(rules_copy):
    (rules_copy / "voucher" / "form.yaml").unlink()
    assert any(p.startswith("rules/voucher/form.yaml") and "bestand ontbreekt" in p
               for p in _problems(rules_copy))


def test_every_demo_file_names_demo_accounts_and_workflow_states():
    """demo.yaml names demo inwoners by e-mail and organisations by KvK number (fund/demo/seed.py)
    and workflow states; the loader does not know those, so this test and the seed check them."""
    from fund.demo.applications import PATHS
    from fund.demo.seed import INWONERS, ORGANISATIONS
    from fund.workflow.machine import STATES

    assert set(PATHS) == set(STATES)
    book = load_rulebook()
    emails, kvks = {row[0] for row in INWONERS}, {row[0] for row in ORGANISATIONS}
    for instrument in book.instruments:
        demo = book.demo(instrument)
        assert demo is not None, instrument
        assert set(demo["states"]) | set(demo["skip"]) <= set(STATES), instrument
        for case in [demo["default"], *demo["states"].values()]:
            assert case["inwoner"] in emails | {None}, (instrument, case)
            assert case["organisation"] in kvks | {None}, (instrument, case)


def test_every_voorziening_says_where_to_ask_first(rules_copy):
    """The referral texts ("Vraag het eerst hier: uw gemeente") live beside the voorziening in
    the rules, in the applicant's words and in the words for anyone else; none is missing."""
    book = load_rulebook()
    for rs in book.rulesets():
        for rule in rs.voorzieningen:
            assert rule.refer_to and all(rule.refer_to), (rs.id, rule.code)
    assert book.refer_to("voucher", "oo_fonds", aanvrager=True) == "het O&O-fonds van uw sector"
    assert book.refer_to("llo", "gemeente", aanvrager=True) == "uw gemeente"
    assert book.refer_to("praktijkverklaring", "gemeente", aanvrager=False) == "de gemeente"
    _break(rules_copy, "llo/instrument.yaml",
           "    refer_to: {aanvrager: studiefinanciering (DUO), derde: studiefinanciering (DUO)}\n", "")
    assert any(p.startswith("rules/llo/instrument.yaml:") and "regel mist: refer_to" in p
               for p in _problems(rules_copy)), _problems(rules_copy)
