"""Log in and out with e-mail and password.

Login is behind a small interface (``log_in_user``) so that DigiD/eHerkenning via OIDC can be
added as another blueprint that ends in the same call.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from fund.accounts import find_user_by_email, verify_password
from fund.audit import record
from fund.extensions import db, limiter
from fund.models.types import utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    # Only "filled in" here: the account lookup is the real check, and a strict format check
    # would tell an attacker nothing new while refusing addresses we created ourselves.
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in.")])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])


def home_for(user) -> str:
    if user.role in ("inwoner", "werkgever"):
        return url_for("applicant.my_applications")
    if user.role in ("officer", "supervisor"):
        return url_for("officer.queue")
    if user.role == "auditor":
        return url_for("audit.index")
    return url_for("public.home")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def log_in_user(user, method: str) -> None:
    login_user(user)
    user.last_login_at = utcnow()
    record("login", actor=user, data={"method": method})
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.active and verify_password(user, form.password.data):
            log_in_user(user, "password")
            return redirect(_safe_next(request.args.get("next")) or home_for(user))
        flash("Het e-mailadres of het wachtwoord klopt niet.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("public.home"))
