"""The JSON API (v1). The eligibility check is public and rate-limited; its OpenAPI document
is ``fund/views/openapi.yaml``, served at /api/v1/openapi.yaml."""
from pathlib import Path

from flask import Blueprint, Response

from fund.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/eligibility")
@limiter.limit("60 per minute")
def eligibility():
    from fund.rules.api import eligibility_view

    return eligibility_view()


@bp.get("/openapi.yaml")
def openapi():
    text = (Path(__file__).with_name("openapi.yaml")).read_text(encoding="utf-8")
    return Response(text, mimetype="application/yaml")
