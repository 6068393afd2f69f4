"""Each workflow event, state and decision kind is declared once (fund.workflow.events,
fund.workflow.states, fund.models.decision_kinds): the machine agrees with the declarations,
every table the rest of the code reads is derived from them, and no module keeps a parallel table
keyed by event, state or decision kind (so adding one is one declaration plus its transitions,
effect and template)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from fund.forms import actions, choices
from fund.letters import context, dutch, render
from fund.models import decision_kinds
from fund.models.types import DecisionKind
from fund.views import applicant, officer
from fund.workflow import events, guards, machine, states
from fund.workflow.machine import ApplicationMachine

ROOT = Path(__file__).resolve().parents[2]
DECLARING = {"fund/workflow/events.py", "fund/workflow/states.py", "fund/models/decision_kinds.py"}
ACTOR_KINDS = {guards.APPLICANT, guards.OFFICER, guards.SUPERVISOR, guards.FINANCE,
               guards.PAYMENT_APPROVER, guards.SYSTEM}


def test_machine_events_are_the_declared_events():
    assert {e.id for e in ApplicationMachine.events} == set(events.EVENTS)
    assert machine.EVENTS == list(events.EVENTS)


def test_machine_states_are_the_declared_states_with_their_labels():
    declared = states.STATES
    assert [s.id for s in ApplicationMachine.states] == list(declared)
    for state in ApplicationMachine.states:
        assert state.name == declared[state.id].label
        assert state.initial == declared[state.id].initial
        assert state.final == declared[state.id].final


def test_every_derived_event_table_has_exactly_the_declared_events():
    names = set(events.EVENTS)
    for table in (events.WHO, events.EFFECTS, events.EVENT_LABELS, events.EVENT_FIELDS):
        assert set(table) == names
    assert names <= set(events.TIMELINE_TEXT)
    assert set(events.STAFF_EVENTS) | set(events.APPLICANT_EVENTS) <= names
    assert not set(events.STAFF_EVENTS) & set(events.APPLICANT_EVENTS)
    for name, event in events.EVENTS.items():
        assert event.who and event.who <= ACTOR_KINDS, name
        assert event.effect is machine.EFFECTS[name]
        assert set(event.required) <= set(event.fields), name
        assert set(event.field_labels) <= set(event.fields), name
        for key in event.fields:  # every field can be asked in Dutch
            assert event.field_labels.get(key) or key in actions.LABELS, (name, key)
        if event.screen == events.APPLICANT_SCREEN:
            assert event.who == {guards.APPLICANT} and event.done, name
        if event.screen == events.STAFF_SCREEN:
            assert guards.APPLICANT not in event.who, name


def test_screens_use_the_declared_tables():
    assert applicant.TIMELINE_TEXT is events.TIMELINE_TEXT
    assert applicant.APPLICANT_EVENTS is events.APPLICANT_EVENTS
    assert officer.STAFF_EVENTS is events.STAFF_EVENTS
    assert applicant.NEXT_STEP is states.NEXT_STEP
    assert applicant.EDITABLE == ("concept", "herstel")
    assert applicant.UPLOAD_STATUSES == ("concept", "herstel", "verleend", "uitbetaald")


def test_decision_kinds_are_declared_once():
    declared = decision_kinds.DECISION_KINDS
    assert [k.value for k in DecisionKind] == list(declared)
    assert render.KINDS == tuple(declared)
    assert choices.DECISION_KIND_LABELS == {v: k.label for v, k in declared.items()}
    assert dutch.KIND_LABELS == {v: k.subject for v, k in declared.items()}
    assert context.BEZWAAR_KINDS | context.BEROEP_KINDS == {v for v, k in declared.items() if k.remedy}
    for value, kind in declared.items():
        assert (ROOT / "templates" / kind.template).is_file(), f"{kind.template} ontbreekt"
        assert kind.label and kind.subject and kind.intro, value


@pytest.mark.parametrize("path", sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "fund").rglob("*.py")
    if str(p.relative_to(ROOT)) not in DECLARING and not str(p).endswith("demo/applications.py")))
def test_no_parallel_table_keyed_by_event_state_or_decision_kind(path):
    """A dict literal with two or more keys that are all event, state or decision-kind names is a
    parallel table: it belongs in the declarations. (Demo data, which walks example cases through
    the states, is exempt.)"""
    names = (set(events.EVENTS) | set(events.AUDIT_ONLY) | set(states.STATES)
             | set(decision_kinds.DECISION_KINDS))
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and len(node.keys) >= 2:
            keys = [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            if len(keys) == len(node.keys) and set(keys) <= names:
                pytest.fail(f"{path}:{node.lineno}: table keyed by {sorted(keys)[:4]}...; "
                            "declare it in fund/workflow/events.py, states.py or fund/models/decision_kinds.py")
