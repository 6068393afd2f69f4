"""``fund users create-admin EMAIL``: the first admin, no password on the command line (issue 12)."""
from fund.accounts import find_user_by_email, password_matches, user_for_reset_token
from fund.identity.cli import users_cli
from fund.models import AuditEvent
from fund.extensions import db
from sqlalchemy import select

STRONG = "paars kanaal fietst langzaam"


def _run(app, args, stdin):
    return app.test_cli_runner().invoke(users_cli, ["create-admin", *args], input=stdin)


def test_prompted_strong_password_makes_an_admin(app):
    result = _run(app, ["eerste@fonds.nl", "--name", "Eerste Beheerder"], f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert "Beheerder eerste@fonds.nl is aangemaakt" in result.output
    user = find_user_by_email("eerste@fonds.nl")
    assert (user.role, user.name) == ("admin", "Eerste Beheerder")
    assert password_matches(user, STRONG)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "user_created")).one()
    assert event.data == {"role": "admin", "via": "cli", "invited": False}
    assert STRONG not in str(event.data)


def test_weak_passwords_are_refused_with_dutch_messages(app):
    result = _run(app, ["zwak@fonds.nl"], "aaaaaaaaaaaa\nwachtwoord123\nkort\n")
    assert result.exit_code != 0
    assert "te makkelijk te raden" in result.output
    assert "Kies een wachtwoord van 12 tot 128 tekens" in result.output
    assert "er is geen account gemaakt" in result.output
    assert find_user_by_email("zwak@fonds.nl") is None


def test_mismatched_repeat_is_refused(app):
    result = _run(app, ["twee@fonds.nl"], f"{STRONG}\nanders dan eerst typen\n" * 3)
    assert result.exit_code != 0
    assert "niet gelijk" in result.output
    assert find_user_by_email("twee@fonds.nl") is None


def test_link_option_prints_a_one_time_set_password_link(app):
    result = _run(app, ["link@fonds.nl", "--link"], "")
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    token = link.rsplit("/", 1)[1]
    user = user_for_reset_token(token)
    assert user is not None and user.role == "admin"
    assert not password_matches(user, "")  # no usable password until the link is used
    client = app.test_client()
    page = client.post(f"/auth/wachtwoord/{token}", data={"password": STRONG, "password_repeat": STRONG})
    assert page.status_code == 302
    assert user_for_reset_token(token) is None  # one-time


def test_existing_address_and_bad_address_are_refused(app, users):
    taken = users["admin"].email
    result = _run(app, [taken, "--link"], "")
    assert result.exit_code != 0 and "Er is al een account met dit e-mailadres" in result.output
    result = _run(app, ["geen-adres", "--link"], "")
    assert result.exit_code != 0 and "geen geldig e-mailadres" in result.output
