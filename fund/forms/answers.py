"""The answers of an application, step by step, as the applicant gave them (summary page,
receipt PDF)."""
from __future__ import annotations

from fund.forms import instruments as steps_mod
from fund.forms.questions import display_value


# Left out of what travels by e-mail (regeling/AVG: no BSN, IBAN or birth date in mail).
NOT_BY_MAIL = "Staat in uw aanvraag op de website"


def _private(q) -> bool:
    return q.kind == "iban" or q.fact.endswith("birth_date")


def answer_rows(application, *, for_mail: bool = False) -> list[dict]:
    facts = application.facts or {}
    meta = {"title": application.title, "iban": application.iban}
    rows = []
    for s in steps_mod.steps_for(application.instrument, steps_mod.kind_of(application)):
        items = []
        for q in s.questions:
            section, _, key = q.fact.partition(".")
            value = meta.get(key) if section == "meta" else (facts.get(section) or {}).get(key)
            shown = NOT_BY_MAIL if for_mail and _private(q) else display_value(q, value)
            items.append((q.label, shown))
        rows.append({"step": s, "fields": items})
    return rows
