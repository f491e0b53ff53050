"""The FAQ action answers from the knowledge base, asks back when unsure, never guesses."""

import pytest

from bot.actions.common import Turn
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_requests import ask_order_for_problem
from core.clock import utcnow
from tests.bot.conftest import make_tracker, responses, user_event


async def test_a_clear_policy_question_gets_the_knowledge_base_answer(db, dispatcher, tracker_with):
    tracker = tracker_with(text="亲 满多少包邮呀", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "99" in dispatcher.messages[0]["text"]


async def test_an_unsure_match_offers_the_likeliest_questions_as_buttons(
    db, dispatcher, tracker_with
):
    tracker = tracker_with(text="那个东西怎么弄", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_faq_clarify"]
    buttons = dispatcher.messages[0]["buttons"]
    assert 1 <= len(buttons) <= 2
    assert all(b["title"] == b["payload"] for b in buttons)


async def test_no_match_at_all_says_so_and_offers_a_human(db, dispatcher, tracker_with):
    tracker = tracker_with(text="😀😀😀", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_faq_unknown"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/request_human"


async def test_the_answer_fits_the_product_the_conversation_is_about(db, dispatcher, tracker_with):
    tracker = tracker_with({"current_product": "P6101"}, text="满多少包邮", intent="faq")
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "冷链" in dispatcher.messages[0]["text"]  # the fresh-fruit answer, not the general one


async def test_a_shopper_who_asks_where_the_order_number_is_gets_the_steps(
    dispatcher, tracker_with
):
    await ActionAnswerFaq().run(dispatcher, tracker_with(text="订单号在哪里看啊", intent="faq"), {})
    [message] = dispatcher.messages
    assert "我的订单" in message["text"]
    assert "说明书" not in message["text"]


@pytest.mark.parametrize(
    "text", ["6559797114710497 尾号2751 快递五天没动了", "6559797114710497 2751 用了一周就坏了"]
)
def test_a_problem_told_with_its_order_number_is_never_asked_for_it(db, dispatcher, text):
    turn = Turn(db, make_tracker({}, text, "faq"), dispatcher, utcnow())
    assert not ask_order_for_problem(turn, None)  # the lookup reads the number it carries
    assert dispatcher.messages == []


def test_a_problem_told_without_its_order_number_asks_for_it(db, dispatcher):
    turn = Turn(db, make_tracker({}, "快递五天没动了", "faq"), dispatcher, utcnow())
    assert ask_order_for_problem(turn, None)


async def test_postage_asked_after_the_province_was_named_is_to_that_province(
    db, dispatcher, tracker_with
):
    # trial 19 T629: "她在乌鲁木齐", later "买两袋 运费多少" of the nuts got "下单就是包邮的"
    tracker = tracker_with(
        {"current_product": "P6001"},
        text="买两袋 运费多少",
        intent="faq",
        earlier=[user_event("她在乌鲁木齐", "inform")],
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "寄新疆的话属于偏远地区" in said
    assert "下单就是包邮" not in said
