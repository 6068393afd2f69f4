"""Pseudonymous applicant keys: HMAC-SHA256 with FUND_PSEUDONYM_KEY over the user id.

The same applicant gets the same key in every export (auditors can count repeat applicants)
but the key cannot be turned back into a person without the secret.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def applicant_key(user_id: int | None, secret: str | None = None) -> str:
    if user_id is None:
        return ""
    key = (secret if secret is not None else current_app.config["FUND_PSEUDONYM_KEY"]).encode("utf-8")
    return hmac.new(key, f"user:{user_id}".encode("ascii"), hashlib.sha256).hexdigest()
