"""A yes that leads into a request in one message (trial 18 T591: 对 改白色 got "我不太确定您的意思"
between the yes and the change): the NLU pipeline reads it as the request."""

import json

import pytest

from conversations.reading import words_after_a_yes
from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
import sys
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from bot.nlu.conditional_requests import ConditionalRequestClassifier

context = ExecutionContext(GraphSchema({}), node_name="conditional")
component = ConditionalRequestClassifier.create({}, None, None, context)
out = []
for text, first, second in json.loads(sys.argv[1]):
    ranking = [{"name": first, "confidence": 0.38}, {"name": second, "confidence": 0.37},
               {"name": "inform", "confidence": 0.1}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    component.process([message])
    out.append(message.get(INTENT))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def results() -> list[dict]:
    cases = [
        ("对 改白色", "affirm", "modify_order"),
        ("好 退吧", "request_return_exchange", "affirm"),  # the flows read it as the yes
        ("好的 然后我再改一下对吧", "affirm", "modify_order"),  # a question after the yes
        ("对", "affirm", "modify_order"),  # a yes alone stays a yes
        ("对 谢谢", "affirm", "thank"),  # not a request
    ]
    return run_in_rasa_env(SCENARIO, json.dumps(cases))


def test_a_yes_leading_into_a_change_is_the_change_with_both_readings_confidence(results):
    assert results[0]["name"] == "modify_order"
    assert results[0]["confidence"] == pytest.approx(0.75)
    assert results[1]["name"] == "request_return_exchange"  # as classified


def test_a_question_after_a_yes_stays_as_read(results):
    assert results[2]["name"] == "affirm"


def test_a_yes_alone_or_beside_no_request_stays_as_read(results):
    assert results[3]["name"] == "affirm"
    assert results[4]["name"] == "affirm"


@pytest.mark.parametrize(
    ("text", "rest"),
    [("对 改白色", "改白色"), ("嗯嗯，退吧", "退吧"), ("对", None), ("好的吧", None)],
)
def test_the_words_after_a_yes_are_its_own(text, rest):
    assert words_after_a_yes(text) == rest
