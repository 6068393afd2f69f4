"""``POST /api/v1/eligibility``: the §7 contract over HTTP (registered by the app, kept thin)."""
from __future__ import annotations

from typing import Any

from flask import jsonify, request

from fund.rules.errors import InputError
from fund.rules.evaluator import evaluate
from fund.rules.rulebook import load_rulebook


def eligibility_view() -> Any:
    """200 with the result, or 422 with ``{"errors": [...]}`` for bad input (also for bad JSON)."""
    try:
        document = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser can follow: hostile, not a 500
        message = load_rulebook().messages["geen_json"].format(fout="de body is te diep genest")
        return jsonify({"errors": [{"field": "document", "message": message}]}), 400
    if document is None:
        message = load_rulebook().messages["geen_json"].format(fout="de body is geen JSON-object")
        return jsonify({"errors": [{"field": "document", "message": message}]}), 422
    try:
        return jsonify(evaluate(document)), 200
    except InputError as exc:
        return jsonify({"errors": exc.errors}), 422
