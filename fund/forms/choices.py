"""Dutch labels for the coded values of the facts document (regeling §3-§5).

Only labels live here: which values exist is declared in the rule files, and the rules engine
checks them again.

The label tables stay plain ``(value, label)`` pairs (for looking up a label); a SelectField or
RadioField gets its choices through :func:`options`, as :class:`wtforms.SelectChoice` objects
(WTForms 3.3 deprecates tuples there, 3.4 drops them).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from wtforms import SelectChoice


def _municipalities() -> list[tuple[str, str]]:
    """The Drentse gemeenten with their names, from rules/shared/parameters.yaml (gemeentenamen)."""
    from fund.rules import load_rulebook

    book = load_rulebook()
    newest = book.rulesets()[-1]
    names = newest.parameter("gemeentenamen")
    return sorted(names.items(), key=lambda item: item[1]) + [
        # Outside Drenthe: any valid-looking code that is not in the werkgebied gives the same
        # (correct) outcome "buiten_werkgebied"; users do not know CBS codes.
        ("GM0000", "Een gemeente buiten Drenthe"),
    ]


MUNICIPALITIES = _municipalities()
MUNICIPALITY_NAMES = dict(MUNICIPALITIES)

EMPLOYMENT_STATUS = [
    ("employed", "Ik werk in loondienst"),
    ("self_employed", "Ik ben zelfstandig ondernemer (zzp)"),
    ("jobseeker", "Ik zoek werk (zonder uitkering)"),
    ("ww", "Ik heb een WW-uitkering"),
    ("bijstand", "Ik heb een bijstandsuitkering"),
    ("other", "Iets anders"),
]

PROVIDER_KIND = [
    ("mbo", "Mbo-instelling (roc)"),
    ("hbo", "Hogeschool"),
    ("wo", "Universiteit"),
    ("crkbo", "Erkend opleider (CRKBO-register)"),
    ("other", "Een andere aanbieder"),
]

ACTIVITY_PROVIDER_KIND = PROVIDER_KIND[:4] + [
    ("adviseur", "Adviesbureau"),
    ("other", "Een andere aanbieder"),
]

TRAINING_KIND = [
    ("diploma", "Een diploma-opleiding"),
    ("certificaat", "Een cursus met certificaat"),
    ("mbo_certificaat", "Een mbo-certificaat"),
    ("praktijkverklaring", "Een praktijkverklaring"),
    ("skills", "Een korte training (vaardigheden)"),
]

SECTOR = [
    ("zorg_welzijn", "Zorg en welzijn"),
    ("industrie_techniek", "Industrie en techniek"),
    ("ict", "ICT"),
    ("logistiek", "Logistiek"),
    ("gastvrijheid", "Gastvrijheid (horeca, recreatie)"),
    ("onderwijs", "Onderwijs"),
    ("basisvaardigheden", "Basisvaardigheden (taal, rekenen, digitaal)"),
    ("other", "Een andere richting"),
]

COVERAGE = [
    ("none", "Nee, niemand anders betaalt"),
    ("partial", "Ja, een deel"),
    ("full", "Ja, alles"),
    ("unknown", "Dat weet ik nog niet"),
]

ACTIVITY_KIND = [
    ("scholing", "Scholing van medewerkers"),
    ("hrm_advies", "Advies over personeelsbeleid (hrm)"),
    ("employability_scan", "Een scan van de inzetbaarheid van medewerkers"),
    ("ontwikkelplan", "Een ontwikkelplan"),
]

OUTCOME_RESULT = [
    ("diploma", "Diploma behaald"),
    ("certificaat", "Certificaat behaald"),
    ("praktijkverklaring_behaald", "Praktijkverklaring behaald"),
    ("afgerond_zonder_bewijs", "Afgerond, zonder diploma of certificaat"),
    ("gedeeltelijk", "Voor een deel gevolgd"),
    ("uitgevallen", "Gestopt (uitgevallen)"),
    ("niet_gestart", "Niet begonnen"),
]

INSTRUMENT_LABELS = {
    "llo": "Ontwikkelbudget (LLO-traject)",
    "voucher": "Ontwikkelvoucher voor werkgevers",
    "praktijkverklaring": "Praktijkverklaring (praktijkleren in het mbo)",
}

ROLE_LABELS = {
    "inwoner": "Inwoner",
    "werkgever": "Werkgever / leerbedrijf",
    "officer": "Behandelaar",
    "supervisor": "Tweede behandelaar (supervisor)",
    "finance": "Financiën",
    "auditor": "Controleur",
    "admin": "Beheerder",
}

# Kinds of document; the ones the workflow requires are in rules/shared/workflow.yaml.
DOCUMENT_KINDS = [
    ("offerte", "Offerte of inschrijfbewijs van de opleider"),
    ("bewijs_bijdrage", "Bewijs van wat anderen betalen (werkgever, O&O-fonds)"),
    ("afwijzing_uwv", "Brief waarin het UWV de aanvraag weigert"),
    ("afwijzing_gemeente", "Brief waarin de gemeente de aanvraag weigert"),
    ("praktijkleerovereenkomst", "Praktijkleerovereenkomst"),
    ("bewijs", "Diploma, certificaat of ander bewijs"),
    ("overig", "Iets anders"),
]
DOCUMENT_KIND_LABELS = dict(DOCUMENT_KINDS)

REFERRAL_LABELS = {
    "werkgever_of_fonds": "uw werkgever, een O&O-fonds of een cao-budget",
    "uwv": "het UWV",
    "gemeente": "uw gemeente",
    "inburgering": "de inburgering (uw gemeente)",
    "studiefinanciering": "studiefinanciering (DUO)",
    "oo_fonds": "het O&O-fonds van uw sector",
}

PAYMENT_KIND_LABELS = {"voorschot": "Voorschot", "rest": "Rest na vaststelling",
                       "terugvordering": "Terugvordering"}
PAYMENT_STATUS_LABELS = {"voorgesteld": "Voorgesteld", "goedgekeurd": "Goedgekeurd",
                         "betaald": "Betaald", "vervallen": "Vervallen (bezwaar gegrond)"}

DECISION_KIND_LABELS = {
    "verlening": "Toekenning (verlening)",
    "afwijzing": "Afwijzing",
    "doorverwijzing": "Doorverwijzing",
    "buiten_behandeling": "Niet in behandeling genomen",
    "vaststelling": "Vaststelling",
    "terugvordering": "Terugvordering",
    "bezwaar_gegrond": "Beslissing op bezwaar: gegrond",
    "bezwaar_ongegrond": "Beslissing op bezwaar: ongegrond",
    "verdaging": "Verlenging van de beslistermijn",
}


def options(pairs: Iterable[tuple[str, str]] | Mapping[str, str] = (), *,
            empty: str | None = None) -> list[SelectChoice]:
    """Choices for a SelectField/RadioField from ``(value, label)`` pairs or a ``{value: label}``
    dict; ``empty`` puts a first option with value "" and that label ("Maak een keuze", "Alle")."""
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    first = [SelectChoice(value="", label=empty)] if empty is not None else []
    return first + [SelectChoice(value=str(value), label=text) for value, text in items]


def label(choices: list[tuple[str, str]], value) -> str:
    return dict(choices).get(value, value if value is not None else "")
