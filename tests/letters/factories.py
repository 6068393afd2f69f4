"""Test data built straight through the models (until tests drive fund.workflow end to end).

BSNs and IBANs here are test values that pass the 11-proef / IBAN check on purpose: the
export tests prove they never leak.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from fund.reports.targets import fill_report_columns
from fund.extensions import db
from fund.models import Application, Decision, Organisation, Outcome, Payment, User
from fund.rules import evaluate
from tests.example_documents import LLO_EXAMPLE

TEST_BSN = "111222333"
TEST_IBAN = "NL91ABNA0417164300"
_counter = itertools.count(1)

LLO_FACTS = LLO_EXAMPLE


def user(role: str = "inwoner", name: str = "Fatima El Amrani", **extra) -> User:
    n = next(_counter)
    defaults = dict(street="Hoofdstraat", house_number="12", postcode="7811 EA", city="Emmen") if role == "inwoner" else {}
    if role == "inwoner":
        defaults["bsn"] = TEST_BSN
    defaults.update(extra)
    u = User(email=f"{role}{n}@voorbeeld.test", name=name, password_hash="x", role=role, **defaults)
    db.session.add(u)
    db.session.flush()
    return u


def organisation(name: str = "Metaalbewerking Hoogeveen B.V.") -> Organisation:
    n = next(_counter)
    org = Organisation(name=name, kvk_number=f"{23456700 + n:08d}", municipality="GM0118",
                       employees=8, annual_turnover=Decimal("1900000.00"), sbb_erkend=True,
                       street="Industrieweg", house_number="5", postcode="7903 AH", city="Hoogeveen")
    db.session.add(org)
    db.session.flush()
    return org


def facts(**changes) -> dict:
    import copy

    doc = copy.deepcopy(LLO_FACTS)
    for dotted, value in changes.items():
        group, _, key = dotted.partition("__")
        doc[group][key] = value
    return doc


def application(applicant: User | None = None, doc: dict | None = None, *, status="in_behandeling",
                organisation_: Organisation | None = None, **extra) -> Application:
    applicant = applicant or user()
    doc = doc or facts()
    result = evaluate(doc)
    n = next(_counter)
    app_row = Application(
        number=f"DOF-2026-{n:06d}", instrument=doc["instrument"], status=status,
        applicant_id=applicant.id, organisation_id=organisation_.id if organisation_ else None,
        facts=doc, municipality=(doc.get("applicant") or doc.get("employer") or doc.get("candidate") or {}).get("municipality"),
        title="Verzorgende IG", iban=TEST_IBAN, tijdvak=2026, ruleset_id=result["ruleset"],
        eligibility_outcome=result["outcome"], eligibility_result=result,
        computed_amount=Decimal(result["amount"]) if result["amount"] else None,
        priority_group=result["priority_group"],
        **{"received_at": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc),
           "complete_at": dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc),
           "decision_deadline": dt.date(2026, 4, 27), **extra},
    )
    fill_report_columns(app_row)  # as the eligibility check does
    db.session.add(app_row)
    db.session.flush()
    return app_row


def decision(app_row: Application, kind: str, *, officer: User | None = None,
             second: User | None = None, amount=None, decided_on=dt.date(2026, 3, 20),
             sent_on=dt.date(2026, 3, 20), motivation="", **extra) -> Decision:
    officer = officer or user("officer", "Anouk Bakker")
    n = next(_counter)
    result = app_row.eligibility_result or {}
    d = Decision(
        number=f"BES-2026-{n:06d}", application_id=app_row.id, kind=kind, decided_on=decided_on,
        sent_on=sent_on, effective_on=decided_on,
        amount=Decimal(amount) if amount is not None else None, motivation=motivation,
        reasons=extra.pop("reasons", result.get("reasons", [])),
        referrals=extra.pop("referrals", result.get("referrals", [])),
        ruleset_id=app_row.ruleset_id,
        legal_basis=extra.pop("legal_basis", "Regeling Drents Ontwikkelfonds, versie 2026, §3"),
        officer_id=officer.id, second_officer_id=second.id if second else None, **extra,
    )
    db.session.add(d)
    db.session.flush()
    return d


def payment(app_row: Application, kind: str, amount, *, proposer: User, approver: User | None = None,
            status="betaald", decision_row: Decision | None = None) -> Payment:
    n = next(_counter)
    p = Payment(application_id=app_row.id, kind=kind, amount=Decimal(amount), status=status,
                idempotency_key=f"test-{n}", proposed_by_id=proposer.id,
                approved_by_id=approver.id if approver else None,
                decision_id=decision_row.id if decision_row else None)
    db.session.add(p)
    db.session.flush()
    return p


def outcome(app_row: Application, result: str, reporter: User, *, employed=None, incurred=None) -> Outcome:
    o = Outcome(application_id=app_row.id, result=result, reported_by_id=reporter.id,
                incurred_costs=Decimal(incurred) if incurred is not None else None,
                employed_after_6_months=employed)
    db.session.add(o)
    db.session.flush()
    return o


def all_kinds() -> dict[str, Decision]:
    """One decision of every kind on realistic applications; committed."""
    officer = user("officer", "Anouk Bakker")
    supervisor = user("supervisor", "Ingrid Hofstra")
    finance = user("finance", "Pieter de Vries")
    out: dict[str, Decision] = {}

    granted = application(granted_amount=Decimal("1800.00"))
    out["verlening"] = decision(granted, "verlening", officer=officer, amount="1800.00",
                                motivation="Uw opleiding past goed bij de vraag in de zorg.")
    rejected = application(doc=facts(applicant__birth_date="1950-01-01", applicant__municipality="GM0106"))
    out["afwijzing"] = decision(rejected, "afwijzing", officer=officer)
    referred = application(doc=facts(applicant__employment_status="ww"))
    out["doorverwijzing"] = decision(referred, "doorverwijzing", officer=officer)
    incomplete = application(herstel_deadline=dt.date(2026, 3, 16),
                             herstel_request="een offerte van de opleider")
    out["buiten_behandeling"] = decision(incomplete, "buiten_behandeling", officer=officer)

    settled = application(granted_amount=Decimal("1800.00"), final_amount=Decimal("1800.00"))
    v = decision(settled, "verlening", officer=officer, amount="1800.00")
    payment(settled, "voorschot", "1440.00", proposer=finance, approver=supervisor, decision_row=v)
    outcome(settled, "certificaat", settled.applicant, incurred="1800.00")
    out["vaststelling"] = decision(settled, "vaststelling", officer=officer, second=supervisor,
                                   amount="1800.00", decided_on=dt.date(2027, 1, 11),
                                   sent_on=dt.date(2027, 1, 11))

    reclaimed = application(granted_amount=Decimal("1800.00"), final_amount=Decimal("600.00"))
    v2 = decision(reclaimed, "verlening", officer=officer, amount="1800.00")
    payment(reclaimed, "voorschot", "1440.00", proposer=finance, approver=supervisor, decision_row=v2)
    outcome(reclaimed, "uitgevallen", reclaimed.applicant, incurred="600.00", employed=True)
    vs = decision(reclaimed, "vaststelling", officer=officer, amount="600.00",
                  decided_on=dt.date(2026, 11, 30), sent_on=dt.date(2026, 11, 30))
    out["terugvordering"] = decision(reclaimed, "terugvordering", officer=officer, second=supervisor,
                                     amount="840.00", decided_on=dt.date(2026, 12, 1),
                                     sent_on=dt.date(2026, 12, 3), supersedes_id=vs.id,
                                     motivation="U bent gestopt met de opleiding. U heeft € 600,00 aan kosten gemaakt.")

    objected = application(doc=facts(applicant__birth_date="1950-01-01"))
    first = decision(objected, "afwijzing", officer=officer)
    other = user("officer", "Jeroen Mulder")
    out["bezwaar_ongegrond"] = decision(objected, "bezwaar_ongegrond", officer=other, supersedes_id=first.id,
                                        decided_on=dt.date(2026, 5, 4), sent_on=dt.date(2026, 5, 4),
                                        motivation="U was op de dag van de aanvraag 76 jaar. Uw bezwaar verandert daar niets aan.")
    objected2 = application(granted_amount=Decimal("1800.00"))
    first2 = decision(objected2, "afwijzing", officer=officer, reasons=["plafond_bereikt"])
    out["bezwaar_gegrond"] = decision(objected2, "bezwaar_gegrond", officer=other, second=supervisor,
                                      supersedes_id=first2.id, amount="1800.00",
                                      decided_on=dt.date(2026, 5, 4), sent_on=dt.date(2026, 5, 4),
                                      motivation="Uw aanvraag was eerder compleet dan wij dachten. Er was toen nog budget.")
    extended = application(decision_deadline=dt.date(2026, 6, 22), deadline_extended=True,
                           deadline_extension_reason="Wij wachten op informatie van de opleider over de duur van de opleiding.")
    out["verdaging"] = decision(extended, "verdaging", officer=officer)
    db.session.commit()
    return out
