"""Pages for fund staff: the officer queue and the review screen."""
from flask import Blueprint, render_template, request
from sqlalchemy import select

from fund.extensions import db
from fund.models import Application
from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("officer", __name__, url_prefix="/behandeling")


@bp.get("/")
@roles_required(Role.OFFICER, Role.SUPERVISOR)
def queue():
    page = max(request.args.get("pagina", 1, type=int), 1)
    apps = db.session.scalars(
        select(Application).where(Application.status != "concept")
        .order_by(Application.decision_deadline.asc().nulls_last(), Application.id)
        .limit(50).offset((page - 1) * 50)
    ).all()
    return render_template("officer/queue.html", applications=apps, page=page)
