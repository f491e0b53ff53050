"""After verification the bot does what the shopper asked, or hands over with the order."""

import uuid

from sqlalchemy import select

from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.order_requests import asked_request
from conversations.models import Escalation
from shop.demo.seed import CATALOGUE_FILE, ORDERS_FILE, load_yaml
from shop.models import LogisticsCase, Order
from shop.policy import load_policy
from tests.bot.conftest import demo_order, make_tracker, user_event


def _verified(situation: str, request: str, text: str = ""):
    """A verified order, after the shopper asked `request` in `text` and gave the phone tail."""
    order_no, tail = demo_order(situation)
    tracker = make_tracker(
        {"verified_order_no": order_no, "phone_tail": tail},
        text=tail, earlier=[user_event(text, request), user_event(order_no, "inform")],
    )  # fmt: skip
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


def test_the_request_is_the_latest_one_the_shopper_made_with_its_own_words():
    tracker = make_tracker(
        {}, "1234", earlier=[user_event("我的快递到哪了", "track_order"),
                             user_event("算了 帮我取消吧", "cancel_order"),
                             user_event("2611150001234567", "inform")],
    )  # fmt: skip
    assert asked_request(tracker) == ("cancel_order", "算了 帮我取消吧")


def test_without_a_request_the_order_is_tracked():
    assert asked_request(make_tracker({}, "查一下", "inform")) == ("track_order", "查一下")


async def test_a_return_inside_the_window_is_opened(db, dispatcher):
    tracker, _ = _verified("returnable", "request_return_exchange", "尺码小了想退")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "已为您提交退换货申请" in dispatcher.messages[0]["text"]


async def test_refund_status_is_read_from_the_order(db, dispatcher):
    tracker, order_no = _verified("refund_in_progress", "ask_refund_status")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert order_no in dispatcher.messages[0]["text"]
    assert "退款" in dispatcher.messages[0]["text"]


async def test_a_second_return_request_is_told_the_first_is_in_progress(db, dispatcher):
    tracker, _ = _verified("return_awaiting", "request_return_exchange", "我要退货")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "已经有一个退换货申请在处理中" in dispatcher.messages[-1]["text"]


async def test_a_stalled_parcel_report_opens_a_logistics_case(db, dispatcher):
    tracker, _ = _verified("stalled", "report_delivery_delay", "快递好几天没动了")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "天没有动了" in text
    assert "加急催件" in text


async def test_a_missing_piece_is_told_apart_from_a_wrong_item(db, dispatcher):
    tracker, _ = _verified("wrong_item", "report_wrong_or_missing_item", "少发了一袋")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "少发的商品" in dispatcher.messages[0]["text"]


async def test_a_remedy_that_needs_approval_hands_the_shopper_to_an_agent(db, dispatcher):
    phones = {c["code"]: c["phone"] for c in load_yaml(CATALOGUE_FILE)["customers"]}
    threshold = load_policy().approval.order_value_above_yuan
    totals = dict(db.execute(select(Order.order_no, Order.total_amount)).all())
    spec = next(
        s
        for s in load_yaml(ORDERS_FILE)["orders"]
        if s["situation"] == "delivered_not_received" and totals[s["order_no"]] > threshold
    )
    tail = phones[spec["customer"]][-4:]
    tracker = make_tracker(
        {"verified_order_no": spec["order_no"], "phone_tail": tail},
        text=tail,
        earlier=[user_event("显示签收了但我根本没收到", "report_lost_parcel")],
    )
    tracker.sender_id = uuid.uuid4().hex
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert "主管确认" in dispatcher.messages[0]["text"]
    escalation = db.scalars(
        select(Escalation).where(Escalation.conversation_id == tracker.sender_id)
    ).one()
    assert (escalation.reason, escalation.reason_detail) == ("remedy_approval", "lost")
    case = db.get_one(LogisticsCase, escalation.case_id)  # the case waiting for approval
    assert (case.kind, case.conversation_id) == ("lost", tracker.sender_id)
    assert "根本没收到" in escalation.detail  # the shopper's words, not the phone tail
