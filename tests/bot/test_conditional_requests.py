"""In the NLU pipeline, a conditional cancel or return becomes a complaint; a plain one stays."""

import json

import pytest

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
cases = json.loads(sys.argv[1])
out = []
for text, intent in cases:
    ranking = [{"name": intent, "confidence": 0.6}, {"name": "deny", "confidence": 0.3},
               {"name": "faq", "confidence": 0.1}]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    component.process([message])
    out.append({"intent": message.get(INTENT),
                "ranking": [r["name"] for r in message.get(INTENT_RANKING_KEY)]})
print(json.dumps(out))
"""


def classified(cases: list[tuple[str, str]]) -> list[dict]:
    """The intent and ranking after the component, for messages the classifier gave `intent`
    (0.6) with deny (0.3) and faq (0.1) behind."""
    return run_in_rasa_env(SCENARIO, json.dumps(cases))


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return classified(
        [
            ("不然我就取消了", "cancel_order"),
            ("再不发货我就退款", "ask_refund_status"),
            ("我要取消订单", "cancel_order"),
            ("再不发货我就退款", "track_order"),
        ]
    )


def test_a_conditional_cancel_becomes_a_complaint_with_the_cancels_confidence(results):
    assert results[0]["intent"] == {"name": "complain", "confidence": 0.6}
    assert results[0]["ranking"] == ["complain", "deny", "faq"]


def test_a_conditional_refund_request_becomes_a_complaint(results):
    assert results[1]["intent"]["name"] == "complain"


def test_a_plain_cancel_stays_a_cancel(results):
    assert results[2]["intent"]["name"] == "cancel_order"


def test_a_condition_on_an_intent_that_acts_on_nothing_is_left_alone(results):
    assert results[3]["intent"]["name"] == "track_order"


PERSON_ASKED = [
    "行吧 那你转个人问问修的事",
    "那你找个人跟我说",
    "那你让能处理的人跟我说",
    "转人工 问维修的事",
    "那你找个人帮我特殊处理一下",
    "转吧",  # trial 19 T619: the person offered, taken up in a word
    "那就转一下吧",
]
NOT_ASKED = [
    "找个人帮我拿快递",
    "人工客服几点上班",
    "转人工要等多久",
    "让你们快递员联系我",
    "钱我转给你了",
]


def test_a_person_asked_for_in_any_words_is_a_request_for_one_and_a_question_about_them_is_not():
    cases = [(t, "inform") for t in PERSON_ASKED] + [(t, "inform") for t in NOT_ASKED]
    results = classified(cases)
    asked = [r["intent"]["name"] for r in results[: len(PERSON_ASKED)]]
    assert asked == ["request_human"] * len(PERSON_ASKED)
    assert all(r["intent"]["confidence"] == 1.0 for r in results[: len(PERSON_ASKED)])
    assert [r["intent"]["name"] for r in results[len(PERSON_ASKED) :]] == ["inform"] * len(
        NOT_ASKED
    )


def test_a_request_beside_a_person_asked_for_stays_the_request():
    [result] = classified([("我要转人工 帮我重开个发票", "faq")])
    assert result["intent"]["name"] == "faq"


def test_a_cancel_taken_back_beside_a_change_is_the_change():
    """Trial 24, T803: 那就换雾霾蓝 四件套不取消了 set the colour change aside for a cancel."""
    results = classified(
        [
            ("那就换雾霾蓝 四件套不取消了", "cancel_order"),
            ("不要取消 只把四件套换成雾霾蓝", "deny"),
            ("那就换雾霾蓝 四件套不取消了", "request_return_exchange"),
            ("算了算了不取消了 那这个周六下午送行不行 周六家里有人", "deny"),  # T643's replay
            ("不取消了", "cancel_order"),  # no change asked: a no
            ("不取消了 也不换了", "cancel_order"),
        ]
    )
    assert [r["intent"]["name"] for r in results] == [
        "modify_order",
        "modify_order",
        "modify_order",
        "modify_order",
        "deny",
        "deny",
    ]


def test_a_detail_said_to_stay_is_information_never_a_no():
    """Trial 28, T986: 电话不变 right after a new address, read as a no, stopped the change."""
    results = classified(
        [("电话不变", "deny"), ("收件人还是我", "deny"), ("电话都不用改", "modify_order")]
    )
    assert [r["intent"]["name"] for r in results] == ["inform", "inform", "deny"]
