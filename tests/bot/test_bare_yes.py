"""A yes with nothing waiting for it: a confirmation (确认换, the 确认 of a lapsed offer) is
told nothing waits and nothing was changed; a plain 好的 is asked what else is needed."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.bare_yes import ActionAnswerBareYes
from bot.actions.order_lookup import ActionAnswerPendingRequest, still_asked
from conversations.models import Escalation
from shop.models import Order, OrderStatus
from tests.bot.conftest import (
    DOMAIN,
    bot_said,
    demo_order,
    make_tracker,
    next_message,
    responses,
    slots_set,
    user_event,
    verified_after,
)
from words.render import Button, button


@pytest.mark.parametrize("text", ["确认换", "确认", "/affirm", "好 确定"])
@pytest.mark.parametrize("action", [ActionAnswerBareYes, ActionAnswerPendingRequest])
async def test_a_confirmation_with_nothing_waiting_is_told_nothing_was_changed(
    db, dispatcher, action, text
):
    await action().run(dispatcher, make_tracker(text=text, intent="affirm"), {})
    assert responses(dispatcher) == ["utter_nothing_to_confirm"]


async def test_a_plain_yes_with_nothing_waiting_is_asked_what_else_is_needed(db, dispatcher):
    await ActionAnswerBareYes().run(dispatcher, make_tracker(text="好的", intent="affirm"), {})
    assert responses(dispatcher) == ["utter_anything_else"]


@pytest.mark.parametrize("text", ["我先问下我老公 你等等哈", "等下我下楼看看", "好 我去翻翻快递柜"])
async def test_a_shopper_stepping_away_to_check_is_told_to_take_their_time(db, dispatcher, text):
    # trial 20, T642 and T658: 请问还有什么可以帮您的吗 to a shopper going to ask or look
    await ActionAnswerBareYes().run(dispatcher, make_tracker(text=text, intent="affirm"), {})
    assert responses(dispatcher) == ["utter_take_your_time"]


def _after(buttons: list[dict], text: str):
    """A yes typed right after the bot's answer that offered `buttons`."""
    tracker = make_tracker(text=text, intent="affirm")
    tracker.sender_id = uuid.uuid4().hex
    tracker.events = [
        user_event("这个问题详情里有写吗", "ask_product_info"),
        {
            "event": "bot",
            "text": "可以帮您转人工客服确认一下，您看可以吗？",
            "data": {"buttons": buttons},
        },
        user_event(text, "affirm"),
    ]
    return tracker


@pytest.mark.parametrize("text", ["行", "可以", "好的"])
async def test_a_yes_to_the_bots_own_offer_of_a_person_is_that_person(db, dispatcher, text):
    tracker = _after([button(Button.HUMAN)], text)
    await ActionAnswerBareYes().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_pass_to_agent"]
    escalations = db.scalars(select(Escalation)).all()
    assert [e.conversation_id for e in escalations].count(tracker.sender_id) == 1


async def test_a_yes_after_other_buttons_hands_nothing_over(db, dispatcher):
    tracker = _after([{"title": "确认", "payload": "/affirm"}, button(Button.HUMAN)], "好的")
    await ActionAnswerBareYes().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_anything_else"]
    escalations = db.scalars(select(Escalation)).all()
    assert tracker.sender_id not in [e.conversation_id for e in escalations]


@pytest.mark.parametrize("action", [ActionAnswerBareYes, ActionAnswerPendingRequest])
@pytest.mark.parametrize("text", ["对 确定取消", "确认取消"])
async def test_a_yes_naming_a_cancel_with_nothing_waiting_says_the_cancel_back(
    db, dispatcher, action, text
):
    """T513: "不要了 取消" read as a complaint got the order's state; "对 确定取消" then got
    "nothing to confirm". The cancel it names is said back for its yes, and nothing is done."""
    tracker, order_no = verified_after("awaiting_shipment", "complain", "怎么还不发 不要了 取消")
    next_message(tracker, text, "affirm", None)
    events = await action().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "确认帮您取消吗" in said
    assert [e["value"] for e in events if e.get("name") == "pending_request"][-1] == (
        "cancel_order"
    )
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.status != OrderStatus.CANCELLED


@pytest.mark.parametrize(
    ("said", "text"),
    [("售罄的规格可以点到货通知，也可以转人工客服帮您问问仓库。", "好的"),  # no question
     ("可以帮您转人工客服确认一下，您看可以吗？", "确认")],  # 确认 confirms a request
)  # fmt: skip
async def test_a_yes_beside_a_person_button_not_offered_as_a_question_hands_nothing_over(
    db, dispatcher, said, text
):
    """T540: "确认" (meant for the 价保) after a stock answer whose only button was a person's
    queued the shopper for an agent."""
    tracker = _after([button(Button.HUMAN)], text)
    tracker.events[1]["text"] = said
    await ActionAnswerBareYes().run(dispatcher, tracker, {})
    assert "utter_pass_to_agent" not in responses(dispatcher)
    assert tracker.sender_id not in [e.conversation_id for e in db.scalars(select(Escalation))]


@pytest.mark.parametrize(
    ("text", "served"),
    [
        ("行 那给我催一下", "report_delivery_delay"),
        ("好的 那帮我查下物流", "track_order"),
        ("嗯 退款到哪了", "ask_refund_status"),
    ],
)
async def test_a_yes_that_asks_for_a_request_gets_that_request_not_what_else(
    db, dispatcher, text, served
):
    """Trial 18, T640: 行 那给我催一下 after the parcel's delay was said got "请问还有什么可以帮您
    的吗？" with the chase offered as a button."""
    order_no, tail = demo_order("in_transit")
    earlier = [user_event("快递怎么4天没动了", "report_delivery_delay"), user_event(tail, "inform")]
    slots = {"verified_order_no": order_no, "phone_tail": tail}
    tracker = make_tracker(slots, text=text, intent="affirm", earlier=earlier)
    events = await ActionAnswerBareYes().run(dispatcher, tracker, {})
    assert dispatcher.messages == []  # the lookup form that follows answers
    followups = [e["name"] for e in events if e["event"] == "followup"]
    assert followups == ["order_lookup_form"]
    assert slots_set(events)["order_need"] == served


async def test_a_yes_that_only_mentions_a_need_is_still_asked_what_else(db, dispatcher):
    await ActionAnswerBareYes().run(
        dispatcher, make_tracker(text="好的 物流我看到了", intent="affirm"), {}
    )
    assert responses(dispatcher) == ["utter_anything_else"]


def test_a_request_said_back_when_its_order_number_was_taken_still_waits_after_a_question():
    # trial 27, T950 t8: the book's quality return, said back by the number's action, was
    # gone at 确定 after 塑封拆了的 in between
    earlier = [
        user_event("之前买的书缺了十几页 还能换吗", "ask_stock"),
        _action("action_answer_stock"),
        _action("action_listen"),
        user_event("1146201684934072", "inform"),
        _action("action_take_order_number"),
        {"event": "slot", "name": "pending_request", "value": "quality_return"},
        _action("action_listen"),
        user_event("塑封拆了的", "nlu_fallback"),
        _action("action_clarify"),
        _action("action_listen"),
    ]
    tracker = make_tracker({"pending_request": "quality_return"}, "确定", "affirm", None, earlier)
    assert still_asked(tracker)


def test_a_request_carried_over_into_a_new_session_does_not_wait_for_a_yes():
    # the review of session 28: the slot re-set after action_session_start was taken for the
    # cancel said back, and 确认 an hour later cancelled the order
    earlier = [
        _action("action_session_start"),
        {"event": "slot", "name": "pending_request", "value": "cancel_order"},
        _action("action_listen"),
        user_event("在吗", "greet"),
        _action("utter_greet"),
        _action("action_listen"),
    ]
    tracker = make_tracker({"pending_request": "cancel_order"}, "确认", "affirm", None, earlier)
    assert not still_asked(tracker)


def _action(name: str) -> dict[str, str]:
    return {"event": "action", "name": name}
