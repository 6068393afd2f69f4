"""The steps of the application form, per instrument (regeling §3-§5).

Every step is a tuple of :class:`~fund.forms.questions.Question`; a question fills one fact.
After the question steps come "documenten" and "controleren" (handled by the views).
"""
from __future__ import annotations

from dataclasses import dataclass

from fund.forms import choices as c
from fund.forms.display import today
from fund.forms.questions import Question as Q

DOCUMENTS_STEP = "documenten"
SUMMARY_STEP = "controleren"


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    questions: tuple[Q, ...]


def _t(choices):
    return tuple(choices)


PERSON = (
    Q("{s}.birth_date", "date", "Geboortedatum", autocomplete="bday"),
    Q("{s}.municipality", "enum", "In welke gemeente woont {wie}?", choices=_t(c.MUNICIPALITIES)),
    Q("{s}.employment_status", "enum", "Wat past het best bij {wie} nu?",
      choices=_t(c.EMPLOYMENT_STATUS)),
    Q("{s}.has_startkwalificatie", "bool", "Heeft {wie} een startkwalificatie?",
      hint="Een startkwalificatie is een diploma op havo-, vwo- of mbo-niveau 2 of hoger."),
    Q("{s}.statushouder", "bool", "Is {wie} statushouder?",
      hint="Een statushouder heeft een verblijfsvergunning asiel."),
    Q("{s}.banenafspraak_indicatie", "bool", "Heeft {wie} een indicatie banenafspraak?",
      hint="Dat is een indicatie van het UWV voor mensen met een arbeidsbeperking."),
)


def _person(section: str, wie: str) -> tuple[Q, ...]:
    return tuple(
        Q(q.fact.format(s=section), q.kind, q.label.format(wie=wie), q.hint, q.choices,
          autocomplete=q.autocomplete)
        for q in PERSON
    )


FUNDING_QUESTIONS = (
    Q("funding.coverage", "enum", "Betaalt iemand anders (een deel van) de kosten?",
      hint="Bijvoorbeeld een werkgever, een O&O-fonds, een cao-budget of een andere regeling.",
      choices=_t(c.COVERAGE)),
    Q("funding.other_amount", "money", "Hoeveel betalen anderen? (in euro's)",
      hint="Alleen invullen als anderen een deel betalen.", required=False,
      required_if=("funding.coverage", "partial")),
)
DECLINED_QUESTIONS = (
    Q("funding.uwv_declined", "bool", "Heeft het UWV schriftelijk gezegd dat het niet betaalt?"),
    Q("funding.gemeente_declined", "bool",
      "Heeft de gemeente schriftelijk gezegd dat zij niet betaalt?"),
)
IBAN_QUESTION = Q("meta.iban", "iban", "Op welk rekeningnummer (IBAN) wilt u het geld ontvangen?",
                  hint="Bijvoorbeeld NL91 ABNA 0417 1643 00.", autocomplete="off")


STEPS: dict[str, tuple[Step, ...]] = {
    "llo": (
        Step("over-u", "Over u", "Wij vragen een paar dingen over u.",
             _person("applicant", "u") + (
                 Q("applicant.inburgeringsplichtig", "bool", "Moet u inburgeren?"),
             )),
        Step("opleiding", "Uw opleiding", "Vertel ons welke opleiding of cursus u wilt volgen.", (
            Q("meta.title", "text", "Naam van de opleiding",
              hint="Bijvoorbeeld: Verzorgende IG.", input_attrs={"maxlength": 200}),
            Q("training.provider_kind", "enum", "Wie geeft de opleiding?",
              choices=_t(c.PROVIDER_KIND)),
            Q("training.kind", "enum", "Wat voor opleiding is het?", choices=_t(c.TRAINING_KIND)),
            Q("training.sector", "enum", "In welke richting is de opleiding?",
              choices=_t(c.SECTOR)),
            Q("training.full_time", "bool", "Is het een voltijdopleiding?"),
            Q("training.start_date", "date", "Wanneer begint de opleiding?"),
            Q("training.end_date", "date", "Wanneer is de opleiding klaar?"),
            Q("training.cost", "money", "Wat kost de opleiding? (in euro's)",
              hint="Het bedrag op de offerte of de inschrijving."),
        )),
        Step("betaling", "Betaling", "Het fonds betaalt pas als niemand anders betaalt.",
             FUNDING_QUESTIONS + DECLINED_QUESTIONS + (IBAN_QUESTION,)),
    ),
    "voucher": (
        Step("bedrijf", "Uw bedrijf", "Wij vragen een paar dingen over uw bedrijf.", (
            Q("employer.municipality", "enum", "In welke gemeente is uw vestiging?",
              choices=_t(c.MUNICIPALITIES)),
            Q("employer.employees", "int", "Hoeveel mensen werken er bij uw bedrijf?"),
            Q("employer.annual_turnover", "money", "Wat is de jaaromzet? (in euro's)"),
            Q("employer.de_minimis_received_3y", "money",
              "Hoeveel de-minimissteun kreeg uw bedrijf in de laatste 3 jaar? (in euro's)",
              hint="Vul 0 in als u geen de-minimissteun kreeg."),
        )),
        Step("activiteit", "De activiteit", "Vertel ons waarvoor u de voucher wilt gebruiken.", (
            Q("meta.title", "text", "Korte naam van de activiteit",
              hint="Bijvoorbeeld: Ontwikkelplan bakkerij.", input_attrs={"maxlength": 200}),
            Q("activity.kind", "enum", "Wat voor activiteit is het?", choices=_t(c.ACTIVITY_KIND)),
            Q("activity.provider_kind", "enum", "Wie voert de activiteit uit?",
              choices=_t(c.ACTIVITY_PROVIDER_KIND)),
            Q("activity.legally_required", "bool",
              "Bent u wettelijk verplicht deze scholing te geven?",
              hint="Bijvoorbeeld scholing die nodig is om het werk te mogen doen (art. 7:611a BW)."),
            Q("activity.participants", "int", "Hoeveel medewerkers doen mee?"),
            Q("activity.start_date", "date", "Wanneer begint de activiteit?"),
            Q("activity.end_date", "date", "Wanneer is de activiteit klaar?"),
            Q("activity.cost", "money", "Wat kost de activiteit? (in euro's)"),
        )),
        Step("betaling", "Betaling", "Het fonds betaalt pas als niemand anders betaalt.",
             FUNDING_QUESTIONS + (IBAN_QUESTION,)),
    ),
    "praktijkverklaring": (
        Step("kandidaat", "De kandidaat", "Wij vragen een paar dingen over de persoon die leert.",
             _person("candidate", "de kandidaat")),
        Step("traject", "Leerbedrijf en opleiding", "Waar en wat leert de kandidaat?", (
            Q("meta.title", "text", "Naam van de kwalificatie",
              hint="Bijvoorbeeld: Medewerker bediening.", input_attrs={"maxlength": 200}),
            Q("leerbedrijf.name", "text", "Naam van het leerbedrijf",
              input_attrs={"maxlength": 200}),
            Q("leerbedrijf.sbb_erkend", "bool", "Is het leerbedrijf erkend door SBB?"),
            Q("traject.mbo_instelling", "text", "Welke mbo-instelling begeleidt en beoordeelt?",
              input_attrs={"maxlength": 200}),
            Q("traject.crebo", "code", "Crebonummer van de kwalificatie",
              hint="5 cijfers, bijvoorbeeld 25655.", pattern=r"[0-9]{5}",
              pattern_message="Een crebonummer heeft 5 cijfers.", input_attrs={"inputmode": "numeric"}),
            Q("traject.werkprocessen", "lines", "Welke werkprocessen leert de kandidaat?",
              hint="Zet elk werkproces op een eigen regel, bijvoorbeeld B1-K1-W1."),
            Q("traject.start_date", "date", "Wanneer begint het leren in de praktijk?"),
            Q("traject.end_date", "date", "Wanneer is het klaar?"),
        )),
        Step("betaling", "Betaling", "Het fonds betaalt pas als niemand anders betaalt.",
             DECLINED_QUESTIONS + (IBAN_QUESTION,)),
    ),
}

# Who may apply for what (regeling: applicant of each instrument).
INSTRUMENTS_FOR_ROLE = {
    "inwoner": ("llo", "praktijkverklaring"),
    "werkgever": ("voucher", "praktijkverklaring"),
}


def steps_for(instrument: str) -> tuple[Step, ...]:
    return STEPS[instrument]


def step(instrument: str, slug: str) -> Step | None:
    return next((s for s in STEPS[instrument] if s.slug == slug), None)


def next_slug(instrument: str, slug: str) -> str:
    slugs = [s.slug for s in STEPS[instrument]] + [DOCUMENTS_STEP, SUMMARY_STEP]
    return slugs[min(slugs.index(slug) + 1, len(slugs) - 1)]


def all_slugs(instrument: str) -> list[str]:
    return [s.slug for s in STEPS[instrument]] + [DOCUMENTS_STEP, SUMMARY_STEP]


def step_titles(instrument: str) -> list[tuple[str, str]]:
    return [(s.slug, s.title) for s in STEPS[instrument]] + [
        (DOCUMENTS_STEP, "Documenten"), (SUMMARY_STEP, "Controleren en versturen")]


def initial_facts(instrument: str, user) -> dict:
    """Facts the portal knows before the first question: the date, the organisation."""
    facts: dict = {"instrument": instrument, "application": {"date": today().isoformat()}}
    org = user.organisation
    if instrument == "voucher" and org is not None:
        facts["employer"] = {
            "kvk_number": org.kvk_number, "municipality": org.municipality,
            "employees": org.employees, "annual_turnover": f"{org.annual_turnover:.2f}",
        }
    if instrument == "praktijkverklaring":
        facts["application"]["applicant_kind"] = "organisation" if org else "person"
        if org is not None:
            facts["leerbedrijf"] = {"name": org.name, "sbb_erkend": bool(org.sbb_erkend)}
    return facts


def question_for_fact(instrument: str, dotted: str):
    """(step, question) that asks the fact ``dotted``, or (None, None)."""
    for s in STEPS[instrument]:
        for q in s.questions:
            if q.fact == dotted:
                return s, q
    return None, None
