"""Keep BSNs and IBANs out of the logs (AVG).

Werkzeug logs request lines with query strings; a BSN or IBAN must never end up there even if a
form is misused with GET. Nine-digit numbers passing the 11-proef and IBAN-shaped strings are
masked before a record is written.
"""
from __future__ import annotations

import logging
import re

from stdnum.nl import bsn as stdnum_bsn

_NINE_DIGITS = re.compile(r"(?<!\d)(\d{9})(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{4}\d{7,}(?:[A-Z0-9]{0,16})\b", re.IGNORECASE)


def redact(text: str) -> str:
    text = _IBAN.sub("[IBAN]", text)
    return _NINE_DIGITS.sub(
        lambda m: "[BSN]" if stdnum_bsn.is_valid(m.group(1)) else m.group(1), text
    )


class RedactSensitive(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
