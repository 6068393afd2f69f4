"""Render a beschikking to PDF/A-3b and store it on the Decision, once.

The stored letter is the letter that was sent: it is never regenerated. The UPDATE only
touches a row whose ``letter_pdf`` is still empty, so two workers racing on the same decision
store one letter and the second one keeps what the first stored.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import update

from fund.extensions import db
from fund.letters.context import build_context
from fund.letters.dutch import datum, geld, procent
from fund.letters.pdf import html_to_pdf
from fund.models import Decision
from fund.models.decision_kinds import LETTER_KINDS
from fund.models.types import utcnow

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates" / "letters"
KINDS = LETTER_KINDS  # one template letters/<kind>.html per declared kind


class LetterError(RuntimeError):
    pass


def _capitalize_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _css_string(text: str) -> str:
    """Text safe inside a double-quoted CSS string."""
    return "".join(c if c.isalnum() or c in " -/._" else f"\\{ord(c):x} " for c in str(text))


def register_filters(app) -> None:
    app.jinja_env.filters.setdefault("css_string", _css_string)
    app.jinja_env.filters.setdefault("datum", datum)
    app.jinja_env.filters.setdefault("geld", geld)
    app.jinja_env.filters.setdefault("procent", procent)
    app.jinja_env.filters.setdefault("capitalize_first", _capitalize_first)


STYLESHEET = TEMPLATE_DIR / "letter.css"


def letter_html(decision: Decision, *, inline_css: bool = True) -> str:
    """The letter as HTML; with ``inline_css`` the stylesheet is in it (a page on its own)."""
    if decision.kind not in KINDS:
        raise LetterError(f"geen briefsjabloon voor beschikking van soort '{decision.kind}'")
    register_filters(current_app)
    ctx = build_context(decision)
    css = STYLESHEET.read_text(encoding="utf-8") if inline_css else ""
    return render_template(f"letters/{decision.kind}.html", css=css, **ctx.as_template_vars())


def letter_pdf(decision: Decision) -> bytes:
    """The PDF of ``decision`` without storing it (previews, tests). The stylesheet and its
    fonts are prepared once per worker thread, not parsed again for every letter."""
    return html_to_pdf(letter_html(decision, inline_css=False), stylesheet=STYLESHEET)


def render_decision_letter(decision_id: int) -> str:
    """Job: render and store the letter of ``decision_id``; returns its SHA-256.

    Idempotent: when a letter is already stored it is left alone and its hash returned.
    """
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise LetterError(f"beschikking {decision_id} bestaat niet")
    if decision.letter_pdf is not None:
        return decision.letter_sha256
    pdf = letter_pdf(decision)
    digest = hashlib.sha256(pdf).hexdigest()
    result = db.session.execute(
        update(Decision)
        .where(Decision.id == decision_id, Decision.letter_pdf.is_(None))
        .values(letter_pdf=pdf, letter_sha256=digest, letter_generated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount == 0:  # someone else stored it first: theirs is the letter
        db.session.expire(decision)
        return db.session.get(Decision, decision_id).letter_sha256
    db.session.expire(decision)
    return digest
