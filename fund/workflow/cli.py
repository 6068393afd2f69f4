"""``fund workflow tick`` and ``fund workflow diagram``."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

DEFAULT_DIAGRAM = Path(__file__).resolve().parents[2] / "docs" / "workflow-diagram.md"


@click.group("workflow", help="Het verloop van aanvragen (termijnen, diagram).")
def workflow_cli():
    pass


@workflow_cli.command("tick", help="Zet aanvragen met een verlopen hersteltermijn buiten behandeling (cron).")
@with_appcontext
def tick_command():
    from fund.workflow.tick import tick

    result = tick()
    click.echo(f"Buiten behandeling gesteld: {len(result['buiten_behandeling'])}")
    for number in result["buiten_behandeling"]:
        click.echo(f"  {number}")
    for app_id, message in result["failed"]:
        click.echo(f"  niet gelukt voor aanvraag {app_id}: {message}", err=True)
    click.echo(f"Herinneringen hersteltermijn: {result['reminders']}; dagoverzichten: {result['summaries']}; "
               f"outbox verstuurd: {result['outbox']['delivered']}, niet gelukt: {result['outbox']['not_delivered']}")
    if result["checkpoint"]:
        click.echo(f"Controlepunt controlespoor: {result['checkpoint']}")
    if result["failed"]:
        raise SystemExit(1)


@workflow_cli.command("diagram", help="Schrijf het toestandsdiagram (Mermaid) naar docs/.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_DIAGRAM,
              show_default=True)
def diagram_command(output: Path):
    from fund.workflow.diagram import markdown

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown(), encoding="utf-8")
    click.echo(f"Diagram geschreven naar {output}")
