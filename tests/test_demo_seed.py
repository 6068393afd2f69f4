"""`fund demo seed` creates every role, and running it twice duplicates nothing."""
from sqlalchemy import func, select

from fund.demo.seed import seed
from fund.extensions import db
from fund.models import Organisation, User
from fund.models.types import Role


def _counts():
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Organisation)
    }


def test_seed_creates_every_role(any_app):
    seed()
    roles = set(db.session.scalars(select(User.role).distinct()))
    assert roles == {r.value for r in Role}


def test_seed_is_idempotent(app):
    seed()
    first = _counts()
    report = seed()
    assert _counts() == first
    assert report.created == {}


def test_seed_if_empty_skips_filled_database(app):
    seed()
    assert seed(only_if_empty=True).skipped is True


def test_demo_bsns_are_valid_test_numbers(app):
    from stdnum.nl import bsn

    seed()
    for user in db.session.scalars(select(User).where(User.bsn.is_not(None))):
        assert bsn.is_valid(user.bsn), user.email


def test_seed_puts_demo_applications_in_every_workflow_state(any_app):
    from fund.models import Application, Budget
    from fund.workflow.machine import STATES

    seed()
    count = db.session.scalar(select(func.count()).select_from(Application))
    seen = {(i, s) for i, s in db.session.execute(select(Application.instrument, Application.status))}
    for instrument in ("llo", "voucher", "praktijkverklaring"):
        assert {s for i, s in seen if i == instrument} == set(STATES), instrument
    assert db.session.scalar(select(func.count()).select_from(Budget)) >= 3
    seed()
    assert db.session.scalar(select(func.count()).select_from(Application)) == count
