"""The app runs under a database role that does not own the tables (docs/deploy.md §1): it can
write the audit trail but neither change nor delete an event, nor switch the trigger off."""
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from tests.conftest import make_app

pytestmark = pytest.mark.postgres

# The same statements as docs/deploy.md §1 (the owner role runs the migrations).
GRANTS = """
GRANT USAGE ON SCHEMA public TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
"""


@pytest.fixture
def app_role_url(pg_url):
    role = f"fund_app_{uuid.uuid4().hex[:8]}"
    owner = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD 'geheim-voor-de-test'"))
        for statement in GRANTS.format(role=role).strip().split(";"):
            if statement.strip():
                conn.execute(text(statement))
    parts = urlsplit(pg_url)
    host = parts.netloc.rsplit("@", 1)[-1]
    yield urlunsplit(parts._replace(netloc=f"{role}:geheim-voor-de-test@{host}"))
    with owner.connect() as conn:
        conn.execute(text(f"DROP OWNED BY {role}"))
        conn.execute(text(f"DROP ROLE {role}"))
    owner.dispose()


def test_the_app_works_as_a_non_owner_and_cannot_rewrite_the_audit_trail(app_role_url, tmp_path):
    from fund.audit import record, verify
    from fund.extensions import db
    from tests.web.helpers import PASSWORD, make_users

    app = make_app(app_role_url, tmp_path)
    with app.app_context():
        users = make_users()
        record("test_event", reason="als app-rol geschreven")
        db.session.commit()
        client = app.test_client()  # a login writes the sessions table and the audit trail
        resp = client.post("/auth/login", data={"email": users["inwoner"].email, "password": PASSWORD})
        assert resp.status_code == 302 and "/auth/login" not in resp.headers["Location"]
        assert client.post("/auth/logout").status_code == 302
        assert verify()[1] is None
        for statement in ("UPDATE audit_events SET reason = 'anders'", "DELETE FROM audit_events",
                          "ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
                          "DROP TRIGGER audit_events_no_update ON audit_events"):
            with pytest.raises(ProgrammingError) as refused:
                with db.engine.begin() as conn:
                    conn.execute(text(statement))
            assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
        db.session.remove()
        db.engine.dispose()
