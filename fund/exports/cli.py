"""``fund export decisions|audit``: auditor exports on the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from fund.exports.period import ExportError, Period


def _write(chunks, output: str | None) -> int:
    total = 0
    if output:
        with open(output, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
                total += len(chunk)
    else:
        out = sys.stdout.buffer
        for chunk in chunks:
            out.write(chunk)
            total += len(chunk)
        out.flush()
    return total


@click.group("export", help="Exports voor verantwoording en accountant.")
def export_cli():
    pass


@export_cli.command("decisions", help="Exporteer besluiten (beschikkingen) over een periode.")
@click.option("--from", "start", metavar="JJJJ-MM-DD", help="Eerste besluitdatum (inclusief).")
@click.option("--to", "end", metavar="JJJJ-MM-DD", help="Laatste besluitdatum (inclusief).")
@click.option("--instrument", help="Alleen dit instrument (de naam van zijn map in rules/).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json", "zgw"]), default="csv",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True),
              help="Bestand; zonder deze optie naar standaarduitvoer.")
@with_appcontext
def decisions_command(start, end, instrument, fmt, output):
    from fund.exports.decisions import DecisionFilter
    from fund.exports.formats import decision_export

    if fmt == "xlsx" and not output and sys.stdout.isatty():
        raise click.UsageError("Excel naar het scherm schrijven kan niet; geef --output FILE.")
    try:
        flt = DecisionFilter(Period.parse(start, end), instrument)
        size = _write(decision_export(flt, fmt), output)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from None
    if output:
        click.echo(f"Besluiten geëxporteerd naar {output} ({size} bytes).", err=True)


@export_cli.command("audit", help="Exporteer het controlespoor van één aanvraag of een periode.")
@click.option("--application", "application_number", metavar="DOF-JJJJ-NNNNNN")
@click.option("--from", "start", metavar="JJJJ-MM-DD")
@click.option("--to", "end", metavar="JJJJ-MM-DD")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def audit_command(application_number, start, end, fmt, output):
    from fund.exports.audit_trail import TrailFilter
    from fund.exports.formats import trail_export

    try:
        flt = TrailFilter(application_number, Period.parse(start, end))
        # Resolve the application before writing anything, so a wrong number leaves no file.
        chunks = trail_export(flt, fmt)
        first = next(chunks)
        size = _write(_prepend(first, chunks), output)
    except ExportError as exc:
        from fund.exports.audit_trail import NO_SELECTION

        hint = " (--application, of --from/--to)" if str(exc) == NO_SELECTION else ""
        raise click.UsageError(f"{exc}{hint}") from None
    if output:
        click.echo(f"Controlespoor geëxporteerd naar {output} ({size} bytes).", err=True)


def _prepend(first, rest):
    yield first
    yield from rest
