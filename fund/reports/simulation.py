"""Policy simulation: what would a draft rules folder do to the applications already received?

Every application received in the period is evaluated twice, with the facts and history facts as
they were at its eligibility check (``Application.facts`` plus the ``history`` stored in
``eligibility_result``): once with the rules in force, once with the draft folder. Read-only: the
database is only queried. The report follows the JSON shape of issue 17 (further keys allowed).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

from sqlalchemy import select

from fund.extensions import db
from fund.models import Application
from fund.rules import InputError, Rulebook, load_rulebook, with_history
from fund.rules.evaluator import evaluate_facts
from fund.workflow import clock

OUTCOMES = ("eligible", "ineligible", "referred", "needs_info")
INPUT_ERROR = "input_error"  # the draft (or the rules in force) cannot read the stored facts
BATCH = 1000
ZERO = Decimal("0.00")


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _amount(result: dict) -> Decimal:
    return Decimal(result["amount"]) if result.get("amount") is not None else ZERO


def evaluate_with(book: Rulebook, document: dict) -> dict[str, Any]:
    """Outcome, amount, reasons and priority group of ``document`` under ``book`` (no trace)."""
    try:
        ruleset, flat = book.validate(document)
    except InputError as exc:
        return {"outcome": INPUT_ERROR, "amount": None, "reasons": [e.get("field") for e in exc.errors],
                "priority_group": None, "ruleset": None, "tijdvak": None}
    result = evaluate_facts(ruleset, flat, trace=False)
    return {"outcome": result["outcome"], "amount": result["amount"],
            "reasons": result["reasons"] + result["referrals"] + result["needs_info"],
            "priority_group": result["priority_group"], "ruleset": ruleset.id,
            "tijdvak": ruleset.tijdvak.id, "plafond": ruleset.procedure.subsidieplafond}


@dataclass
class _Tally:
    applications: int = 0
    changed: int = 0
    before: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    after: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    amount_before: Decimal = ZERO
    amount_after: Decimal = ZERO
    doelgroep_gain: int = 0
    doelgroep_lose: int = 0

    def add(self, before: dict, after: dict, changed: bool) -> None:
        self.applications += 1
        self.changed += changed
        self.before[before["outcome"]] += 1
        self.after[after["outcome"]] += 1
        a, b = _amount(before), _amount(after)
        self.amount_before += a
        self.amount_after += b
        if before.get("priority_group") or after.get("priority_group"):
            self.doelgroep_gain += b > a
            self.doelgroep_lose += b < a

    def as_json(self) -> dict[str, Any]:
        def side(counts, amount):
            out = {o: counts.get(o, 0) for o in OUTCOMES}
            if counts.get(INPUT_ERROR):
                out[INPUT_ERROR] = counts[INPUT_ERROR]
            out["amount"] = _money(amount)
            return out

        return {"applications": self.applications, "changed": self.changed,
                "before": side(self.before, self.amount_before),
                "after": side(self.after, self.amount_after),
                "amount_delta": _money(self.amount_after - self.amount_before),
                "prioritaire_doelgroep": {"gain": self.doelgroep_gain, "lose": self.doelgroep_lose}}


def default_period(today: dt.date, book: Rulebook | None = None) -> tuple[dt.date, dt.date]:
    """The tijdvak that contains ``today``."""
    for tv in (book or load_rulebook()).tijdvakken:
        if tv.start <= today <= tv.end:
            return tv.start, tv.end
    raise LookupError(f"geen tijdvak op {today.isoformat()}")


def _applications(start: dt.date, end: dt.date, instrument: str | None) -> Iterator[tuple]:
    """(number, instrument, municipality, facts, stored history), received in [start, end] (Dutch
    days), in keyset batches."""
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=clock.NL)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=clock.NL)
    last = 0
    while True:
        query = (select(Application.id, Application.number, Application.instrument, Application.municipality,
                        Application.facts, Application.eligibility_result)
                 .where(Application.received_at >= begin, Application.received_at < stop,
                        Application.eligibility_result.is_not(None), Application.id > last)
                 .order_by(Application.id).limit(BATCH))
        if instrument:
            query = query.where(Application.instrument == instrument)
        rows = db.session.execute(query).all()
        if not rows:
            return
        for row in rows:
            yield row
        last = rows[-1].id


def simulate(draft_dir: Path, *, start: dt.date, end: dt.date, instrument: str | None = None,
             rules_dir: Path | None = None,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Compare the rules in force with the draft folder on every application received in [start, end]."""
    current = load_rulebook(rules_dir)
    draft = load_rulebook(draft_dir)
    per_instrument: dict[str, _Tally] = defaultdict(_Tally)
    per_tijdvak: dict[tuple[str, str], _Tally] = defaultdict(_Tally)
    plafond: dict[tuple[str, str], tuple[Decimal | None, Decimal | None]] = {}
    per_gemeente: dict[str, _Tally] = defaultdict(_Tally)
    changes = []
    seen = 0
    for row in _applications(start, end, instrument):
        document = with_history(row.facts or {}, (row.eligibility_result or {}).get("history") or {})
        document["instrument"] = row.instrument
        before, after = evaluate_with(current, document), evaluate_with(draft, document)
        changed = (before["outcome"], before["amount"], before["reasons"]) != (
            after["outcome"], after["amount"], after["reasons"])
        per_instrument[row.instrument].add(before, after, changed)
        tijdvak = before["tijdvak"] or after["tijdvak"] or "?"
        per_tijdvak[(row.instrument, tijdvak)].add(before, after, changed)
        plafond[(row.instrument, tijdvak)] = (before.get("plafond"), after.get("plafond"))
        per_gemeente[row.municipality or "onbekend"].add(before, after, changed)
        if changed:
            changes.append({"number": row.number, "instrument": row.instrument,
                            "municipality": row.municipality,
                            "before": {k: before[k] for k in ("outcome", "amount", "reasons")},
                            "after": {k: after[k] for k in ("outcome", "amount", "reasons")}})
        seen += 1
        if progress and seen % BATCH == 0:
            progress(seen)
    if progress:
        progress(seen)
    instruments = {}
    for name, tally in sorted(per_instrument.items()):
        entry = tally.as_json()
        entry["tijdvakken"] = {}
        for (inst, tv), sub in sorted(per_tijdvak.items()):
            if inst != name:
                continue
            sub_json = sub.as_json()
            ceiling_before, ceiling_after = plafond[(inst, tv)]
            if ceiling_before is not None:
                sub_json["before"]["ceiling_room"] = _money(ceiling_before - sub.amount_before)
            if ceiling_after is not None:
                sub_json["after"]["ceiling_room"] = _money(ceiling_after - sub.amount_after)
            entry["tijdvakken"][tv] = sub_json
        instruments[name] = entry
    changes.sort(key=lambda c: c["number"])
    return {"period": {"from": start.isoformat(), "to": end.isoformat()},
            "draft": str(draft_dir),
            "instruments": instruments,
            "gemeenten": {code: t.as_json() for code, t in sorted(per_gemeente.items())},
            "changes": changes}


def as_text(report: dict[str, Any]) -> str:
    """The report for a terminal, in Dutch."""
    lines = [f"Simulatie van {report['draft']} op aanvragen ontvangen van {report['period']['from']} "
             f"tot en met {report['period']['to']}", ""]
    for name, entry in report["instruments"].items():
        lines.append(f"{name}: {entry['applications']} aanvragen, {entry['changed']} anders, "
                     f"bedrag {entry['before']['amount']} -> {entry['after']['amount']} "
                     f"(verschil {entry['amount_delta']})")
        for outcome in OUTCOMES:
            lines.append(f"    {outcome:<11} {entry['before'][outcome]:>6} -> {entry['after'][outcome]:>6}")
        for tv, sub in entry["tijdvakken"].items():
            room = (f", ruimte onder plafond {sub['before'].get('ceiling_room')} -> "
                    f"{sub['after'].get('ceiling_room')}")
            lines.append(f"    tijdvak {tv}: {sub['applications']} aanvragen, {sub['changed']} anders{room}")
        group = entry["prioritaire_doelgroep"]
        lines.append(f"    prioritaire doelgroep: {group['gain']} krijgen meer, {group['lose']} krijgen minder")
    if report["gemeenten"]:
        lines += ["", "Per gemeente:"]
        for code, entry in report["gemeenten"].items():
            lines.append(f"    {code}: {entry['applications']} aanvragen, {entry['changed']} anders, "
                         f"verschil {entry['amount_delta']}")
    lines += ["", f"Veranderde aanvragen: {len(report['changes'])}"]
    for c in report["changes"]:
        lines.append(f"    {c['number']} {c['instrument']}: {c['before']['outcome']} {c['before']['amount']} -> "
                     f"{c['after']['outcome']} {c['after']['amount']}")
    return "\n".join(lines) + "\n"


def write_xlsx(report: dict[str, Any], path: Path) -> None:
    """The report as an Excel workbook: one sheet per table."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Instrumenten"
    ws.append(["instrument", "tijdvak", "aanvragen", "anders", *[f"voor {o}" for o in OUTCOMES],
               *[f"na {o}" for o in OUTCOMES], "bedrag voor", "bedrag na", "verschil",
               "ruimte plafond voor", "ruimte plafond na", "doelgroep meer", "doelgroep minder"])
    for name, entry in report["instruments"].items():
        for tv, sub in [("alle", entry), *entry["tijdvakken"].items()]:
            ws.append([name, tv, sub["applications"], sub["changed"],
                       *[sub["before"][o] for o in OUTCOMES], *[sub["after"][o] for o in OUTCOMES],
                       Decimal(sub["before"]["amount"]), Decimal(sub["after"]["amount"]),
                       Decimal(sub["amount_delta"]), sub["before"].get("ceiling_room"),
                       sub["after"].get("ceiling_room"), sub["prioritaire_doelgroep"]["gain"],
                       sub["prioritaire_doelgroep"]["lose"]])
    ws = wb.create_sheet("Gemeenten")
    ws.append(["gemeente", "aanvragen", "anders", "bedrag voor", "bedrag na", "verschil"])
    for code, entry in report["gemeenten"].items():
        ws.append([code, entry["applications"], entry["changed"], Decimal(entry["before"]["amount"]),
                   Decimal(entry["after"]["amount"]), Decimal(entry["amount_delta"])])
    ws = wb.create_sheet("Veranderd")
    ws.append(["aanvraag", "instrument", "gemeente", "uitkomst voor", "bedrag voor", "redenen voor",
               "uitkomst na", "bedrag na", "redenen na"])
    for c in report["changes"]:
        ws.append([c["number"], c["instrument"], c["municipality"], c["before"]["outcome"],
                   c["before"]["amount"], ", ".join(c["before"]["reasons"]), c["after"]["outcome"],
                   c["after"]["amount"], ", ".join(c["after"]["reasons"])])
    wb.save(path)
