"""E-mail: build a multipart message (plain text + HTML, optional PDF) and send it.

Standard library only (``email`` and ``smtplib``): they do everything needed here — SMTP,
SMTPS, STARTTLS, AUTH — and a wrapper such as Flask-Mailman would add a dependency without
adding a feature. ``FUND_SMTP_URL`` configures the server: ``smtp://user:password@host:587?starttls=1``,
``smtps://host:465`` or ``smtp://localhost:25``. Without it (development) every message is
written to ``<instance>/mail/<id>.eml`` and listed at ``/dev/mail``.
"""
from __future__ import annotations

import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from fund.atomic_file import write_atomically

DEFAULT_FROM = "Drents ontwikkelfonds <noreply@drentsontwikkelfonds.nl>"


class MailConfigError(ValueError):
    pass


def parse_smtp_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(f"FUND_SMTP_URL moet beginnen met smtp:// of smtps:// (nu: {parts.scheme or 'leeg'}://).")
    if not parts.hostname:
        raise MailConfigError("FUND_SMTP_URL noemt geen server (smtp://server:poort).")
    query = parse_qs(parts.query)
    return {
        "ssl": parts.scheme == "smtps",
        "starttls": query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes"),
        "host": parts.hostname,
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "user": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }


def mail_dir() -> Path:
    return Path(current_app.instance_path) / "mail"


def build(row) -> EmailMessage:
    sender = current_app.config.get("FUND_MAIL_FROM") or DEFAULT_FROM
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Date"] = formatdate(localtime=False)
    # stable per outbox row: a (rare) second delivery carries the same id
    digest = hashlib.sha256((row.dedupe_key or str(row.id)).encode()).hexdigest()[:16]
    msg["Message-ID"] = f"<outbox-{row.id}.{digest}@{domain}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(row.body or "")
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html")
    attachment = (row.payload or {}).get("attachment")
    if attachment:
        filename, data = _attachment(attachment)
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return msg


def _attachment(spec: dict) -> tuple[str, bytes]:
    if spec.get("kind") == "answers_pdf":
        from fund.extensions import db
        from fund.letters.answers import answers_pdf
        from fund.models import Application

        application = db.session.get(Application, spec["application_id"])
        return f"aanvraag-{application.number}.pdf", answers_pdf(application, for_mail=True)
    raise ValueError(f"onbekende bijlage: {spec.get('kind')}")


def send(row) -> None:
    msg = build(row)
    url = current_app.config.get("FUND_SMTP_URL")
    if not url:
        _write_eml(row.id, msg)
        return
    cfg = parse_smtp_url(url)
    context = ssl.create_default_context()
    timeout = 30
    if cfg["ssl"]:
        client = smtplib.SMTP_SSL(cfg["host"], cfg["port"], timeout=timeout, context=context)
    else:
        client = smtplib.SMTP(cfg["host"], cfg["port"], timeout=timeout)
    with client:
        if cfg["starttls"]:
            client.starttls(context=context)
        if cfg["user"]:
            client.login(cfg["user"], cfg["password"] or "")
        client.send_message(msg)


def _write_eml(row_id: int, msg: EmailMessage) -> None:
    """Atomic: a half-written file never shows; a second delivery replaces the first."""
    write_atomically(mail_dir() / f"{row_id:08d}.eml", msg.as_bytes())


