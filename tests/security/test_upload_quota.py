"""Upload quota per aanvraag and per account per day, and a full disk, each with a Dutch message
and nothing half-written (issue 12)."""
import errno
import io
import os

import pytest
from sqlalchemy import func, select

from fund import documents
from fund.extensions import db
from fund.models import Application, AuditEvent, Document
from tests.web.helpers import PDF, llo_answers, login


@pytest.fixture
def draft(app, client, users):
    login(client, users["inwoner"])
    client.post("/mijn/aanvragen/nieuw/llo", data=llo_answers()["over-u"])
    return db.session.scalar(select(Application).order_by(Application.id.desc()))


def _upload(client, application, n: int, size: int = 0):
    body = PDF + b"%" + str(n).encode() + b" " * size  # each file different: not stored once
    return client.post(f"/mijn/aanvragen/{application.id}/documenten",
                       data={"kind": "offerte", "file": (io.BytesIO(body), f"offerte-{n}.pdf")},
                       content_type="multipart/form-data")


def _count():
    return db.session.scalar(select(func.count(Document.id)))


def test_files_per_application(app, client, draft):
    app.config["FUND_UPLOAD_MAX_FILES_PER_APPLICATION"] = 3
    assert [_upload(client, draft, i).status_code for i in range(3)] == [302] * 3
    refused = _upload(client, draft, 4)
    assert refused.status_code == 200
    assert "hoogstens 3 documenten bij één aanvraag" in refused.get_data(as_text=True)
    assert _count() == 3


def test_bytes_per_application(app, client, draft):
    app.config["FUND_UPLOAD_MAX_BYTES_PER_APPLICATION"] = 100 * 1024
    assert _upload(client, draft, 1, 60 * 1024).status_code == 302
    refused = _upload(client, draft, 2, 60 * 1024)
    assert "samen mogen hoogstens 100 kB zijn" in refused.get_data(as_text=True)
    assert _count() == 1


def test_bytes_per_account_per_day_count_removed_files_too(app, client, draft):
    app.config["FUND_UPLOAD_MAX_BYTES_PER_ACCOUNT_DAY"] = 150 * 1024
    assert _upload(client, draft, 1, 60 * 1024).status_code == 302
    doc = db.session.scalar(select(Document))
    client.post(f"/mijn/aanvragen/{draft.id}/documenten/{doc.id}/verwijderen")
    assert _upload(client, draft, 2, 60 * 1024).status_code == 302
    refused = _upload(client, draft, 3, 60 * 1024)
    assert "hoogstens 150 kB per dag" in refused.get_data(as_text=True)


def test_a_full_disk_is_a_dutch_message_and_nothing_is_half_written(app, client, draft, monkeypatch):
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, _data):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(documents.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    events_before = db.session.scalar(select(func.count(AuditEvent.id)))
    resp = _upload(client, draft, 1)
    assert resp.status_code == 200
    assert ("Wij konden het bestand niet opslaan, omdat de opslag van het fonds vol is."
            in resp.get_data(as_text=True))
    assert _count() == 0
    assert db.session.scalar(select(func.count(AuditEvent.id))) == events_before
    leftovers = [p for p in documents.storage_dir().rglob("*") if p.is_file()]
    assert leftovers == []  # the temporary file is gone too
