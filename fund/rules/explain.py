"""A readable Dutch description of the rules of one tijdvak (for the algoritmeregister)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from fund.rules.dates import dutch_date
from fund.rules.rulebook import Ruleset, load_rulebook


def explain(instrument: str, on_date: dt.date | str | None = None, *, rules_dir: Path | None = None) -> str:
    """Describe the rules of ``instrument`` in force on ``on_date`` (default: today) in plain Dutch."""
    book = load_rulebook(rules_dir)
    if on_date is None:
        from fund.workflow import clock

        on_date = clock.today()
    return describe(book.ruleset(instrument, on_date))


def describe(rs: Ruleset) -> str:
    months = rs.formatting.months
    tv = rs.tijdvak
    lines = [
        f"# {rs.title}",
        "",
        f"Regeling Drents Ontwikkelfonds, {rs.article}; regelset {rs.id}, geldig voor aanvragen "
        f"ontvangen van {dutch_date(tv.start, months)} tot en met {dutch_date(tv.end, months)}.",
        f"Aanvrager: {rs.applicant}.",
        "",
        "## Wie komt in aanmerking",
        "",
        "Aan al deze voorwaarden moet worden voldaan. Voldoet een aanvraag aan één of meer niet, "
        "dan wordt die afgewezen met alle redenen (uitkomst 'ineligible').",
        "",
    ]
    lines += [f"- `{r.code}`: {r.description}" for r in rs.eligibility]
    if rs.voorzieningen:
        lines += ["", "## Voorliggende voorzieningen", "",
                  "Het fonds betaalt als laatste. Als een van deze voorzieningen geldt, verwijzen we "
                  "daarnaar (uitkomst 'referred'); dit staat in deze volgorde in de uitkomst:", ""]
        lines += [f"- `{r.code}`: {r.description}" for r in rs.voorzieningen]
    if rs.needs_info:
        lines += ["", "## Nog nodig", "",
                  "Is er geen afwijzing en geen verwijzing, maar ontbreekt nog informatie, dan is de "
                  "uitkomst 'needs_info':", ""]
        lines += [f"- `{r.code}`: {r.description}" for r in rs.needs_info]
    if rs.priority_group is not None:
        lines += ["", "## Prioritaire doelgroep", "", rs.priority_group.description]
    lines += ["", "## Bedrag", "", rs.amount.description,
              "", "## Betaling en vaststelling", "", rs.vaststelling_description, ""]
    lines += [f"- `{result}`: {description}" for result, (description, _) in rs.vaststelling.items()]
    p = rs.procedure
    fmt = rs.formatting.default
    lines += [
        "", "## Procedure", "",
        f"- Subsidieplafond in dit tijdvak: {fmt(p.subsidieplafond)}; verdeeld op volgorde van "
        "ontvangst van complete aanvragen en getoetst bij de verlening.",
        f"- Hersteltermijn voor een onvolledige aanvraag: {p.hersteltermijn_dagen} dagen.",
        f"- Beslistermijn: {p.beslistermijn_weken} weken na de complete aanvraag, één keer te "
        f"verlengen met {p.verdaging_weken} weken.",
        f"- Vier-ogenprincipe: een verlening boven {fmt(p.vier_ogen_drempel)}, elke afwijking van de "
        "uitkomst van de regels en elke betaling worden door een tweede behandelaar gecontroleerd.",
        f"- Bezwaar: binnen {p.bezwaartermijn_weken} weken na de dag van verzending van het besluit.",
        "",
        "## Gebruikte waarden",
        "",
    ]
    for name, meta in rs.param_meta.items():
        value = rs.params[name]
        text = rs.formatting.default(value) if meta.unit != "fractie" else f"{value * 100:.0f}%"
        if meta.unit in ("jaar", "maanden", "weken", "dagen"):
            text = f"{value} {meta.unit}"
        if name == "gemeentenamen":
            continue
        if name == "werkgebied":
            text = rs.formatting.join([rs.formatting.municipality_with_code(c) for c in value])
        lines.append(f"- {meta.description}: {text} ({meta.reference})" if meta.reference
                     else f"- {meta.description}: {text}")
    lines += ["", "Uitleg per aanvraag: bij elke beoordeling legt het systeem per regel in één zin uit "
              "wat de regel vraagt en wat de aanvraag daarop laat zien.", ""]
    return "\n".join(lines)
