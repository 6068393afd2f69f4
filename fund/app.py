"""The application factory."""
from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from flask import Flask

from fund.config import ConfigError, load_config
from fund.extensions import babel, csrf, db, limiter, login_manager, migrate

REPO_ROOT = Path(__file__).resolve().parent.parent


def _ensure_instance_folder(path: str) -> None:
    """Create the instance folder and prove it is writable. The probe is an anonymous temporary
    file with a name of its own: workers booting together must not share one file name (one
    worker deleting the other's probe made it exit and took gunicorn down, issue 12)."""
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise ConfigError(
            f"De map {path} is niet beschrijfbaar ({exc.strerror}). "
            "Set FUND_INSTANCE_PATH to a writable folder or fix its permissions."
        ) from exc


def create_app(config: dict | None = None, *, check_database: bool = False) -> Flask:
    """Build the Flask app. ``config`` overrides environment settings (tests use it)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get(
        "FUND_INSTANCE_PATH", str(REPO_ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        template_folder=str(REPO_ROOT / "templates"),
        static_folder=str(REPO_ROOT / "static"),
    )
    cfg = load_config(app.instance_path, config)
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///") or cfg.get("FUND_DOCUMENT_DIR"):
        _ensure_instance_folder(app.instance_path)
    app.config.update(cfg)

    from fund.rules import load_rulebook

    load_rulebook()  # a broken or missing rules folder stops the start, not the first request
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(REPO_ROOT / "migrations"), render_as_batch=True, compare_type=True
    )
    from fund.identity import sessions

    sessions.init_app(app)  # server-side sessions: the table, or Redis with FUND_REDIS_URL
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=lambda: "nl")
    import fund.web.ratelimit_store  # noqa: F401  (registers the fund+db:// storage with limits)

    limiter.init_app(app)

    from fund import letters, models  # noqa: F401  (models: register the tables)
    from fund.web.errors import register_error_pages
    from fund.web.security import register_security

    register_security(app)
    register_error_pages(app)
    _register_blueprints(app)
    letters.init_app(app)
    _register_delivery(app)
    _configure_logging(app)
    _register_sqlite_pragmas(app)
    _trust_proxies(app)

    if check_database:
        from fund.db_health import check_database_current, check_database_reachable

        with app.app_context():
            check_database_reachable()
            check_database_current()
            db.engine.dispose()  # no connection of the check is shared with forked workers
    return app


def _register_blueprints(app: Flask) -> None:
    from fund.identity.oidc import init_oidc
    from fund.views import admin, api, applicant, audit, auth, officer, oidc, policy, public, staff_finance

    for module in (public, auth, oidc, applicant, officer, staff_finance, admin, audit, policy, api):
        app.register_blueprint(module.bp)
    init_oidc(app)
    if app.config["FUND_ENV"] == "development" and not app.config.get("FUND_SMTP_URL"):
        from fund.views import dev

        app.register_blueprint(dev.bp)  # the .eml inbox of `make run`


def _register_delivery(app: Flask) -> None:
    """After a request, deliver (or queue) the outbox rows its commits wrote; a crash before
    this point loses nothing: the sweep delivers them."""
    from fund.delivery import outbox

    @app.after_request
    def _dispatch_outbox(response):
        outbox.dispatch()
        return response


def _configure_logging(app: Flask) -> None:
    from fund.web.log_filter import RedactSensitive

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSensitive())
    app.logger.handlers[:] = [handler]
    app.logger.setLevel(logging.INFO)
    logging.getLogger("werkzeug").addFilter(RedactSensitive())


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies the client's address is in X-Forwarded-For: believe exactly N
    hops (Werkzeug's ProxyFix), so rate limits count per real client, not per proxy. With 0 the
    headers are ignored (a client could otherwise choose its own address)."""
    hops = app.config["FUND_TRUSTED_PROXIES"]
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _register_sqlite_pragmas(app: Flask) -> None:
    """Foreign keys and a busy timeout for the embedded SQLite database."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()
