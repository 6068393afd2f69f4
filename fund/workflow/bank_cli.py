"""``fund payments sepa|paid|status``: bank files from the command line (finance's batch job)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("payments", help="Betalingen: betaalbestanden (SEPA) maken en als betaald melden.")
def payments_cli():
    pass


def _finance_user(email: str):
    from sqlalchemy import func, select

    from fund.extensions import db
    from fund.models import User

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active or user.role not in ("finance", "supervisor"):
        raise click.ClickException(f"{email} is geen actieve medewerker financiën; kies iemand met die rol (--door).")
    return user


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-12-01.") from None


@payments_cli.command("sepa", help="Zet alle goedgekeurde betalingen in één SEPA-betaalbestand (pain.001.001.03).")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Waar het XML-bestand komt.")
@click.option("--door", "by", required=True, help="E-mailadres van de medewerker financiën die het bestand maakt.")
@click.option("--uitvoerdatum", default=None, help="Gewenste datum van uitvoering (JJJJ-MM-DD); standaard vandaag.")
@with_appcontext
def sepa_command(output: Path, by: str, uitvoerdatum: str | None):
    from fund.workflow import bank
    from fund.workflow.errors import WorkflowError

    actor = _finance_user(by)
    try:
        batch = bank.make_batch(actor, execution_date=_date(uitvoerdatum))
    except WorkflowError as exc:
        raise click.ClickException(str(exc)) from None
    output.write_bytes(batch.xml)
    click.echo(f"Betaalbestand {batch.id} ({batch.message_id}): {batch.count} betalingen, samen "
               f"EUR {batch.control_sum:.2f}, uitvoering {batch.execution_date.isoformat()}; geschreven naar {output}.")


@payments_cli.command("paid", help="Meld een betaalbestand als uitgevoerd door de bank: de betalingen zijn dan betaald.")
@click.argument("batch_id", type=int)
@click.option("--door", "by", required=True, help="E-mailadres van de medewerker financiën.")
@with_appcontext
def paid_command(batch_id: int, by: str):
    from fund.workflow import bank
    from fund.workflow.errors import WorkflowError

    try:
        batch = bank.batch_paid(_finance_user(by), batch_id)
    except WorkflowError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Betaalbestand {batch.id}: {batch.count} betalingen staan nu op betaald.")


@payments_cli.command("status", help="Wat klaarstaat voor een betaalbestand, wat nog terug moet komen, en open bestanden.")
@with_appcontext
def status_command():
    from fund.workflow import bank

    ready, receive = bank.ready_for_file(), bank.to_receive()
    click.echo(f"Klaar voor een betaalbestand: {len(ready)} betalingen, samen EUR "
               f"{sum(p.amount for p in ready):.2f}.")
    click.echo(f"Te ontvangen (terugvorderingen): {len(receive)}, samen EUR {sum(p.amount for p in receive):.2f}.")
    for batch in bank.open_batches():
        click.echo(f"Bestand {batch.id} ({batch.message_id}) van {batch.created_at:%Y-%m-%d}: {batch.count} "
                   f"betalingen, EUR {batch.control_sum:.2f}; wacht op bevestiging van de bank.")
