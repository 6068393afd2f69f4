"""Dutch (B1) labels for statuses and events, for buttons and lists."""
from __future__ import annotations

STATUS_LABELS: dict[str, str] = {
    "concept": "Concept",
    "ingediend": "Ingediend",
    "in_behandeling": "In behandeling",
    "herstel": "Wacht op aanvulling",
    "besluit_voorgesteld": "Besluit wacht op tweede handtekening",
    "verleend": "Verleend",
    "afgewezen": "Afgewezen",
    "doorverwezen": "Doorverwezen",
    "buiten_behandeling": "Buiten behandeling",
    "ingetrokken": "Ingetrokken",
    "uitbetaald": "Voorschot betaald",
    "uitkomst_gemeld": "Resultaat gemeld",
    "vastgesteld": "Vastgesteld",
    "gesloten": "Afgesloten",
    "bezwaar": "Bezwaar in behandeling",
}

# What each state means for the applicant, in their words (issue 14): what happens for them,
# not the internal step ("Besluit wacht op tweede handtekening").
APPLICANT_STATUS_LABELS: dict[str, str] = {
    "concept": "Nog niet verstuurd",
    "ingediend": "Wij hebben uw aanvraag ontvangen",
    "in_behandeling": "Wij beoordelen uw aanvraag",
    "herstel": "Wij wachten op een aanvulling van u",
    "besluit_voorgesteld": "Wij beoordelen uw aanvraag",
    "verleend": "Subsidie toegekend",
    "afgewezen": "Geen subsidie",
    "doorverwezen": "Vraag het eerst ergens anders",
    "buiten_behandeling": "Niet behandeld: de aanvulling kwam niet",
    "ingetrokken": "U heeft de aanvraag ingetrokken",
    "uitbetaald": "Voorschot betaald",
    "uitkomst_gemeld": "Wij berekenen het definitieve bedrag",
    "vastgesteld": "Definitief bedrag vastgesteld",
    "gesloten": "Afgerond",
    "bezwaar": "Wij behandelen uw bezwaar",
}

EVENT_LABELS: dict[str, str] = {
    "submit": "Aanvraag indienen",
    "supplement": "Aanvulling insturen",
    "withdraw": "Aanvraag intrekken",
    "assign": "In behandeling nemen",
    "request_info": "Om aanvulling vragen",
    "extend_deadline": "Beslistermijn verlengen",
    "grant": "Verlenen",
    "reject": "Afwijzen",
    "refer": "Doorverwijzen",
    "co_sign": "Besluit medeondertekenen",
    "propose_payment": "Betaling voorstellen",
    "approve_payment": "Betaling goedkeuren",
    "report_outcome": "Resultaat melden",
    "settle": "Subsidie vaststellen",
    "close": "Dossier sluiten",
    "object": "Bezwaar maken",
    "decide_objection": "Beslissen op bezwaar",
    "record_followup": "Werk na zes maanden vastleggen",
    "expire_herstel": "Buiten behandeling stellen (termijn verlopen)",
}

# The data each event takes (contract-workflow.md) and whether a written motivation is needed.
EVENT_FIELDS: dict[str, list[str]] = {
    "submit": [],
    "supplement": ["message"],
    "withdraw": ["reason"],
    "assign": ["officer_id"],
    "request_info": ["message"],
    "extend_deadline": ["reason"],
    "grant": ["motivation", "deviate", "deviation_motivation", "amount"],
    "reject": ["motivation", "deviate", "deviation_motivation"],
    "refer": ["motivation"],
    "co_sign": ["approve", "motivation"],
    "propose_payment": [],
    "approve_payment": ["payment_id"],
    "report_outcome": ["result", "incurred_costs"],
    "settle": ["motivation", "result", "incurred_costs"],  # result/costs: corrections only
    "close": [],
    "object": ["grounds"],
    "decide_objection": ["upheld", "motivation", "amount"],  # amount: gegrond after payment only
    "record_followup": ["employed"],
    "expire_herstel": [],
}

NEEDS_MOTIVATION = {"request_info", "extend_deadline", "object", "decide_objection"}

# Audit events that are not events of the machine, as staff read them in the Verloop.
OTHER_EVENT_LABELS: dict[str, str] = {
    "create": "Aanvraag begonnen",
    "update_facts": "Gegevens gewijzigd",
    "document_uploaded": "Document toegevoegd",
    "document_removed": "Document verwijderd",
    "recheck": "Controle opnieuw gedaan",
    "note_added": "Notitie (intern)",
    "payment_in_file": "Betaling in betaalbestand gezet",
    "payment_paid": "Betaling uitgevoerd door de bank",
    "reclaim_received": "Terugbetaling ontvangen",
}


def event_label(name: str) -> str:
    """The Dutch label of an audit event of an application (the code itself if unknown)."""
    return EVENT_LABELS.get(name) or OTHER_EVENT_LABELS.get(name, name)
