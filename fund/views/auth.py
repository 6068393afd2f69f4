"""Accounts: log in and out, register, reset a password.

Login is behind a small interface (``log_in_user(user, method)``) so that DigiD/eHerkenning via
OIDC can be added as another blueprint that ends in the same call.
"""
from __future__ import annotations

from urllib.parse import urlsplit

import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired

from fund import accounts
from fund.accounts import find_user_by_email, verify_password
from fund.audit import record
from fund.extensions import db, limiter
from fund.forms.accounts import RegisterForm, ResetPasswordForm, ResetRequestForm
from fund.identity import second_factor, sessions, throttle
from fund.models import User
from fund.models.types import utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")


class LoginForm(FlaskForm):
    # Only "filled in" here: the account lookup is the real check, and a strict format check
    # would tell an attacker nothing new while refusing addresses we created ourselves.
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in.")])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")])


class SecondFactorForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired("Vul de code in.")])


# One answer for a wrong password, an unknown address and a blocked account (no enumeration).
LOGIN_FAILED = ("Het e-mailadres of het wachtwoord klopt niet. Kijk ze allebei na en probeer het "
                "opnieuw. Bent u uw wachtwoord vergeten? Gebruik dan de link hieronder.")
# Expired, used or altered: the same answer for every bad link (it tells nothing about accounts).
LINK_EXPIRED = "Misschien heeft u de link al gebruikt, of is hij te oud. Vraag hieronder een nieuwe link aan."

PENDING_KEY = "second_factor_pending"
PENDING_SECONDS = 300  # the password step counts for 5 minutes
MAX_CODE_TRIES = 5


def home_for(user) -> str:
    if user.role in ("inwoner", "werkgever"):
        return url_for("applicant.my_applications")
    if user.role in ("officer", "supervisor"):
        return url_for("officer.queue")
    if user.role == "finance":
        return url_for("finance.queue")
    if user.role == "auditor":
        return url_for("audit.index")
    if user.role == "beleid":
        return url_for("policy.index")
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
    """The one way in: ``password``, ``password+totp``, ``password+herstelcode``, ``digid``,
    ``eherkenning``. Staff who need a second factor never reach this with a password alone."""
    session.pop(PENDING_KEY, None)
    sessions.start(user)  # a new session id, the user's epoch, the start of the 12 hours
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
        wait = throttle.wait_seconds(form.email.data)
        if wait:
            # passive on purpose: the wrong passwords may have been someone else's tries
            flash(f"Voor dit e-mailadres is te vaak een verkeerd wachtwoord ingevuld. Wacht {wait} "
                  f"{'seconde' if wait == 1 else 'seconden'} en probeer het dan opnieuw.", "error")
            return render_template("auth/login.html", form=form, oidc_providers=_oidc_buttons()), 429
        user = find_user_by_email(form.email.data)
        if accounts.password_matches(user, form.password.data):
            throttle.succeeded(form.email.data)
            target = _safe_next(request.args.get("next"))
            if second_factor.required_for(user):
                db.session.commit()  # a rehashed password
                session[PENDING_KEY] = {"uid": user.id, "next": target, "at": int(time.time()),
                                        "tries": 0}
                sessions.rotate()  # the password step raised the session's rights: a new id
                return redirect(url_for("auth.second_factor" if user.has_second_factor
                                        else "auth.enrol_second_factor"))
            log_in_user(user, "password")
            return redirect(target or home_for(user))
        # no e-mail address in the trail: a mistyped one may be someone's password
        record("login_failed", actor=user, data={"method": "password", "step": "password"})
        throttle.failed(form.email.data)
        db.session.commit()
        flash(LOGIN_FAILED, "error")
    return render_template("auth/login.html", form=form, oidc_providers=_oidc_buttons())


def _oidc_buttons() -> list:
    """The DigiD/eHerkenning buttons: only for the brokers that are configured."""
    from fund.identity.oidc import configured

    return list(configured().values())


def _pending_user() -> User | None:
    """The staff member who gave the right password in the last 5 minutes, if any."""
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, pending["uid"])
    return user if user is not None and user.active else None


def _code_refused(user: User, step: str):
    """Count a wrong code; after 5 the password step must be done again."""
    record("login_failed", actor=user, data={"method": "password", "step": step})
    db.session.commit()
    pending = session[PENDING_KEY]
    pending["tries"] = pending.get("tries", 0) + 1
    session[PENDING_KEY] = pending
    if pending["tries"] >= MAX_CODE_TRIES:
        session.pop(PENDING_KEY, None)
        flash("U vulde te vaak een verkeerde code in. Log opnieuw in.", "error")
        return redirect(url_for("auth.login"))
    return None


@bp.route("/tweede-stap", methods=["GET", "POST"], endpoint="second_factor")
@limiter.limit("10 per minute", methods=["POST"])
def second_factor_view():
    """The code from the authenticator app, or one recovery code."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if not user.has_second_factor:
        return redirect(url_for("auth.enrol_second_factor"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        code = form.code.data.strip()
        if second_factor.verify_totp(user, code, second_factor.now()):
            method = "password+totp"
        elif len("".join(ch for ch in code if ch.isalnum())) == 10 and second_factor.use_recovery_code(user, code):
            method = "password+herstelcode"
            record("recovery_code_used", actor=user,
                   data={"remaining": second_factor.remaining_recovery_codes(user)})
        else:
            db.session.rollback()
            refused = _code_refused(user, "second_factor")
            if refused is not None:
                return refused
            form.code.errors.append("Deze code klopt niet. Vul de code in die uw app nu laat zien, "
                                    "of een van uw herstelcodes.")
            return render_template("auth/second_factor.html", form=form), 422
        target = session[PENDING_KEY].get("next")
        log_in_user(user, method)
        if method == "password+herstelcode":
            flash(f"U logde in met een herstelcode. U heeft nog "
                  f"{second_factor.remaining_recovery_codes(user)} herstelcodes. Bent u uw telefoon "
                  "kwijt? Vraag een beheerder om uw tweede stap te wissen.", "info")
        return redirect(target or home_for(user))
    return render_template("auth/second_factor.html", form=form)


@bp.route("/tweede-stap/instellen", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def enrol_second_factor():
    """First login of a staff member without a second factor: scan the QR code, type a code,
    receive the recovery codes (shown once)."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.has_second_factor:
        return redirect(url_for("auth.second_factor"))
    second_factor.start_enrolment(user)
    db.session.commit()
    form = SecondFactorForm()
    status = 200
    if form.validate_on_submit():
        codes = second_factor.confirm_enrolment(user, form.code.data, second_factor.now())
        if codes is not None:
            record("second_factor_enrolled", actor=user, entity=user, data={"kind": "totp"})
            target = session[PENDING_KEY].get("next")
            log_in_user(user, "password+totp")
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=target or home_for(user))
        db.session.rollback()
        refused = _code_refused(user, "second_factor_enrolment")
        if refused is not None:
            return refused
        form.code.errors.append("Deze code klopt niet. Vul de 6 cijfers in die uw app nu laat zien.")
        status = 422
    return render_template("auth/enrol.html", form=form, qr=second_factor.qr_data_uri(user),
                           secret=second_factor.grouped_secret(user.totp_secret)), status


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        record("logout", actor=current_user)
        sessions.end_all(current_user)  # this browser and every other one of this account
        db.session.commit()
    session.pop(PENDING_KEY, None)
    logout_user()
    sessions.rotate()
    flash("U bent uitgelogd.", "info")
    from fund.views.oidc import logout_redirect

    home = url_for("public.home", _external=True)
    return logout_redirect(home) or redirect(url_for("public.home"))


REGISTERED = ("Wij stuurden een e-mail naar het adres dat u opgaf. Klik op de link in die e-mail om uw "
              "e-mailadres te bevestigen. Log daarna hier in met uw e-mailadres en wachtwoord.")


@bp.route("/registreren", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    providers = _oidc_buttons()
    by_name = {p.name: p for p in providers}
    if "digid" in by_name:
        del form.bsn  # with DigiD the BSN comes from DigiD only, never typed
    if form.is_submitted() and form.account_type.data == "werkgever" and "eherkenning" in by_name:
        # a KvK number is public: with eHerkenning configured it is no longer claimed by typing;
        # this is the one thing to fix, so the other boxes are not marked
        form.validate()
        for f in form:
            f.errors = []
        form.account_type.errors = ["Werkgevers en leerbedrijven maken een account met "
                                    "eHerkenning. Gebruik de knop Inloggen met eHerkenning."]
    elif form.validate_on_submit():
        try:
            if form.account_type.data == "inwoner":
                user = accounts.register_inwoner(
                    form.email.data, form.name.data.strip(), form.password.data,
                    bsn=(form.bsn.data or "").strip() or None if "bsn" in form else None,
                    address=form.address_data())
            else:
                user = accounts.register_werkgever(
                    form.email.data, form.name.data.strip(), form.password.data,
                    kvk_number=form.kvk_number.data, organisation_name=form.organisation_name.data,
                    municipality=form.organisation_municipality.data, address=form.address_data())
        except accounts.AlreadyRegistered as taken:
            # no "there is already an account" for an address, BSN or KvK number: nothing is
            # written but the owners' mail and an audit event, and the form answers as below
            db.session.rollback()
            accounts.answer_existing_registration(taken, form.password.data, form.email.data)
        else:
            record("account_registered", actor=user, data={"role": user.role})
            accounts.send_verification_mail(user)
        db.session.commit()
        flash(REGISTERED, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form, oidc_providers=providers)


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
        return render_template("errors/error.html", title="Deze link werkt niet meer", message=LINK_EXPIRED,
                               action=(url_for("auth.forgot_password"), "Vraag een nieuwe link aan")), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        record("password_reset", actor=user)
        db.session.commit()
        logout_user()
        flash("Uw nieuwe wachtwoord is opgeslagen. Log in met uw nieuwe wachtwoord.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
