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


def test_demo_applications_are_spread_over_the_past_year_within_the_tijdvakken(app):
    """A fund in operation: receipts in every quarter of the year so far, decisions and payments
    over months, files that are late, and nothing dated before the first tijdvak (2026-01-01)."""
    from datetime import date, timedelta

    from fund.demo.applications import first_day
    from fund.models import Application, Decision, Payment
    from fund.workflow import clock
    from fund.workflow.queries import overdue

    seed()
    today = clock.today()
    received = [a.received_at.date() for a in db.session.query(Application) if a.received_at]
    decided = [d.decided_on for d in db.session.query(Decision)]
    paid = [p.paid_at.date() for p in db.session.query(Payment) if p.paid_at]
    everything = received + decided + paid
    assert min(everything) >= date(2026, 1, 1) and max(everything) <= today
    # a year of history (or all of it since the first tijdvak), not all received today
    # (the first working day of the first tijdvak is 5 January 2026: 2 January is gelijkgesteld
    # with a feestdag by Royal Decree, rules/shared/termijnen.yaml)
    assert first_day() == date(2026, 1, 5)
    assert min(received) <= max(first_day(), today - timedelta(days=300))
    assert min(received) >= first_day()
    assert len({(d.month - 1) // 3 for d in received if d.year == today.year}) == (today.month - 1) // 3 + 1
    assert len({(d.year, d.month) for d in decided}) >= min(6, today.month)
    late = {a.status for a in overdue()}
    assert "herstel" in late
    if today >= date(2026, 3, 15):  # time enough since the first tijdvak for a beslistermijn to pass
        assert "in_behandeling" in late


def test_outbox_deliver_on_demo_data_delivers_everything(app):
    """Every demo beschikking gets its letter and every demo mail is written, and the command
    says so with exit 0; a second run finds nothing left."""
    from fund.cli import cli
    from fund.models import Decision, OutboxMessage

    seed()
    pending = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.state == "pending"))
    assert pending > 0
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert f"Verstuurd: {pending}; niet gelukt: 0; wacht nog: 0." in result.output
    assert db.session.scalar(select(func.count()).select_from(Decision).where(Decision.letter_pdf.is_(None))) == 0
    assert runner.invoke(cli, ["outbox", "deliver"]).output.startswith("Verstuurd: 0;")
    assert all(user.has_postal_address for user in db.session.scalars(
        select(User).where(User.role == "inwoner")))
    assert all(org.has_postal_address for org in db.session.scalars(select(Organisation)))
