"""Forms for accounts: registration, password reset, colleagues, user administration."""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from fund.accounts import MAX_PASSWORD, MIN_PASSWORD, STAFF_ACCOUNT_ROLES
from fund.forms import choices as c

PASSWORD_HINT = f"Minstens {MIN_PASSWORD} tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden."


NAME_TOO_LONG = "Deze naam is te lang. Gebruik hoogstens 200 tekens."


def _email_field(label="E-mailadres", required="Vul uw e-mailadres in."):
    return EmailField(label, validators=[
        DataRequired(required),
        Email("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
              check_deliverability=False),
        Length(max=254, message="Dit e-mailadres is te lang. Een e-mailadres heeft hoogstens 254 tekens."),
    ])


def _not_guessable(form, field) -> None:
    """Refuse common, breached and trivial passwords (ASVS 2.1.7); one policy for the forms and
    ``fund users create-admin`` (:func:`fund.accounts.password_problem`)."""
    from fund.accounts import guessable_password_message

    message = guessable_password_message(field.data) if field.data and len(field.data) >= MIN_PASSWORD else None
    if message:
        raise ValidationError(message)


def _password_fields():
    return (
        PasswordField("Nieuw wachtwoord", description=PASSWORD_HINT, validators=[
            DataRequired("Kies een wachtwoord."),
            Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
                   message=f"Kies een wachtwoord van {MIN_PASSWORD} tot {MAX_PASSWORD} tekens."),
            _not_guessable,
        ]),
        PasswordField("Herhaal het wachtwoord", validators=[
            DataRequired("Vul het wachtwoord nog een keer in."),
            EqualTo("password", message="De twee wachtwoorden zijn niet gelijk. Vul twee keer hetzelfde "
                                        "wachtwoord in."),
        ]),
    )


class AddressFields:
    """A Dutch postal address (regeling §6: the letters go there). Mixed into a FlaskForm."""

    street = StringField("Straat", validators=[
        DataRequired("Vul de straat in."),
        Length(max=200, message="Deze straatnaam is te lang. Gebruik hoogstens 200 tekens.")])
    house_number = StringField("Huisnummer", description="Met toevoeging als die er is, bijvoorbeeld 12a.",
                               validators=[DataRequired("Vul het huisnummer in.")])
    postcode = StringField("Postcode", description="4 cijfers en 2 letters, bijvoorbeeld 7811 AB.",
                           validators=[DataRequired("Vul de postcode in.")])
    city = StringField("Plaats", validators=[
        DataRequired("Vul de plaats in."),
        Length(max=100, message="Deze plaatsnaam is te lang. Gebruik hoogstens 100 tekens.")])

    def validate_house_number(self, field):
        field.data = re.sub(r"\s+", "", field.data or "")
        if not re.fullmatch(r"[0-9]{1,5}([-/]?[A-Za-z0-9]{1,6})?", field.data):
            raise ValidationError("Een huisnummer begint met een getal, bijvoorbeeld 12 of 12a.")

    def validate_postcode(self, field):
        try:
            field.data = stdnum_postcode.validate(field.data or "")
        except StdnumError:
            raise ValidationError("Deze postcode klopt niet. Een postcode heeft 4 cijfers en 2 letters, "
                                  "bijvoorbeeld 7811 AB.") from None

    def address_data(self) -> dict:
        return {"street": self.street.data.strip(), "house_number": self.house_number.data,
                "postcode": self.postcode.data, "city": self.city.data.strip()}


class ContactForm(AddressFields, FlaskForm):
    """Mijn gegevens: the postal address, editable by the applicant (audited)."""


def normalise_kvk(raw: str) -> str:
    return re.sub(r"\s", "", raw or "")


class RegisterForm(AddressFields, FlaskForm):
    account_type = RadioField("Wie bent u?", choices=c.options([
        ("inwoner", "Ik ben inwoner en wil geld voor een opleiding voor mijzelf"),
        ("werkgever", "Ik vraag aan namens een werkgever of leerbedrijf"),
    ]), validators=[DataRequired("Maak een keuze.")], validate_choice=False)
    name = StringField("Uw naam", validators=[
        DataRequired("Vul uw naam in."), Length(max=200, message=NAME_TOO_LONG)])
    email = _email_field()
    password, password_repeat = _password_fields()
    bsn = StringField("Burgerservicenummer (BSN)", validators=[Optional()],
                      description="Niet verplicht. U vindt het op uw paspoort of ID-kaart. "
                                  "Wij gebruiken het alleen om u te herkennen.")
    # No Optional() on the organisation fields: it stops the validate_* methods below on an empty
    # box, and a werkgever without KvK number, name or gemeente got an empty organisation.
    kvk_number = StringField("KvK-nummer van de organisatie",
                             description="8 cijfers. U vindt het op uw uittreksel van de Kamer van Koophandel.")
    organisation_name = StringField("Naam van de organisatie", validators=[
        Length(max=200, message=NAME_TOO_LONG)])
    organisation_municipality = SelectField(
        "Gemeente van de vestiging", choices=c.options(c.MUNICIPALITIES, empty="Maak een keuze"),
        validate_choice=False)

    def validate_account_type(self, field):
        if field.data not in ("inwoner", "werkgever"):
            raise ValidationError("Maak een keuze.")

    def validate_bsn(self, field):
        if self.account_type.data != "inwoner" or not (field.data or "").strip():
            return
        try:
            field.data = stdnum_bsn.validate(field.data)
        except StdnumError:
            raise ValidationError("Dit BSN klopt niet. Een BSN heeft 9 cijfers. Kijk het nummer na op uw "
                                  "paspoort of ID-kaart.") from None

    def validate_kvk_number(self, field):
        if self.account_type.data != "werkgever":
            return
        field.data = normalise_kvk(field.data)
        if not field.data:
            raise ValidationError("Vul het KvK-nummer van de organisatie in.")
        if not re.fullmatch(r"[0-9]{8}", field.data):
            raise ValidationError("Dit KvK-nummer klopt niet. Een KvK-nummer heeft 8 cijfers.")

    def validate_organisation_name(self, field):
        if self.account_type.data == "werkgever" and not (field.data or "").strip():
            raise ValidationError("Vul de naam van de organisatie in.")

    def validate_organisation_municipality(self, field):
        if self.account_type.data == "werkgever" and field.data not in c.MUNICIPALITY_NAMES:
            raise ValidationError("Kies de gemeente van de vestiging.")


class ResetRequestForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password, password_repeat = _password_fields()


class InviteForm(FlaskForm):
    name = StringField("Naam van uw collega", validators=[
        DataRequired("Vul de naam in."), Length(max=200, message=NAME_TOO_LONG)])
    email = _email_field("E-mailadres van uw collega")


class LeerbedrijfForm(FlaskForm):
    """On the organisation page: is the organisation an SBB-erkend leerbedrijf? A 'ja' here is not
    asked again in a praktijkverklaring (``from_organisation:`` in its form.yaml)."""

    sbb_erkend = RadioField(
        "Is uw organisatie erkend als leerbedrijf door SBB?",
        description="SBB is de Samenwerkingsorganisatie Beroepsonderwijs Bedrijfsleven. Zij erkent "
                    "bedrijven waar mbo-studenten mogen leren. Zoek uw organisatie op "
                    "www.leerbedrijven.nl als u het niet zeker weet.",
        choices=c.options([("ja", "Ja"), ("nee", "Nee, of dat weet ik niet")]),
        validators=[DataRequired("Kies Ja of Nee.")], invalid_choice_message="Kies Ja of Nee.")


STAFF_ROLES = ["inwoner", "werkgever", "officer", "supervisor", "finance", "auditor", "beleid", "admin"]


class UserAdminForm(FlaskForm):
    role = SelectField("Rol", choices=c.options((r, c.ROLE_LABELS[r]) for r in STAFF_ROLES),
                       validators=[DataRequired("Maak een keuze.")],
                       invalid_choice_message="Maak een keuze.")
    active = RadioField("Account", choices=c.options([("ja", "Actief"), ("nee", "Geblokkeerd")]),
                        validators=[DataRequired("Maak een keuze.")],
                        invalid_choice_message="Maak een keuze.")


class StaffUserForm(FlaskForm):
    """An admin adds a staff member; the staff member chooses a password via the e-mail."""

    name = StringField("Naam", validators=[
        DataRequired("Vul de naam in."), Length(max=200, message=NAME_TOO_LONG)])
    email = _email_field("E-mailadres", required="Vul het e-mailadres in.")
    role = SelectField(
        "Rol", choices=c.options(((r, c.ROLE_LABELS[r]) for r in STAFF_ACCOUNT_ROLES),
                                 empty="Maak een keuze"),
        validators=[DataRequired("Kies een rol.")], invalid_choice_message="Kies een rol.",
        description="De rol bepaalt wat de medewerker mag doen. U kunt de rol later nog wijzigen.")
