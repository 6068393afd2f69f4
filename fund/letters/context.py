"""Everything a letter template needs, gathered from one Decision (no database writes here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app

from fund.forms.instruments import on_behalf_of
from fund.letters.dutch import KIND_LABELS, outcome_text
from fund.models import Decision
from fund.models.decision_kinds import BEROEP_KINDS, BEZWAAR_KINDS, REMEDY_KINDS  # noqa: F401
from fund.rules import Ruleset, load_rulebook

# Which decisions get a bezwaarclausule (Awb 6:4) and which a beroepsclausule (a beslissing op
# bezwaar): the ``remedy`` of each kind in fund.models.decision_kinds. A verdaging has none.
# Reason codes that are not rules in the trace but procedural outcomes (regeling §1).
PROCEDURAL_REASONS = {
    "plafond_bereikt": (
        "Het subsidieplafond voor deze regeling in dit jaar is bereikt. Er is geen geld meer "
        "over om uw aanvraag toe te kennen. Wij behandelen aanvragen in de volgorde waarin "
        "ze compleet binnenkwamen."
    ),
}

NO_VOORZIENING = (
    "Er is geen andere regeling (zoals werkgever, O&O-fonds, UWV of gemeente) die eerst moet betalen."
)


@dataclass
class Addressee:
    lines: list[str]
    salutation: str


@dataclass
class ScheduleLine:
    label: str
    amount: Decimal
    status: str = ""


@dataclass
class LetterContext:
    decision: Decision
    kind: str
    subject: str
    kenmerk: str
    letter_date: dt.date
    addressee: Addressee
    bestuursorgaan: object
    contact: object
    instrument_title: str
    application_title: str | None
    on_behalf_of: str | None  # the candidate a leerbedrijf applied for
    application_date: dt.date | None
    legal_basis: str
    motivation_officer: list[str]
    motivation_trace: list[str]
    procedural_reasons: list[str]
    amount: Decimal | None
    voorschot_percentage: Decimal | None = None
    schedule: list[ScheduleLine] = field(default_factory=list)
    paid_so_far: Decimal | None = None
    remedy: str | None = None  # "bezwaar", "beroep" or None
    remedy_deadline: dt.date | None = None
    part_of_bezwaar: bool = False  # taken because a bezwaar was gegrond (Awb 7:11)
    previous: Decision | None = None
    new_deadline: dt.date | None = None
    extension_reason: str | None = None
    outcome_label: str | None = None
    incurred_costs: Decimal | None = None
    settlement_rule: str | None = None
    beslistermijn_weken: int = 8
    verdaging_weken: int = 8
    paragraphs: tuple[str, ...] = ()  # the instrument's own (``letters:`` in its form.yaml)

    def as_template_vars(self) -> dict:
        return {"letter": self, "d": self.decision, "app": self.decision.application}


def ruleset_for(decision: Decision) -> Ruleset | None:
    book = load_rulebook()
    application = decision.application
    for ruleset_id in (decision.ruleset_id, application.ruleset_id):
        if ruleset_id:
            try:
                return book.ruleset_by_id(ruleset_id)
            except LookupError:
                pass
    if application.application_date:
        try:
            return book.ruleset(application.instrument, application.application_date)
        except LookupError:
            return None
    return None


def remedy_deadline(decision: Decision, ruleset: Ruleset | None) -> dt.date:
    """Last day to object: the stored ``bezwaar_deadline``, else computed in the one place that
    computes it (:func:`fund.workflow.decisions.remedy_deadline`, Awb 6:7/6:8 and the Atw)."""
    from fund.workflow.decisions import remedy_deadline as computed

    if decision.bezwaar_deadline:
        return decision.bezwaar_deadline
    application = decision.application
    sent = decision.sent_on or decision.decided_on
    return computed(sent, ruleset_id=ruleset.id if ruleset else application.ruleset_id,
                    instrument=application.instrument, on=application.application_date or sent)


def _addressee(decision: Decision) -> Addressee:
    application = decision.application
    org = application.organisation
    user = application.applicant
    # regeling §6: an organisation's vestigingsadres, else the person's correspondence address
    lines = [org.name, f"t.a.v. {user.name}"] if org is not None else [user.name]
    lines += (org if org is not None else user).address_lines
    return Addressee(lines=lines, salutation=f"Geachte {user.name},")


@dataclass
class Block:
    """A paragraph of the motivation, with the bulleted lines ("- ...") under it as a list."""

    text: str
    items: list[str] = field(default_factory=list)


def _paragraphs(text: str | None) -> list[Block]:
    blocks = []
    for para in (text or "").split("\n\n"):
        lines = [line.strip() for line in para.strip().splitlines() if line.strip()]
        if not lines:
            continue
        prose = [line for line in lines if not line.startswith("- ")]
        items = [line[2:].strip() for line in lines if line.startswith("- ")]
        blocks.append(Block(" ".join(prose), items))
    return blocks


def _trace_lines(decision: Decision) -> list[str]:
    """The sentences of the rule trace that carry this decision (regeling §2)."""
    return trace_lines(decision.application, decision.kind, decision.reasons, decision.referrals)


def trace_lines(application, kind: str, reasons: list | None, referrals: list | None) -> list[str]:
    """The rule-trace sentences a letter of ``kind`` will carry, also for a proposal that is not a
    Decision yet (the supervisor reads them before co-signing)."""
    result = application.eligibility_result or {}
    trace = result.get("trace") or []
    if kind == "afwijzing":
        wanted = set(reasons or [])
        picked = [s for s in trace if s.get("kind") == "eligibility" and not s.get("passed")
                  and (not wanted or s.get("rule") in wanted)]
    elif kind == "doorverwijzing":
        wanted = set(referrals or [])
        picked = [s for s in trace if s.get("kind") == "voorziening" and not s.get("passed")
                  and (not wanted or s.get("rule") in wanted)]
        if not picked:
            picked = [s for s in trace if s.get("rule") in wanted]
    elif kind == "verlening":
        # The conditions met, the prioritaire doelgroep (it sets the maximum) and the amount.
        # Voorzieningen that do not apply are one sentence, not one line each.
        lines = [s["explanation"] for s in trace
                 if s.get("kind") in ("eligibility", "priority_group") and s.get("explanation")]
        if any(s.get("kind") == "voorziening" for s in trace):
            lines.append(NO_VOORZIENING)
        lines += [s["explanation"] for s in trace if s.get("kind") == "amount" and s.get("explanation")]
        return lines
    else:
        picked = []
    return [s["explanation"] for s in picked if s.get("explanation")]


def _has_trace(decision: Decision) -> bool:
    """The workflow may already have written the trace into the motivation: then not twice."""
    text = decision.motivation or ""
    trace = (decision.application.eligibility_result or {}).get("trace") or []
    return any(s.get("explanation") and s["explanation"] in text for s in trace)


def _legal_basis(decision: Decision, ruleset: Ruleset | None) -> str:
    if decision.legal_basis:
        return decision.legal_basis
    if ruleset is None:
        return "Regeling Drents Ontwikkelfonds"
    return f"{ruleset.tijdvak.description}, {ruleset.article} ({ruleset.title})"


def _schedule(decision: Decision, ruleset: Ruleset | None, ctx: LetterContext) -> None:
    """Amount and payment schedule: from the rules (voorschot %) and the stored payments."""
    amount = decision.amount
    if decision.kind == "verlening" and amount is not None and ruleset is not None:
        pct = ruleset.parameter("voorschot_percentage")
        voorschot = ruleset.voorschot_amount(amount)
        ctx.voorschot_percentage = pct
        ctx.schedule = [
            ScheduleLine("Voorschot, na dit besluit", voorschot),
            ScheduleLine("Rest, na de vaststelling", amount - voorschot),
        ]
    payments = [p for p in decision.application.payments if p.kind in ("voorschot", "rest")]
    if decision.kind in ("vaststelling", "terugvordering"):
        paid = sum((p.amount for p in payments if p.status in ("goedgekeurd", "betaald")),
                   Decimal("0.00"))
        ctx.paid_so_far = paid
        if decision.kind == "vaststelling" and amount is not None:
            difference = amount - paid
            if difference > 0:
                ctx.schedule = [ScheduleLine("Wij betalen u nog", difference)]
            elif difference < 0:
                ctx.schedule = [ScheduleLine("U moet terugbetalen", -difference)]


def build_context(decision: Decision) -> LetterContext:
    application = decision.application
    ruleset = ruleset_for(decision)
    letter_date = decision.sent_on or decision.decided_on
    ctx = LetterContext(
        decision=decision,
        kind=decision.kind,
        subject=KIND_LABELS.get(decision.kind, "Besluit"),
        kenmerk=f"{decision.number or decision.id} / {application.number or application.id}",
        letter_date=letter_date,
        addressee=_addressee(decision),
        bestuursorgaan=current_app.config["FUND_BESTUURSORGAAN"],
        contact=current_app.config["FUND_CONTACT"],
        instrument_title=ruleset.title if ruleset else application.instrument,
        application_title=application.title,
        on_behalf_of=on_behalf_of(application),
        application_date=application.application_date,
        legal_basis=_legal_basis(decision, ruleset),
        motivation_officer=_paragraphs(decision.motivation),
        motivation_trace=_trace_lines(decision) if not _has_trace(decision) else [],
        procedural_reasons=[PROCEDURAL_REASONS[r] for r in (decision.reasons or [])
                            if r in PROCEDURAL_REASONS],
        amount=decision.amount,
        previous=decision.supersedes,
    )
    _schedule(decision, ruleset, ctx)
    if application.instrument in load_rulebook().instruments:
        ctx.paragraphs = load_rulebook().form(application.instrument).paragraphs(decision.kind)
    if decision.remedy_is_beroep:
        ctx.remedy = "beroep"  # a beslissing op bezwaar, or part of one (Awb 7:11)
        ctx.part_of_bezwaar = decision.op_bezwaar_id is not None
    elif decision.kind in BEZWAAR_KINDS:
        ctx.remedy = "bezwaar"
    if ctx.remedy:
        ctx.remedy_deadline = remedy_deadline(decision, ruleset)
    if ruleset is not None:
        ctx.beslistermijn_weken = ruleset.procedure.beslistermijn_weken
        ctx.verdaging_weken = ruleset.procedure.verdaging_weken
    if decision.kind in ("vaststelling", "terugvordering") and application.outcome is not None:
        ctx.outcome_label = outcome_text(application.outcome.result)
        ctx.incurred_costs = application.outcome.incurred_costs
    if decision.kind == "vaststelling" and ruleset is not None:
        ctx.settlement_rule = ruleset.vaststelling_description
    if decision.kind == "verdaging":
        ctx.new_deadline = application.decision_deadline
        ctx.extension_reason = application.deadline_extension_reason
    return ctx
