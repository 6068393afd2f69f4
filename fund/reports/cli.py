"""``fund report quarter 2026Q3 --format pdf|xlsx --output F``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("report", help="Rapportages voor het Regionaal Beraad.")
def report_cli():
    pass


@report_cli.command("quarter", help="Kwartaalrapportage, bijvoorbeeld: fund report quarter 2026Q3.")
@click.argument("quarter")
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default="pdf", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def quarter_command(quarter, fmt, output):
    from fund.reports.quarter import Quarter, QuarterError, render

    try:
        q = Quarter.parse(quarter)
    except QuarterError as exc:
        raise click.UsageError(str(exc)) from None
    data = render(q, fmt)
    with open(output, "wb") as fh:
        fh.write(data)
    click.echo(f"Kwartaalrapportage {q} geschreven naar {output} ({len(data)} bytes).", err=True)
