"""Security headers, the login loader and role checks used by every blueprint."""
from __future__ import annotations

from functools import wraps

from flask import Flask, abort, request
from flask_login import current_user, login_required
from werkzeug.exceptions import BadRequest

from fund.extensions import db, login_manager
from fund.models import User
from fund.models.types import Role

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)


def register_security(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Log in om deze pagina te zien."
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from fund.identity import sessions

        user = db.session.get(User, int(user_id)) if str(user_id).isdigit() else None
        # a session of an older epoch was ended (logout, new password, blocked): not logged in
        return user if user is not None and user.active and sessions.belongs_to(user) else None

    @app.before_request
    def _refuse_hostile_input():
        refuse_hostile_input()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=63072000; includeSubDomains"
            )
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


MAX_PAGE = 100_000  # far beyond any real list; larger numbers overflow the database's OFFSET


class HostileInput(BadRequest):
    """A 400 whose Dutch ``description`` the error page shows."""


def refuse_hostile_input() -> None:
    """NUL bytes (which PostgreSQL cannot store and nothing legitimate sends) and page numbers no
    list has get a 400 with a Dutch message before any view sees them."""
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in v for v in values):
        raise HostileInput("Uw verzoek bevat tekens die wij niet kunnen verwerken. "
                           "Controleer wat u heeft ingevuld en probeer het opnieuw.")
    page = request.args.get("pagina")
    if page is not None and page.strip() and not (page.strip().isdigit() and int(page) <= MAX_PAGE):
        raise HostileInput("Dit paginanummer bestaat niet. Ga terug naar de eerste pagina.")


def roles_required(*roles: Role | str):
    """Allow the view only to logged-in users with one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(Role(r).value for r in roles)
        return wrapped

    return decorator
