"""The auditor page streams downloads; the dashboard is for auditor, supervisor and admin."""
from __future__ import annotations

import csv
import io
import json
import re
import threading

import pytest

from fund.accounts import create_user
from fund.extensions import db
from fund.models import AuditEvent
from tests.letters import factories as f

PASSWORD = "test-Wachtwoord-2026"


def _login(client, role: str) -> None:
    email = f"{role}@fonds.test"
    create_user(email, f"Test {role}", PASSWORD, role)
    db.session.commit()
    resp = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert resp.status_code == 302


@pytest.fixture
def decisions(app):
    return f.all_kinds()


def test_auditor_downloads_decisions_as_a_stream(app, client, decisions):
    _login(client, "auditor")
    page = client.get("/verantwoording/")
    assert page.status_code == 200 and "Besluiten exporteren" in page.get_data(as_text=True)
    resp = client.get("/verantwoording/export/besluiten?van=2026-01-01&tot=2026-12-31&formaat=csv")
    assert resp.status_code == 200 and resp.is_streamed
    assert resp.headers["Content-Disposition"] == 'attachment; filename="besluiten_2026-01-01_2026-12-31.csv"'
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert len(rows) == 13 and f.TEST_BSN not in resp.get_data(as_text=True)
    zgw = client.get("/verantwoording/export/besluiten?formaat=zgw&instrument=llo")
    assert zgw.mimetype == "application/json" and len(json.loads(zgw.data)) == 14
    xlsx = client.get("/verantwoording/export/besluiten?formaat=xlsx")
    assert xlsx.data[:2] == b"PK"
    # The export itself is recorded in the audit trail.
    assert db.session.query(AuditEvent).filter_by(event="export_decisions").count() == 3


def test_bad_parameters_come_back_as_a_dutch_message(app, client, decisions):
    _login(client, "auditor")
    resp = client.get("/verantwoording/export/besluiten?van=morgen", follow_redirects=True)
    assert "geen geldige datum" in resp.get_data(as_text=True)
    resp = client.get("/verantwoording/export/controlespoor?aanvraag=DOF-0000-000001", follow_redirects=True)
    assert "bestaat niet" in resp.get_data(as_text=True)
    # nothing chosen: the page names its own fields, never the command line's flags
    page = client.get("/verantwoording/export/controlespoor", follow_redirects=True).get_data(as_text=True)
    assert "vul een aanvraagnummer in, of een periode" in page
    assert "--application" not in page and "--from" not in page


def test_audit_trail_download(app, client, decisions):
    from fund.audit.chain import record

    grant = decisions["verlening"]
    record("grant", application=grant.application, data={"amount": "1800.00"})
    db.session.commit()
    _login(client, "auditor")
    resp = client.get(f"/verantwoording/export/controlespoor?aanvraag={grant.application.number}&formaat=json")
    assert resp.status_code == 200
    assert [e["event"] for e in json.loads(resp.data)] == ["grant"]


@pytest.mark.parametrize("role,status", [("auditor", 200), ("supervisor", 200), ("admin", 200),
                                         ("officer", 403), ("inwoner", 403)])
def test_dashboard_roles(app, client, decisions, role, status):
    _login(client, role)
    assert client.get("/verantwoording/dashboard").status_code == status


def test_exports_only_for_auditors(app, client, decisions):
    _login(client, "supervisor")
    assert client.get("/verantwoording/export/besluiten").status_code == 403


def test_dashboard_has_svg_charts_with_tables(app, client, decisions):
    _login(client, "supervisor")
    html = client.get("/verantwoording/dashboard").get_data(as_text=True)
    # four charts, each with its table, and the forecast table (fund.reports.forecast)
    assert html.count('role="img"') == 4 and html.count("<table") == 5
    assert "aria-labelledby=\"grafiek-budget-title grafiek-budget-desc\"" in html
    # CSP: no inline script or style (the one external script, static/js/fund.js, is allowed)
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/fund.js" defer>']
    assert 'style="' not in html
    assert "LLO-ontwikkeltrajecten" in html and "Werkgevers bereikt" in html
    pdf = client.get("/verantwoording/kwartaalrapportage?kwartaal=2026Q1&formaat=pdf")
    assert pdf.status_code == 200 and pdf.data[:4] == b"%PDF"
    xlsx = client.get("/verantwoording/kwartaalrapportage?kwartaal=2026Q1&formaat=xlsx")
    assert xlsx.data[:2] == b"PK"
    bad = client.get("/verantwoording/kwartaalrapportage?kwartaal=vorig", follow_redirects=True)
    assert "geen kwartaal" in bad.get_data(as_text=True)


def test_dashboard_shows_a_snapshot_at_most_max_age_old(app, client, decisions):
    """With FUND_DASHBOARD_MAX_AGE_SECONDS the page shows the figures of the last snapshot (a
    status changed since is not in it yet) until the snapshot is older than that; then they are
    computed again."""
    import os
    import time

    from markupsafe import escape

    from fund.models import Application
    from fund.reports.dashboard import snapshot_file
    from fund.workflow import STATUS_LABELS

    row = re.compile(r'<th scope="row">%s</th><td[^>]*>(\d+)</td>' % re.escape(str(escape(STATUS_LABELS["verleend"]))))

    def granted_in_funnel():
        return int(row.search(client.get("/verantwoording/dashboard").get_data(as_text=True)).group(1))

    app.config["FUND_DASHBOARD_MAX_AGE_SECONDS"] = 300
    _login(client, "supervisor")
    before = granted_in_funnel()
    assert "De cijfers worden elke 5 minuten opnieuw berekend" in client.get(
        "/verantwoording/dashboard").get_data(as_text=True)
    path = snapshot_file()
    assert path.exists() and (path.stat().st_mode & 0o077) == 0  # the owner's only
    other = db.session.scalars(db.select(Application).where(Application.status != "verleend")).first()
    db.session.execute(db.update(Application).where(Application.id == other.id).values(status="verleend"))
    db.session.commit()
    assert granted_in_funnel() == before  # the snapshot, not yet the change
    old = time.time() - 301
    os.utime(path, (old, old))
    assert granted_in_funnel() == before + 1  # older than the maximum: computed again
    assert time.time() - path.stat().st_mtime < 60


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_web_audit_trail_export_equals_the_cli_for_a_period_of_many_events(app, client, fmt):
    """More than 2,000 events (the read batch) and four write chunks: the web download has every
    row, byte for byte what `fund export audit` writes for the same period."""
    from fund.audit.chain import record
    from fund.exports.cli import export_cli
    from fund.models.types import utcnow

    one = f.application()
    for i in range(2_150):
        record("note", application=one if i % 2 else None, reason=f"gebeurtenis {i}", data={"n": i})
    db.session.commit()
    _login(client, "auditor")
    day = utcnow().date().isoformat()
    got: dict = {}

    def download():  # in its own thread, so the request has its own app context and session, as in production
        web = client.get(f"/verantwoording/export/controlespoor?van={day}&tot={day}&formaat={fmt}")
        got.update(status=web.status_code, streamed=web.is_streamed, body=web.get_data())

    worker = threading.Thread(target=download)
    worker.start()
    worker.join()
    assert got["status"] == 200 and got["streamed"]
    body = got["body"]
    result = app.test_cli_runner().invoke(export_cli, ["audit", "--from", day, "--to", day, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert body == result.stdout_bytes
    events = json.loads(body) if fmt == "json" else list(csv.DictReader(io.StringIO(body.decode())))
    assert len(events) == db.session.query(AuditEvent).count() > 2_150
