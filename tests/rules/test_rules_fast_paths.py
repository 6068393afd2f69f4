"""The load-time fast paths of the evaluator (memos, folded constants, prepared templates) must
give exactly the output of the plain rules; cross-checked against the hand-written contract in
bench/rules_bench.py."""
from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import random
from decimal import Decimal
from pathlib import Path

import pytest

from fund.rules import InputError, evaluate, load_rulebook
from fund.rules.compiler import Memo
from fund.rules.dates import money_text

BENCH = Path(__file__).resolve().parents[2] / "bench" / "rules_bench.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("rules_bench_for_tests", BENCH)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_memo_computes_once_and_stays_bounded() -> None:
    calls: list[int] = []
    memo = Memo(lambda v: calls.append(v) or f"<{v}>", limit=3)
    assert memo[1] == "<1>" and memo[1] == "<1>" and calls == [1]
    for v in range(2, 10):
        assert memo[v] == f"<{v}>"
    assert len(memo) <= 3


def test_negative_zero_money_is_written_as_before() -> None:
    """Decimals are never memoised: Decimal('-0') == Decimal('0') but prints differently."""
    doc = copy.deepcopy(_LLO)
    doc["funding"] = {"coverage": "partial", "other_amount": "-0"}
    first = evaluate(doc)
    doc["funding"]["other_amount"] = "0"
    second = evaluate(doc)
    texts = [t["explanation"] for t in first["trace"] if t["rule"] == "werkgever_of_fonds"]
    assert texts == [f"Anderen betalen {money_text(Decimal('-0'))} van de kosten van € 1.800,00. "
                     "Het fonds kan alleen de rest betalen."]
    assert [t["explanation"] for t in second["trace"] if t["rule"] == "werkgever_of_fonds"] == [
        "Anderen betalen € 0,00 van de kosten van € 1.800,00. Het fonds kan alleen de rest betalen."]


def test_constant_definitions_are_folded_and_dynamic_ones_are_not() -> None:
    book = load_rulebook()
    llo = evaluate(copy.deepcopy(_LLO))
    assert llo["trace"][1]["explanation"].startswith("U bent op 2 maart 2026 ")
    rs = book.ruleset("praktijkverklaring", dt.date(2026, 3, 2))
    assert rs.id == "praktijkverklaring-2026"
    for kind, wie in (("person", "U"), ("organisation", "De kandidaat")):
        doc = copy.deepcopy(_PK)
        doc["application"]["applicant_kind"] = kind
        trace = evaluate(doc)["trace"]
        assert trace[0]["explanation"].startswith(f"{wie} woont in Emmen.")


def test_same_date_text_twice_gives_equal_dates_and_bad_dates_stay_bad() -> None:
    doc = copy.deepcopy(_LLO)
    assert evaluate(copy.deepcopy(doc)) == evaluate(copy.deepcopy(doc))
    doc["training"]["start_date"] = "2026-02-30"
    with pytest.raises(InputError) as info:
        evaluate(doc)
    assert info.value.errors == [{"field": "training.start_date", "message": "is geen geldige datum (JJJJ-MM-DD)"}]


@pytest.mark.parametrize("index", [0, 1, 2])
def test_yaml_evaluator_equals_the_hand_written_contract(bench, index: int) -> None:
    """Whole result dicts (trace included) for random valid documents, and the errors of broken ones."""
    name, gen, _ = bench.INSTRUMENTS[index]
    rng = random.Random(f"test-{name}")
    for _ in range(400):
        doc = gen(rng)
        assert evaluate(copy.deepcopy(doc)) == bench.hand_full(doc)
        broken = bench._broken(rng, doc)
        assert bench._errors(evaluate, copy.deepcopy(broken)) == bench._errors(bench.hand_full, broken)


_LLO = {
    "instrument": "llo",
    "application": {"date": "2026-03-02"},
    "applicant": {"birth_date": "1980-05-10", "municipality": "GM0114", "employment_status": "employed",
                  "has_startkwalificatie": True, "statushouder": False, "inburgeringsplichtig": False,
                  "banenafspraak_indicatie": False},
    "training": {"provider_kind": "mbo", "kind": "certificaat", "sector": "zorg_welzijn", "full_time": False,
                 "start_date": "2026-04-01", "end_date": "2026-12-31", "cost": "1800.00"},
    "funding": {"coverage": "none"},
}

_PK = {
    "instrument": "praktijkverklaring",
    "application": {"date": "2026-03-02", "applicant_kind": "person"},
    "candidate": {"birth_date": "1990-01-01", "municipality": "GM0114", "employment_status": "jobseeker",
                  "has_startkwalificatie": False, "statushouder": False, "banenafspraak_indicatie": False},
    "leerbedrijf": {"sbb_erkend": True, "name": "Leerbedrijf BV"},
    "traject": {"mbo_instelling": "Drenthe College", "crebo": "25655", "werkprocessen": ["B1-K1-W1"],
                "start_date": "2026-04-01", "end_date": "2026-12-31"},
}


def test_free_text_is_shown_as_typed_not_as_a_code_label() -> None:
    """A leerbedrijf called 'ict' must not become the sector label 'ICT' in the trace."""
    from fund.rules import evaluate

    doc = {
        "instrument": "praktijkverklaring",
        "application": {"date": "2026-03-02", "applicant_kind": "organisation"},
        "candidate": {"birth_date": "1990-02-14", "municipality": "GM0118",
                      "employment_status": "jobseeker", "has_startkwalificatie": False,
                      "statushouder": False, "banenafspraak_indicatie": False},
        "leerbedrijf": {"sbb_erkend": True, "name": "ict"},
        "traject": {"mbo_instelling": "zorg_welzijn", "crebo": "25491", "werkprocessen": ["B1-K1-W1"],
                    "start_date": "2026-04-01", "end_date": "2026-12-31"},
    }
    text = " ".join(t["explanation"] for t in evaluate(doc)["trace"])
    assert "Het leerbedrijf is erkend door SBB." in text
    assert "(zorg_welzijn)" in text and "(ict)" in text
