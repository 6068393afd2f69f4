"""The periodic job (``fund workflow tick``, cron): expired hersteltermijnen -> buiten
behandeling; herstel reminders three working days before the deadline; the officers' daily
summary; and a sweep of the outbox, so nothing a crash left behind waits longer than a tick."""
from __future__ import annotations


from sqlalchemy import select

from fund.delivery import notifications, outbox
from fund.extensions import db
from fund.models import Application, User
from fund.models.types import Role
from fund.workflow import clock
from fund.workflow.errors import WorkflowError
from fund.workflow.queries import AWAITING_DECISION, herstel_expired
from fund.workflow.service import send

SUMMARY_WORKING_DAYS = 5


def tick() -> dict:
    """Each case in its own transaction; one failure does not stop the others."""
    done, failed = [], []
    for app_id in herstel_expired():
        try:
            app = send(app_id, "expire_herstel", None)
            done.append(app.number)
        except WorkflowError as exc:
            failed.append((app_id, exc.message))
    reminders = herstel_reminders()
    summaries = daily_summaries()
    db.session.commit()
    delivered = outbox.sweep()
    from fund.audit import checkpoint
    from fund.identity import sessions

    signed = checkpoint.daily()  # one signed checkpoint of the audit chain a day
    sessions.purge_expired()
    return {"buiten_behandeling": done, "failed": failed, "reminders": reminders,
            "summaries": summaries, "outbox": delivered, "checkpoint": str(signed) if signed else None}


def herstel_reminders() -> int:
    """Remind applicants three working days before the hersteltermijn ends (once per deadline:
    the outbox key holds the deadline)."""
    today = clock.today()
    count = 0
    for app in db.session.scalars(select(Application).where(Application.status == "herstel",
                                                            Application.herstel_deadline >= today)):
        if notifications.reminder_day(app.herstel_deadline) <= today and notifications.herstel_reminder(app):
            count += 1
    return count


def daily_summaries() -> int:
    """Each officer (opt-out: ``User.daily_summary``) gets the files due within 5 working days and
    the overdue ones, once a day, on working days, when there is anything to say."""
    from fund import awb

    today = clock.today()
    if awb.is_rest_day(today):
        return 0
    horizon = awb.add_working_days(today, SUMMARY_WORKING_DAYS)
    count = 0
    officers = db.session.scalars(select(User).where(
        User.role.in_((Role.OFFICER.value, Role.SUPERVISOR.value)), User.active.is_(True),
        User.daily_summary.is_(True)))
    for officer in officers:
        files = list(db.session.scalars(select(Application).where(
            Application.assigned_officer_id == officer.id, Application.status.in_(AWAITING_DECISION),
            Application.decision_deadline <= horizon).order_by(Application.decision_deadline)))
        overdue = [a for a in files if a.decision_deadline < today]
        due = [a for a in files if a.decision_deadline >= today]
        if files and notifications.daily_summary(officer, due, overdue, today):
            count += 1
    return count
