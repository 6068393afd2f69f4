"""Read-only queries of the workflow: the budget overview writes nothing."""
from decimal import Decimal

from sqlalchemy import func, select

from fund.extensions import db
from fund.models import Budget
from fund.workflow.queries import budget_overview
from tests.workflow.helpers import granted


def test_budget_overview_shows_every_instrument_and_tijdvak_without_writing(people):
    before = db.session.scalar(select(func.count()).select_from(Budget))
    overview = budget_overview()
    assert db.session.scalar(select(func.count()).select_from(Budget)) == before
    keys = {(r["instrument"], r["tijdvak"]) for r in overview}
    assert keys == {(i, t) for i in ("llo", "voucher", "praktijkverklaring") for t in (2026, 2027)}
    llo_2027 = next(r for r in overview if r["instrument"] == "llo" and r["tijdvak"] == 2027)
    assert llo_2027["ceiling"] == Decimal("750000") and llo_2027["remaining"] == Decimal("750000")


def test_budget_overview_follows_grants(people):
    app = granted(people)
    row = next(r for r in budget_overview() if r["instrument"] == "llo" and r["tijdvak"] == app.tijdvak)
    assert row["committed"] == app.granted_amount
    assert row["remaining"] == row["ceiling"] - app.granted_amount
