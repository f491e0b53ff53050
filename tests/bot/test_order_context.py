"""An order number given on its own answers the order question asked just before it."""

from bot.actions.order_context import AT_A_GLANCE, ActionTakeOrderNumber, open_question
from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.models import CaseKind
from tests.bot.conftest import (
    DOMAIN,
    READING_SLOTS,
    case_opened,
    demo_order,
    make_tracker,
    responses,
    slots_set,
    user_event,
    with_request_put_off,
)


async def test_a_warranty_question_then_the_order_number_verifies_that_order(db, dispatcher):
    order_no, tail = demo_order("out_of_warranty")
    tracker = make_tracker(
        text=f"{order_no} {tail}",
        earlier=[
            user_event("你们家电保修多久", "faq"),
            {"event": "action", "name": "action_answer_faq"},
        ],
    )
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS) == {
        "order_id": order_no,
        "order_need": "request_repair",
    }
    assert dispatcher.messages == []


async def test_the_repair_is_then_said_back_with_the_items_warranty(db, dispatcher):
    order_no, tail = demo_order("out_of_warranty")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=tail,
        earlier=[
            user_event("我这个一年多点 坏了 还能保不", "faq"),
            user_event(order_no, "inform"),
            {"event": "slot", "name": "order_need", "value": "request_repair"},
        ],
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "保修" in text
    assert "请问您想咨询什么" not in text


def test_an_order_request_in_between_has_its_own_lookup():
    tracker = make_tracker(
        text="6901396245957117",
        earlier=[user_event("保修多久", "faq"), user_event("我的快递到哪了", "track_order")],
    )
    assert open_question(tracker) is None


async def test_an_invoice_question_before_the_number_is_noted_as_the_need(db, dispatcher):
    order_no, _ = demo_order("in_transit")
    tracker = make_tracker(text=order_no, earlier=[user_event("能开发票吗", "faq")])
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS)["order_need"] == "invoice"
    assert dispatcher.messages == []


async def test_a_number_out_of_the_blue_gets_the_question_how_to_help(db, dispatcher):
    order_no, _ = demo_order("in_transit")
    tracker = make_tracker(text=order_no, earlier=[user_event("你好", "greet")])
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_ask_how_to_help"]
    assert "order_need" not in slots_set(result, READING_SLOTS)


async def test_a_need_noted_before_is_forgotten_when_nothing_is_asked(db, dispatcher):
    tracker = make_tracker({"order_need": "invoice"}, text="6901396245957117")
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS)["order_need"] is None


def test_a_question_already_answered_on_an_order_is_not_open_any_more():
    tracker = make_tracker(
        text="6901396245957117",
        earlier=[
            user_event("发票开了没有", "faq"),
            {"event": "action", "name": "action_handle_order_request"},
        ],
    )
    assert open_question(tracker) is None


def test_a_question_several_messages_back_is_not_open_any_more():
    earlier = [user_event("保修多久", "faq")] + [user_event("你好", "greet")] * 3
    assert open_question(make_tracker(text="6901396245957117", earlier=earlier)) is None


async def test_another_order_named_becomes_the_order_in_focus(db, dispatcher):
    refunded, tail = demo_order("refunded")
    other, other_tail = demo_order("out_for_delivery", which=1)
    tracker = make_tracker(
        {"verified_order_no": refunded, "order_id": refunded, "phone_tail": tail},
        text=f"好 另一个 {other}",
        earlier=[user_event("退款到哪了", "ask_refund_status")],
    )
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert other_tail == tail  # the demo's two orders of one shopper
    assert slots_set(result, READING_SLOTS) == {"order_id": other, "verified_order_no": other}


async def test_a_request_put_off_for_another_order_is_served_when_its_number_comes(db, dispatcher):
    """Trial 21, T694: "把那个订单号发给我" after 键盘 钱呢 on the fryer's order, then the
    keyboard's number: its refund is looked up, not "请问您想咨询什么"."""
    refunded, tail = demo_order("refunded")
    other, _ = demo_order("out_for_delivery", which=1)
    tracker = with_request_put_off(
        other,
        tail,
        "ask_refund_status",
        f"{refunded} 微信付的",
        earlier=[
            user_event("还有我退的那个键盘 钱呢", "ask_refund_status"),
            {"event": "action", "name": "action_handle_order_request"},
        ],
    )
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    slots = slots_set(result, READING_SLOTS)
    assert (slots["verified_order_no"], slots["another_order_request"]) == (refunded, None)
    assert f"订单 {refunded} 的退款" in dispatcher.messages[0]["text"]  # served at once


async def test_a_request_put_off_for_another_shoppers_order_waits_for_its_own_tail(db, dispatcher):
    refunded, tail = demo_order("refunded")
    other, other_tail = demo_order("out_for_delivery", which=0)
    assert other_tail != tail
    tracker = with_request_put_off(
        refunded,
        tail,
        "ask_refund_status",
        other,
        earlier=[
            user_event("还有我那个 钱呢", "ask_refund_status"),
            {"event": "action", "name": "action_handle_order_request"},
        ],
    )
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS) == {
        "order_id": other,
        "verified_order_no": None,
        "phone_tail": None,
        "another_order_request": None,
        "order_need": "ask_refund_status",  # the lookup asks this order's tail, then serves it
    }
    assert dispatcher.messages == []


async def test_another_shoppers_order_named_needs_its_own_phone_tail(db, dispatcher):
    refunded, tail = demo_order("refunded")
    other, other_tail = demo_order("out_for_delivery", which=0)
    assert other_tail != tail
    tracker = make_tracker(
        {"verified_order_no": refunded, "order_id": refunded, "phone_tail": tail},
        text=other,
    )
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS) == {
        "order_id": other,
        "verified_order_no": None,
        "phone_tail": None,
    }
    assert responses(dispatcher) == ["utter_ask_how_to_help"]


async def test_the_repair_answered_is_not_offered_again_as_another_need(db, dispatcher):
    order_no, tail = demo_order("out_of_warranty")
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail},
        text=f"{order_no} {tail}",
        earlier=[
            user_event("你们家电保修多久", "faq"),
            {"event": "slot", "name": "order_need", "value": "request_repair"},
        ],
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, {})
    assert len(dispatcher.messages) == 1
    assert "保修期" in dispatcher.messages[0]["text"]
    assert {"event": "slot", "name": "later_needs", "value": None} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_a_problem_told_with_the_number_and_tail_is_served_not_shown_at_a_glance(
    db, dispatcher
):
    # a dented kettle told with its number and tail got the order at a glance and 请问想办什么
    order_no, tail = demo_order("damaged_on_arrival", which=1)
    tracker = make_tracker(text=f"电热水壶收到就是瘪的 {order_no} {tail}")
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert slots_set(result, READING_SLOTS)["order_need"] == "report_damaged_item"
    assert dispatcher.messages == []


async def test_a_request_put_off_long_ago_is_not_what_a_later_number_is_about(db, dispatcher):
    refunded, tail = demo_order("refunded")
    other, _ = demo_order("out_for_delivery", which=1)
    since = [user_event("好的", "affirm")] * 5  # five messages about other things since
    tracker = with_request_put_off(other, tail, "ask_refund_status", refunded)
    tracker.events[-1:-1] = since
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "的退款" not in said
    # the stale request is forgotten, never noted as the need the number is for ("None")
    slots = slots_set(result, READING_SLOTS)
    assert slots["another_order_request"] is None
    assert slots.get("order_need") in (None, AT_A_GLANCE)


async def test_goods_of_the_order_put_off_are_never_answered_from_another_orders_case(
    db, dispatcher
):
    """Trial 23, T791: the oranges put off for their own order, then "橙子烂了5个 照片拍了 带面单"
    got the jacket's late-dispatch case: "这个问题不需要您拍照"."""
    conversation, jacket = case_opened(db, "ship_overdue", CaseKind.DELAYED)
    tail = demo_order("ship_overdue")[1]
    tracker = with_request_put_off(
        jacket.order_no,
        tail,
        "report_damaged_item",
        "橙子烂了5个 照片拍了 带面单",
        earlier=[user_event("羽绒服还没发 还有昨晚到的橙子烂了几个", "report_damaged_item")],
    )
    tracker.sender_id = conversation
    await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "不需要您拍照" not in said
    assert "订单号" in said  # the oranges' own order asked for


async def test_the_number_given_for_goods_put_off_serves_the_problem_told_of_them(db, dispatcher):
    """Trial 23, T791: the oranges' number, given after "还有昨晚到的橙子烂了好几个" was put off on
    the jacket's order, got a photo answer; it serves the rotten fruit's claim."""
    jacket, oranges, tail = "6749118625276018", "5704558530435205", "0483"  # one shopper's
    put_off = {"event": "slot", "name": "another_order_request", "value": "report_damaged_item"}
    tracker = make_tracker(
        {"verified_order_no": jacket, "order_id": jacket, "phone_tail": tail,
         "another_order_request": "report_damaged_item"},
        text=oranges,
        earlier=[
            user_event("羽绒服好几天了还没发 还有昨晚到的橙子烂了好几个", "report_damaged_item"),
            put_off,
            user_event("橙子烂了5个 照片拍了 带面单", "inform"),
        ],
    )  # fmt: skip
    result = await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "坏果" in said  # the fresh-food claim, said back for a yes
    assert "压坏" not in said  # never a damaged parcel's photos
    assert ("pending_request", "fresh_claim") in [(e.get("name"), e.get("value")) for e in result]


async def test_a_put_off_question_answered_on_its_order_leaves_the_case_waiting_on_this_one(
    db, dispatcher
):
    """Trial 23, T765: the heater's number, asked for its 价保 while the dented cup's case waited
    for its yes, got "刚才说的还没有提交" and the 价保 was dropped."""
    cup, heater, tail = "2805888718033401", "8047362915584031", "1896"  # one shopper's
    put_off = {"event": "slot", "name": "another_order_request", "value": "price_protection"}
    tracker = make_tracker(
        {"verified_order_no": cup, "order_id": cup, "phone_tail": tail,
         "another_order_request": "price_protection", "pending_request": "case_damaged"},
        text=heater,
        earlier=[
            user_event("杯子瘪了一块 还有三天前1099买的热水器 现在秒杀999 差价退我吧", "faq"),
            {"event": "slot", "name": "pending_request", "value": "case_damaged"},
            put_off,
            {"event": "action", "name": "action_handle_order_request"},
            {"event": "bot", "text": "确认登记吗？"},
        ],
    )  # fmt: skip
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "秒杀" in said  # the heater's 价保 answered
    assert "还没有提交" not in said
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots.get("verified_order_no", cup) == cup  # the cup's case still waits on its order
    assert slots.get("pending_request", "case_damaged") == "case_damaged"
