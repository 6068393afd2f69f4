"""``fund audit verify``: walk the hash chain of the audit trail."""
import click
from flask.cli import with_appcontext

from fund.audit.chain import verify


@click.group("audit", help="Het controlespoor (audit trail).")
def audit_cli():
    pass


@audit_cli.command("verify", help="Controleer de hash-keten van alle gebeurtenissen.")
@with_appcontext
def verify_command():
    count, broken = verify()
    if broken is None:
        click.echo(f"Controlespoor in orde: {count} gebeurtenissen, keten sluit.")
        return
    click.echo(
        f"Controlespoor NIET in orde bij gebeurtenis {broken.seq}"
        f"{f' (id {broken.event_id})' if broken.event_id else ''}: {broken.problem} — {broken.detail}.",
        err=True,
    )
    raise SystemExit(1)
