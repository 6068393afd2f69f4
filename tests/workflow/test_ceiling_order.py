"""Regeling §1: the ceiling is allocated in order of receipt of complete applications."""
from sqlalchemy import select

from fund.extensions import db
from fund.models import Budget
from fund.models.types import Role
from fund.workflow import send
from tests.workflow.conftest import make_user
from tests.workflow.helpers import in_review


def _ceiling_for(app, n):
    budget = db.session.scalar(select(Budget).where(Budget.instrument == app.instrument,
                                                    Budget.tijdvak == app.tijdvak))
    budget.ceiling = app.computed_amount * n
    db.session.commit()


def test_deciding_a_later_application_first_does_not_take_the_earlier_ones_money(people):
    other = make_user(Role.INWONER)
    db.session.commit()
    first = in_review(people, title="Eerder compleet")
    later = in_review(people, applicant=other, title="Later compleet")
    assert first.complete_at <= later.complete_at
    _ceiling_for(first, 1)

    later = send(later, "grant", people.officer)
    assert later.status == "afgewezen"
    refusal = later.decisions[-1]
    assert refusal.reasons == ["plafond_bereikt"]
    assert "eerder compleet" in refusal.motivation

    first = send(first, "grant", people.officer)
    assert first.status == "verleend"


def test_a_rejected_earlier_application_frees_its_reservation(people):
    other = make_user(Role.INWONER)
    db.session.commit()
    first = in_review(people, title="Eerder compleet")
    later = in_review(people, applicant=other, title="Later compleet")
    _ceiling_for(first, 1)
    send(first, "withdraw", people.inwoner)
    assert send(later, "grant", people.officer).status == "verleend"
