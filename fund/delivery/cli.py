"""``fund outbox status|deliver|retry``: see and drive the delivery of letters and e-mail."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from fund.delivery import outbox


@click.group("outbox", help="Brieven en e-mail die nog verstuurd moeten worden.")
def outbox_cli():
    pass


@outbox_cli.command("status", help="Aantallen per soort en toestand, en het oudste bericht dat nog wacht.")
@with_appcontext
def status_command():
    info = outbox.status()
    if not info["counts"]:
        click.echo("De outbox is leeg.")
    for (kind, state), count in sorted(info["counts"].items()):
        click.echo(f"{kind:8} {state:10} {count}")
    if info["oldest_pending"] is not None:
        click.echo(f"Oudste wachtende bericht: {info['oldest_pending'].isoformat(timespec='seconds')}")
    for row in info["parked"]:
        click.echo(f"Geparkeerd: {row.id} ({row.kind}) na {row.attempts} pogingen: {row.last_error}")


@outbox_cli.command("deliver", help="Verstuur nu alles wat wacht (ook wat op een nieuwe poging wacht).")
@with_appcontext
def deliver_command():
    result = outbox.sweep(ignore_backoff=True)
    left = outbox.pending_count()
    click.echo(f"Verstuurd: {result['delivered']}; niet gelukt: {result['not_delivered']}; "
               f"wacht nog: {left}.")
    if left:
        click.echo("Wat nog wacht, wordt nu door een ander proces verstuurd of krijgt later een nieuwe poging "
                   "(fund outbox status).", err=True)
    if result["not_delivered"] or left:
        raise click.exceptions.Exit(1)


@outbox_cli.command("retry", help="Probeer een geparkeerd bericht opnieuw.")
@click.argument("row_id", type=int)
@with_appcontext
def retry_command(row_id: int):
    row = outbox.retry(row_id)
    if row is None:
        raise click.ClickException(f"Bericht {row_id} bestaat niet.")
    click.echo(f"Bericht {row.id} ({row.kind}): {row.state}"
               + (f" — {row.last_error}" if row.state != "delivered" and row.last_error else ""))
    if row.state != "delivered":
        raise click.exceptions.Exit(1)
