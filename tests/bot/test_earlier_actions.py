"""A denial of having cancelled (trial 5 T66: 我订单怎么被取消了 我没取消啊), read by the NLU as a
question about the order's state (tests/bot/test_earlier_actions_nlu.py), is answered with what
happened to the order, never with a cancel: the lookup's question does not offer to cancel, and
the verified order's state is shown with its refund."""

import uuid

from bot.actions.order_lookup import ActionAskOrderId, ActionHandleOrderRequest
from tests.bot.conftest import demo_order, make_tracker, user_event

DENIAL = "我订单怎么被取消了 我没取消啊"


async def test_a_shopper_who_says_they_did_not_cancel_is_not_offered_a_cancel(db, dispatcher):
    tracker = make_tracker({"phone_tail": "8845"}, f"{DENIAL} 尾号8845", "track_order")
    await ActionAskOrderId().run(dispatcher, tracker, {})
    [asked] = dispatcher.messages
    assert "能不能取消" not in asked["text"]
    assert "订单号" in asked["text"]


async def test_a_shopper_who_says_they_did_not_cancel_sees_when_it_was_cancelled_and_the_refund(
    db, dispatcher
):
    order_no, tail = demo_order("cancelled")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=order_no, earlier=[user_event(f"{DENIAL} 尾号{tail}", "track_order")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert order_no in text
    assert "取消" in text
    assert "退回花呗" in text
    assert "没法恢复" in text
    assert "确认帮您取消" not in text
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["/request_human"]
    assert {"name": "pending_request", "value": None} in [
        {"name": e.get("name"), "value": e.get("value")} for e in events
    ]


async def test_a_denial_on_an_order_still_on_its_way_shows_its_progress(db, dispatcher):
    order_no, tail = demo_order("in_transit")
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=order_no, earlier=[user_event(f"我没申请退货啊 尾号{tail}", "track_order")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert order_no in text
    assert "运单号" in text
    assert "退换货" not in text
