"""Keep BSNs and IBANs out of the logs (AVG).

Werkzeug logs request lines with query strings; a BSN or IBAN must never end up there even if a
form is misused with GET. Nine-digit numbers passing the 11-proef, IBAN-shaped strings and
password hashes are masked before a record is written, in the message and in the traceback (a
database's own error text can quote a value, e.g. PostgreSQL's "Key (bsn)=(…)"). The engine
runs with ``hide_parameters`` so bound values are not in SQLAlchemy's messages to begin with.
"""
from __future__ import annotations

import logging
import re

from stdnum.nl import bsn as stdnum_bsn

_NINE_DIGITS = re.compile(r"(?<!\d)(\d{9})(?!\d)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{4}\d{7,}(?:[A-Z0-9]{0,16})\b", re.IGNORECASE)


_PASSWORD_HASH = re.compile(r"\$argon2(?:id|i|d)\$[^\s'\",)]*|\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")


def redact(text: str) -> str:
    text = _PASSWORD_HASH.sub("[HASH]", text)
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
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
