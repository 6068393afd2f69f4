"""The ``fund`` command: Flask's CLI with the fund's own command groups.

``fund run``, ``fund db upgrade`` (Flask-Migrate), ``fund demo seed``, ``fund rules ...``,
``fund workflow ...``, ``fund export ...``, ``fund audit verify``, ``fund payments sepa``.
"""
from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup


def _create_app():
    from fund.app import create_app  # on first use: `fund rules eval` needs no app (cold start)

    return create_app()


class FundGroup(FlaskGroup):
    """A FlaskGroup that turns configuration and connection problems into one clear line."""

    def list_commands(self, ctx):
        """``fund --help`` with a broken set-up: the one line, then the commands (Flask itself
        would print the traceback of loading the app)."""
        from flask.cli import ScriptInfo

        from fund.setup_check import broken_setup_line

        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except Exception as exc:
            line = broken_setup_line(exc)
            if line is None:
                raise
            click.echo(line, err=True)
            self._load_plugin_commands()
            return sorted(set(click.Group.list_commands(self, ctx)) | set(_GROUPS))
        return sorted(set(super().list_commands(ctx)) | set(_GROUPS))

    def get_command(self, ctx, name):
        if name in _GROUPS:
            # Our own group: no need for Flask's plugin commands (entry points), whose loading
            # imports Flask-Limiter and its storage back-ends (~0.1 s of every cold start).
            if name not in self.commands:
                self.add_command(_group(name), name)
            return self.commands[name]
        return super().get_command(ctx, name)

    def main(self, *args, **kwargs):
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
            # Without standalone mode click returns ctx.exit(code) as the return value.
            sys.exit(rv if isinstance(rv, int) else 0)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Afgebroken.", err=True)
            sys.exit(1)
        except Exception as exc:
            from fund.setup_check import broken_setup_line

            line = broken_setup_line(exc)
            if line is None:
                raise
            click.echo(line, err=True)
            sys.exit(1)


cli = FundGroup(create_app=_create_app, help="Drents ontwikkelfonds: beheer en bediening.")


# The command groups, imported when their name is used: `fund rules eval` then imports the rules
# engine only, not the audit chain, SQLAlchemy models and Alembic (docs/performance.md, cold start).
_GROUPS = {
    "audit": "fund.audit.cli:audit_cli",
    "demo": "fund.demo.cli:demo_cli",
    "export": "fund.exports.cli:export_cli",
    "outbox": "fund.delivery.cli:outbox_cli",
    "payments": "fund.workflow.bank_cli:payments_cli",
    "report": "fund.reports.cli:report_cli",
    "rules": "fund.rules.cli:rules_cli",
    "users": "fund.identity.cli:users_cli",
    "workflow": "fund.workflow.cli:workflow_cli",
}


def _group(name: str) -> click.Command:
    import importlib

    module, _, attr = _GROUPS[name].partition(":")
    return getattr(importlib.import_module(module), attr)


def main() -> None:
    cli.main(prog_name="fund")


@cli.command("worker", help="Start een RQ-worker voor achtergrondtaken (vraagt FUND_REDIS_URL).")
def worker_command():
    from flask import current_app
    from redis import Redis
    from rq import Queue, SimpleWorker

    url = current_app.config.get("FUND_REDIS_URL")
    if not url:
        raise click.ClickException(
            "FUND_REDIS_URL is niet gezet: taken draaien dan direct in het proces, een worker is niet nodig."
        )
    connection = Redis.from_url(url)
    connection.ping()  # an unreachable Redis is one line (fund.setup_check), not a retry loop
    from fund.delivery import outbox

    from fund import jobs

    outbox.sweep()  # whatever a crash left behind is delivered before new work
    # Jobs run in this process, in the app it already built: RQ's default Worker forks a child per
    # job, which then built the whole app again (about 3 s a letter under load, the surge
    # benchmark). A crash mid-job loses nothing: the outbox row stays and the sweep sends it.
    jobs.use_app(current_app._get_current_object())
    SimpleWorker([Queue("fund", connection=connection)], connection=connection).work()
