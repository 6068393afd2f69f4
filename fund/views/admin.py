"""User administration for the admin role: list users, add a staff member, change a role,
(de)activate."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from fund import accounts
from fund.audit import record
from fund.extensions import db
from fund.forms import choices as c
from fund.identity import second_factor
from fund.forms.accounts import STAFF_ROLES, StaffUserForm, UserAdminForm
from fund.models import User
from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("admin", __name__, url_prefix="/beheer")
PAGE_SIZE = 50


@bp.get("/gebruikers")
@roles_required(Role.ADMIN)
def users():
    role = request.args.get("rol", "")
    search = (request.args.get("zoek") or "").strip().lower()
    page = max(request.args.get("pagina", 1, type=int) or 1, 1)
    q = select(User)
    if role in STAFF_ROLES:
        q = q.where(User.role == role)
    if search:
        q = q.where(func.lower(User.email).contains(search) | func.lower(User.name).contains(search))
    rows = db.session.scalars(
        q.order_by(User.role, User.name, User.id).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("admin/users.html", users=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE,
                           page=page, role=role, search=search, roles=STAFF_ROLES,
                           role_labels=c.ROLE_LABELS)


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_user():
    """Add a staff member. The admin chooses no password: the new colleague gets an e-mail
    with a one-time link (7 days) to choose one."""
    form = StaffUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_staff_user(current_user, form.email.data, form.name.data,
                                              form.role.data)
        except accounts.AccountError as exc:
            db.session.rollback()
            getattr(form, exc.field).errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Het account van {user.name} is gemaakt. {user.name} krijgt een e-mail met een "
                  "link om een wachtwoord te kiezen. De link werkt 7 dagen.", "info")
            return redirect(url_for("admin.users"))
    return render_template("admin/new_user.html", form=form)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    form = UserAdminForm(data={"role": user.role, "active": "ja" if user.active else "nee"})
    if form.validate_on_submit():
        if user.id == current_user.id:
            flash("U kunt uw eigen rol of account hier niet wijzigen. Vraag een andere beheerder.",
                  "error")
            return redirect(url_for("admin.edit_user", user_id=user.id))
        changes = {}
        if form.role.data != user.role:
            changes["role"] = {"from": user.role, "to": form.role.data}
            user.role = form.role.data
        active = form.active.data == "ja"
        if active != user.active:
            changes["active"] = {"from": user.active, "to": active}
            user.active = active
        if changes:
            from fund.identity import sessions

            record("user_changed", actor=current_user, entity=user, data=changes)
            sessions.end_all(user)  # blocked or another role: the old sessions end now
        db.session.commit()
        flash(f"De gegevens van {user.name} zijn opgeslagen.", "info")
        return redirect(url_for("admin.users"))
    return render_template("admin/user.html", user=user, form=form, role_labels=c.ROLE_LABELS)


@bp.post("/gebruikers/<int:user_id>/tweede-stap-wissen")
@roles_required(Role.ADMIN)
def reset_second_factor(user_id: int):
    """A colleague lost the phone and the recovery codes: forget the second factor; the colleague
    sets it up again at the next login (with the password). Audited."""
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash("U kunt uw eigen tweede stap niet wissen. Vraag een andere beheerder.", "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    if user.has_second_factor or user.totp_secret:
        second_factor.reset(user)
        record("second_factor_reset", actor=current_user, entity=user, data={"kind": "totp"})
        db.session.commit()
        flash(f"De tweede stap van {user.name} is gewist. {user.name} stelt hem opnieuw in bij de "
              "volgende keer inloggen.", "info")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@bp.route("/berichten", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def outbox_page():
    """The outbox for admins: counts per kind and state, the oldest waiting message, and every
    parked one with its error and a button to try it again (as ``fund outbox status|retry``)."""
    from fund.delivery import outbox

    if request.method == "POST":
        row_id = request.form.get("id", type=int)
        row = outbox.retry(row_id) if row_id else None
        if row is None:
            flash("Dit bericht bestaat niet.", "error")
            return redirect(url_for("admin.outbox_page"))
        record("outbox_retry", actor=current_user, data={"id": row.id, "kind": row.kind, "state": row.state})
        db.session.commit()
        if row.state == "delivered":
            flash(f"Bericht {row.id} is verstuurd.", "info")
        else:
            flash(f"Bericht {row.id} is nog niet verstuurd: {row.last_error or 'onbekende fout'}", "error")
        return redirect(url_for("admin.outbox_page"))
    return render_template("admin/outbox.html", info=outbox.status())
