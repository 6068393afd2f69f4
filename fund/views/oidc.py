"""DigiD and eHerkenning login through an OpenID Connect broker: the button, the callback, linking
an existing password account once, and the first-login page for the e-mail and postal address.

Every way in ends in ``fund.views.auth.log_in_user``; the protocol checks are Authlib's
(``fund.identity.oidc``).
"""
from __future__ import annotations

import logging
import time

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_fresh, login_required
from flask_wtf import FlaskForm

from fund import accounts
from fund.audit import record
from fund.extensions import db, limiter
from fund.forms.accounts import AddressFields, _email_field
from fund.identity import oidc
from fund.views.auth import home_for, log_in_user

bp = Blueprint("oidc", __name__, url_prefix="/auth/oidc")
log = logging.getLogger(__name__)

LINK_KEY = "oidc_link"
LOGOUT_KEY = "oidc_logout"
LINK_WITHIN_SECONDS = 15 * 60  # linking needs a login of the last 15 minutes
ROLE_OF = {"digid": "inwoner", "eherkenning": "werkgever"}


def _provider(name: str):
    provider = oidc.configured().get(name)
    if provider is None:
        abort(404)
    return provider


def _unreachable(provider):
    flash(f"{provider.label} is nu niet bereikbaar. Probeer het over een paar minuten opnieuw."
          + (" U kunt ook inloggen met uw e-mailadres en wachtwoord." if provider.name == "digid"
             else ""), "error")
    return redirect(url_for("auth.login"))


def _redirect_to_broker(provider):
    try:
        return oidc.fresh_client(provider.name).authorize_redirect(
            url_for("oidc.callback", provider=provider.name, _external=True))
    except oidc.NETWORK_ERRORS + oidc.PROTOCOL_ERRORS:
        log.warning("OIDC provider %s unreachable at the start of a login", provider.name, exc_info=True)
        return _unreachable(provider)


@bp.get("/<provider>/start")
@limiter.limit("30 per minute")
def start(provider: str):
    provider = _provider(provider)
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    session.pop(LINK_KEY, None)
    return _redirect_to_broker(provider)


@bp.get("/<provider>/koppelen")
@login_required
def link(provider: str):
    """Bind the logged-in password account to DigiD/eHerkenning, once, right after a login."""
    provider = _provider(provider)
    if current_user.role != ROLE_OF[provider.name]:
        abort(404)
    last = current_user.last_login_at
    if not login_fresh() or last is None or time.time() - last.timestamp() > LINK_WITHIN_SECONDS:
        flash(f"Log eerst opnieuw in met uw wachtwoord. Daarna koppelt u {provider.label}.", "info")
        return redirect(url_for("auth.login"))
    session[LINK_KEY] = current_user.id
    return _redirect_to_broker(provider)


@bp.get("/<provider>/callback")
@limiter.limit("30 per minute")
def callback(provider: str):
    provider = _provider(provider)
    link_id = session.pop(LINK_KEY, None)
    link_to = current_user if (link_id and current_user.is_authenticated
                               and current_user.id == link_id) else None
    try:
        token = oidc.client(provider.name).authorize_access_token()
        claims = dict(token["userinfo"])
        finder = oidc.digid_user if provider.name == "digid" else oidc.eherkenning_user
        user, created = finder(provider, claims, link_to=link_to)
    except oidc.LoginRefused as exc:
        db.session.rollback()
        return _refused(provider, exc.reason, str(exc))
    except oidc.NETWORK_ERRORS:
        db.session.rollback()
        log.warning("OIDC provider %s unreachable in the callback", provider.name, exc_info=True)
        return _unreachable(provider)
    except oidc.PROTOCOL_ERRORS as exc:
        db.session.rollback()
        # the exception's class says what failed (state, nonce, signature, expiry); never a claim
        log.warning("OIDC login via %s refused: %s", provider.name, type(exc).__name__)
        cancelled = getattr(exc, "error", None) == "access_denied"
        return _refused(provider, "cancelled" if cancelled else "invalid_response",
                        f"U heeft het inloggen met {provider.label} afgebroken. Wilt u toch inloggen? Kies "
                        f"dan opnieuw Inloggen met {provider.label}." if cancelled else
                        f"Het inloggen met {provider.label} is niet gelukt. Probeer het opnieuw.",
                        error=type(exc).__name__)
    if not user.active:
        db.session.rollback()
        return _refused(provider, "inactive", "Dit account is geblokkeerd. Neem contact met ons op.")
    if link_to is not None:
        record("login_linked", actor=user, entity=user, data={"method": provider.name})
        db.session.commit()
        flash(f"Uw account is gekoppeld aan {provider.label}. U kunt voortaan inloggen met "
              f"{provider.label}.", "info")
        return redirect(home_for(user))
    if created:
        record("account_registered", actor=user, data={"role": user.role, "method": provider.name})
    log_in_user(user, provider.name)
    if token.get("id_token"):
        session[LOGOUT_KEY] = {"provider": provider.name, "id_token": token["id_token"]}
    if oidc.needs_details(user):
        return redirect(url_for("oidc.details"))
    return redirect(home_for(user))


def _refused(provider, reason: str, message: str, error: str | None = None):
    data = {"method": provider.name, "reason": reason}
    if error:
        data["error"] = error  # which check failed (state, nonce, signature, expiry)
    record("login_failed", data=data)
    db.session.commit()
    flash(message, "error")
    return redirect(url_for("auth.login"))


def logout_redirect(post_logout_url: str):
    """After the local logout: end the session at the broker too (RP-initiated logout), when
    the user came in through one that is still configured. None otherwise."""
    data = session.pop(LOGOUT_KEY, None)
    if not data or data.get("provider") not in oidc.configured():
        return None
    try:
        return oidc.client(data["provider"]).logout_redirect(
            post_logout_redirect_uri=post_logout_url, id_token_hint=data["id_token"])
    except oidc.NETWORK_ERRORS + oidc.PROTOCOL_ERRORS + (RuntimeError,):
        return None


class DetailsForm(AddressFields, FlaskForm):
    email = _email_field()


@bp.route("/gegevens", methods=["GET", "POST"])
@login_required
def details():
    """First login through DigiD/eHerkenning: the e-mail address (verified by a link) and, for an
    inwoner or a new organisation, the postal address for letters."""
    if not oidc.needs_details(current_user):
        return redirect(home_for(current_user))
    holder = current_user.organisation if current_user.role == "werkgever" else current_user
    form = DetailsForm(data={k: getattr(holder, k) for k in ("street", "house_number", "postcode", "city")})
    if form.validate_on_submit():
        if accounts.find_user_by_email(form.email.data) is not None:
            # Not "log in with that account and link it": this DigiD/eHerkenning identity is
            # bound to the new account already, so linking it to the other one is refused.
            form.email.errors.append("Dit e-mailadres hoort al bij een ander account. Kies een ander "
                                     "e-mailadres. Wilt u dat andere account gebruiken? Neem dan "
                                     "contact met ons op. Wij helpen u verder.")
        else:
            current_user.email = form.email.data.strip().lower()
            current_user.email_verified = False
            for key, value in form.address_data().items():
                setattr(holder, key, value)
            record("contact_details_completed", actor=current_user)
            accounts.send_verification_mail(current_user)
            db.session.commit()
            flash("Uw gegevens zijn opgeslagen. Wij stuurden u een e-mail. Klik op de link in die e-mail "
                  "om uw e-mailadres te bevestigen. Daarna kunt u een aanvraag indienen.", "info")
            return redirect(home_for(current_user))
    return render_template("auth/oidc_details.html", form=form,
                           for_organisation=holder is not current_user), 422 if form.errors else 200

