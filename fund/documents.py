"""Uploaded documents: type check by content, content-addressed storage, the Document row.

Only PDF, JPEG and PNG are accepted, recognised by their first bytes (the name and the
browser's content type are ignored). A file is stored once under
``FUND_DOCUMENT_DIR/ab/cd/<sha256>`` whatever its name; the ``documents`` row records who
uploaded what for which application. Reading checks the SHA-256 again.
"""
from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path, PurePath

from flask import current_app
from sqlalchemy import func, select

from fund.audit import record
from fund.extensions import db
from fund.models import AuditEvent, Document
from fund.models.types import utcnow

# (magic prefix, content type, extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
CHUNK = 64 * 1024


class DocumentError(ValueError):
    """The upload is refused; ``str(exc)`` is a Dutch sentence for the user."""


def sniff(head: bytes) -> tuple[str, str] | None:
    for magic, content_type, ext in SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None


def max_bytes() -> int:
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 10 * 1024 * 1024)


def max_size_text() -> str:
    """The upload limit as an applicant reads it: "10 MB" (or "64 kB" below 1 MB)."""
    return _mb(max_bytes())


def _mb(n: int) -> str:
    """A number of bytes as an applicant reads it: "10 MB" (or "64 kB" below 1 MB)."""
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n // 1024} kB"


def check_quota_before(application) -> None:
    """The number of files per aanvraag (``FUND_UPLOAD_MAX_FILES_PER_APPLICATION``)."""
    most = current_app.config["FUND_UPLOAD_MAX_FILES_PER_APPLICATION"]
    count = db.session.scalar(select(func.count(Document.id)).where(Document.application_id == application.id))
    if count >= most:
        raise DocumentError(f"U kunt hoogstens {most} documenten bij één aanvraag sturen. Haal eerst een "
                            "document weg dat u niet nodig heeft.")


def check_quota_after(application, user, size: int) -> None:
    """Total bytes per aanvraag, and bytes one account uploaded in the last 24 hours (removed
    files count too: their bytes stay stored)."""
    cfg = current_app.config
    per_app = cfg["FUND_UPLOAD_MAX_BYTES_PER_APPLICATION"]
    used = db.session.scalar(select(func.coalesce(func.sum(Document.size), 0))
                             .where(Document.application_id == application.id))
    if used + size > per_app:
        raise DocumentError(f"Alle documenten van één aanvraag samen mogen hoogstens {_mb(per_app)} zijn. "
                            f"Er is nog {_mb(max(per_app - used, 0))} ruimte. Kies een kleiner bestand.")
    per_day = cfg["FUND_UPLOAD_MAX_BYTES_PER_ACCOUNT_DAY"]
    since = utcnow() - timedelta(days=1)
    sizes = db.session.scalars(select(AuditEvent.data).where(
        AuditEvent.actor_id == user.id, AuditEvent.event == "document_uploaded", AuditEvent.occurred_at >= since))
    today = sum(int((data or {}).get("size", 0)) for data in sizes)
    if today + size > per_day:
        raise DocumentError(f"U heeft vandaag al veel bestanden gestuurd (hoogstens {_mb(per_day)} per dag). "
                            "Probeer het morgen opnieuw, of bel ons als het niet kan wachten.")


DISK_FULL = ("Wij konden het bestand niet opslaan, omdat de opslag van het fonds vol is. Aan uw aanvraag "
             "is niets veranderd. Wij lossen dit zo snel mogelijk op. Probeer het later opnieuw.")


def storage_dir() -> Path:
    return Path(current_app.config["FUND_DOCUMENT_DIR"])


def path_for(sha256: str) -> Path:
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        raise ValueError("not a sha256 hex digest")
    return storage_dir() / sha256[:2] / sha256[2:4] / sha256


def display_name(filename: str | None, ext: str) -> str:
    """The user's file name without any folder part, trimmed; only for display."""
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*')
    if not name:
        name = f"document.{ext}"
    return name[-200:]


def store_upload(application, upload, kind: str, user) -> Document:
    """Check and store one uploaded file (a werkzeug FileStorage); add its Document row.

    The caller commits. Raises :class:`DocumentError` with a Dutch message.
    """
    if upload is None or not getattr(upload, "filename", None):
        raise DocumentError("Kies een bestand.")
    check_quota_before(application)
    limit = max_bytes()
    digest = hashlib.sha256()
    size = 0
    head = b""
    directory = storage_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=".upload-")
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            current_app.logger.error("document storage full: %s", directory)
            raise DocumentError(DISK_FULL) from None
        raise
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = upload.stream.read(CHUNK)
                if not chunk:
                    break
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                size += len(chunk)
                if size > limit:
                    raise DocumentError(
                        f"Dit bestand is te groot. Een bestand mag hoogstens {max_size_text()} zijn."
                    )
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise DocumentError("Het bestand is leeg. Kies een ander bestand.")
        kind_info = sniff(head)
        if kind_info is None:
            raise DocumentError("Dit soort bestand kunnen wij niet gebruiken. Stuur een PDF, JPG of PNG.")
        content_type, ext = kind_info
        sha = digest.hexdigest()
        check_quota_after(application, user, size)
        target = path_for(sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            os.unlink(tmp_name)  # same content already stored
        else:
            os.replace(tmp_name, target)
    except OSError as exc:
        _remove(tmp_name)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            current_app.logger.error("document storage full: %s", directory)
            raise DocumentError(DISK_FULL) from None
        raise
    except BaseException:
        _remove(tmp_name)
        raise
    doc = Document(
        application_id=application.id, kind=kind, filename=display_name(upload.filename, ext),
        content_type=content_type, size=size, sha256=sha, uploaded_by_id=user.id,
    )
    db.session.add(doc)
    db.session.flush()
    record("document_uploaded", actor=user, application=application, entity=doc,
           data={"kind": kind, "sha256": sha, "size": size, "content_type": content_type})
    return doc


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def remove_upload(application, document: Document, user) -> None:
    """Take a document out of an aanvraag that was not sent yet. The stored bytes stay (another
    row may share them by SHA-256); the audit trail keeps what was removed. The caller commits."""
    record("document_removed", actor=user, application=application, entity=document,
           data={"kind": document.kind, "sha256": document.sha256, "size": document.size})
    db.session.delete(document)
    db.session.flush()


def read(document: Document) -> bytes:
    """The stored bytes of ``document``; raises ``FileNotFoundError`` if missing or altered."""
    data = path_for(document.sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise FileNotFoundError("document content does not match its SHA-256")
    return data
