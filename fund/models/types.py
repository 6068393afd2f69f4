"""Enumerations and column types shared by the models."""
from __future__ import annotations

import enum
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import JSON, DateTime, Numeric, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB

from fund.models.decision_kinds import DecisionKind  # noqa: F401  (declared there, once)


class Role(str, enum.Enum):
    """What a user may do. One role per account; a supervisor can also act as officer."""

    INWONER = "inwoner"
    WERKGEVER = "werkgever"  # a user of an organisation: werkgever or leerbedrijf
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    FINANCE = "finance"
    AUDITOR = "auditor"
    BELEID = "beleid"  # beleidsmedewerker: simulates draft rules, never changes the rules in force
    ADMIN = "admin"


class PaymentKind(str, enum.Enum):
    VOORSCHOT = "voorschot"
    REST = "rest"  # the remainder paid at vaststelling
    TERUGVORDERING = "terugvordering"  # reclaim: a negative cash flow, stored as a positive amount


class PaymentStatus(str, enum.Enum):
    VOORGESTELD = "voorgesteld"  # proposed by finance, waiting for the second person
    GOEDGEKEURD = "goedgekeurd"  # approved by a second person (vier-ogen)
    IN_BETAALBESTAND = "in_betaalbestand"  # in one SEPA file (payment_batches); the bank has not confirmed
    BETAALD = "betaald"  # the bank confirmed it (or, for a terugvordering, the money came in)
    VERVALLEN = "vervallen"  # never approved; its vaststelling was annulled by a bezwaar gegrond


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def money_column() -> Numeric:
    """Exact euros with cents. Never float (asdecimal=True is SQLAlchemy's default)."""
    return Numeric(12, 2, asdecimal=True)


ZERO = Decimal("0.00")

# JSONB on PostgreSQL (indexable, compact), JSON text elsewhere.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both SQLite (which stores naive) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use fund.models.types.utcnow()")
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value



def trigram_index(name: str, column: str):
    """An index for "contains" searches on ``lower(column)``: GIN with trigrams on PostgreSQL
    (extension pg_trgm, migration 0010), a plain expression index on SQLite."""
    from sqlalchemy import Index, func, literal_column

    expr = func.lower(literal_column(column)).label(f"{column}_lower")
    return Index(name, expr, postgresql_using="gin", postgresql_ops={f"{column}_lower": "gin_trgm_ops"})
