"""The JSON API (v1). The eligibility check is public and rate-limited."""
from flask import Blueprint

from fund.extensions import csrf, limiter

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.post("/eligibility")
@limiter.limit("60 per minute")
def eligibility():
    from fund.rules.api import eligibility_view

    return eligibility_view()
