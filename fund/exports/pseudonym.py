"""Pseudonymous applicant keys: HMAC-SHA256 with FUND_PSEUDONYM_KEY over the user id.

The same applicant gets the same key in every export (auditors can count repeat applicants)
but the key cannot be turned back into a person without the secret.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Callable

from flask import current_app


def _message(user_id: int) -> bytes:
    """What is signed: written once, so the one-off key and the export's keys always agree."""
    return f"user:{user_id}".encode("ascii")


def applicant_key(user_id: int | None, secret: str | None = None) -> str:
    if user_id is None:
        return ""
    key = (secret if secret is not None else current_app.config["FUND_PSEUDONYM_KEY"]).encode("utf-8")
    return hmac.new(key, _message(user_id), hashlib.sha256).hexdigest()


MEMO_LIMIT = 65536  # remembered keys per export: repeat applicants cost one HMAC, memory stays flat


def applicant_keys(secret: str) -> Callable[[int | None], str]:
    """:func:`applicant_key` for the rows of one export: the HMAC key prepared once, recent
    answers remembered (at most ``MEMO_LIMIT``, then forgotten, however many rows follow)."""
    base = hmac.new(secret.encode("utf-8"), digestmod=hashlib.sha256)
    memo: dict[int, str] = {}

    def key(user_id: int | None) -> str:
        if user_id is None:
            return ""
        value = memo.get(user_id)
        if value is None:
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            mac = base.copy()
            mac.update(_message(user_id))
            value = memo[user_id] = mac.hexdigest()
        return value

    return key
