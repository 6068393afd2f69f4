"""Create realistic demo data, idempotently (every object is looked up by a natural key first)."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select

from fund.accounts import create_user
from fund.extensions import db
from fund.models import Organisation, User
from fund.models.types import Role

DEMO_PASSWORD = "demo-Drenthe-2026"

STAFF = [
    ("officer@ontwikkelfonds.test", "Anouk Bakker", Role.OFFICER),
    ("officer2@ontwikkelfonds.test", "Jeroen Mulder", Role.OFFICER),
    ("supervisor@ontwikkelfonds.test", "Ingrid Hofstra", Role.SUPERVISOR),
    ("finance@ontwikkelfonds.test", "Pieter de Vries", Role.FINANCE),
    ("finance2@ontwikkelfonds.test", "Sanne Kuipers", Role.FINANCE),
    ("auditor@ontwikkelfonds.test", "Marleen Post", Role.AUDITOR),
    ("beleid@ontwikkelfonds.test", "Karin Zwiers", Role.BELEID),
    ("admin@ontwikkelfonds.test", "Beheerder", Role.ADMIN),
]

# (email, name, municipality, street, house number, postcode, city, bsn) — BSNs are test numbers (11-proef).
INWONERS = [
    ("fatima@voorbeeld.test", "Fatima El Amrani", "GM0114", "Hoofdstraat", "12", "7811 EA", "Emmen", "111222333"),
    ("henk@voorbeeld.test", "Henk Jansen", "GM0118", "Raadhuisstraat", "4", "7901 BN", "Hoogeveen", "123456782"),
    ("sarah@voorbeeld.test", "Sarah de Boer", "GM1680", "Brink", "7", "9461 AR", "Gieten", "100000009"),
    ("tom@voorbeeld.test", "Tom Wieringa", "GM0109", "Markt", "3", "7741 AB", "Coevorden", "999999990"),
    ("lisa@voorbeeld.test", "Lisa Oosting", "GM1731", "Dorpsstraat", "21", "9411 KA", "Beilen", "111111110"),
    ("ahmad@voorbeeld.test", "Ahmad Nouri", "GM1690", "Julianastraat", "9", "7921 AA", "Zuidwolde", "222222220"),
    ("erik@voorbeeld.test", "Erik Bos", "GM0106", "Kerkplein", "1", "9401 EA", "Assen", "333333330"),
]

# (kvk, name, municipality, employees, turnover, sbb_erkend, user email, user name)
ORGANISATIONS = [
    ("12345678", "Zorggroep Zuidoost-Drenthe", "GM0114", 180, "14500000.00", True, "hr@zorggroep.test", "Monique Smit"),
    ("23456789", "Metaalbewerking Hoogeveen B.V.", "GM0118", 8, "1900000.00", True, "info@metaal-hoogeveen.test", "Gerrit Lubbers"),
    ("34567890", "Transport Coevorden", "GM0109", 42, "6200000.00", False, "p&o@transport-coevorden.test", "Wim Hendriks"),
    ("45678901", "Hotel De Drentse Hoeve", "GM1681", 23, "2100000.00", True, "leren@drentsehoeve.test", "Karin Vos"),
]
# the vestigingsadres of each organisation, by KvK number (street, house number, postcode, city)
VESTIGINGSADRESSEN = {
    "12345678": ("Boermarkeweg", "40", "7824 AA", "Emmen"),
    "23456789": ("Industrieweg", "7", "7903 AH", "Hoogeveen"),
    "34567890": ("Havenweg", "15", "7741 KR", "Coevorden"),
    "45678901": ("Hoofdstraat", "88", "7875 AD", "Exloo"),
}


@dataclass
class SeedReport:
    password: str = DEMO_PASSWORD
    accounts: list[tuple[str, str]] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    skipped: bool = False

    def count(self, what: str, n: int = 1) -> None:
        self.created[what] = self.created.get(what, 0) + n

    def summary(self) -> str:
        if not self.created:
            return "niets nieuw aangemaakt (alles bestond al)"
        return ", ".join(f"{n} {what}" for what, n in sorted(self.created.items()))


def _user(report: SeedReport, email: str, name: str, role: Role, **extra) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = create_user(email, name, DEMO_PASSWORD, role, **extra)
        report.count("gebruikers")
    report.accounts.append((email, role.value))
    return user


def _organisation(report: SeedReport, kvk, name, municipality, employees, turnover, sbb) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk))
    if org is None:
        street, number, postcode, city = VESTIGINGSADRESSEN[kvk]
        org = Organisation(
            kvk_number=kvk, name=name, municipality=municipality, employees=employees,
            annual_turnover=Decimal(turnover), sbb_erkend=sbb,
            street=street, house_number=number, postcode=postcode, city=city,
        )
        db.session.add(org)
        report.count("organisaties")
    return org


def seed(only_if_empty: bool = False) -> SeedReport:
    report = SeedReport()
    if only_if_empty and db.session.scalar(select(func.count()).select_from(User)):
        report.skipped = True
        return report
    for email, name, role in STAFF:
        _user(report, email, name, role)
    inwoners = {}
    for email, name, gm, street, number, postcode, city, bsn in INWONERS:
        inwoners[email] = _user(
            report, email, name, Role.INWONER, street=street, house_number=number, postcode=postcode,
            city=city, bsn=bsn,
        )
    orgs = {}
    for kvk, name, gm, employees, turnover, sbb, email, uname in ORGANISATIONS:
        org = _organisation(report, kvk, name, gm, employees, turnover, sbb)
        db.session.flush()
        orgs[kvk] = org
        _user(report, email, uname, Role.WERKGEVER, organisation_id=org.id)
    db.session.commit()
    from fund.demo.applications import seed_applications

    seed_applications(report, inwoners=inwoners, organisations=orgs)
    return report
