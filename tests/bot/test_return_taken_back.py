"""A return request the shopper no longer wants is said back and taken back on a yes (trial 21:
"我老公说鞋还挺好 不想退了 能取消退货吗" on an approved return got the return address three
times)."""

import uuid

import pytest
from sqlalchemy import select

from bot.actions.order_lookup import ActionAnswerPendingRequest, ActionHandleOrderRequest
from shop.models import AfterSaleStatus, Order
from tests.bot.conftest import demo_order, make_tracker, slots_set, user_event

TAKEN_BACK = "我老公说鞋还挺好 不想退了 能取消退货吗"


def _asked(situation: str, text: str, intent: str):
    """The verified order in `situation`, after the shopper wrote `text` about it."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent=intent,
        earlier=[user_event("退货寄哪", "request_return_exchange"),
                 {"event": "action", "name": "action_handle_order_request"}],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def _return_status(db, order_no: str) -> AfterSaleStatus:
    db.expire_all()
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    return order.after_sales[-1].status


@pytest.mark.parametrize(
    ("text", "intent"),
    [(TAKEN_BACK, "request_return_exchange"),
     ("我不退了 鞋留着 这个退货申请怎么撤销", "cancel_order"),
     ("退货申请能撤回吗", "ask_refund_status")],
)  # fmt: skip
async def test_a_return_taken_back_is_said_back_and_nothing_changes_before_the_yes(
    db, dispatcher, text, intent
):
    tracker, order_no = _asked("return_awaiting", text, intent)
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert f"确认撤销订单 {order_no}" in said
    assert "不再退款" in said
    assert "已经寄出" in said  # approved: a parcel already on its way is asked about
    assert "寄到" not in said  # not the return address again
    assert slots_set(events)["pending_request"] == "withdraw_return"
    assert _return_status(db, order_no) == AfterSaleStatus.AWAITING_RETURN


async def test_a_yes_takes_the_return_back(db, dispatcher):
    tracker, order_no = _asked("return_awaiting", TAKEN_BACK, "request_return_exchange")
    tracker.slots["pending_request"] = "withdraw_return"
    tracker.events += [
        {"event": "action", "name": "action_handle_order_request"},
        {"event": "action", "name": "action_listen"},
        user_event("确认", "affirm"),
    ]
    tracker.latest_message = {"text": "确认", "intent": {"name": "affirm"}, "entities": []}
    await ActionAnswerPendingRequest().run(dispatcher, tracker, {})
    assert "退货申请已经撤销了" in dispatcher.messages[0]["text"]
    assert _return_status(db, order_no) == AfterSaleStatus.CLOSED


async def test_a_return_under_refund_is_a_person_s_to_undo(db, dispatcher):
    tracker, order_no = _asked("refund_in_progress", TAKEN_BACK, "request_return_exchange")
    status = _return_status(db, order_no)
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]
    assert "没法撤销" in said["text"]
    assert [b["payload"] for b in said["buttons"]] == ["/request_human"]
    assert _return_status(db, order_no) == status


async def test_no_return_with_a_return_just_weighed_is_that_return_s_no(db, dispatcher):
    tracker, _ = _asked("returnable", "算了 不退了", "deny")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "撤销" not in "\n".join(m.get("text") or "" for m in dispatcher.messages)


async def test_a_return_said_sent_is_never_offered_taken_back(db, dispatcher):
    """Trial 25, T867 t5: 能不能不退了 换成41码, after the shopper gave the return parcel's waybill,
    had the withdrawal said back (the refund given up, the parcel already on its way)."""
    tracker, order_no = _asked(
        "return_awaiting", "能不能不退了 换成41码", "request_return_exchange"
    )
    tracker.events.insert(-1, user_event("退货已经寄了 单号YT8823456710 填哪", "track_order"))
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = " ".join(m["text"] or "" for m in dispatcher.messages)
    assert "已经寄出" in said
    assert "确认撤销" not in said
    assert not slots_set(events).get("pending_request")
    assert _return_status(db, order_no) == AfterSaleStatus.AWAITING_RETURN
