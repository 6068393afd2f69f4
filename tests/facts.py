"""Facts documents for tests, by instrument: the sample of rules/<instrument>/demo.yaml (dates
relative to the pinned today) with the keyword arguments the tests vary. The portal's own code
names no instrument; these helpers live with the tests."""
from __future__ import annotations

from fund.demo.applications import sample_facts


def llo_facts(*, municipality: str = "GM0114", birth_date: str = "1980-05-10", cost: str = "1800.00",
              employment_status: str = "employed", has_startkwalificatie: bool = True,
              coverage: str = "none", other_amount: str = "0", sector: str = "zorg_welzijn",
              uwv_declined: bool = False) -> dict:
    return sample_facts("llo", {
        "applicant.municipality": municipality, "applicant.birth_date": birth_date,
        "applicant.employment_status": employment_status,
        "applicant.has_startkwalificatie": has_startkwalificatie, "training.cost": cost,
        "training.sector": sector, "funding.coverage": coverage, "funding.other_amount": other_amount,
        "funding.uwv_declined": uwv_declined})


def voucher_facts(org=None, *, kvk: str | None = None, municipality: str | None = None,
                  employees: int | None = None, turnover: str | None = None, cost: str = "3000.00",
                  kind: str = "scholing", coverage: str = "none", legally_required: bool = False) -> dict:
    changes = {"activity.cost": cost, "activity.kind": kind,
               "activity.provider_kind": "mbo" if kind == "scholing" else "adviseur",
               "activity.legally_required": legally_required, "funding.coverage": coverage}
    if org is not None:
        changes.update({"employer.kvk_number": org.kvk_number, "employer.municipality": org.municipality,
                        "employer.employees": org.employees,
                        "employer.annual_turnover": f"{org.annual_turnover:.2f}"})
    for dotted, value in (("employer.kvk_number", kvk), ("employer.municipality", municipality),
                          ("employer.employees", employees), ("employer.annual_turnover", turnover)):
        if value is not None:
            changes[dotted] = value
    return sample_facts("voucher", changes)


def praktijkverklaring_facts(*, applicant_kind: str = "person", municipality: str = "GM0118",
                             employment_status: str = "jobseeker", has_startkwalificatie: bool = False,
                             sbb_erkend: bool = True, leerbedrijf: str = "Zorggroep Zuidoost-Drenthe",
                             birth_date: str = "1990-02-14", uwv_declined: bool = False) -> dict:
    return sample_facts("praktijkverklaring", {
        "application.applicant_kind": applicant_kind, "candidate.municipality": municipality,
        "candidate.employment_status": employment_status,
        "candidate.has_startkwalificatie": has_startkwalificatie, "candidate.birth_date": birth_date,
        "leerbedrijf.sbb_erkend": sbb_erkend, "leerbedrijf.name": leerbedrijf,
        "funding.uwv_declined": uwv_declined})
