"""Benchmark: the YAML rules evaluator against the same criteria hand-written in Python.

    .venv/bin/python bench/rules_bench.py --n 100000 --seed 2026

For each instrument it generates N random *valid* facts documents (seeded), evaluates each one
with the YAML evaluator (``Rulebook.evaluate``: validation + rules + Dutch trace) and with plain
Python functions below (parsing + rules, no trace), checks that both agree on outcome, amount,
reasons and referrals for every case, and reports evaluations per second. It also times the
YAML evaluator without rendering the trace, to show where the time goes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fund.rules.evaluator import evaluate_facts  # noqa: E402
from fund.rules.rulebook import load_rulebook  # noqa: E402

WERKGEBIED = {"GM1680", "GM1681", "GM0109", "GM1690", "GM0114", "GM0118", "GM1731"}
OTHER_GM = ["GM0106", "GM0119", "GM1699", "GM1730", "GM1701"]
STATUSES = ["employed", "self_employed", "jobseeker", "ww", "bijstand", "other"]


# -- random documents ---------------------------------------------------------------------------

def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def _money(rng: random.Random, low: int, high: int) -> Any:
    cents = rng.randrange(low * 100, high * 100)
    value = f"{cents // 100}.{cents % 100:02d}"
    return value if rng.random() < 0.8 else float(value) if rng.random() < 0.5 else cents // 100


def _municipality(rng: random.Random) -> str:
    return rng.choice(sorted(WERKGEBIED)) if rng.random() < 0.85 else rng.choice(OTHER_GM)


def _person(rng: random.Random, app: dt.date) -> dict[str, Any]:
    birth = app - dt.timedelta(days=rng.randrange(16 * 365, 70 * 365))
    return {"birth_date": birth.isoformat(), "municipality": _municipality(rng),
            "employment_status": rng.choice(STATUSES), "has_startkwalificatie": rng.random() < 0.7,
            "statushouder": rng.random() < 0.1, "banenafspraak_indicatie": rng.random() < 0.05}


def _period(rng: random.Random, app: dt.date, max_months: int) -> tuple[str, str]:
    start = _day(rng, app - dt.timedelta(days=10), 120)
    end = start + dt.timedelta(days=rng.randrange(0, max_months * 31 + 40))
    return start.isoformat(), end.isoformat()


def _coverage(rng: random.Random, cost: Any) -> dict[str, Any]:
    coverage = rng.choices(["none", "partial", "full", "unknown"], [60, 25, 8, 7])[0]
    funding: dict[str, Any] = {"coverage": coverage}
    if coverage == "partial":
        funding["other_amount"] = _money(rng, 0, int(Decimal(str(cost))) + 200)
    return funding


def gen_llo(rng: random.Random) -> dict[str, Any]:
    app = _day(rng, dt.date(2026, 1, 1), 730)
    person = _person(rng, app)
    person["inburgeringsplichtig"] = rng.random() < 0.3
    start, end = _period(rng, app, 24)
    cost = _money(rng, 200, 6000)
    funding = _coverage(rng, cost)
    funding["uwv_declined"] = rng.random() < 0.3
    funding["gemeente_declined"] = rng.random() < 0.3
    return {"instrument": "llo", "application": {"date": app.isoformat()}, "applicant": person,
            "training": {"provider_kind": rng.choice(["mbo", "hbo", "wo", "crkbo", "crkbo", "other"]),
                         "kind": rng.choice(["diploma", "certificaat", "mbo_certificaat", "praktijkverklaring", "skills"]),
                         "sector": rng.choice(["zorg_welzijn", "industrie_techniek", "ict", "logistiek", "gastvrijheid",
                                               "onderwijs", "basisvaardigheden", "other"]),
                         "full_time": rng.random() < 0.3, "start_date": start, "end_date": end, "cost": cost},
            "funding": funding, "history": {"llo_granted_last_12_months": rng.choices([0, 1, 2], [90, 8, 2])[0]}}


def gen_voucher(rng: random.Random) -> dict[str, Any]:
    app = _day(rng, dt.date(2026, 1, 1), 730)
    start, end = _period(rng, app, 12)
    cost = _money(rng, 400, 12000)
    return {"instrument": "voucher", "application": {"date": app.isoformat()},
            "employer": {"kvk_number": f"{rng.randrange(10**8):08d}", "municipality": _municipality(rng),
                         "employees": rng.choice([0, 1, 5, 9, 10, 50, 249, 250, 400]),
                         "annual_turnover": _money(rng, 0, 60_000_000),
                         "de_minimis_received_3y": _money(rng, 0, 300_000)},
            "activity": {"kind": rng.choice(["scholing", "hrm_advies", "employability_scan", "ontwikkelplan"]),
                         "provider_kind": rng.choice(["mbo", "hbo", "wo", "crkbo", "adviseur", "other"]),
                         "legally_required": rng.random() < 0.1, "participants": rng.randrange(0, 20),
                         "start_date": start, "end_date": end, "cost": cost},
            "funding": _coverage(rng, cost),
            "history": {"vouchers_granted_this_year": _money(rng, 0, 11000) if rng.random() < 0.3 else "0"}}


def gen_pk(rng: random.Random) -> dict[str, Any]:
    app = _day(rng, dt.date(2026, 1, 1), 730)
    start, end = _period(rng, app, 12)
    return {"instrument": "praktijkverklaring",
            "application": {"date": app.isoformat(), "applicant_kind": rng.choice(["person", "organisation"])},
            "candidate": _person(rng, app),
            "leerbedrijf": {"sbb_erkend": rng.random() < 0.9, "name": "Leerbedrijf BV"},
            "traject": {"mbo_instelling": "Drenthe College", "crebo": f"{rng.randrange(10000, 99999)}",
                        "werkprocessen": ["B1-K1-W1", "B1-K1-W2"][: rng.randrange(1, 3)],
                        "start_date": start, "end_date": end},
            "funding": {"uwv_declined": rng.random() < 0.3, "gemeente_declined": rng.random() < 0.3}}


# -- the same criteria, hand-written ------------------------------------------------------------

def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _m(value: Any) -> Decimal:
    return Decimal(str(value))


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _add_months(d: dt.date, months: int) -> dt.date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dt.date(year, month, min(d.day, days[month - 1]))


def _floor(x: Decimal) -> Decimal:
    return x.quantize(Decimal("1"), rounding=ROUND_FLOOR)


def _decide(reasons: list[str], referrals: list[str], needs: list[str], amount: Callable[[], Decimal]) -> dict[str, Any]:
    if reasons:
        return {"outcome": "ineligible", "reasons": reasons, "referrals": [], "amount": None}
    if referrals:
        return {"outcome": "referred", "reasons": [], "referrals": referrals, "amount": None}
    if needs:
        return {"outcome": "needs_info", "reasons": [], "referrals": [], "amount": None}
    return {"outcome": "eligible", "reasons": [], "referrals": [], "amount": f"{amount():.2f}"}


def hand_llo(doc: dict[str, Any]) -> dict[str, Any]:
    app = _d(doc["application"]["date"])
    a, t, f = doc["applicant"], doc["training"], doc["funding"]
    y2027 = app.year == 2027
    age = _age(_d(a["birth_date"]), app)
    start, end, cost = _d(t["start_date"]), _d(t["end_date"]), _m(t["cost"])
    coverage, other = f["coverage"], _m(f.get("other_amount", 0))
    sectors = {"zorg_welzijn", "industrie_techniek", "ict", "logistiek", "gastvrijheid"} | ({"onderwijs"} if y2027 else set())
    reasons = []
    if a["municipality"] not in WERKGEBIED:
        reasons.append("buiten_werkgebied")
    if not 18 <= age < 67:
        reasons.append("leeftijd")
    if t["provider_kind"] not in ("mbo", "hbo", "wo", "crkbo"):
        reasons.append("aanbieder_niet_erkend")
    if t["sector"] not in sectors and t["sector"] != "basisvaardigheden":
        reasons.append("richting")
    if start < app:
        reasons.append("gestart_voor_aanvraag")
    if end > _add_months(start, 24):
        reasons.append("duur")
    if cost < 250:
        reasons.append("minimum_kosten")
    if doc.get("history", {}).get("llo_granted_last_12_months", 0) != 0:
        reasons.append("eerder_traject")
    referrals = []
    if coverage == "full" or (coverage == "partial" and other >= cost):
        referrals.append("werkgever_of_fonds")
    if a["employment_status"] == "ww" and not f.get("uwv_declined", False):
        referrals.append("uwv")
    if a["employment_status"] == "bijstand" and not f.get("gemeente_declined", False):
        referrals.append("gemeente")
    if a["statushouder"] and a["inburgeringsplichtig"] and t["sector"] == "basisvaardigheden":
        referrals.append("inburgering")
    if age < 30 and t["full_time"] and t["provider_kind"] in ("mbo", "hbo", "wo") and t["kind"] == "diploma":
        referrals.append("studiefinanciering")
    needs = ["funding.coverage"] if coverage == "unknown" else []
    priority = (age < 27 or not a["has_startkwalificatie"] or a["statushouder"] or a["banenafspraak_indicatie"]
                or a["employment_status"] in ("jobseeker", "ww", "bijstand"))

    def amount() -> Decimal:
        base = cost - other if coverage == "partial" else cost
        maximum = (Decimal(4000) if priority else Decimal(3000)) if y2027 else (Decimal(3750) if priority else Decimal(2500))
        return _floor(min(base, maximum))

    return _decide(reasons, referrals, needs, amount)


def hand_voucher(doc: dict[str, Any]) -> dict[str, Any]:
    app = _d(doc["application"]["date"])
    e, act, f = doc["employer"], doc["activity"], doc["funding"]
    start, end, cost = _d(act["start_date"]), _d(act["end_date"]), _m(act["cost"])
    coverage, other = f["coverage"], _m(f.get("other_amount", 0))
    granted = _m(doc.get("history", {}).get("vouchers_granted_this_year", 0))
    employees = e["employees"]
    rate = (Decimal("0.80") if app.year == 2027 else Decimal("0.75")) if employees < 10 else Decimal("0.50")

    def amount() -> Decimal:
        base = cost - other if coverage == "partial" else cost
        return _floor(min(base * rate, Decimal(5000), Decimal(10000) - granted))

    reasons = []
    if e["municipality"] not in WERKGEBIED:
        reasons.append("buiten_werkgebied")
    if not (employees < 250 and _m(e["annual_turnover"]) <= 50_000_000):
        reasons.append("geen_mkb")
    if not (employees >= 1 and act["participants"] >= 1):
        reasons.append("geen_werknemers")
    if act["legally_required"]:
        reasons.append("wettelijk_verplicht")
    allowed = ("mbo", "hbo", "wo", "crkbo") if act["kind"] == "scholing" else ("adviseur", "crkbo", "hbo")
    if act["provider_kind"] not in allowed:
        reasons.append("aanbieder_niet_erkend")
    if start < app:
        reasons.append("gestart_voor_aanvraag")
    if end > _add_months(start, 12):
        reasons.append("duur")
    if cost < 500:
        reasons.append("minimum_kosten")
    if not Decimal(10000) - granted > 0:
        reasons.append("jaarmaximum")
    if coverage in ("none", "partial") and _m(e["de_minimis_received_3y"]) + amount() > 300_000:
        reasons.append("de_minimis")
    referrals = ["oo_fonds"] if coverage == "full" or (coverage == "partial" and other >= cost) else []
    needs = ["funding.coverage"] if coverage == "unknown" else []
    return _decide(reasons, referrals, needs, amount)


def hand_pk(doc: dict[str, Any]) -> dict[str, Any]:
    app = _d(doc["application"]["date"])
    c, t, f = doc["candidate"], doc["traject"], doc.get("funding", {})
    age = _age(_d(c["birth_date"]), app)
    start, end = _d(t["start_date"]), _d(t["end_date"])
    reasons = []
    if c["municipality"] not in WERKGEBIED:
        reasons.append("buiten_werkgebied")
    if not 18 <= age < 67:
        reasons.append("leeftijd")
    if not (not c["has_startkwalificatie"] or c["employment_status"] in ("jobseeker", "ww", "bijstand")
            or c["statushouder"] or c["banenafspraak_indicatie"]):
        reasons.append("geen_doelgroep")
    if not doc["leerbedrijf"]["sbb_erkend"]:
        reasons.append("leerbedrijf_niet_erkend")
    if start < app:
        reasons.append("gestart_voor_aanvraag")
    if end > _add_months(start, 12):
        reasons.append("duur")
    referrals = []
    if c["employment_status"] == "ww" and not f.get("uwv_declined", False):
        referrals.append("uwv")
    if c["employment_status"] == "bijstand" and not f.get("gemeente_declined", False):
        referrals.append("gemeente")
    return _decide(reasons, referrals, [], lambda: Decimal(2200) if app.year == 2027 else Decimal(2000))


INSTRUMENTS: list[tuple[str, Callable[[random.Random], dict[str, Any]], Callable[[dict[str, Any]], dict[str, Any]]]] = [
    ("llo", gen_llo, hand_llo), ("voucher", gen_voucher, hand_voucher), ("praktijkverklaring", gen_pk, hand_pk)]

KEYS = ("outcome", "amount", "reasons", "referrals")


def _rate(fn: Callable[[dict[str, Any]], Any], docs: list[dict[str, Any]]) -> tuple[float, list[Any]]:
    started = time.perf_counter()
    results = [fn(d) for d in docs]
    return len(docs) / (time.perf_counter() - started), results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="applications per instrument")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    book = load_rulebook()

    def yaml_no_trace(doc: dict[str, Any]) -> dict[str, Any]:
        ruleset, flat = book.validate(doc)
        return evaluate_facts(ruleset, flat, trace=False)

    print(f"{'instrument':<20}{'n':>8}{'YAML eval/s':>14}{'YAML no-trace/s':>17}{'hand eval/s':>14}"
          f"{'ratio':>8}{'ratio no-trace':>16}{'mismatch':>10}")
    total_mismatch = 0
    for name, gen, hand in INSTRUMENTS:
        rng = random.Random(f"{args.seed}-{name}")
        docs = [gen(rng) for _ in range(args.n)]
        yaml_rate, yaml_results = _rate(book.evaluate, docs)
        fast_rate, fast_results = _rate(yaml_no_trace, docs)
        hand_rate, hand_results = _rate(hand, docs)
        mismatches = 0
        for doc, y, f, h in zip(docs, yaml_results, fast_results, hand_results):
            if any(y[k] != h[k] for k in KEYS) or any(f[k] != h[k] for k in KEYS):
                mismatches += 1
                if mismatches <= 5:
                    print(f"  MISMATCH {name}: yaml={ {k: y[k] for k in KEYS} } hand={ {k: h[k] for k in KEYS} }\n    {doc}")
        total_mismatch += mismatches
        outcomes: dict[str, int] = {}
        for y in yaml_results:
            outcomes[y["outcome"]] = outcomes.get(y["outcome"], 0) + 1
        print(f"{name:<20}{args.n:>8}{yaml_rate:>14,.0f}{fast_rate:>17,.0f}{hand_rate:>14,.0f}"
              f"{hand_rate / yaml_rate:>7.2f}x{hand_rate / fast_rate:>15.2f}x{mismatches:>10}   {outcomes}")
    print("all results agree" if total_mismatch == 0 else f"{total_mismatch} MISMATCHES")
    return 1 if total_mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
