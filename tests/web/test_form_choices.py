"""Every SelectField/RadioField gets its choices as ``wtforms.SelectChoice`` (WTForms 3.3
deprecates (value, label) tuples, 4.0 drops them): building, rendering and validating every
form raises no WTForms DeprecationWarning, and the options render as before."""
from __future__ import annotations

import warnings

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from fund.forms import choices as c
from fund.forms.accounts import InviteForm, RegisterForm, StaffUserForm, UserAdminForm
from fund.forms.actions import event_form
from fund.forms.instruments import steps_by_instrument
from fund.forms.questions import form_class
from fund.views.applicant import UploadForm
from fund.views.officer import QueueFilterForm
from fund.workflow.service import EventOption

EVENT_FIELDS = ["motivation", "deviate", "deviation_motivation", "amount", "officer_id",
                "payment_id", "result", "upheld", "employed", "approve", "reason"]


def _all_forms():
    yield RegisterForm(formdata=MultiDict({"account_type": "werkgever",
                                           "organisation_municipality": "GM0114"}))
    yield InviteForm()
    yield UserAdminForm(formdata=MultiDict({"role": "officer", "active": "ja"}))
    yield StaffUserForm(formdata=MultiDict({"role": "finance"}))
    yield UploadForm(formdata=MultiDict({"kind": "offerte"}))
    queue = QueueFilterForm(MultiDict({"municipality": "GM0114", "sort": "nieuw"}))
    queue.status.choices = c.options([("ingediend", "Ingediend")], empty="Alle open aanvragen")
    yield queue
    for instrument, steps in steps_by_instrument().items():
        for step in steps:
            yield form_class(f"{instrument}_{step.slug}", step.questions)()
    option = EventOption(name="choices_test", label="Test", needs_motivation=True,
                         fields=EVENT_FIELDS)
    yield event_form(option, formdata=MultiDict({"choices_test-officer_id": "7"}), choices={
        "officer_id": c.options([("", "Mijzelf"), ("7", "Anna")]),
        "payment_id": [("3", "Voorschot 100.00")],  # pairs are still accepted here
    })


def test_no_wtforms_deprecation_warnings_from_choices(app):
    with app.test_request_context(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for form in _all_forms():
            form.validate()
            for field in form:
                str(field())  # renders the options
                if field.type in ("SelectField", "RadioField"):
                    assert all(isinstance(ch, SelectChoice) for ch in field.choices), field.name
                    list(field)
    wtforms_warnings = [w for w in caught if issubclass(w.category, DeprecationWarning)
                        and ("wtforms" in w.filename or "choice" in str(w.message).lower())]
    assert not wtforms_warnings, [f"{w.filename}:{w.lineno} {w.message}" for w in wtforms_warnings]


def test_options_render_selected_and_validate(app):
    with app.test_request_context():
        form = StaffUserForm(formdata=MultiDict({"name": "Anna", "email": "anna@drenthe.nl",
                                                "role": "auditor"}))
        assert form.validate(), form.errors
        html = str(form.role())
        assert '<option value="">Maak een keuze</option>' in html
        assert '<option selected value="auditor">Controleur</option>' in html
        form = StaffUserForm(formdata=MultiDict({"name": "Anna", "email": "anna@drenthe.nl",
                                                "role": "inwoner"}))
        assert not form.validate() and form.role.errors == ["Kies een rol."]
        radio = UserAdminForm(formdata=MultiDict({"role": "officer", "active": "nee"}))
        assert [(sub.data, sub.label.text, sub.checked) for sub in radio.active] == [
            ("ja", "Actief", False), ("nee", "Geblokkeerd", True)]


@pytest.mark.parametrize("pairs", [[("a", "A"), ("b", "B")], {"a": "A", "b": "B"}])
def test_options_from_pairs_or_dict(pairs):
    got = c.options(pairs, empty="Alle")
    assert [(o.value, o.label, o.optgroup) for o in got] == [("", "Alle", None), ("a", "A", None),
                                                              ("b", "B", None)]
