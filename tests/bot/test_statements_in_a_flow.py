"""Statements and changes of mind inside a flow are read with the order, case or request last
discussed: a cancel thought aloud during a chase is asked plainly with its refund (never carried
out), a change of mind keeps the order with the chase's next step, and the card the shopper paid
with is answered from the order's refund and the refund policy."""

import uuid

import pytest
from rasa_sdk.events import SlotSet
from sqlalchemy import select

from bot.actions.case_replies import ActionReplyInCase, read_case_reply
from bot.actions.fallback import ActionClarify
from bot.actions.order_lookup import ActionAnswerPendingRequest
from core.clock import utcnow
from shop.logistics import WarehouseChased, open_case
from shop.models import CaseKind, Order, OrderStatus
from tests.bot.conftest import DOMAIN, bot_said, demo_order, make_tracker, responses, user_event

NOT_HELPING = {"utter_anything_else", "utter_ask_how_to_help", "utter_closing_later"}


def _payloads(dispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


def _order(db, situation: str) -> Order:
    order_no, _ = demo_order(situation)
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


def _chased(db, text: str, intent: str, earlier: list | None = None):
    """A conversation whose late-to-ship order is being chased; the shopper now writes `text`."""
    conversation = uuid.uuid4().hex
    order = _order(db, "ship_overdue")
    assert isinstance(
        open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id=conversation),
        WarehouseChased,
    )
    db.commit()
    order_no, tail = demo_order("ship_overdue")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent=intent,
        earlier=[
            user_event(f"{order_no} {tail} 怎么还没发货", "report_delivery_delay"),
            {"event": "action", "name": "action_handle_order_request"},
            {"event": "bot", "text": "…"},
            *(earlier or []),
        ],
    )
    tracker.sender_id = conversation
    return tracker, order_no


@pytest.mark.parametrize("words", ["要不取消算了……", "干脆退了得了", "实在不行就取消吧"])
async def test_a_cancel_thought_aloud_during_a_chase_is_asked_with_its_refund_never_done(
    db, dispatcher, words
):
    tracker, _ = _chased(db, words, "nlu_fallback")
    events = await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = bot_said(dispatcher)
    assert "已经在帮您催仓库了" in text
    assert "原路退回" in text
    assert "¥" in text
    assert _payloads(dispatcher) == ["/affirm", "/deny"]
    assert SlotSet("pending_request", "cancel_order") in events
    assert not NOT_HELPING.intersection(responses(dispatcher))
    db.expire_all()
    assert _order(db, "ship_overdue").status == OrderStatus.AWAITING_SHIPMENT


def _after_weighing(db, text: str, intent: str):
    """The cancel thought aloud was just asked with its two buttons; the shopper answers."""
    asked = [
        user_event("要不取消算了", "nlu_fallback"),
        {"event": "action", "name": "action_clarify"},
        {"event": "bot", "text": "…", "data": {"buttons": [{"payload": "/affirm"}]}},
        {"event": "slot", "name": "pending_request", "value": "cancel_order"},
    ]
    tracker, order_no = _chased(db, text, intent, asked)
    tracker.slots["pending_request"] = "cancel_order"
    return tracker, order_no


async def test_the_cancel_button_after_a_cancel_thought_aloud_cancels_the_order(db, dispatcher):
    tracker, order_no = _after_weighing(db, "/affirm", "affirm")
    await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    assert f"已为您取消订单 {order_no}" in bot_said(dispatcher)


@pytest.mark.parametrize(
    ("words", "intent"),
    [
        ("其实我挺想要的 就是等太久了", "affirm"),
        ("那我再等等吧", "deny"),
        ("/deny", "deny"),
    ],
)
async def test_keeping_the_order_after_a_cancel_thought_aloud_says_the_chase_goes_on(
    db, dispatcher, words, intent
):
    tracker, order_no = _after_weighing(db, words, intent)
    events = await ActionAnswerPendingRequest().run(dispatcher, tracker, DOMAIN)
    text = bot_said(dispatcher)
    assert f"订单 {order_no} 不会取消" in text
    assert "前给您答复" in text
    assert SlotSet("pending_request", None) in events
    db.expire_all()
    assert _order(db, "ship_overdue").status == OrderStatus.AWAITING_SHIPMENT


@pytest.mark.parametrize(
    ("words", "intent"),
    [("其实我挺想要的 就是等太久了", "affirm"), ("还是想要的 就是太慢了", "inform")],
)
async def test_a_change_of_mind_that_keeps_a_chased_order_gets_the_chase_not_anything_else(
    db, dispatcher, words, intent
):
    tracker, order_no = _chased(db, words, intent)
    assert read_case_reply(db, tracker, utcnow()) is not None
    await ActionReplyInCase().run(dispatcher, tracker, DOMAIN)
    text = bot_said(dispatcher)
    assert f"订单 {order_no} 不会取消" in text
    assert "前给您答复" in text
    assert not NOT_HELPING.intersection(responses(dispatcher))


def _cancelled(db, text: str):
    """A conversation whose order paid by bank card was just cancelled; now `text`."""
    order_no, tail = demo_order("ship_overdue", which=1)
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    assert order.payment_method == "银行卡"
    order.status = OrderStatus.CANCELLED
    db.commit()
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=text,
        intent="inform",
        earlier=[
            user_event(f"{order_no} {tail} 取消", "cancel_order"),
            {"event": "action", "name": "action_answer_pending_request"},
            {"event": "bot", "text": "已为您取消订单"},
        ],
    )
    tracker.sender_id = uuid.uuid4().hex
    return tracker, order_no


@pytest.mark.parametrize(
    ("words", "card"),
    [
        ("我付的时候用的招行信用卡", "招行信用卡"),
        ("当时刷的是建行储蓄卡", "建行储蓄卡"),
        ("我绑的是信用卡", "信用卡"),
    ],
)
async def test_the_card_a_shopper_paid_with_gets_where_the_refund_goes_and_how_long(
    db, dispatcher, words, card
):
    tracker, order_no = _cancelled(db, words)
    await ActionClarify().run(dispatcher, tracker, DOMAIN)
    text = bot_said(dispatcher)
    assert order_no in text
    assert card in text
    assert "个工作日" in text
    assert ("额度" in text) == ("信用卡" in card)
    assert not NOT_HELPING.intersection(responses(dispatcher))
