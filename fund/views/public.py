"""Pages anyone may see: the start page, "Check uw kansen", privacy and accessibility."""
from flask import Blueprint, render_template

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html")


@bp.get("/check")
def check():
    return render_template("public/check.html")


@bp.get("/privacy")
def privacy():
    return render_template("public/privacy.html")


@bp.get("/toegankelijkheid")
def toegankelijkheid():
    return render_template("public/toegankelijkheid.html")


@bp.get("/healthz")
def healthz():
    from fund.db_health import check_database_reachable

    check_database_reachable()
    return {"status": "ok"}
