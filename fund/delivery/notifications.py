"""Which e-mail goes out for what. Every message is one template in ``templates/mail/``: its
``subject`` and plain-text body in B1 Dutch; the HTML part is made from the same text in the
NL Design System look (``templates/mail/layout.html``), so the two never drift apart.

Each message carries the application number and a link to the portal, never a BSN, IBAN or
birth date. All of them are written with :func:`fund.delivery.outbox.add_mail` inside the
transaction of the event they tell about.
"""
from __future__ import annotations

import re
from datetime import date

from flask import current_app, render_template
from markupsafe import Markup, escape

from fund.delivery.outbox import add_mail

_URL = re.compile(r"(https?://\S+)")


def portal_link(endpoint: str, **values) -> str:
    """An absolute link to the portal; works in requests, workflow events and the nightly tick
    alike (built from the URL map, not from a request)."""
    base = current_app.config.get("FUND_BASE_URL", "").rstrip("/")
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def _html(subject: str, text: str) -> str:
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = []
        for line in block.splitlines():
            parts = _URL.split(line)
            lines.append(Markup("").join(
                Markup('<a href="{0}">{0}</a>').format(p) if i % 2 else escape(p) for i, p in enumerate(parts)))
        paragraphs.append(Markup("<br>").join(lines))
    return render_template("mail/layout.html", subject=subject, paragraphs=paragraphs)


def render(name: str, **context) -> tuple[str, str, str]:
    """(subject, text, html) of ``templates/mail/<name>.txt``."""
    env = current_app.jinja_env
    template = env.get_template(f"mail/{name}.txt")
    module = template.make_module(context)
    subject = str(getattr(module, "subject", "")).strip()
    text = re.sub(r"\n{3,}", "\n\n", str(module).strip()) + "\n"
    return subject, text, _html(subject, text)


def _send(name: str, user, key: str, *, application=None, attachment: dict | None = None, **context):
    if user is None or not user.email:
        return None
    subject, text, html = render(name, user=user, application=application, **context)
    return add_mail(to=user.email, subject=subject, text=text, html=html, key=key, user_id=user.id,
                    application_id=application.id if application is not None else None,
                    attachment=attachment)


def _to_applicant(name: str, application, key: str, *, by=None, **context):
    """A mail about an application to the user who applied and, for an organisation's application
    (a werkgever, a leerbedrijf for its candidate), to each active colleague of that organisation
    as well: they see the same applications in the portal and may act on them
    (``fund.workflow.guards.is_applicant_side``), so they hear the same news. One outbox row per
    person; the colleague's key carries the colleague's id.

    A colleague did not apply, so the same template gets ``colleague=True`` and words it for
    them: the organisation's name (``organisation_name``) and who did what (``actor_name``, or
    ``by_you`` when the reader did it). ``by`` is the user who sent the event; a colleague may
    submit or lodge the bezwaar too, and then the applicant reads the colleague's wording as well
    ("Uw collega … heeft bezwaar gemaakt", not "uw bezwaar")."""
    applicant = application.applicant
    if application.organisation_id is None:
        return _send(name, applicant, key, application=application, **context)
    from sqlalchemy import select

    from fund.extensions import db
    from fund.models import User
    from fund.models.types import Role

    actor = by if by is not None else applicant

    def worded_for(reader) -> dict:
        if reader.id == actor.id == applicant.id:
            return {}  # the applicant's own mail
        return {"colleague": True, "organisation_name": application.organisation.name,
                "actor_name": actor.name, "by_you": reader.id == actor.id}

    first = _send(name, applicant, key, application=application, **worded_for(applicant), **context)
    colleagues = db.session.scalars(select(User).where(
        User.organisation_id == application.organisation_id, User.id != application.applicant_id,
        User.role == Role.WERKGEVER.value, User.active.is_(True),
        User.email_verified.is_(True)).order_by(User.id)).all()
    for colleague in colleagues:
        _send(name, colleague, f"{key}:collega:{colleague.id}", application=application,
              **worded_for(colleague), **context)
    return first


def _application_link(application) -> str:
    return portal_link("applicant.detail", app_id=application.id)


# -- accounts -----------------------------------------------------------------------------------------

def verify_email(user, link: str):
    return _send("verify_email", user, f"verify:{user.id}:{link[-16:]}", link=link)


def account_exists(user, link: str, day, *, matched: str = "email", given_email: str = "", organisation=None):
    """Someone registered with this address, BSN or KvK number again: the owner hears it (once a day
    per kind), the form does not say it (no account enumeration). ``matched`` says which detail;
    a BSN is never in the mail, only that it was used."""
    return _send("account_exists", user, f"account_exists:{matched}:{user.id}:{day.isoformat()}", link=link,
                 matched=matched, given_email=given_email, organisation=organisation)


def password_reset(user, link: str):
    return _send("password_reset", user, f"reset:{user.id}:{link[-16:]}", link=link)


def colleague_invited(user, inviter, link: str):
    return _send("colleague_invited", user, f"invite:{user.id}", inviter=inviter, link=link)


def staff_invited(user, actor, link: str):
    return _send("staff_invited", user, f"invite:{user.id}", actor=actor, link=link)


# -- applications (called by the workflow, inside the event's transaction) ---------------------------

def submitted(application, by=None):
    return _to_applicant("submitted", application, f"submitted:{application.id}", by=by,
                 link=_application_link(application),
                 attachment={"kind": "answers_pdf", "application_id": application.id})


def herstel_requested(application, message: str):
    return _to_applicant("herstel_requested", application,
                 f"herstel:{application.id}:{application.herstel_deadline.isoformat()}",
                 message=message, link=_application_link(application))


def herstel_reminder(application):
    return _to_applicant("herstel_reminder", application,
                 f"herstel-reminder:{application.id}:{application.herstel_deadline.isoformat()}",
                 link=_application_link(application))


def decision_ready(decision):
    application = decision.application
    return _to_applicant("decision_ready", application, f"decision:{decision.id}",
                 decision=decision, link=_application_link(application))


def payment_made(payment):
    application = payment.application
    return _to_applicant("payment_made", application, f"payment:{payment.id}",
                 payment=payment, link=_application_link(application))


def bezwaar_received(application, lodged_on: date, by=None):
    return _to_applicant("bezwaar_received", application, f"bezwaar:{application.id}:{lodged_on.isoformat()}", by=by,
                 link=_application_link(application))


def daily_summary(officer, due: list, overdue: list, on: date):
    return _send("daily_summary", officer, f"summary:{officer.id}:{on.isoformat()}", due=due, overdue=overdue,
                 link=portal_link("officer.queue"), settings_link=portal_link("officer.summary_settings"))


def reminder_day(deadline: date, working_days: int = 3) -> date:
    """The day ``working_days`` working days (no weekend or Atw feestdag) before ``deadline``."""
    from fund import awb

    return awb.add_working_days(deadline, -working_days)
