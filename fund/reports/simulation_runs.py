"""Simulation runs started from the beleidsmedewerker's page: a draft rules folder in the instance
folder, the run as a background job (RQ with FUND_REDIS_URL, else in-process), its progress and
its report. Nothing here changes the rules in force: a draft stays a draft under
``<instance>/simulaties/<id>/``; making it the rules is a reviewed change to ``rules/``."""
from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Application
from fund.rules import RuleFileError, Ruleset, load_rulebook
from fund.rules.rulebook import SHARED_DIR, rules_dir_from
from fund.workflow import clock

EDITABLE_UNITS = {"EUR": "bedrag", "aantal": "aantal", "jaar": "jaar", "maanden": "maanden",
                  "weken": "weken", "dagen": "dagen", "fractie": "fractie"}
MAX_ZIP_BYTES = 5 * 1024 * 1024


class DraftError(ValueError):
    """A draft that cannot be simulated; the message is Dutch and shown to the user."""


@dataclass(frozen=True)
class EditableParameter:
    name: str
    description: str
    unit: str
    value: str


def editable_parameters(rs: Ruleset) -> list[EditableParameter]:
    """The single-number parameters of ``rs`` a policy officer can change in the form."""
    out = []
    for name, meta in rs.param_meta.items():
        value = rs.params.get(name)
        if meta.unit in EDITABLE_UNITS and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            out.append(EditableParameter(name, meta.description, meta.unit, str(value)))
    return out


def _root() -> Path:
    return Path(current_app.instance_path) / "simulaties"


def _run_dir(run_id: str) -> Path:
    try:
        uuid.UUID(run_id)
    except ValueError:
        raise LookupError(run_id) from None
    path = _root() / run_id
    if not path.is_dir():
        raise LookupError(run_id)
    return path


def _parse(value: str, unit: str) -> Decimal | int:
    text = value.strip().replace(",", ".").replace("€", "").replace(" ", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise DraftError("is geen getal") from None
    if number < 0:
        raise DraftError("mag niet negatief zijn")
    if unit == "EUR":
        return number.quantize(Decimal("0.01"))
    if unit == "fractie":
        if number > 1:
            raise DraftError("is een deel tussen 0 en 1, bijvoorbeeld 0.80")
        return number
    if number != number.to_integral_value():
        raise DraftError("moet een heel getal zijn")
    return int(number)


def _apply(draft: Path, rs: Ruleset, changes: dict[str, Decimal | int]) -> None:
    """Write each change as the value starting on the first day of the ruleset's tijdvak."""
    for name, value in changes.items():
        for path in (draft / rs.instrument / "parameters.yaml", draft / SHARED_DIR / "parameters.yaml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if name in (data.get("parameters") or {}):
                values = data["parameters"][name]["values"]
                values[rs.tijdvak.start] = f"{value:.2f}" if isinstance(value, Decimal) and rs.param_meta[name].unit == "EUR" else (
                    str(value) if isinstance(value, Decimal) else value)
                path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
                break


def _unzip(data: bytes, target: Path) -> Path:
    if len(data) > MAX_ZIP_BYTES:
        raise DraftError("Het zip-bestand is groter dan 5 MB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DraftError("Dit is geen zip-bestand.") from None
    for info in archive.infolist():
        name = Path(info.filename)
        if name.is_absolute() or ".." in name.parts:
            raise DraftError("Het zip-bestand bevat een pad buiten de map.")
    archive.extractall(target)
    for candidate in [target, *sorted(p for p in target.rglob("*") if p.is_dir())]:
        if (candidate / SHARED_DIR / "tijdvakken.yaml").is_file():
            return candidate
    raise DraftError("In het zip-bestand staat geen volledige regelmap (shared/tijdvakken.yaml ontbreekt).")


def create_run(*, user_id: int, start: dt.date, end: dt.date, instrument: str | None,
               ruleset_id: str | None = None, values: dict[str, str] | None = None,
               zip_data: bytes | None = None) -> str:
    """Make the draft folder (changed parameters of one ruleset, or an uploaded zip) and queue the run."""
    if end < start:
        raise DraftError("De einddatum ligt voor de begindatum.")
    run_id = str(uuid.uuid4())
    folder = _root() / run_id
    folder.mkdir(parents=True)
    try:
        changes: dict[str, Any] = {}
        if zip_data:
            draft = _unzip(zip_data, folder / "upload")
            label = "geüpload ontwerp"
        else:
            book = load_rulebook()
            rs = next((r for r in book.rulesets() if r.id == ruleset_id), None)
            if rs is None:
                raise DraftError("Kies een regelset.")
            problems = []
            for p in editable_parameters(rs):
                raw = (values or {}).get(p.name, "").strip()
                if not raw:
                    continue
                try:
                    new = _parse(raw, p.unit)
                except DraftError as exc:
                    problems.append(f"{p.description}: {exc}")
                    continue
                if Decimal(str(new)) != Decimal(p.value):
                    changes[p.name] = new
            if problems:
                raise DraftError(" ".join(problems))
            if not changes:
                raise DraftError("U heeft geen waarde veranderd. Verander minstens één waarde.")
            draft = folder / "rules"
            shutil.copytree(rules_dir_from(None), draft, ignore=shutil.ignore_patterns("tests"))
            _apply(draft, rs, changes)
            label = rs.id
        try:
            load_rulebook(draft)
        except RuleFileError as exc:
            raise DraftError("Het ontwerp bevat fouten: " + "; ".join(str(p) for p in exc.problems[:5])) from None
    except DraftError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _write(folder, {"id": run_id, "state": "wachtrij", "seen": 0, "total": None, "user_id": user_id,
                    "created": clock.now().isoformat(), "label": label, "draft": str(draft),
                    "changes": {k: str(v) for k, v in changes.items()}, "from": start.isoformat(),
                    "to": end.isoformat(), "instrument": instrument})
    from fund.jobs import enqueue

    enqueue("fund.reports.simulation_runs:run_job", run_id)
    return run_id


def _write(folder: Path, status: dict[str, Any]) -> None:
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / "status.json")


def status(run_id: str) -> dict[str, Any]:
    return json.loads((_run_dir(run_id) / "status.json").read_text(encoding="utf-8"))


def report(run_id: str) -> dict[str, Any] | None:
    path = _run_dir(run_id) / "report.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def runs(limit: int = 20) -> list[dict[str, Any]]:
    root = _root()
    if not root.is_dir():
        return []
    found = [json.loads(p.read_text(encoding="utf-8")) for p in root.glob("*/status.json")]
    return sorted(found, key=lambda s: s["created"], reverse=True)[:limit]


def run_job(run_id: str) -> None:
    """The background job: simulate, writing progress to status.json and the result to report.json."""
    from fund.reports.simulation import simulate

    folder = _run_dir(run_id)
    state = status(run_id)
    start, end = dt.date.fromisoformat(state["from"]), dt.date.fromisoformat(state["to"])
    query = select(func.count()).select_from(Application).where(
        Application.received_at >= dt.datetime.combine(start, dt.time.min, tzinfo=clock.NL),
        Application.received_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=clock.NL),
        Application.eligibility_result.is_not(None))
    if state["instrument"]:
        query = query.where(Application.instrument == state["instrument"])
    state.update(state="bezig", total=db.session.scalar(query) or 0)
    _write(folder, state)

    def progress(seen: int) -> None:
        state["seen"] = seen
        _write(folder, state)

    try:
        result = simulate(Path(state["draft"]), start=start, end=end, instrument=state["instrument"],
                          progress=progress)
    except Exception as exc:  # the page shows the failure instead of a run that never ends
        state.update(state="mislukt", error=str(exc)[:500])
        _write(folder, state)
        raise
    (folder / "report.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    state.update(state="klaar")
    _write(folder, state)


def xlsx(run_id: str) -> Path:
    from fund.reports.simulation import write_xlsx

    path = _run_dir(run_id) / "simulatie.xlsx"
    data = report(run_id)
    if data is None:
        raise LookupError(run_id)
    if not path.is_file():
        write_xlsx(data, path)
    return path


def charts(data: dict[str, Any]) -> dict[str, Any]:
    """Bar charts of the report: outcomes before/after, money, gemeenten, prioritaire doelgroep."""
    from fund.reports.charts import bar_chart

    outcomes, money = [], []
    for name, entry in data["instruments"].items():
        for side, label in (("before", "nu"), ("after", "ontwerp")):
            eligible = entry[side]["eligible"]
            outcomes.append((f"{name} {label}", [(eligible, "fund-bar")],
                             f"{eligible} van {entry['applications']}"))
            amount = Decimal(entry[side]["amount"])
            money.append((f"{name} {label}", [(amount, "fund-bar")], f"€ {amount:,.0f}".replace(",", ".")))
    gemeenten = [(code, [(abs(Decimal(e["amount_delta"])), "fund-bar")], f"€ {Decimal(e['amount_delta']):,.0f}".replace(",", "."))
                 for code, e in data["gemeenten"].items()]
    doelgroep = []
    for name, entry in data["instruments"].items():
        group = entry["prioritaire_doelgroep"]
        doelgroep.append((f"{name} krijgt meer", [(group["gain"], "fund-bar")], str(group["gain"])))
        doelgroep.append((f"{name} krijgt minder", [(group["lose"], "fund-bar")], str(group["lose"])))
    return {
        "outcomes": bar_chart("Aanvragen die voldoen: nu en met het ontwerp", outcomes),
        "doelgroep": bar_chart("Prioritaire doelgroep: aanvragen die meer of minder krijgen", doelgroep),
        "money": bar_chart("Bedrag van aanvragen die voldoen: nu en met het ontwerp", money),
        "gemeenten": bar_chart("Verschil in bedrag per gemeente", gemeenten),
    }
