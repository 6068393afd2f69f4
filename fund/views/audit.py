"""Pages for auditors: exports of decisions and of the audit trail."""
from flask import Blueprint, render_template

from fund.models.types import Role
from fund.web.security import roles_required

bp = Blueprint("audit", __name__, url_prefix="/verantwoording")


@bp.get("/")
@roles_required(Role.AUDITOR)
def index():
    return render_template("audit/index.html")
