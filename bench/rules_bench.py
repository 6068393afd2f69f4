"""Benchmark: the YAML rules evaluator against the same criteria hand-written in Python.

    .venv/bin/python bench/rules_bench.py --n 100000 --seed 2026

For each instrument it generates N random *valid* facts documents (seeded) and evaluates each
one four ways in the same run:

* YAML full: ``Rulebook.evaluate`` as the app calls it (validation + rules + Dutch trace);
* YAML no-trace: the same without rendering the trace;
* hand-written, decision only: plain Python functions (parsing + rules; no validation, no trace);
* hand-written, full contract: plain Python doing the same job as ``Rulebook.evaluate``
  (validation with the same messages, rules, amount, the same trace sentences as f-strings).

The full-contract results must be EQUAL to the YAML results (whole dicts, trace included) for
every case; the decision-only results must agree on outcome, amount, reasons and referrals. A
sample of broken documents (``--fuzz`` per instrument) checks that both give the same errors.
Timing: the documents are cut into blocks of 2,000; every variant runs each block ``--repeat``
times, interleaved, and the fastest run per block counts (the machine is shared; the minimum is
the least disturbed measurement).
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import functools
import random
import re
import sys
import time
from decimal import ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fund.rules.errors import InputError  # noqa: E402
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
    computable = coverage == "none" or (coverage == "partial" and other < cost)  # regeling §4
    if computable and _m(e["de_minimis_received_3y"]) + amount() > 300_000:
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


# -- the same contract, hand-written: validation + rules + amount + the same trace --------------
# What a competent engineer would write without a rules engine: one function per instrument that
# checks the document (same messages, same error order), decides, and writes the Dutch trace
# with f-strings. Texts and parameter values are written out as literals per tijdvak.

_GEEN_OBJECT = "moet een object zijn"
_ONTBREEKT = "ontbreekt"
_GEEN_DATUM = "is geen geldige datum (JJJJ-MM-DD)"
_GEEN_BOOL = "moet true of false zijn"
_GEEN_INT = "moet een geheel getal zijn"
_NEGATIEF = "mag niet negatief zijn"
_GEEN_BEDRAG = 'is geen geldig bedrag (bijvoorbeeld "1800.00")'
_NUL = "moet groter dan 0 zijn"
_GEEN_TEKST = "moet een tekst zijn en mag niet leeg zijn"
_EIND_VOOR_BEGIN = "einddatum ligt voor de begindatum"
_GM_FOUT = "is geen geldige gemeentecode (GM en 4 cijfers, bijvoorbeeld GM0114)"
_KVK_FOUT = "is geen geldig KvK-nummer (8 cijfers)"
_CREBO_FOUT = "is geen geldig crebonummer (5 cijfers)"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY_RE = re.compile(r"-?\d+(\.\d+)?")
_GM_RE = re.compile(r"GM[0-9]{4}")
_KVK_RE = re.compile(r"[0-9]{8}")
_CREBO_RE = re.compile(r"[0-9]{5}")
_STATUS = ("employed", "self_employed", "jobseeker", "ww", "bijstand", "other")
_COVERAGE = ("none", "partial", "full", "unknown")

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")
LABELS = {
    "employed": "in loondienst", "self_employed": "zelfstandig ondernemer", "jobseeker": "werkzoekend",
    "ww": "WW-uitkering", "bijstand": "bijstandsuitkering", "other": "anders", "mbo": "mbo-instelling",
    "hbo": "hogeschool", "wo": "universiteit", "crkbo": "CRKBO-geregistreerde opleider", "adviseur": "adviseur",
    "diploma": "diploma", "certificaat": "certificaat", "mbo_certificaat": "mbo-certificaat",
    "praktijkverklaring": "praktijkverklaring", "skills": "skills-training", "zorg_welzijn": "zorg en welzijn",
    "industrie_techniek": "industrie en techniek", "ict": "ICT", "logistiek": "logistiek",
    "gastvrijheid": "gastvrijheid", "onderwijs": "onderwijs", "basisvaardigheden": "basisvaardigheden",
    "none": "niemand anders betaalt", "partial": "anderen betalen een deel", "full": "anderen betalen alles",
    "unknown": "nog niet bekend", "scholing": "scholing", "hrm_advies": "hrm-advies",
    "employability_scan": "employability-scan", "ontwikkelplan": "ontwikkelplan", "person": "de kandidaat zelf",
    "organisation": "het leerbedrijf"}
GEMEENTEN = {"GM1680": "Aa en Hunze", "GM1681": "Borger-Odoorn", "GM0109": "Coevorden", "GM1690": "De Wolden",
             "GM0114": "Emmen", "GM0118": "Hoogeveen", "GM1731": "Midden-Drenthe", "GM0106": "Assen",
             "GM0119": "Meppel", "GM1699": "Noordenveld", "GM1730": "Tynaarlo", "GM1701": "Westerveld"}
WERKGEBIED_TEKST = "Aa en Hunze, Borger-Odoorn, Coevorden, De Wolden, Emmen, Hoogeveen en Midden-Drenthe"
ERKEND_TEKST = "mbo-instelling, hogeschool, universiteit of CRKBO-geregistreerde opleider"
ADVIES_TEKST = "adviseur, CRKBO-geregistreerde opleider of hogeschool"
SECTOREN_TEKST = {2026: "zorg en welzijn, industrie en techniek, ICT, logistiek of gastvrijheid",
                  2027: "zorg en welzijn, industrie en techniek, ICT, logistiek, gastvrijheid of onderwijs"}
SECTOREN = {2026: frozenset({"zorg_welzijn", "industrie_techniek", "ict", "logistiek", "gastvrijheid"}),
            2027: frozenset({"zorg_welzijn", "industrie_techniek", "ict", "logistiek", "gastvrijheid", "onderwijs"})}
_CENT, _EURO = Decimal("0.01"), Decimal("1")


@functools.lru_cache(maxsize=8192)
def _datum(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _eur(x: Decimal) -> str:
    return "€ " + f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _gm(code: str) -> str:
    return GEMEENTEN.get(code) or code


def _lbl(v: str) -> str:
    return LABELS.get(v, v)


def _down(x: Decimal) -> Decimal:
    return x.quantize(_EURO, rounding=ROUND_FLOOR).quantize(_CENT)


_SKIPPED: dict[str, Any] = {}
"""A section that is not an object: reported once, its fields are not checked."""


def _section(doc: dict[str, Any], name: str, errors: list[dict[str, str]]) -> dict[str, Any]:
    s = doc.get(name)
    if s is None:
        return {}
    if type(s) is not dict:
        errors.append({"field": name, "message": _GEEN_OBJECT})
        return _SKIPPED
    return s


def _date(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]]) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        errors.append({"field": field, "message": _ONTBREEKT})
    elif type(raw) is str and len(raw) == 10 and _ISO.fullmatch(raw):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            errors.append({"field": field, "message": _GEEN_DATUM})
    else:
        errors.append({"field": field, "message": _GEEN_DATUM})
    return None


def _end_date(s: dict[str, Any], start: Any, field: str, errors: list[dict[str, str]]) -> Any:
    end = _date(s, "end_date", field, errors)
    if end is not None and start is not None and end < start:
        errors.append({"field": field, "message": _EIND_VOOR_BEGIN})
        return None
    return end


def _bool(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]], default: Any = None) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        if default is None:
            errors.append({"field": field, "message": _ONTBREEKT})
        return default
    if type(raw) is not bool:
        errors.append({"field": field, "message": _GEEN_BOOL})
    return raw


def _count(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]], default: Any = None) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        if default is None:
            errors.append({"field": field, "message": _ONTBREEKT})
        return default
    if type(raw) is not int:
        errors.append({"field": field, "message": _GEEN_INT})
    elif raw < 0:
        errors.append({"field": field, "message": _NEGATIEF})
    return raw


def _money_fact(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]],
           default: Decimal | None = None, positive: bool = False) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        if default is None:
            errors.append({"field": field, "message": _ONTBREEKT})
        return default
    kind = type(raw)
    amount = None
    if kind is str:
        text = raw.strip()
        if _MONEY_RE.fullmatch(text):
            amount = Decimal(text)
    elif kind is int or kind is float:
        amount = Decimal(str(raw))
        if not amount.is_finite():
            amount = None
    if amount is None:
        errors.append({"field": field, "message": _GEEN_BEDRAG})
    elif positive and amount <= 0:
        errors.append({"field": field, "message": _NUL})
    elif amount < 0:
        errors.append({"field": field, "message": _NEGATIEF})
    return amount


def _enum(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]], allowed: tuple[str, ...]) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        errors.append({"field": field, "message": _ONTBREEKT})
    elif type(raw) is not str or raw not in allowed:
        shown = raw if isinstance(raw, str) else ("true" if raw is True else "false" if raw is False else str(raw))
        errors.append({"field": field, "message": f"onbekende waarde '{shown}'; kies uit: {', '.join(allowed)}"})
    return raw


def _code(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]], pattern: re.Pattern[str],
          message: str) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        errors.append({"field": field, "message": _ONTBREEKT})
    elif type(raw) is not str or not pattern.fullmatch(raw):
        errors.append({"field": field, "message": message})
    return raw


def _text(s: dict[str, Any], key: str, field: str, errors: list[dict[str, str]]) -> Any:
    if s is _SKIPPED:
        return None
    raw = s.get(key)
    if raw is None:
        errors.append({"field": field, "message": _ONTBREEKT})
    elif type(raw) is not str or not raw.strip():
        errors.append({"field": field, "message": _GEEN_TEKST})
    else:
        return raw.strip()
    return None


def _tijdvak(app: Any, errors: list[dict[str, str]]) -> int:
    if app is not None and app.year not in (2026, 2027):
        errors.insert(0, {"field": "application.date", "message": f"geen regeling van kracht op {app.isoformat()}"})
    if errors:
        raise InputError(errors)
    return app.year


def _result(instrument: str, year: int, reasons: list[str], referrals: list[str], needs: list[str],
            priority: bool | None, trace: list[dict[str, Any]], amount: Callable[[], tuple[Decimal, str]]) -> dict[str, Any]:
    value = None
    if reasons:
        outcome, referrals, needs = "ineligible", [], []
    elif referrals:
        outcome, needs = "referred", []
    elif needs:
        outcome = "needs_info"
    else:
        outcome = "eligible"
        bedrag, text = amount()
        value = f"{bedrag:.2f}"
        trace.append({"rule": "bedrag", "kind": "amount", "passed": True, "explanation": text})
    return {"instrument": instrument, "ruleset": f"{instrument}-{year}", "outcome": outcome, "amount": value,
            "priority_group": priority, "reasons": reasons, "referrals": referrals, "needs_info": needs,
            "trace": trace}


def _age_rule(wie_is: str, app: dt.date, age: int, trace: list[dict[str, Any]], reasons: list[str]) -> None:
    ok = 18 <= age < 67
    if not ok:
        reasons.append("leeftijd")
    trace.append({"rule": "leeftijd", "kind": "eligibility", "passed": ok, "explanation":
                  f"{wie_is} op {_datum(app)} {age} jaar; de regeling vraagt 18 tot 67 jaar."})


def _start_and_duration(app: dt.date, start: dt.date, end: dt.date, months: int,
                        trace: list[dict[str, Any]], reasons: list[str]) -> None:
    s, a = _datum(start), _datum(app)
    ok = start >= app
    if ok:
        text = f"De begindatum is {s}. Dat is op of na de dag van de aanvraag ({a})."
    else:
        reasons.append("gestart_voor_aanvraag")
        text = f"De begindatum is {s}. Dat is eerder dan de dag van de aanvraag ({a}). De regeling betaalt niet voor iets dat al begonnen is."
    trace.append({"rule": "gestart_voor_aanvraag", "kind": "eligibility", "passed": ok, "explanation": text})
    latest = _add_months(start, months)
    e, u = _datum(end), _datum(latest)
    ok = end <= latest
    if ok:
        text = f"De begindatum is {s} en de einddatum is {e}. Dat is niet langer dan {months} maanden."
    else:
        reasons.append("duur")
        text = f"De begindatum is {s} en de einddatum is {e}. Dat is langer dan {months} maanden. De einddatum mag uiterlijk {u} zijn."
    trace.append({"rule": "duur", "kind": "eligibility", "passed": ok, "explanation": text})


def _minimum_cost(cost: Decimal, minimum: Decimal, minimum_text: str, trace: list[dict[str, Any]], reasons: list[str]) -> None:
    ok = cost >= minimum
    if ok:
        text = f"De kosten zijn {_eur(cost)}. Dat is minstens {minimum_text}."
    else:
        reasons.append("minimum_kosten")
        text = f"De kosten zijn {_eur(cost)}. Dat is minder dan {minimum_text}, het laagste bedrag dat de regeling betaalt."
    trace.append({"rule": "minimum_kosten", "kind": "eligibility", "passed": ok, "explanation": text})


def _paid_by_others(code: str, coverage: str, other: Decimal, cost: Decimal,
                    trace: list[dict[str, Any]], referrals: list[str]) -> None:
    applies = coverage == "full" or (coverage == "partial" and other >= cost)
    if applies:
        referrals.append(code)
        text = f"Anderen betalen alle kosten van {_eur(cost)}. Dan betaalt het fonds niet: het fonds betaalt alleen wat anderen niet betalen."
    elif coverage == "partial":
        text = f"Anderen betalen {_eur(other)} van de kosten van {_eur(cost)}. Het fonds kan alleen de rest betalen."
    elif coverage == "unknown":
        text = "Het is nog niet bekend of anderen (bijvoorbeeld een werkgever of O&O-fonds) de kosten betalen."
    else:
        text = "Volgens de aanvraag betaalt niemand anders de kosten: geen werkgever, O&O-fonds, cao-budget of andere regeling."
    trace.append({"rule": code, "kind": "voorziening", "passed": not applies, "explanation": text})


def _uwv_and_gemeente(wie: str, status: str, uwv_declined: bool, gemeente_declined: bool,
                      trace: list[dict[str, Any]], referrals: list[str]) -> None:
    if status != "ww":
        applies, text = False, f"{wie} heeft geen WW-uitkering. Het UWV hoeft dus niet eerst te betalen."
    elif uwv_declined:
        applies, text = False, (f"{wie} heeft een WW-uitkering. Het UWV heeft in een brief laten weten dat het niet "
                                "betaalt. Daarom kan het fonds betalen.")
    else:
        applies, text = True, (f"{wie} heeft een WW-uitkering. Vraag eerst aan het UWV of het de kosten betaalt. "
                               "Zegt het UWV in een brief nee? Dan kunt u opnieuw bij ons aanvragen. Stuur die brief dan mee.")
        referrals.append("uwv")
    trace.append({"rule": "uwv", "kind": "voorziening", "passed": not applies, "explanation": text})
    if status != "bijstand":
        applies, text = False, f"{wie} heeft geen bijstandsuitkering. De gemeente hoeft dus niet eerst te betalen."
    elif gemeente_declined:
        applies, text = False, (f"{wie} heeft een bijstandsuitkering. De gemeente heeft in een brief laten weten dat "
                                "zij niet betaalt. Daarom kan het fonds betalen.")
    else:
        applies, text = True, (f"{wie} heeft een bijstandsuitkering. Vraag eerst aan de gemeente of zij de kosten "
                               "betaalt. Zegt de gemeente in een brief nee? Dan kunt u opnieuw bij ons aanvragen. "
                               "Stuur die brief dan mee.")
        referrals.append("gemeente")
    trace.append({"rule": "gemeente", "kind": "voorziening", "passed": not applies, "explanation": text})


def _coverage_known(coverage: str, unknown_text: str, trace: list[dict[str, Any]]) -> list[str]:
    known = coverage != "unknown"
    text = "Wij weten of anderen de kosten betalen. Dat is nodig om het bedrag te berekenen." if known else unknown_text
    trace.append({"rule": "funding.coverage", "kind": "needs_info", "passed": known, "explanation": text})
    return [] if known else ["funding.coverage"]


def _person_facts(s: dict[str, Any], section: str, errors: list[dict[str, str]]) -> tuple[Any, ...]:
    return (_date(s, "birth_date", f"{section}.birth_date", errors),
            _code(s, "municipality", f"{section}.municipality", errors, _GM_RE, _GM_FOUT),
            _enum(s, "employment_status", f"{section}.employment_status", errors, _STATUS),
            _bool(s, "has_startkwalificatie", f"{section}.has_startkwalificatie", errors),
            _bool(s, "statushouder", f"{section}.statushouder", errors),
            _bool(s, "banenafspraak_indicatie", f"{section}.banenafspraak_indicatie", errors))


def _where(wie: str, gm: str, ok: bool) -> str:
    if ok:
        return f"{wie} woont in {gm}. Die gemeente hoort bij het werkgebied van de regeling."
    return f"{wie} woont in {gm}. Die gemeente hoort niet bij het werkgebied. Het werkgebied is: {WERKGEBIED_TEKST}."


def full_llo(doc: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    app = _date(_section(doc, "application", errors), "date", "application.date", errors)
    a = _section(doc, "applicant", errors)
    birth, municipality, status, startkwalificatie, statushouder, banenafspraak = _person_facts(a, "applicant", errors)
    inburgeringsplichtig = _bool(a, "inburgeringsplichtig", "applicant.inburgeringsplichtig", errors)
    t = _section(doc, "training", errors)
    provider = _enum(t, "provider_kind", "training.provider_kind", errors, ("mbo", "hbo", "wo", "crkbo", "other"))
    kind = _enum(t, "kind", "training.kind", errors, ("diploma", "certificaat", "mbo_certificaat", "praktijkverklaring", "skills"))
    sector = _enum(t, "sector", "training.sector", errors, ("zorg_welzijn", "industrie_techniek", "ict", "logistiek",
                                                            "gastvrijheid", "onderwijs", "basisvaardigheden", "other"))
    full_time = _bool(t, "full_time", "training.full_time", errors)
    start = _date(t, "start_date", "training.start_date", errors)
    end = _end_date(t, start, "training.end_date", errors)
    cost = _money_fact(t, "cost", "training.cost", errors, positive=True)
    f = _section(doc, "funding", errors)
    coverage = _enum(f, "coverage", "funding.coverage", errors, _COVERAGE)
    other = _money_fact(f, "other_amount", "funding.other_amount", errors, default=Decimal(0))
    uwv_declined = _bool(f, "uwv_declined", "funding.uwv_declined", errors, default=False)
    gemeente_declined = _bool(f, "gemeente_declined", "funding.gemeente_declined", errors, default=False)
    earlier = _count(_section(doc, "history", errors), "llo_granted_last_12_months",
                     "history.llo_granted_last_12_months", errors, default=0)
    year = _tijdvak(app, errors)

    trace: list[dict[str, Any]] = []
    reasons: list[str] = []
    ok = municipality in WERKGEBIED
    if not ok:
        reasons.append("buiten_werkgebied")
    trace.append({"rule": "buiten_werkgebied", "kind": "eligibility", "passed": ok,
                  "explanation": _where("U", _gm(municipality), ok)})
    age = _age(birth, app)
    _age_rule("U bent", app, age, trace, reasons)
    ok = provider in ("mbo", "hbo", "wo", "crkbo")
    if ok:
        text = f"Een erkende aanbieder geeft de opleiding: een {_lbl(provider)}."
    else:
        reasons.append("aanbieder_niet_erkend")
        text = (f"De aanbieder van de opleiding is niet erkend (u koos: {_lbl(provider)}). De regeling betaalt alleen "
                f"opleidingen van een {ERKEND_TEKST}.")
    trace.append({"rule": "aanbieder_niet_erkend", "kind": "eligibility", "passed": ok, "explanation": text})
    ok = sector in SECTOREN[year] or sector == "basisvaardigheden"
    if ok:
        text = f"De opleiding is in de richting {_lbl(sector)}. Die richting past bij de regeling."
    else:
        reasons.append("richting")
        text = (f"De opleiding is in de richting {_lbl(sector)}. De regeling betaalt alleen opleidingen in "
                f"{SECTOREN_TEKST[year]}, of in basisvaardigheden.")
    trace.append({"rule": "richting", "kind": "eligibility", "passed": ok, "explanation": text})
    _start_and_duration(app, start, end, 24, trace, reasons)
    _minimum_cost(cost, Decimal(250), "€ 250,00", trace, reasons)
    ok = earlier <= 0
    if ok:
        text = "U heeft in de 12 maanden voor de aanvraag geen LLO-traject van het fonds gekregen."
    else:
        reasons.append("eerder_traject")
        text = (f"U heeft in de 12 maanden voor de aanvraag al {earlier} keer een LLO-traject van het fonds gekregen. "
                "Daarom kunt u nu geen nieuw traject krijgen.")
    trace.append({"rule": "eerder_traject", "kind": "eligibility", "passed": ok, "explanation": text})

    referrals: list[str] = []
    _paid_by_others("werkgever_of_fonds", coverage, other, cost, trace, referrals)
    _uwv_and_gemeente("U", status, uwv_declined, gemeente_declined, trace, referrals)
    sector_text = _lbl(sector)
    if statushouder and inburgeringsplichtig and sector == "basisvaardigheden":
        referrals.append("inburgering")
        trace.append({"rule": "inburgering", "kind": "voorziening", "passed": False, "explanation":
                      f"U bent statushouder en u moet inburgeren. De opleiding gaat over {sector_text}. Dat hoort "
                      "bij uw inburgering. Vraag uw gemeente eerst of zij de opleiding betaalt."})
    else:
        if not statushouder:
            text = "U bent geen statushouder."
        elif not inburgeringsplichtig:
            text = "U bent statushouder, maar u hoeft niet in te burgeren."
        else:
            text = f"De opleiding gaat over {sector_text}, niet over basisvaardigheden."
        trace.append({"rule": "inburgering", "kind": "voorziening", "passed": True, "explanation":
                      f"{text} De inburgering hoeft dus niet eerst te betalen."})
    if age < 30 and full_time and provider in ("mbo", "hbo", "wo") and kind == "diploma":
        referrals.append("studiefinanciering")
        trace.append({"rule": "studiefinanciering", "kind": "voorziening", "passed": False, "explanation":
                      f"U bent {age} jaar. U gaat een voltijd {_lbl(kind)}-opleiding volgen bij een {_lbl(provider)}. "
                      "Daarvoor kunt u studiefinanciering krijgen van DUO. Vraag die eerst aan."})
    else:
        if age >= 30:
            text = (f"U bent {age} jaar. Studiefinanciering is alleen voor wie jonger is dan 30 jaar. "
                    "Die gaat dus niet voor.")
        elif not full_time:
            text = "De opleiding is geen voltijdopleiding. Studiefinanciering gaat dan niet voor."
        elif provider not in ("mbo", "hbo", "wo"):
            text = ("De opleiding is niet bij een mbo-instelling, hogeschool of universiteit. "
                    "Studiefinanciering gaat dan niet voor.")
        else:
            text = "De opleiding is geen diploma-opleiding. Studiefinanciering gaat dan niet voor."
        trace.append({"rule": "studiefinanciering", "kind": "voorziening", "passed": True, "explanation": text})
    needs = _coverage_known(coverage, "We weten nog niet of uw werkgever, een O&O-fonds of een andere regeling de "
                                      "kosten betaalt. Laat ons dat weten.", trace)
    priority = bool(age < 27 or not startkwalificatie or statushouder or banenafspraak
                    or status in ("jobseeker", "ww", "bijstand"))
    maximum = (Decimal("4000.00") if priority else Decimal("3000.00")) if year == 2027 else \
        (Decimal("3750.00") if priority else Decimal("2500.00"))
    if priority:
        why = ("u jonger bent dan 27 jaar" if age < 27 else "u geen startkwalificatie heeft" if not startkwalificatie
               else "u statushouder bent" if statushouder else "u een indicatie banenafspraak heeft" if banenafspraak
               else {"jobseeker": "u werkzoekend bent", "ww": "u een WW-uitkering heeft",
                     "bijstand": "u een bijstandsuitkering heeft"}[status])
        text = f"U hoort bij de prioritaire doelgroep, omdat {why}. Voor deze groep is het maximum {_eur(maximum)}."
    else:
        text = (f"U hoort niet bij de prioritaire doelgroep. Voor u is het maximum daarom {_eur(maximum)}, niet "
                f"{_eur(Decimal('4000.00') if year == 2027 else Decimal('3750.00'))}. Die groep is voor wie jonger is "
                "dan 27 jaar, geen startkwalificatie heeft, statushouder is, een indicatie banenafspraak heeft, of "
                "werkzoekend is of een WW- of bijstandsuitkering heeft.")
    trace.append({"rule": "prioritaire_doelgroep", "kind": "priority_group", "passed": priority, "explanation": text})

    def amount() -> tuple[Decimal, str]:
        base = cost - other if coverage == "partial" else cost
        bedrag = _down(min(base, maximum))
        head = (f"De kosten zijn {_eur(cost)}. Anderen betalen daarvan {_eur(other)}, dus er blijft {_eur(base)} over."
                if coverage == "partial" else f"De kosten zijn {_eur(base)}.")
        return bedrag, (f"{head} Het maximum is {_eur(maximum)}. Het bedrag is het laagste van die twee: "
                        f"{_eur(bedrag)}, naar beneden afgerond op hele euro's.")

    return _result("llo", year, reasons, referrals, needs, priority, trace, amount)


def full_voucher(doc: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    app = _date(_section(doc, "application", errors), "date", "application.date", errors)
    e = _section(doc, "employer", errors)
    _code(e, "kvk_number", "employer.kvk_number", errors, _KVK_RE, _KVK_FOUT)
    municipality = _code(e, "municipality", "employer.municipality", errors, _GM_RE, _GM_FOUT)
    employees = _count(e, "employees", "employer.employees", errors)
    turnover = _money_fact(e, "annual_turnover", "employer.annual_turnover", errors)
    de_minimis = _money_fact(e, "de_minimis_received_3y", "employer.de_minimis_received_3y", errors)
    act = _section(doc, "activity", errors)
    kind = _enum(act, "kind", "activity.kind", errors, ("scholing", "hrm_advies", "employability_scan", "ontwikkelplan"))
    provider = _enum(act, "provider_kind", "activity.provider_kind", errors,
                     ("mbo", "hbo", "wo", "crkbo", "adviseur", "other"))
    legally_required = _bool(act, "legally_required", "activity.legally_required", errors)
    participants = _count(act, "participants", "activity.participants", errors)
    start = _date(act, "start_date", "activity.start_date", errors)
    end = _end_date(act, start, "activity.end_date", errors)
    cost = _money_fact(act, "cost", "activity.cost", errors, positive=True)
    f = _section(doc, "funding", errors)
    coverage = _enum(f, "coverage", "funding.coverage", errors, _COVERAGE)
    other = _money_fact(f, "other_amount", "funding.other_amount", errors, default=Decimal(0))
    granted = _money_fact(_section(doc, "history", errors), "vouchers_granted_this_year",
                     "history.vouchers_granted_this_year", errors, default=Decimal(0))
    year = _tijdvak(app, errors)

    trace: list[dict[str, Any]] = []
    reasons: list[str] = []
    gm = _gm(municipality)
    ok = municipality in WERKGEBIED
    if ok:
        text = f"Uw vestiging ligt in {gm}. Die gemeente hoort bij het werkgebied van de regeling."
    else:
        reasons.append("buiten_werkgebied")
        text = (f"Uw vestiging ligt in {gm}. Die gemeente hoort niet bij het werkgebied. "
                f"Het werkgebied is: {WERKGEBIED_TEKST}.")
    trace.append({"rule": "buiten_werkgebied", "kind": "eligibility", "passed": ok, "explanation": text})
    head = f"Uw bedrijf heeft {employees} werknemers en een jaaromzet van {_eur(turnover)}."
    ok = employees < 250 and turnover <= 50_000_000
    if ok:
        text = f"{head} Het is een mkb-bedrijf."
    else:
        reasons.append("geen_mkb")
        text = (f"{head} De regeling is voor mkb-bedrijven: minder dan 250 werknemers en hoogstens "
                "€ 50.000.000,00 omzet.")
    trace.append({"rule": "geen_mkb", "kind": "eligibility", "passed": ok, "explanation": text})
    head = f"Uw bedrijf heeft {employees} werknemers en er doen {participants} mensen mee."
    ok = employees >= 1 and participants >= 1
    if ok:
        text = head
    else:
        reasons.append("geen_werknemers")
        text = f"{head} De regeling vraagt minstens 1 werknemer en 1 deelnemer."
    trace.append({"rule": "geen_werknemers", "kind": "eligibility", "passed": ok, "explanation": text})
    if legally_required:
        reasons.append("wettelijk_verplicht")
        trace.append({"rule": "wettelijk_verplicht", "kind": "eligibility", "passed": False, "explanation":
                      "Het is scholing die u volgens de wet (artikel 7:611a BW) moet geven. Die betaalt u zelf."})
    else:
        trace.append({"rule": "wettelijk_verplicht", "kind": "eligibility", "passed": True,
                      "explanation": "Het is geen scholing die u volgens de wet moet geven."})
    scholing = kind == "scholing"
    ok = provider in (("mbo", "hbo", "wo", "crkbo") if scholing else ("adviseur", "crkbo", "hbo"))
    if ok:
        text = f"De aanbieder is een {_lbl(provider)}. Die is erkend voor {_lbl(kind)}."
    else:
        reasons.append("aanbieder_niet_erkend")
        text = (f"De aanbieder is niet erkend voor {_lbl(kind)} (u koos: {_lbl(provider)}). Daarvoor vraagt de "
                f"regeling een {ERKEND_TEKST if scholing else ADVIES_TEKST}.")
    trace.append({"rule": "aanbieder_niet_erkend", "kind": "eligibility", "passed": ok, "explanation": text})
    _start_and_duration(app, start, end, 12, trace, reasons)
    _minimum_cost(cost, Decimal(500), "€ 500,00", trace, reasons)
    room = Decimal("10000.00") - granted
    ok = room > 0
    if ok:
        text = (f"U kreeg dit jaar al {_eur(granted)} aan vouchers. Tot het jaarmaximum van € 10.000,00 is nog "
                f"{_eur(room)} over.")
    else:
        reasons.append("jaarmaximum")
        text = (f"U kreeg dit jaar al {_eur(granted)} aan vouchers. Dat is het jaarmaximum van € 10.000,00; "
                "er is niets meer over.")
    trace.append({"rule": "jaarmaximum", "kind": "eligibility", "passed": ok, "explanation": text})
    rate = (Decimal("0.80") if year == 2027 else Decimal("0.75")) if employees < 10 else Decimal("0.50")
    base = cost - other if coverage == "partial" else cost
    rate_amount = base * rate
    bedrag = _down(min(rate_amount, Decimal("5000.00"), room))
    if coverage == "none" or (coverage == "partial" and other < cost):  # regeling §4 (amended)
        head = (f"U kreeg in de laatste drie jaar {_eur(de_minimis)} aan de-minimissteun (kleine subsidies van de "
                f"overheid). Met deze voucher van {_eur(bedrag)} erbij komt u")
        ok = de_minimis + bedrag <= 300_000
        if ok:
            text = f"{head} niet boven het maximum van € 300.000,00."
        else:
            reasons.append("de_minimis")
            text = f"{head} boven het maximum van € 300.000,00. Dat mag niet volgens de Europese regels."
        trace.append({"rule": "de_minimis", "kind": "eligibility", "passed": ok, "explanation": text})

    referrals: list[str] = []
    _paid_by_others("oo_fonds", coverage, other, cost, trace, referrals)
    needs = _coverage_known(coverage, "We weten nog niet of het O&O-fonds van uw sector of een andere regeling de "
                                      "kosten betaalt. Laat ons dat weten.", trace)

    def amount() -> tuple[Decimal, str]:
        head = (f"De kosten zijn {_eur(cost)}. Anderen betalen daarvan {_eur(other)}, dus er blijft {_eur(base)} over."
                if coverage == "partial" else f"De kosten zijn {_eur(base)}.")
        return bedrag, (f"{head} Het fonds betaalt "
                        f"{'80%' if rate == Decimal('0.80') else '75%' if rate == Decimal('0.75') else '50%'} daarvan: "
                        f"{_eur(rate_amount)}. Het maximum per voucher is € 5.000,00 en er is nog {_eur(room)} over "
                        f"van het jaarmaximum. Het bedrag is het laagste van deze drie: {_eur(bedrag)}, naar beneden "
                        "afgerond op hele euro's.")

    return _result("voucher", year, reasons, referrals, needs, None, trace, amount)


def full_pk(doc: dict[str, Any]) -> dict[str, Any]:
    errors: list[dict[str, str]] = []
    a = _section(doc, "application", errors)
    app = _date(a, "date", "application.date", errors)
    applicant_kind = _enum(a, "applicant_kind", "application.applicant_kind", errors, ("person", "organisation"))
    c = _section(doc, "candidate", errors)
    birth, municipality, status, startkwalificatie, statushouder, banenafspraak = _person_facts(c, "candidate", errors)
    lb = _section(doc, "leerbedrijf", errors)
    erkend = _bool(lb, "sbb_erkend", "leerbedrijf.sbb_erkend", errors)
    name = _text(lb, "name", "leerbedrijf.name", errors)
    t = _section(doc, "traject", errors)
    instelling = _text(t, "mbo_instelling", "traject.mbo_instelling", errors)
    _code(t, "crebo", "traject.crebo", errors, _CREBO_RE, _CREBO_FOUT)
    processen = t.get("werkprocessen")
    if t is _SKIPPED:
        pass
    elif processen is None:
        errors.append({"field": "traject.werkprocessen", "message": _ONTBREEKT})
    elif type(processen) is not list or not all(type(x) is str and x.strip() for x in processen):
        errors.append({"field": "traject.werkprocessen", "message": "moet een lijst met codes zijn"})
    elif len(processen) < 1:
        errors.append({"field": "traject.werkprocessen", "message": "moet minstens 1 code bevatten"})
    start = _date(t, "start_date", "traject.start_date", errors)
    end = _end_date(t, start, "traject.end_date", errors)
    f = _section(doc, "funding", errors)
    uwv_declined = _bool(f, "uwv_declined", "funding.uwv_declined", errors, default=False)
    gemeente_declined = _bool(f, "gemeente_declined", "funding.gemeente_declined", errors, default=False)
    year = _tijdvak(app, errors)

    wie, wie_is = ("U", "U bent") if applicant_kind == "person" else ("De kandidaat", "De kandidaat is")
    trace: list[dict[str, Any]] = []
    reasons: list[str] = []
    ok = municipality in WERKGEBIED
    if not ok:
        reasons.append("buiten_werkgebied")
    trace.append({"rule": "buiten_werkgebied", "kind": "eligibility", "passed": ok,
                  "explanation": _where(wie, _gm(municipality), ok)})
    _age_rule(wie_is, app, _age(birth, app), trace, reasons)
    ok = bool(not startkwalificatie or status in ("jobseeker", "ww", "bijstand") or statushouder or banenafspraak)
    if not ok:
        reasons.append("geen_doelgroep")
    if ok:
        why = (f"{wie} heeft geen startkwalificatie" if not startkwalificatie else f"{wie_is} statushouder"
               if statushouder else f"{wie} heeft een indicatie banenafspraak" if banenafspraak
               else {"jobseeker": f"{wie_is} werkzoekend", "ww": f"{wie} heeft een WW-uitkering",
                     "bijstand": f"{wie} heeft een bijstandsuitkering"}[status])
        text = f"{why} en hoort daarom bij de doelgroep van de regeling."
    else:
        text = (f"{wie} hoort niet bij de doelgroep van de regeling. De regeling is voor mensen zonder "
                "startkwalificatie, voor werkzoekenden, voor mensen met een WW- of bijstandsuitkering, voor "
                "statushouders en voor mensen met een indicatie banenafspraak.")
    trace.append({"rule": "geen_doelgroep", "kind": "eligibility", "passed": ok, "explanation": text})
    if erkend:
        text = "Het leerbedrijf is erkend door SBB."
    else:
        reasons.append("leerbedrijf_niet_erkend")
        text = ("Het leerbedrijf is niet erkend door SBB. "
                "Praktijkleren kan alleen bij een leerbedrijf dat SBB heeft erkend.")
    trace.append({"rule": "leerbedrijf_niet_erkend", "kind": "eligibility", "passed": erkend, "explanation": text})
    _start_and_duration(app, start, end, 12, trace, reasons)
    referrals: list[str] = []
    _uwv_and_gemeente(wie, status, uwv_declined, gemeente_declined, trace, referrals)

    def amount() -> tuple[Decimal, str]:
        mbo, leer = (Decimal("1650.00"), Decimal("550.00")) if year == 2027 else (Decimal("1500.00"), Decimal("500.00"))
        bedrag = _down(mbo + leer)
        return bedrag, (f"Het bedrag is vast: {_eur(bedrag)}. Daarvan is {_eur(mbo)} voor de mbo-instelling "
                        f"({instelling}) voor begeleiding en beoordeling (assessment), en {_eur(leer)} voor het "
                        f"leerbedrijf ({name}).")

    return _result("praktijkverklaring", year, reasons, referrals, [], None, trace, amount)


_FULL = {"llo": full_llo, "voucher": full_voucher, "praktijkverklaring": full_pk}


def hand_full(doc: Any) -> dict[str, Any]:
    """The §7 contract hand-written: ``InputError`` for bad input, else the full result with trace."""
    if type(doc) is not dict:
        raise InputError([{"field": "document", "message": "moet een JSON-object zijn"}])
    instrument = doc.get("instrument")
    if instrument is None:
        raise InputError([{"field": "instrument", "message": _ONTBREEKT}])
    full = _FULL.get(instrument) if isinstance(instrument, str) else None
    if full is None:
        raise InputError([{"field": "instrument", "message":
                           f"onbekende waarde '{instrument}'; kies uit: llo, voucher, praktijkverklaring"}])
    return full(doc)


INSTRUMENTS: list[tuple[str, Callable[[random.Random], dict[str, Any]], Callable[[dict[str, Any]], dict[str, Any]]]] = [
    ("llo", gen_llo, hand_llo), ("voucher", gen_voucher, hand_voucher), ("praktijkverklaring", gen_pk, hand_pk)]

KEYS = ("outcome", "amount", "reasons", "referrals")

_BROKEN = [None, "", "abc", -1, 0, 2.5, True, "2026-02-30", "2025-12-31", "2028-01-01", "-5", "0", "1.800,00",
           [], {}, [""], "GM01145", "1234567", "x"]


def _broken(rng: random.Random, doc: dict[str, Any]) -> Any:
    """A valid document with one or two fields (or a section) made invalid or removed."""
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice([1, 1, 2])):
        sections = [k for k, v in doc.items() if isinstance(v, dict) and v]
        section = rng.choice(sections)
        if rng.random() < 0.05:
            doc[section] = rng.choice(["x", 3, []])
            continue
        key = rng.choice(list(doc[section]))
        if rng.random() < 0.2:
            del doc[section][key]
        else:
            doc[section][key] = rng.choice(_BROKEN)
    return doc


def _errors(fn: Callable[[Any], Any], doc: Any) -> Any:
    try:
        return fn(doc)
    except InputError as exc:
        return exc.errors


def _best_rates(variants: list[tuple[str, Callable[[dict[str, Any]], Any]]], docs: list[dict[str, Any]],
                repeat: int, block: int = 2_000) -> tuple[dict[str, float], dict[str, list[Any]]]:
    """Evaluations per second of each variant, robust against a shared, busy machine.

    The documents are cut into blocks; each block is run ``repeat`` times by every variant in
    turn (interleaved, so a busy period hits all variants alike) and the fastest run per block
    and variant counts. The rate is the number of documents over the sum of those times.
    """
    seconds = {label: 0.0 for label, _ in variants}
    results: dict[str, list[Any]] = {label: [] for label, _ in variants}
    for begin in range(0, len(docs), block):
        chunk = docs[begin:begin + block]
        fastest: dict[str, float] = {}
        outputs: dict[str, list[Any]] = {}
        for _ in range(repeat):
            for label, fn in variants:
                started = time.perf_counter()
                outputs[label] = [fn(d) for d in chunk]
                elapsed = time.perf_counter() - started
                fastest[label] = min(fastest.get(label, elapsed), elapsed)
        for label, _ in variants:
            seconds[label] += fastest[label]
            results[label].extend(outputs[label])
    return {label: len(docs) / s for label, s in seconds.items()}, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="applications per instrument")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best round counts")
    parser.add_argument("--fuzz", type=int, default=2_000, help="broken documents per instrument (errors compared)")
    args = parser.parse_args()
    book = load_rulebook()

    def yaml_no_trace(doc: dict[str, Any]) -> dict[str, Any]:
        ruleset, flat = book.validate(doc)
        return evaluate_facts(ruleset, flat, trace=False)

    print(f"{'instrument':<20}{'n':>8}{'YAML full/s':>13}{'YAML no-trace/s':>17}{'hand decision/s':>17}"
          f"{'hand full/s':>13}{'full÷full':>11}{'no-trace÷decision':>19}{'full÷decision':>15}{'mismatch':>10}{'err mismatch':>14}")
    total_mismatch = 0
    for name, gen, hand in INSTRUMENTS:
        rng = random.Random(f"{args.seed}-{name}")
        docs = [gen(rng) for _ in range(args.n)]
        rates, results = _best_rates([("yaml", book.evaluate), ("fast", yaml_no_trace), ("hand", hand),
                                      ("full", hand_full)], docs, args.repeat)
        mismatches = 0
        for doc, y, f, h, full in zip(docs, results["yaml"], results["fast"], results["hand"], results["full"]):
            if any(y[k] != h[k] for k in KEYS) or any(f[k] != h[k] for k in KEYS) or full != y:
                mismatches += 1
                if mismatches <= 3:
                    diff = {k: (y.get(k), full.get(k)) for k in y if y.get(k) != full.get(k)}
                    print(f"  MISMATCH {name}: yaml={ {k: y[k] for k in KEYS} } hand={ {k: h[k] for k in KEYS} }\n"
                          f"    yaml vs hand full: {diff}\n    {doc}")
        error_mismatches = 0
        for _ in range(args.fuzz):
            doc = _broken(rng, docs[rng.randrange(len(docs))])
            expected, got = _errors(book.evaluate, doc), _errors(hand_full, doc)
            if expected != got:
                error_mismatches += 1
                if error_mismatches <= 3:
                    print(f"  ERROR MISMATCH {name}: yaml={expected} hand={got}\n    {doc}")
        total_mismatch += mismatches + error_mismatches
        outcomes: dict[str, int] = {}
        for y in results["yaml"]:
            outcomes[y["outcome"]] = outcomes.get(y["outcome"], 0) + 1
        print(f"{name:<20}{args.n:>8}{rates['yaml']:>13,.0f}{rates['fast']:>17,.0f}{rates['hand']:>17,.0f}"
              f"{rates['full']:>13,.0f}{rates['full'] / rates['yaml']:>10.2f}x{rates['hand'] / rates['fast']:>18.2f}x"
              f"{rates['hand'] / rates['yaml']:>14.2f}x{mismatches:>10}{error_mismatches:>14}   {outcomes}")
    print("all results agree" if total_mismatch == 0 else f"{total_mismatch} MISMATCHES")
    return 1 if total_mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
