"""Development only: the mails that would have been sent, read from ``<instance>/mail/*.eml``.

Registered only when ``FUND_ENV=development`` and no ``FUND_SMTP_URL`` is set, so ``make run``
shows verification links, receipts and decisions without a mail server. Never in production:
these mails hold one-time links.
"""
from __future__ import annotations

import email
import email.policy

from flask import Blueprint, abort, render_template

from fund.delivery.mail import mail_dir

bp = Blueprint("dev", __name__, url_prefix="/dev")


def _read(path):
    with path.open("rb") as fh:
        return email.message_from_binary_file(fh, policy=email.policy.default)


@bp.get("/mail")
def mails():
    folder = mail_dir()
    files = sorted(folder.glob("*.eml"), reverse=True)[:200] if folder.is_dir() else []
    rows = []
    for path in files:
        msg = _read(path)
        rows.append({"id": path.stem, "to": msg["To"], "subject": msg["Subject"], "date": msg["Date"]})
    return render_template("dev/mails.html", rows=rows)


@bp.get("/mail/<name>")
def mail(name: str):
    if not name.isdigit():
        abort(404)
    path = mail_dir() / f"{name}.eml"
    if not path.is_file():
        abort(404)
    msg = _read(path)
    body = msg.get_body(preferencelist=("plain",))
    attachments = [a.get_filename() for a in msg.iter_attachments()]
    return render_template("dev/mail.html", msg=msg, text=body.get_content() if body else "",
                           attachments=attachments)
