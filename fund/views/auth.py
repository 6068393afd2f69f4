"""Accounts: log in and out, register, reset a password.

Login is behind a small interface (``log_in_user(user, method)``) so that DigiD/eHerkenning via
OIDC can be added as another blueprint that ends in the same call.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from fund import accounts
from fund.accounts import find_user_by_email, verify_password
from fund.audit import record
from fund.extensions import db, limiter
from fund.forms.accounts import RegisterForm, ResetPasswordForm, ResetRequestForm
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
    if user.role == "finance":
        return url_for("finance.queue")
    if user.role == "auditor":
        return url_for("audit.index")
    if user.role == "admin":
        return url_for("admin.users")
    return url_for("public.home")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    ok = not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")
    return target if ok and "\\" not in target else None


def log_in_user(user, method: str) -> None:
    """The one way in: password today, DigiD/eHerkenning (OIDC) later with another ``method``."""
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


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            if form.account_type.data == "inwoner":
                user = accounts.register_inwoner(
                    form.email.data, form.name.data.strip(), form.password.data,
                    bsn=(form.bsn.data or "").strip() or None, address=form.address_data())
            else:
                user = accounts.register_werkgever(
                    form.email.data, form.name.data.strip(), form.password.data,
                    kvk_number=form.kvk_number.data, organisation_name=form.organisation_name.data,
                    municipality=form.organisation_municipality.data, address=form.address_data())
        except accounts.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.flush()
            record("account_registered", actor=user, data={"role": user.role})
            accounts.send_verification_mail(user)
            log_in_user(user, "password")
            flash("Uw account is klaar. U bent ingelogd. Wij stuurden u een e-mail: bevestig daarin uw "
                  "e-mailadres. Daarna kunt u een aanvraag indienen.", "info")
            return redirect(home_for(user))
    return render_template("auth/register.html", form=form)


@bp.route("/bevestigen/<token>")
@limiter.limit("20 per hour")
def verify_email(token: str):
    user = accounts.verify_email_token(token)
    if user is None:
        flash("Deze link werkt niet meer. Log in en vraag op de pagina Mijn gegevens een nieuwe link aan.",
              "error")
        return redirect(url_for("auth.login"))
    record("email_verified", actor=user)
    db.session.commit()
    flash("Uw e-mailadres is bevestigd. U kunt nu een aanvraag indienen.", "info")
    return redirect(home_for(user) if current_user.is_authenticated else url_for("auth.login"))


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.send_reset_mail(form.email.data)
        db.session.commit()
        flash("Als er een account is met dit e-mailadres, krijgt u een e-mail met een link. "
              "Met die link kiest u een nieuw wachtwoord.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    user = accounts.user_for_reset_token(token)
    if user is None:
        abort(404)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        record("password_reset", actor=user)
        db.session.commit()
        logout_user()
        flash("Uw nieuwe wachtwoord is opgeslagen. Log in met uw nieuwe wachtwoord.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
