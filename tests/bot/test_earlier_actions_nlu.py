"""A denial of having asked for a cancel, a return or a change (trial 5 T66: 我没取消啊 read as a
cancel), or a question about one done before (T69: 上次不是给改了吗 read as a change), asks about
the order's state: the NLU reads it as tracking, never as the request; a no stays a no."""

import json
from typing import Any, cast

import pytest

from conversations.reading import denies_asking, is_about_earlier_action
from tests.bot.test_conditional_requests import SCENARIO
from tests.rasa_env import run_in_rasa_env


def classified(cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The intent and ranking after the component, for messages the classifier gave `intent`
    (0.6) with deny (0.3) and faq (0.1) behind."""
    return cast("list[dict[str, Any]]", run_in_rasa_env(SCENARIO, json.dumps(cases)))


DENIALS = [
    ("我订单怎么被取消了 我没取消啊", "cancel_order"),
    ("我又没申请退货 怎么显示退货中", "request_return_exchange"),
    ("谁给我取消的 我根本没点", "cancel_order"),
    ("上次不是给改了吗", "modify_order"),
    ("不是已经改过地址了吗", "modify_order"),
    ("上次不是给改了吗", "deny"),
]
KEPT = [
    ("先不取消了", "cancel_order", "deny"),  # a no to a cancel said back
    ("我没说要取消", "deny", "deny"),  # a no, when a cancel was said back
    ("我没取消成功 帮我取消吧", "cancel_order", "cancel_order"),
    ("之前下错了 帮我取消", "cancel_order", "cancel_order"),
    ("地址改一下", "modify_order", "modify_order"),
    ("不想要了 退了吧", "request_return_exchange", "request_return_exchange"),
]


@pytest.fixture(scope="module")
def results() -> list[dict]:
    return classified([*DENIALS, *[(text, intent) for text, intent, _ in KEPT]])


def test_a_denial_or_a_question_about_an_earlier_action_is_read_as_the_orders_state(results):
    for (text, _), result in zip(DENIALS, results, strict=False):
        assert result["intent"]["name"] == "track_order", text
        # the cancel and the no were one reading: no fallback asks between them
        assert result["intent"]["confidence"] == pytest.approx(0.9), text
        assert result["ranking"] == ["track_order", "faq"], text


def test_a_no_and_a_request_that_names_an_earlier_mistake_stay_what_they_are(results):
    for (text, _, expected), result in zip(KEPT, results[len(DENIALS) :], strict=True):
        assert result["intent"]["name"] == expected, text


@pytest.mark.parametrize(
    "text",
    ["我没取消啊", "我没有要求退款", "我又没退货", "我没申请退货啊 怎么回事", "谁让你们取消的",
     "之前不是改好了吗 怎么还是旧的", "怎么被取消了"],
)  # fmt: skip
def test_messages_about_what_was_done_to_the_order_are_told_apart(text):
    assert is_about_earlier_action(text)


@pytest.mark.parametrize(
    "text",
    ["先不取消了", "我不退了", "取消订单", "我要退货", "还没发货 取消吧", "我没收到 要退款",
     "我都没拆 能退吗", "怎么还没退款", "我没取消成功 帮我取消", "上次买的 想退"],
)  # fmt: skip
def test_requests_and_nos_are_not_about_an_earlier_action(text):
    assert not is_about_earlier_action(text)


def test_only_a_denial_says_the_shopper_did_not_ask():
    assert denies_asking("我没说要取消")
    assert not denies_asking("上次不是给改了吗")


def classified_as(scenario: str, cases: list[Any]) -> list[dict[str, Any]]:
    """The intent and ranking after the component, in `scenario`'s terms."""
    return cast("list[dict[str, Any]]", run_in_rasa_env(scenario, json.dumps(cases)))


RANKED = SCENARIO.replace(
    """    ranking = [{"name": intent, "confidence": 0.6}, {"name": "deny", "confidence": 0.3},
               {"name": "faq", "confidence": 0.1}]""",
    """    ranking = [{"name": n, "confidence": c} for n, c in intent]""",
)


def test_a_no_read_as_a_return_too_is_one_no_the_fallback_does_not_ask_about():
    ranking = [("deny", 0.45), ("request_return_exchange", 0.44), ("faq", 0.11)]
    [result] = classified_as(RANKED, [["我不退了", ranking]])
    assert result["intent"] == {"name": "deny", "confidence": pytest.approx(0.89)}
    assert result["ranking"] == ["deny", "faq"]
