"""One Algoritmeregister registration per instrument (publicatiestandaard 1.0.0), and its field check.

The fund's own texts live in ``rules/shared/algoritmeregister.yaml``; the criteria, amounts, terms
and vier-ogen threshold come from the ruleset in force (the same descriptions ``fund rules explain``
prints), the organisation from the configured bestuursorgaan. :func:`problems` checks a
registration against the standard's field rules (``algoritmeregister-1.0.0.yaml``).
"""
from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import yaml

from fund.rules.rulebook import Ruleset, load_rulebook, rules_dir_from

STANDARD_FILE = Path(__file__).with_name("algoritmeregister-1.0.0.yaml")
POLICY_FILE = "shared/algoritmeregister.yaml"
_TAG = re.compile(r"</?\s*([a-zA-Z0-9]+)[^>]*>")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def standard() -> dict[str, Any]:
    return yaml.safe_load(STANDARD_FILE.read_text(encoding="utf-8"))


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def _first_month(book, instrument: str) -> str:
    start = min(rs.tijdvak.start for rs in book.rulesets() if rs.instrument == instrument)
    return f"{start:%Y-%m}"


def _human_intervention(rs: Ruleset) -> str:
    p = rs.procedure
    fmt = rs.formatting.default
    return (
        "<p>Het programma neemt geen besluit. Het geeft een advies met per regel de uitleg. Een "
        "medewerker van het fonds bekijkt elke aanvraag en neemt zelf het besluit: verlenen, afwijzen "
        "of doorverwijzen. De medewerker mag afwijken van het advies en schrijft dan op waarom.</p>"
        f"<p>Vier-ogenprincipe: een verlening boven {html.escape(fmt(p.vier_ogen_drempel))}, elke "
        "afwijking van het advies en elke betaling worden gecontroleerd door een tweede medewerker. "
        "Die moet het eens zijn voordat het besluit wordt verstuurd.</p>"
        f"<p>Wie het niet eens is met het besluit, kan binnen {p.bezwaartermijn_weken} weken bezwaar "
        "maken. Dan kijkt een andere medewerker opnieuw naar de aanvraag.</p>"
    )


def _methods(rs: Ruleset) -> str:
    p = rs.procedure
    parts = [
        "<p>Een beslisboom met vaste regels uit de regeling (geen zelflerend model, geen AI). Invoer: "
        "de antwoorden op het aanvraagformulier en het aantal eerdere aanvragen bij het fonds. "
        "Uitvoer: voldoet, voldoet niet, eerst een andere regeling (voorliggende voorziening) of "
        "informatie nodig; met het bedrag en per regel een uitleg in gewone taal. Regels en "
        f"bedragen gelden per tijdvak; een aanvraag wordt bekeken met de regels van de dag van "
        "ontvangst.</p>",
        "<p>Deze voorwaarden moeten allemaal kloppen:</p>",
        _list([r.description for r in rs.eligibility]),
    ]
    if rs.voorzieningen:
        parts += ["<p>Het fonds betaalt als laatste. Het verwijst naar een andere regeling als:</p>",
                  _list([r.description for r in rs.voorzieningen])]
    parts += [f"<p>Bedrag: {html.escape(rs.amount.description)}</p>",
              f"<p>Beslistermijn: {p.beslistermijn_weken} weken na de complete aanvraag. "
              f"Hersteltermijn: {p.hersteltermijn_dagen} dagen.</p>"]
    return "".join(parts)


def registrations(*, organization: str, contact_email: str, website: str | None = None, on_date: dt.date,
                  rules_dir: Path | None = None) -> list[dict[str, Any]]:
    """One registration per instrument, with the rules in force on ``on_date``."""
    book = load_rulebook(rules_dir)
    policy = yaml.safe_load((rules_dir_from(rules_dir) / POLICY_FILE).read_text(encoding="utf-8"))
    out = []
    for instrument in book.instruments:
        rs = book.ruleset(instrument, on_date)
        facts = sorted({f.label for f in rs.validator.fields if f.section not in ("history", "application")})
        fill = {"title": rs.title, "applicant": rs.applicant, "facts": ", ".join(facts)}
        text = {key: " ".join(str(value).format(**fill).split()) for key, value in policy.items()
                if isinstance(value, str)}
        registration = {
            "name": text["name"],
            "description_short": text["description_short"],
            "organization": organization,
            "category": list(policy["category"]),
            "status": text["status"],
            "begin_date": _first_month(book, instrument),
            "contact_email": contact_email,
            "publication_category": text["publication_category"],
            "goal": f"<p>{html.escape(text['goal'])}</p>",
            "proportionality": f"<p>{html.escape(text['proportionality'])}</p>",
            "human_intervention": _human_intervention(rs),
            "risks": f"<p>{html.escape(text['risks'])}</p>",
            "lawful_basis": f"<p>{html.escape(text['lawful_basis'])} Dit instrument staat in "
                            f"{html.escape(rs.article)} van de regeling.</p>",
            "lawful_basis_grouping": [dict(item) for item in policy["lawful_basis_grouping"]],
            "impacttoetsen": f"<p>{html.escape(text['impacttoetsen'])}</p>",
            "source_data": f"<p>{html.escape(text['source_data'])}</p>",
            "methods_and_models": _methods(rs),
            "provider": text["provider"],
            "lang": "nld",
            "standard_version": "1.0.0",
            "source_id": f"drents-ontwikkelfonds-{instrument}",
            "tags": text["tags"],
        }
        if website and website.startswith("https://"):
            registration["website"] = website
        out.append(registration)
    return out


def _text_problems(name: str, value: str, rule: dict[str, Any]) -> list[str]:
    found = []
    if rule.get("max_length") and len(value) > rule["max_length"]:
        found.append(f"{name}: {len(value)} tekens, de standaard staat er {rule['max_length']} toe")
    allowed = set(rule.get("allowed_html_tags") or ())
    for tag in _TAG.findall(value):
        if tag.lower() not in allowed:
            found.append(f"{name}: HTML-tag <{tag}> is hier niet toegestaan")
    kind = rule.get("type")
    if kind == "month" and not _MONTH.match(value):
        found.append(f"{name}: '{value}' is geen maand als JJJJ-MM")
    if kind == "url" and not value.startswith("https://"):
        found.append(f"{name}: een link begint met https://")
    if kind == "contact" and not (_EMAIL.match(value) or value.startswith("https://")):
        found.append(f"{name}: geen e-mailadres of https-link")
    if rule.get("required") and not value.strip():
        found.append(f"{name}: is verplicht en leeg")
    return found


def problems(registration: dict[str, Any], rules: dict[str, Any] | None = None) -> list[str]:
    """Every way ``registration`` breaks the standard's field rules (empty: it passes)."""
    fields = (rules or standard())["fields"]
    found = [f"{name}: onbekend veld in de standaard" for name in registration if name not in fields]
    for name, rule in fields.items():
        if name not in registration:
            if rule.get("required"):
                found.append(f"{name}: is verplicht en ontbreekt")
            continue
        value = registration[name]
        kind = rule.get("type")
        if kind == "array":
            if not isinstance(value, list):
                found.append(f"{name}: moet een lijst zijn")
                continue
            if len(value) > rule.get("max_items", len(value)):
                found.append(f"{name}: hoogstens {rule['max_items']} waarden")
            found += [f"{name}: '{v}' is geen toegestane waarde" for v in value
                      if v not in rule["permitted_values"]]
        elif kind == "links":
            if not isinstance(value, list):
                found.append(f"{name}: moet een lijst zijn")
                continue
            for item in value:
                for key, item_rule in rule["items"].items():
                    text = item.get(key) if isinstance(item, dict) else None
                    if not isinstance(text, str) or not text:
                        found.append(f"{name}.{key}: is verplicht en ontbreekt")
                        continue
                    found += _text_problems(f"{name}.{key}", text, {**item_rule, "type": "url" if key == "link" else "string"})
        elif kind == "enum":
            if value not in rule["permitted_values"]:
                found.append(f"{name}: '{value}' is geen toegestane waarde")
        elif not isinstance(value, str):
            found.append(f"{name}: moet tekst zijn")
        else:
            found += _text_problems(name, value, rule)
    return found
