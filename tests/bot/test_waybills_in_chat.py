"""A waybill pasted in the chat (trial 7 T146): in an approved return it is the return parcel's,
and the shopper hears where to fill it in; elsewhere it is said to be no order number, and the
order number is asked for or the order's own tracking given."""

from bot.actions.common import Turn
from bot.actions.in_context import answer_in_context
from bot.actions.order_lookup import ActionHandleOrderRequest, ValidateOrderLookupForm
from core.clock import utcnow
from tests.bot.conftest import demo_order, make_tracker

WAYBILL = "中通快递 运单号：7845 1233 6901 57 已揽收"


def _said(dispatcher) -> str:
    return " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_a_waybill_in_an_approved_return_is_the_return_parcels_and_where_it_goes(
    dispatcher, db
):
    order_no, tail = demo_order("return_awaiting")
    slots = {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail}
    tracker = make_tracker(slots, WAYBILL, "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    said = _said(dispatcher)
    assert "退货运单号" in said
    assert "售后进度" in said
    assert "没有对上" not in said


async def test_a_waybill_where_the_order_number_is_asked_is_said_to_be_none(dispatcher, db):
    tracker = make_tracker({"requested_slot": "order_id"}, WAYBILL, "track_order")
    tracker.latest_message["entities"] = [{"entity": "order_id", "value": "78451233690157"}]
    found = await ValidateOrderLookupForm().extract_order_id(dispatcher, tracker, {})
    assert found == {"order_id": None}
    assert "不是订单号" in _said(dispatcher)


async def test_a_waybill_of_another_parcel_on_a_shipped_order_gets_the_orders_tracking(
    dispatcher, db
):
    order_no, tail = demo_order("in_transit")
    slots = {"order_id": order_no, "verified_order_no": order_no, "phone_tail": tail}
    tracker = make_tracker(slots, "顺丰 SF1188223344556", "inform")
    assert answer_in_context(Turn(db, tracker, dispatcher, utcnow())) == []
    said = _said(dispatcher)
    assert "不是订单号" in said
    assert order_no in said
