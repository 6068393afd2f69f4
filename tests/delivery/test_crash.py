"""A process killed (SIGKILL) between the commit of a co-sign and the delivery of its side
effects loses nothing: after a restart one sweep (`fund outbox deliver`) makes exactly one
letter per decision and sends every mail exactly once."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import select

from tests.facts import llo_facts, voucher_facts
from fund.extensions import db
from fund.models import Decision, OutboxMessage
from fund.workflow import send
from tests.workflow.conftest import make_people
from tests.workflow.helpers import in_review

# The child does the co-sign for real and dies the moment the transaction has committed, before
# anything is delivered: ``outbox.dispatch`` is the first thing after the commit.
CHILD = textwrap.dedent("""
    import os, signal, sys
    from fund.app import create_app
    from fund.delivery import outbox
    from fund.models import User
    from fund.extensions import db
    app = create_app()
    with app.app_context():
        outbox.dispatch = lambda: os.kill(os.getpid(), signal.SIGKILL)
        from fund.workflow import send
        send(int(sys.argv[1]), "co_sign", db.session.get(User, int(sys.argv[2])), approve=True)
        print("not killed")
""")


def _env(mail_app, smtp_server, tmp_path) -> dict:
    return {**os.environ, "DATABASE_URL": mail_app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret", "FUND_SMTP_URL": smtp_server.url,
            "FUND_INSTANCE_PATH": str(tmp_path / "instance"), "FUND_DOCUMENT_DIR": str(tmp_path / "docs"),
            "FUND_BASE_URL": "https://fonds.test"}


def test_kill_between_commit_and_delivery_loses_nothing(mail_app, smtp_server, tmp_path):
    people = make_people()
    apps = []
    # each grant is above € 2,500, so it needs a co-sign; three different applicants, so no
    # grant changes another's history facts
    cases = [("voucher", voucher_facts(people.org, cost="6000.00"), people.werkgever),
             ("llo", llo_facts(cost="3200.00", has_startkwalificatie=False), people.inwoner),
             ("llo", llo_facts(cost="3000.00", has_startkwalificatie=False), people.inwoner2)]
    for instrument, facts, applicant in cases:
        app = in_review(people, instrument, facts, applicant=applicant)
        app = send(app, "grant", people.officer)
        assert app.status == "besluit_voorgesteld"
        apps.append(app.id)
    db.session.commit()
    env = _env(mail_app, smtp_server, tmp_path)
    before = len(smtp_server.messages)

    for app_id in apps:
        child = subprocess.run([sys.executable, "-c", CHILD, str(app_id), str(people.supervisor.id)],
                               env=env, capture_output=True, text=True, timeout=120)
        assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
        assert "not killed" not in child.stdout

    db.session.expire_all()
    decisions = db.session.scalars(select(Decision).where(Decision.application_id.in_(apps))).all()
    assert len(decisions) == 3 and all(d.kind == "verlening" for d in decisions)  # committed
    assert all(d.letter_pdf is None for d in decisions)  # ... and nothing delivered
    assert len(smtp_server.messages) == before
    pending = db.session.scalars(select(OutboxMessage).where(OutboxMessage.state == "pending")).all()
    # one mail per applicant, plus one to the werkgever's colleague for the voucher (issue 14)
    assert sorted(r.kind for r in pending) == ["letter"] * 3 + ["mail"] * 4

    for _ in range(2):  # the restart's sweep, then a second one that finds nothing
        result = subprocess.run([sys.executable, "-m", "fund", "outbox", "deliver"], env=env,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

    db.session.expire_all()
    decisions = db.session.scalars(select(Decision).where(Decision.application_id.in_(apps))).all()
    assert all(d.letter_pdf and d.letter_sha256 for d in decisions)
    new = smtp_server.messages[before:]
    assert len(new) == 4
    expected = [f"Er staat een besluit voor u klaar (aanvraag {d.application.number})" for d in decisions]
    expected += [f"Besluit over aanvraag {d.application.number} van {d.application.organisation.name}"
                 for d in decisions if d.application.organisation_id]  # the colleague's wording
    assert sorted(str(m["Subject"]) for m in new) == sorted(expected)
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.state != "delivered")) is None
