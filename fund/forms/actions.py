"""Forms for workflow events: one small form per :class:`EventOption` the workflow offers.

The workflow says which data keys an event takes (``EventOption.fields``); this module knows how
to ask each key in Dutch and how to turn the answer into the value ``send`` expects.
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
# Per event, labels that read better than the generic ones.
EVENT_LABELS = {
    ("supplement", "message"): "Uw toelichting (niet verplicht)",
    ("withdraw", "reason"): "Waarom trekt u de aanvraag in? (niet verplicht)",
    ("extend_deadline", "reason"): "Waarom is meer tijd nodig?",
    ("co_sign", "motivation"): "Toelichting (verplicht als u niet akkoord gaat)",
    ("settle", "motivation"): "Motivering (niet verplicht)",
    ("settle", "result"): "Ander resultaat dan gemeld? (alleen bij correctie)",
    ("settle", "incurred_costs"): "Andere kosten dan gemeld? (alleen bij correctie, in euro's)",
    ("grant", "motivation"): "Motivering (niet verplicht)",
    ("decide_objection", "amount"): "Nieuw bedrag van de verlening (alleen bij gegrond bezwaar na betaling)",
}
REQUIRED = {
    ("request_info", "message"), ("extend_deadline", "reason"), ("object", "grounds"),
    ("report_outcome", "result"), ("reject", "motivation"), ("refer", "motivation"),
    ("decide_objection", "motivation"),
}
NO_OFFICER_NEEDED = {"officer_id"}  # optional: default is the actor


def _field(event: str, key: str):
    label = EVENT_LABELS.get((event, key), LABELS.get(key, key))
    if key in BOOL_KEYS:
        default = "nee" if key == "deviate" else None
        return RadioField(label, choices=YES_NO, default=default, validate_choice=False)
    if key == "result":
        return SelectField(label, choices=c.options(c.OUTCOME_RESULT, empty="Maak een keuze"),
                           validate_choice=False)
    if key in ID_KEYS:
        return SelectField(label, choices=[], validate_choice=False)
    if key in MONEY_KEYS:
        return StringField(label, render_kw={"inputmode": "decimal"})
    return TextAreaField(label)


_CACHE: dict[tuple, type] = {}


def event_form(option, *, formdata=None, choices: dict | None = None) -> FlaskForm:
    """A form for one EventOption, prefixed with the event name (several per page)."""
    key = (option.name, tuple(option.fields), bool(option.needs_motivation))
    if key not in _CACHE:
        attrs = {name: _field(option.name, name) for name in option.fields}
        _CACHE[key] = type(f"EventForm_{option.name}", (_EventForm,), attrs)
    kwargs = {"prefix": option.name}
    if formdata is not None:
        kwargs["formdata"] = formdata
    form = _CACHE[key](**kwargs)
    form.option = option
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
            required = (event, name) in REQUIRED or (
                name == "motivation" and self.option.needs_motivation and event not in (
                    "grant", "settle", "co_sign")
            ) or name in BOOL_KEYS and name != "deviate"
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
