"""Who pays to send a return back is said the same way wherever it is said (trial 11, T301 and
T304 heard it in several wordings): a quality problem's or a wrong item's postage is the
shop's, a no-reason return's the buyer's (运费险 pays part), as the shop's FAQ has it, whether
asked on the order, with an approved return's address, in the steps of a return waiting for
its yes, or in the FAQ."""

import uuid

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionAnswerPendingRequest
from tests.bot.conftest import demo_order, make_tracker, order_in, user_event
from words.render import phrase

SHOPS_RULE = "七天无理由退换的寄回运费由您承担"
OTHER_WORDINGS = ("需要您承担", "您自己出", "买家承担", "没法给您确认")


async def _faq_answer(text: str, order_no: str | None = None) -> str:
    verified = {"verified_order_no": order_no} if order_no else {}
    tracker = make_tracker(verified, text, "faq")
    tracker.events = [user_event(text, "faq")]
    tracker.sender_id = uuid.uuid4().hex
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def _the_shops_rule(text: str) -> None:
    assert SHOPS_RULE in text, text
    assert not [other for other in OTHER_WORDINGS if other in text], text


@pytest.mark.parametrize(
    "text",
    ["寄回去运费谁出", "寄回来的快递费谁付", "无理由退的话邮费谁掏", "退货运费我出还是你们出"],
)
async def test_who_pays_a_no_reason_returns_postage_on_an_order_is_the_shops_rule(db, text):
    order = order_in(db, "returnable")
    answer = await _faq_answer(text, order.order_no)
    _the_shops_rule(answer)
    assert "质量问题或发错货的寄回运费由我们出" in answer  # what the rules do say


@pytest.mark.parametrize("text", ["要寄到哪个地址", "退货地址发我一下", "寄到哪里"])
async def test_an_approved_returns_address_comes_with_the_shops_postage_rule(db, text):
    order = order_in(db, "return_awaiting")
    answer = await _faq_answer(text, order.order_no)
    assert "文一西路" in answer
    _the_shops_rule(answer)


async def test_the_steps_of_a_return_waiting_for_its_yes_state_the_shops_postage_rule(
    dispatcher,
):
    order_no, tail = demo_order("returnable")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail,
         "pending_request": "request_return_exchange"},
        text="好 那我怎么弄", intent="affirm",
        earlier=[user_event("不想要了 想退", "request_return_exchange"),
                 user_event(f"{order_no} {tail}", "inform"),
                 {"event": "action", "name": "action_handle_order_request"},
                 user_event("退款退到哪里", "faq"),
                 {"event": "action", "name": "action_answer_faq"},
                 {"event": "action", "name": "action_listen"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    steps = dispatcher.messages[0]["text"]
    assert "接下来是这样" in steps
    _the_shops_rule(steps)


@pytest.mark.parametrize("text", ["七天无理由退货运费谁付", "退货要自己出运费吗"])
async def test_the_faq_on_return_postage_says_the_same_rule(text):
    answer = await _faq_answer(text)
    _the_shops_rule(answer)
    assert "质量问题或发错货的，退回运费由店铺承担" in answer


async def test_a_quality_problems_postage_is_still_the_shops_as_the_rules_say(db):
    order = order_in(db, "returnable")
    tracker_text = "来回运费你们出吧"
    tracker = make_tracker({"verified_order_no": order.order_no}, tracker_text, "faq")
    tracker.events = [user_event("用了两天就充不进电了", "report_problem"),
                      user_event(tracker_text, "faq")]  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    dispatcher = CollectingDispatcher()
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    answer = dispatcher.messages[0]["text"]
    assert "运费由我们承担" in answer
    assert SHOPS_RULE not in answer


def test_the_postage_line_is_the_shops_rule_with_the_insurance():
    line = phrase("no_reason_postage")
    assert SHOPS_RULE in line
    assert "运费险" in line
