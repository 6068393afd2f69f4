"""Forms for workflow events: one small form per :class:`EventOption` the workflow offers.

The workflow says which data keys an event takes, which it always asks and which read better with
their own label (``EventOption.fields``/``required``/``field_labels``, declared once per event in
``fund.workflow.events``); this module knows how to ask each key in Dutch and how to turn the
answer into the value ``send`` expects.
"""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from fund.forms import choices as c
from fund.forms.questions import YES_NO, parse_money

BOOL_KEYS = {"deviate", "approve", "upheld", "employed"}
MONEY_KEYS = {"amount", "incurred_costs"}
ID_KEYS = {"officer_id", "payment_id"}

LABELS = {
    "motivation": "Motivering",
    "deviate": "Wijkt u af van de uitkomst van de regels (hardheidsclausule)?",
    "deviation_motivation": "Waarom wijkt u af? (verplicht bij afwijken)",
    "amount": "Bedrag bij afwijken (in euro's)",
    "message": "Wat ontbreekt er? Schrijf het zo dat de aanvrager het begrijpt.",
    "reason": "Reden",
    "officer_id": "Behandelaar",
    "approve": "Gaat u akkoord met dit besluit?",
    "payment_id": "Welke betaling keurt u goed?",
    "result": "Wat is het resultaat?",
    "incurred_costs": "Welke kosten zijn gemaakt? (in euro's)",
    "grounds": "Waarom bent u het niet eens met het besluit?",
    "upheld": "Is het bezwaar gegrond?",
    "employed": "Heeft de persoon zes maanden na het einde werk?",
}
NO_OFFICER_NEEDED = {"officer_id"}  # optional: default is the actor


def _field(option, key: str):
    label = option.field_labels.get(key) or LABELS.get(key, key)
    if key in BOOL_KEYS:
        default = "nee" if key == "deviate" else None
        return RadioField(label, choices=YES_NO, default=default, validate_choice=False)
    if key == "result":  # its options are the instrument's (event_form(..., instrument=))
        return SelectField(label, choices=c.options(empty="Maak een keuze"), validate_choice=False)
    if key in ID_KEYS:
        return SelectField(label, choices=[], validate_choice=False)
    if key in MONEY_KEYS:
        return StringField(label, render_kw={"inputmode": "decimal"})
    return TextAreaField(label)


_CACHE: dict[tuple, type] = {}


def result_choices(instrument: str) -> list[SelectChoice]:
    """The results a person may report for ``instrument``, labelled as its form.yaml says
    (``vaststelling.map``; labels in rules/shared/workflow.yaml ``reported_results``)."""
    from fund.rules import load_rulebook

    offered = load_rulebook().form(instrument).reported_results
    return c.options(((value, label) for value, label, _ in offered), empty="Maak een keuze")


def event_form(option, *, formdata=None, choices: dict | None = None,
               instrument: str | None = None) -> FlaskForm:
    """A form for one EventOption, prefixed with the event name (several per page); with
    ``instrument``, a ``result`` question offers that instrument's results."""
    key = (option.name, tuple(option.fields), tuple(sorted(option.field_labels.items())))
    if key not in _CACHE:
        attrs = {name: _field(option, name) for name in option.fields}
        _CACHE[key] = type(f"EventForm_{option.name}", (_EventForm,), attrs)
    kwargs = {"prefix": option.name}
    if formdata is not None:
        kwargs["formdata"] = formdata
    form = _CACHE[key](**kwargs)
    form.option = option
    if instrument is not None and "result" in option.fields:
        choices = {"result": result_choices(instrument), **(choices or {})}
    for name, values in (choices or {}).items():
        if name in option.fields:
            getattr(form, name).choices = [
                v if isinstance(v, SelectChoice) else SelectChoice(value=v[0], label=v[1])
                for v in values]
    return form


class _EventForm(FlaskForm):
    option = None

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        event = self.option.name
        self.data_for_send = {}
        for name in self.option.fields:
            field = getattr(self, name)
            raw = field.data
            empty = raw is None or (isinstance(raw, str) and not raw.strip())
            required = name in self.option.required or name in BOOL_KEYS and name != "deviate"
            if name == "deviation_motivation" and getattr(self, "deviate", None) is not None:
                required = self.deviate.data == "ja"
            if name == "amount" and getattr(self, "deviate", None) is not None:
                required = False
            if empty:
                if required:
                    field.errors = list(field.errors) + [
                        "Maak een keuze." if name in BOOL_KEYS or name in ID_KEYS or name == "result"
                        else "Vul dit in."]
                    ok = False
                continue
            try:
                self.data_for_send[name] = _convert(name, raw)
            except (ValueError, ValidationError) as exc:
                field.errors = list(field.errors) + [str(exc)]
                ok = False
        if ok and event == "grant" and self.data_for_send.get("deviate") is False:
            self.data_for_send.pop("amount", None)
        return ok


def _convert(name: str, raw):
    if name in BOOL_KEYS:
        if raw not in ("ja", "nee"):
            raise ValueError("Maak een keuze.")
        return raw == "ja"
    if name in MONEY_KEYS:
        return parse_money(raw)
    if name in ID_KEYS:
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValueError("Maak een keuze.") from None
    return raw.strip()
