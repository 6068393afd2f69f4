""""Check uw kansen": the questions of the application form that decide eligibility.

Facts that never change the outcome (names, crebo, KvK number) are filled with placeholders so
the rules engine gets a complete document; everything else is asked.
"""
from __future__ import annotations

from fund.forms.display import today
from fund.forms.instruments import STEPS
from fund.forms.questions import Question

# Facts that are needed by the facts document but do not decide anything.
PLACEHOLDERS = {
    "voucher": {"employer": {"kvk_number": "00000000"}},
    "praktijkverklaring": {
        "leerbedrijf": {"name": "-"},
        "traject": {"mbo_instelling": "-", "crebo": "00000", "werkprocessen": ["-"]},
    },
}
_NOT_ASKED = {"leerbedrijf.name", "traject.mbo_instelling", "traject.crebo",
              "traject.werkprocessen"}

CHECK_INTRO = {
    "llo": "U wilt zelf een opleiding of cursus volgen.",
    "voucher": "U bent werkgever en wilt uw medewerkers laten leren.",
    "praktijkverklaring": "Iemand wil leren in de praktijk bij een erkend leerbedrijf.",
}


def check_questions(instrument: str) -> tuple[Question, ...]:
    return tuple(
        q for s in STEPS[instrument] for q in s.questions
        if not q.fact.startswith("meta.") and q.fact not in _NOT_ASKED
    )


def check_document(instrument: str, facts: dict) -> dict:
    """The §7 facts document for the check: today's date, the answers, the placeholders."""
    doc: dict = {"instrument": instrument, "application": {"date": today().isoformat()}}
    if instrument == "praktijkverklaring":
        doc["application"]["applicant_kind"] = "person"
    for section, values in PLACEHOLDERS.get(instrument, {}).items():
        doc.setdefault(section, {}).update(values)
    for section, values in facts.items():
        for key, value in values.items():
            if value is not None:
                doc.setdefault(section, {})[key] = value
    return doc
