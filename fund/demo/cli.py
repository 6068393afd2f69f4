"""``fund demo seed``."""
import click
from flask.cli import with_appcontext


@click.group("demo", help="Demogegevens.")
def demo_cli():
    pass


@demo_cli.command("seed", help="Vul een lege database met demogegevens (veilig om te herhalen).")
@click.option("--if-empty", is_flag=True, help="Alleen als er nog geen gebruikers zijn.")
@with_appcontext
def seed_command(if_empty: bool):
    from flask import current_app

    from fund.demo.seed import seed

    if current_app.config.get("FUND_ENV") == "production":
        raise click.ClickException("Demogegevens horen niet in productie (FUND_ENV=production); "
                                   "er is niets veranderd.")
    report = seed(only_if_empty=if_empty)
    if report.skipped:
        click.echo("Database bevat al gegevens; demodata niet opnieuw geladen.")
        return
    click.echo(f"Demodata klaar: {report.summary()}")
    click.echo("Demo-accounts (wachtwoord voor allemaal: %s):" % report.password)
    for email, role in report.accounts:
        click.echo(f"  {role:<11} {email}")
