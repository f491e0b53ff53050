"""In the NLU pipeline, a conditional cancel or return becomes a complaint; a plain one stays."""

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from bot.nlu.conditional_requests import ConditionalRequestClassifier

context = ExecutionContext(GraphSchema({}), node_name="conditional")
component = ConditionalRequestClassifier.create({}, None, None, context)
cases = [
    ("不然我就取消了", "cancel_order"),
    ("再不发货我就退款", "ask_refund_status"),
    ("我要取消订单", "cancel_order"),
    ("再不发货我就退款", "track_order"),
]
out = []
for text, intent in cases:
    ranking = [{"name": intent, "confidence": 0.7}, {"name": "complain", "confidence": 0.2},
               {"name": "faq", "confidence": 0.1}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    component.process([message])
    out.append({"intent": message.get(INTENT),
                "ranking": [r["name"] for r in message.get(INTENT_RANKING_KEY)]})
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return run_in_rasa_env(SCENARIO)


def test_a_conditional_cancel_becomes_a_complaint_with_the_cancels_confidence(results):
    assert results[0]["intent"] == {"name": "complain", "confidence": 0.7}
    assert results[0]["ranking"] == ["complain", "faq"]


def test_a_conditional_refund_request_becomes_a_complaint(results):
    assert results[1]["intent"]["name"] == "complain"


def test_a_plain_cancel_stays_a_cancel(results):
    assert results[2]["intent"]["name"] == "cancel_order"


def test_a_condition_on_an_intent_that_acts_on_nothing_is_left_alone(results):
    assert results[3]["intent"]["name"] == "track_order"
