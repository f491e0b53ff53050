"""Two needs about two orders' goods in one message: the order given serves the need its goods
are in, and the other waits for its own order's number (trial 21: T692 got a 价保 check on the
snack order given for the missing 肉脯, T705 a 价保 check on the cup for its dent, T683 "no
refund" on the dress for the 肉脯's refund)."""

import pytest

from bot.actions.order_context import ActionTakeOrderNumber
from bot.actions.order_lookup import ActionHandleOrderRequest
from tests.bot.conftest import (
    DOMAIN,
    READING_SLOTS,
    demo_order,
    make_tracker,
    slots_set,
    user_event,
    with_request_put_off,
)

TWO_NEEDS = "猪肉脯少了一包 只收到一包 还有那个绘本现在领券26 我买的32 能退差价不"


def _after_the_tail(order_no: str, tail: str, told: str, need: str, intent: str):
    """The turn after the phone tail verified `order_no`, given for the message `told`, whose
    intent served `need` (noted in `order_need`)."""
    return make_tracker(
        {
            "verified_order_no": order_no,
            "order_id": order_no,
            "phone_tail": tail,
            "order_need": need,
        },
        text=tail,
        intent="inform",
        earlier=[
            user_event(told, intent),
            {"event": "action", "name": "action_answer_faq"},
            {"event": "slot", "name": "order_need", "value": need},
            user_event(f"{order_no} 零食这单", "nlu_fallback"),
        ],
    )


async def test_the_order_given_serves_the_need_its_goods_are_in(db, dispatcher):
    snacks, tail = demo_order("wrong_item", which=2)
    tracker = _after_the_tail(snacks, tail, TWO_NEEDS, "price_protection", "faq")
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "绘本" in said  # the 价保 waits for the book's order
    assert "应该是另一个订单吧" in said
    assert "少发了商品" in said  # the missing bag is said back for a yes on this order
    assert "价保截至" not in said  # no 价保 check on the snacks
    assert "您刚才还提到了少发" not in said  # served, not offered again
    slots = slots_set(events)
    assert slots["pending_request"] is not None
    assert slots["another_order_request"] == "price_protection"


async def test_the_other_order_s_number_then_gets_the_need_put_off(db, dispatcher):
    snacks, tail = demo_order("wrong_item", which=2)
    book, book_tail = demo_order("coupon_only")
    assert book_tail == tail  # one shopper's two orders
    tracker = with_request_put_off(
        snacks,
        tail,
        "price_protection",
        book,
        earlier=[user_event(TWO_NEEDS, "faq"), user_event("确认", "affirm")],
    )
    events = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(events, READING_SLOTS)["verified_order_no"] == book  # by the tail given
    assert slots_set(events, READING_SLOTS)["another_order_request"] is None
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert f"订单 {book}" in said
    assert "价保截至" in said  # the 价保 put off, served on the book's order at once


@pytest.mark.parametrize(
    "told",
    ["猪肉脯少了一包 能退差价不", "猪肉脯能退差价不 还有辣条少了一包"],
)
async def test_needs_about_the_order_s_own_goods_are_served_as_asked(db, dispatcher, told):
    snacks, tail = demo_order("wrong_item", which=2)
    tracker = _after_the_tail(snacks, tail, told, "price_protection", "faq")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "应该是另一个订单" not in said
    assert "价保截至" in said


async def test_the_other_order_s_number_read_as_anything_gets_the_request_put_off(db, dispatcher):
    # trial 22, T731: "肉脯那个是8771…" after a size question went to the size advice again
    from bot.actions.presale import ActionAdviseSize

    dress, tail = demo_order("stalled")
    jerky, jerky_tail = demo_order("refunded", which=1)
    assert jerky_tail == tail
    tracker = with_request_put_off(dress, tail, "ask_refund_status", f"肉脯那个是{jerky}")
    events = await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert f"订单 {jerky} 的退款" in said
    assert slots_set(events)["verified_order_no"] == jerky
    assert slots_set(events)["another_order_request"] is None


async def test_whether_the_verified_parcel_arrives_in_time_read_as_a_size_question(db, dispatcher):
    # trial 22, T731: "周六喝喜酒要穿的 来得及吗" got the jerky's size chart
    from bot.actions.presale import ActionAdviseSize

    dress, tail = demo_order("stalled")
    tracker = make_tracker(
        {
            "verified_order_no": dress,
            "order_id": dress,
            "phone_tail": tail,
            "current_product": "P6002",
        },
        text="周六喝喜酒要穿的 来得及吗",
        intent="ask_size_advice",
    )
    await ActionAdviseSize().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "没法保证" in said
    assert "尺码" not in said
