"""Two orders given in one message, each need on its own order (trial 16, T519 t2, harmful:
"我两单 一个跑鞋到哪了 一个孩子羽绒服退货寄哪", then "跑鞋7507… 羽绒服5431…" was answered for the
shoe order, "还没有签收", so the coat's approved return read as refused)."""

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.orders_together import GivenOrder, orders_given_together
from tests.bot.conftest import DOMAIN, bot_said, demo_order, make_tracker, next_message, user_event

FIRST = "我两单 一个跑鞋到哪了 一个孩子羽绒服退货寄哪 尾号{tail}"


def _two_orders_given(first: str) -> tuple:
    coat, tail = demo_order("return_awaiting")  # the children's coat, its return approved
    shoes, shoes_tail = demo_order("in_transit", which=1)  # the same shopper's running shoes
    assert tail == shoes_tail
    numbers = f"跑鞋{shoes} 羽绒服{coat}"
    tracker = make_tracker(
        {"verified_order_no": shoes, "order_id": shoes, "phone_tail": tail},
        text=numbers,
        earlier=[user_event(first.format(tail=tail), "request_return_exchange")],
    )
    return tracker, coat, shoes


async def test_each_need_of_one_message_is_served_on_the_order_its_goods_name():
    tracker, coat, shoes = _two_orders_given(FIRST)
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "还没有签收" not in said  # not the shoes' state
    assert "寄回" in said  # the coat's approved return: where to send it
    verified = [e["value"] for e in events if e.get("name") == "verified_order_no"]
    assert verified == [coat]
    tracker.slots["verified_order_no"] = coat
    next_message(tracker, "/track_order", "track_order", None, dispatcher=out)
    await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    assert shoes in bot_said(out)  # the tracking asked in the same message: the shoes'
    assert "运输中" in bot_said(out)


async def test_a_message_naming_no_goods_keeps_the_order_verified():
    tracker, _, _ = _two_orders_given("我两单 都帮我看下退货 尾号{tail}")
    events = await ActionHandleOrderRequest().run(CollectingDispatcher(), tracker, DOMAIN)
    assert not [e for e in events if e.get("name") == "verified_order_no"]


def test_order_numbers_are_read_with_the_words_before_them():
    assert orders_given_together("跑鞋7507529170342366 羽绒服那单5431982965724920") == [
        GivenOrder("7507529170342366", "跑鞋"),
        GivenOrder("5431982965724920", "羽绒服"),
    ]
    assert orders_given_together("7507529170342366 尾号3508") == []


async def test_a_need_whose_goods_are_named_in_another_clause_of_its_message_is_theirs(db):
    """Trial 24, T812: 还有薇诺娜那单 说退款完成了 then both numbers: the refund was looked for
    on the book's order ("目前没有退款申请")."""
    books, tail = "6901396245957117", "9374"
    cream = "6449920707413748"
    tracker = make_tracker(
        {"verified_order_no": books, "order_id": books, "phone_tail": tail},
        text=f"{books} {cream} 尾号{tail}",
        earlier=[
            user_event("三体今天能到吗 快递员电话给我一个", "track_order"),
            user_event("还有薇诺娜那单 说退款完成了 支付宝没看到钱", "ask_refund_status"),
        ],
    )
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"] == [cream]
    assert "目前没有退款申请" not in bot_said(out)
