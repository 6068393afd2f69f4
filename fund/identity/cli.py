"""``fund users create-admin EMAIL``: the first administrator of a fresh installation.

No password on the command line (it would stay in the shell history and in ``ps``): either it is
typed at a hidden prompt and checked against the same policy as the portal, or ``--link`` prints a
one-time link to choose one (the invitation token of an admin-made account: 7 days, dead once a
password is set).
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("users", help="Gebruikers beheren.")
def users_cli():
    pass


@users_cli.command("create-admin", help="Maak een beheerder aan (vraagt het wachtwoord, of print met "
                                        "--link een eenmalige link om het te kiezen).")
@click.argument("email")
@click.option("--name", default="Beheerder", show_default=True, help="Naam van de beheerder.")
@click.option("--link", "with_link", is_flag=True,
              help="Vraag geen wachtwoord; print een eenmalige link (7 dagen geldig).")
@with_appcontext
def create_admin_command(email: str, name: str, with_link: bool):
    from email_validator import EmailNotValidError, validate_email

    from fund import accounts
    from fund.audit import record
    from fund.extensions import db
    from fund.models.types import Role

    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise click.ClickException(f"'{email}' is geen geldig e-mailadres.") from None
    if accounts.find_user_by_email(email) is not None:
        raise click.ClickException("Er is al een account met dit e-mailadres. Kies een ander "
                                   "e-mailadres of wijzig het bestaande account in het portaal.")
    if with_link:
        user, link = accounts.invited_user(email, name, Role.ADMIN.value,
                                            "Er is al een account met dit e-mailadres.")
    else:
        password = _ask_password(accounts.password_problem)
        user = accounts.create_user(email, name, password, Role.ADMIN)
        db.session.flush()
        link = None
    record("user_created", actor=None, entity=user, data={"role": Role.ADMIN.value, "via": "cli",
                                                          "invited": with_link})
    db.session.commit()
    click.echo(f"Beheerder {email} is aangemaakt.")
    if link:
        click.echo("Open deze link om een wachtwoord te kiezen (eenmalig, 7 dagen geldig):")
        click.echo(link)
    else:
        click.echo("Log in met dit e-mailadres en wachtwoord; daarna stelt u de tweede stap in.")


def _ask_password(problem) -> str:
    """Hidden prompt, asked twice; a weak password is refused with the policy's Dutch message."""
    for _ in range(3):
        password = click.prompt("Wachtwoord", hide_input=True, default="", show_default=False)
        message = problem(password)
        if message:
            click.echo(message, err=True)
            continue
        if click.prompt("Herhaal het wachtwoord", hide_input=True, default="", show_default=False) != password:
            click.echo("De twee wachtwoorden zijn niet gelijk.", err=True)
            continue
        return password
    raise click.ClickException("Geen sterk wachtwoord gekozen; er is geen account gemaakt.")
