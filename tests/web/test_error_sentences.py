"""A rule engine message reaches an applicant as a sentence that stands on its own next to the
question (issue 14, B1): a capital letter, a subject, a full stop; "ontbreekt" becomes "Dit is
nog niet ingevuld." Every message in rules/shared/messages.yaml is checked, not a chosen few."""
from __future__ import annotations

import re

import pytest

from fund.forms.questions import NOT_FILLED, sentence
from fund.rules import load_rulebook

MESSAGES = load_rulebook().messages


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_rule_message_becomes_a_whole_sentence(key):
    message = MESSAGES[key].format(fout="x", minimum=1, waarde="x", keuzes="a, b", datum="1 januari 2026")
    text = sentence(message, MESSAGES)
    assert text[0].isupper() and text.endswith("."), text
    assert not text.endswith(".."), text
    first_word = text.split(" ", 1)[0]
    assert first_word not in ("Is", "Moet", "Mag", "Heeft", "Ontbreekt"), f"no subject: {text}"


def test_known_messages_read_as_expected():
    assert sentence(MESSAGES["ontbreekt"], MESSAGES) == NOT_FILLED
    assert sentence(MESSAGES["geen_geheel_getal"], MESSAGES) == "Dit moet een geheel getal zijn."
    assert sentence(MESSAGES["negatief"], MESSAGES) == "Dit mag niet negatief zijn."
    assert sentence(MESSAGES["geen_geldige_code"], MESSAGES) == "Dit heeft niet de juiste vorm."
    assert re.fullmatch(r"De einddatum ligt voor de begindatum\. .+\.",
                        sentence(MESSAGES["einddatum_voor_begindatum"], MESSAGES))
