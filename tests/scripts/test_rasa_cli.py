"""The Rasa launcher's two fixes keep Rasa's behaviour: answers validated, events resolved."""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, SlotSet
from scripts import rasa_cli

rasa_cli._validate_against_checked_schema()
rasa_cli._remember_event_types()
action = RemoteAction("action_answer_faq", None)
report = {"valid": action._validate_action_result(
    {"events": [{"event": "slot", "name": "order_id", "value": "1"}], "responses": []})}
try:
    action._validate_action_result({"events": [{"name": "order_id"}], "responses": "hi"})
    report["invalid"] = "accepted"
except ValidationError as error:
    report["invalid"] = error.message
report["slot"] = Event.resolve_by_type("slot") is SlotSet
report["slot_again"] = Event.resolve_by_type("slot") is SlotSet
report["unknown_default"] = Event.resolve_by_type("no_such_event", SlotSet) is SlotSet
try:
    Event.resolve_by_type("no_such_event")
    report["unknown"] = "resolved"
except ValueError as error:
    report["unknown"] = str(error)
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def report() -> dict:
    return run_in_rasa_env(SCENARIO)


def test_a_well_formed_action_answer_passes(report):
    assert report["valid"] is True


def test_a_malformed_action_answer_is_still_rejected_with_rasas_hint(report):
    assert "Failed to validate Action server response" in report["invalid"]


def test_event_types_resolve_as_in_rasa_and_unknown_ones_still_fail(report):
    assert report["slot"]
    assert report["slot_again"]
    assert report["unknown_default"]
    assert "Unknown event name 'no_such_event'" in report["unknown"]
