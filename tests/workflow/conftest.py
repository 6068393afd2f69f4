"""Fixtures for workflow tests: people in every role and helpers to drive an application."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from fund.extensions import db
from fund.models import Organisation, User
from fund.models.types import Role

_counter = itertools.count(1)


def make_user(role: Role, *, organisation: Organisation | None = None, name: str | None = None) -> User:
    n = next(_counter)
    user = User(email=f"{role.value}{n}@test.nl", name=name or f"{role.value} {n}", password_hash="x",
                role=role.value, organisation_id=organisation.id if organisation else None,
                street="Hoofdstraat", house_number=str(n), postcode="7811 EA", city="Emmen")
    db.session.add(user)
    db.session.flush()
    return user


@dataclass
class People:
    inwoner: User
    inwoner2: User
    werkgever: User
    colleague: User
    org: Organisation
    officer: User
    officer2: User
    officer3: User
    supervisor: User
    supervisor2: User
    finance: User
    finance2: User
    auditor: User


def make_people() -> People:
    org = Organisation(name="Metaal Hoogeveen", kvk_number="23456789", municipality="GM0118",
                       employees=8, annual_turnover="1900000.00", sbb_erkend=True,
                       street="Industrieweg", house_number="7", postcode="7903 AH", city="Hoogeveen")
    db.session.add(org)
    db.session.flush()
    people = People(
        inwoner=make_user(Role.INWONER), inwoner2=make_user(Role.INWONER),
        werkgever=make_user(Role.WERKGEVER, organisation=org),
        colleague=make_user(Role.WERKGEVER, organisation=org), org=org,
        officer=make_user(Role.OFFICER), officer2=make_user(Role.OFFICER), officer3=make_user(Role.OFFICER),
        supervisor=make_user(Role.SUPERVISOR), supervisor2=make_user(Role.SUPERVISOR),
        finance=make_user(Role.FINANCE), finance2=make_user(Role.FINANCE), auditor=make_user(Role.AUDITOR),
    )
    db.session.commit()
    return people


@pytest.fixture
def people(any_app) -> People:
    return make_people()


@pytest.fixture
def sqlite_people(app) -> People:
    return make_people()


@pytest.fixture
def pg_people(pg_app) -> People:
    return make_people()
