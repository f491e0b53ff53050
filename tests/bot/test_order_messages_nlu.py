"""In the NLU pipeline, a message carrying an order gets the intent its words name when the
classifier named no order request or was unsure; a sure order request stays."""

import json
from typing import Any

import pytest

from tests.rasa_env import run_in_rasa_env

SCENARIO = """
import json
from typing import Any
import sys
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from bot.nlu.order_messages import OrderMessageClassifier

context = ExecutionContext(GraphSchema({}), node_name="order_messages")
component = OrderMessageClassifier.create({}, None, None, context)
out = []
for text, ranking in json.loads(sys.argv[1]):
    ranking = [{"name": n, "confidence": c} for n, c in ranking]
    message = Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    component.process([message])
    out.append({"intent": message.get(INTENT),
                "ranking": [r["name"] for r in message.get(INTENT_RANKING_KEY)]})
print(json.dumps(out))
"""

CARD = "订单编号：6610293847561028\n下单时间：2026-11-28 09:12:45\n商品：加绒卫衣 男 XL ×1"


@pytest.fixture(scope="module")
def results() -> Any:
    cases = [
        ("6120398475610293 尾号5521 物流一周没更新了", [("inform", 0.6), ("track_order", 0.2)]),
        (CARD, [("ask_size_advice", 0.5), ("inform", 0.3)]),
        (
            "4410293847561020 1188 拆开杯子就是碎的",
            [("report_wrong_or_missing_item", 0.46), ("report_damaged_item", 0.44)],
        ),
        ("6610293847561028 尾号9012 帮我取消", [("cancel_order", 0.8), ("inform", 0.1)]),
        ("6610293847561028 退货运费谁出", [("faq", 0.7), ("request_return_exchange", 0.2)]),
        ("快递好几天没动了", [("inform", 0.5), ("report_delivery_delay", 0.4)]),
        ("那个 弄好了没", [("greet", 0.56), ("affirm", 0.12)]),
        ("在吗", [("greet", 0.9), ("affirm", 0.05)]),
        (
            "还有充电头 插上发烫 现在不充电了 2042346853560688",
            [("request_repair", 0.2), ("ask_product_info", 0.16), ("report_damaged_item", 0.14)],
        ),
    ]
    return run_in_rasa_env(SCENARIO, json.dumps(cases))


def test_data_with_a_stalled_parcel_described_is_a_delay_report_sure_enough_not_to_fall_back(
    results,
):
    assert results[0]["intent"]["name"] == "report_delivery_delay"
    assert results[0]["intent"]["confidence"] >= 0.9
    assert results[0]["ranking"] == ["report_delivery_delay", "inform", "track_order"]


def test_a_pasted_order_card_is_never_a_size_question_but_the_order_given(results):
    assert results[1]["intent"]["name"] == "inform"


def test_the_words_decide_between_two_close_order_requests(results):
    assert results[2]["intent"]["name"] == "report_damaged_item"


def test_a_sure_order_request_stays_as_the_classifier_had_it(results):
    assert results[3]["intent"] == {"name": "cancel_order", "confidence": 0.8}


def test_a_policy_question_with_an_order_number_stays_a_policy_question(results):
    assert results[4]["intent"]["name"] == "faq"


def test_a_message_without_an_order_is_left_to_the_classifier(results):
    assert results[5]["intent"]["name"] == "inform"


def test_a_bare_follow_up_is_never_a_greeting_but_read_with_the_conversation(results):
    assert results[6]["intent"]["name"] == "nlu_fallback"
    assert results[7]["intent"]["name"] == "greet"


def test_the_words_make_an_unsure_reading_they_agree_with_sure_enough_not_to_fall_back(results):
    # trial 26, T913 t5: a charger's fault beside its order's number fell back to 哪方面
    assert results[8]["intent"] == {"name": "request_repair", "confidence": 0.9}
