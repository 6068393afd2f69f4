"""Pages for applicants: inwoners and users of werkgevers and leerbedrijven."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from fund.extensions import db
from fund.models import Application
from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("applicant", __name__, url_prefix="/mijn")


def visible_applications_query(user):
    """Applications an applicant may see: their own, or their organisation's."""
    q = select(Application)
    if user.organisation_id:
        return q.where(
            or_(Application.applicant_id == user.id,
                Application.organisation_id == user.organisation_id)
        )
    return q.where(Application.applicant_id == user.id)


@bp.get("/aanvragen")
@roles_required(Role.INWONER, Role.WERKGEVER)
def my_applications():
    apps = db.session.scalars(
        visible_applications_query(current_user).order_by(Application.created_at.desc())
    ).all()
    return render_template("applicant/my_applications.html", applications=apps)
