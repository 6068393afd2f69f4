"""Outbox mechanics against real components: retries with backoff, parking, retry by an admin,
the tick's reminder and daily summary, the development inbox, and `fund outbox deliver`."""
from __future__ import annotations

import socket
from datetime import date, timedelta

from sqlalchemy import select

from fund.delivery import notifications, outbox
from fund.extensions import db
from fund.models import OutboxMessage
from fund.models.types import utcnow
from fund.workflow import clock, send
from fund.workflow.tick import daily_summaries
from tests.web.helpers import login, make_users
from tests.workflow.conftest import make_people
from tests.workflow.helpers import in_review


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def _one_mail(user) -> OutboxMessage:
    row = notifications.password_reset(user, "https://fonds.test/auth/wachtwoord/x")
    db.session.commit()
    return row


def test_a_mail_server_that_is_down_means_retry_with_backoff_then_parked(mail_app, smtp_server):
    users = make_users()
    mail_app.config["FUND_SMTP_URL"] = f"smtp://127.0.0.1:{_closed_port()}"
    row = _one_mail(users["inwoner"])
    assert outbox.deliver(row.id) is False
    db.session.refresh(row)
    assert row.state == "pending" and row.attempts == 1 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at > utcnow()  # backoff: not due again at once
    assert outbox.due_ids() == []
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=None))
        db.session.commit()
        outbox.sweep()
    db.session.refresh(row)
    assert row.state == "parked" and row.attempts == outbox.MAX_ATTEMPTS
    assert smtp_server.messages == []

    # the admin sees it and tries again once the server is back
    mail_app.config["FUND_SMTP_URL"] = smtp_server.url
    client = mail_app.test_client()
    login(client, users["admin"])
    page = client.get("/beheer/berichten").get_data(as_text=True)
    assert "Geparkeerd" in page and f"E-mail {row.id}" in page and "ConnectionRefused" in page
    resp = client.post("/beheer/berichten", data={"id": row.id})
    assert resp.status_code == 302
    db.session.refresh(row)
    assert row.state == "delivered"
    assert [str(m["Subject"]) for m in smtp_server.messages] == ["Nieuw wachtwoord voor het Drents ontwikkelfonds"]


def test_the_same_side_effect_is_queued_once(mail_app):
    users = make_users()
    first = notifications.staff_invited(users["officer"], users["admin"], "https://fonds.test/x")
    second = notifications.staff_invited(users["officer"], users["admin"], "https://fonds.test/x")
    db.session.commit()
    assert first is not None and second is None
    assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage)) == 1


def test_a_claimed_row_is_not_delivered_twice(mail_app, smtp_server):
    users = make_users()
    row = _one_mail(users["inwoner"])
    assert outbox._claim(row.id) is True  # another dispatcher holds it
    assert outbox.deliver(row.id) is False and smtp_server.messages == []
    assert outbox.sweep() == {"delivered": 0, "not_delivered": 0}  # not due while the lease runs


def test_daily_summary_once_a_working_day_and_opt_out(mail_app, smtp_server):
    from fund import awb

    people = make_people()
    app = in_review(people)  # assigned to people.officer, beslistermijn 8 weeks ahead
    day = app.decision_deadline - timedelta(days=1)
    while awb.is_rest_day(day):  # a working day within 5 working days of the deadline
        day -= timedelta(days=1)
    with clock.frozen(app.decision_deadline - timedelta(days=30)):
        assert daily_summaries() == 0  # nothing due: nothing to say
    with clock.frozen(day):
        assert daily_summaries() == 1
        assert daily_summaries() == 0  # once a day
        db.session.commit()
        outbox.dispatch()
    [mail] = [m for m in smtp_server.messages if m["To"] == people.officer.email]
    assert str(mail["Subject"]) == "Uw dossiers: 0 te laat, 1 binnen 5 werkdagen"
    assert app.number in mail.get_body(preferencelist=("plain",)).get_content()
    people.officer.daily_summary = False
    db.session.commit()
    with clock.frozen(app.decision_deadline + timedelta(days=7)):
        assert daily_summaries() == 0  # opted out, though the file is now overdue


def test_no_daily_summary_on_a_feestdag(mail_app):
    people = make_people()
    in_review(people)
    with clock.frozen(date(2026, 12, 25)):
        assert daily_summaries() == 0


def test_development_inbox_lists_the_eml_files(sqlite_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(sqlite_url, tmp_path)  # development, no SMTP: .eml files
    with app.app_context():
        users = make_users()
        row = _one_mail(users["inwoner"])
        assert outbox.deliver(row.id)
        client = app.test_client()
        page = client.get("/dev/mail").get_data(as_text=True)
        assert "Nieuw wachtwoord voor het Drents ontwikkelfonds" in page
        one = client.get(f"/dev/mail/{row.id:08d}").get_data(as_text=True)
        assert "https://fonds.test/auth/wachtwoord/x" in one
        assert client.get("/dev/mail/..%2Fetc").status_code == 404
        db.session.remove()
        db.engine.dispose()
