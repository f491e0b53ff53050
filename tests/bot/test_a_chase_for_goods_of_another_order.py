"""A chase is never carried out on what the shopper did not say: goods named that the verified
order does not hold are asked after, not chased on it, and a chase of a parcel the tracking
shows signed is asked ("not received?") before a case opens (trial 11: T320 "那靴子你顺便也帮我
催一下" opened a "signed but not received" case on the charger's order, signed two months
before, with a reship or refund sent to a supervisor)."""

import pytest

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.models import LogisticsCase
from tests.bot.conftest import DOMAIN, after_an_order_request
from tests.shop.conftest import demo_order

OPENED = "已经为您登记"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("那靴子你顺便也帮我催一下", "report_delivery_delay"),
     ("雪地靴也帮我催催", "report_delivery_delay"),
     ("靴子到哪了", "track_order"),
     ("还有那双靴子怎么还没到", "report_delivery_delay")],
)  # fmt: skip
async def test_a_chase_naming_goods_of_another_order_opens_no_case_on_this_one(
    db, dispatcher, text, intent
):
    tracker, _ = after_an_order_request(
        "in_warranty", "充电头坏了 保修吗", "request_repair", text, now_intent=intent
    )
    cases_before = db.query(LogisticsCase).count()
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert OPENED not in said, said
    assert "没有收到" not in said
    assert db.query(LogisticsCase).count() == cases_before
    assert "靴" in said  # the goods named are said to be another order's
    assert "吧？把那个订单号" in said  # one sentence run, no stray space


async def test_a_chase_naming_the_order_s_own_goods_is_taken_on_it(db, dispatcher):
    order = demo_order(db, "late")
    keyword = order.items[0].variant.product.keywords[0]
    tracker, _ = after_an_order_request(
        "late",
        "怎么还没到",
        "report_delivery_delay",
        f"{keyword}能不能帮我催一下",
        now_intent="report_delivery_delay",
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "应该是另一个订单" not in said
    assert OPENED in said  # a late parcel chased: the case opens, as before


@pytest.mark.parametrize("text", ["帮我催一下", "能不能快点", "怎么还没到"])
async def test_a_chase_on_a_parcel_shown_signed_is_asked_before_a_not_received_case(
    db, dispatcher, text
):
    tracker, _ = after_an_order_request(
        "in_warranty", "查下订单", "track_order", text, now_intent="report_delivery_delay"
    )
    cases_before = db.query(LogisticsCase).count()
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert OPENED not in said
    assert "但您没有收到" not in said  # asked, not asserted
    assert "是您没有收到这个包裹，对吗" in said
    assert db.query(LogisticsCase).count() == cases_before
    assert any(e.get("name") == "pending_request" and e.get("value") for e in events)


async def test_not_received_said_on_a_parcel_shown_signed_opens_the_case_at_once(db, dispatcher):
    tracker, _ = after_an_order_request(
        "in_warranty", "查下订单", "track_order", "一直没收到啊", now_intent="report_lost_parcel"
    )
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert OPENED in "\n".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("text", "intent"),
    [("还有我退的那个雪地靴 仓库收到好几天了 钱呢", "ask_refund_status"),
     ("雪地靴那个退货怎么弄", "request_return_exchange")],
)  # fmt: skip
async def test_any_request_naming_goods_of_another_order_is_put_off_for_that_order(
    db, dispatcher, text, intent
):
    """Trial 21, T694: "还有我退的那个键盘 仓库收到好几天了 钱呢" with the fryer's order
    verified got "this order has no refund"; the keyboard's 仓库 was read as a part (a battery
    仓)."""
    tracker, _ = after_an_order_request(
        "in_warranty", "充电头坏了 保修吗", "request_repair", text, now_intent=intent
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "应该是另一个订单" in said, said
    assert "没有退款申请" not in said
    assert {"event": "slot", "name": "another_order_request", "value": intent} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]


async def test_goods_of_an_order_verified_earlier_in_the_talk_are_served_on_it_again(
    db, dispatcher
):
    """Trial 23, T791: the jacket's order verified first, then the oranges'; "羽绒服要是不要了
    退银行卡多久" asked for the jacket's order number a second time."""
    from tests.bot.conftest import make_tracker, user_event

    jacket, oranges = "6749118625276018", "5704558530435205"  # one shopper's two demo orders
    tail = "0483"
    text = "羽绒服要是不要了 退银行卡多久"
    tracker = make_tracker(
        {"verified_order_no": oranges, "order_id": oranges, "phone_tail": tail},
        text=text,
        intent="request_return_exchange",
        earlier=[
            {"event": "slot", "name": "verified_order_no", "value": jacket},
            user_event("还有橙子烂了好几个", "report_damaged_item"),
            {"event": "slot", "name": "verified_order_no", "value": oranges},
        ],
    )
    events = await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    said = "\n".join(m.get("text") or "" for m in dispatcher.messages)
    assert "应该是另一个订单" not in said
    assert "还没有发货" in said  # not shipped: the cancel and where its refund goes, for a yes
    assert "银行卡" in said
    assert {"event": "slot", "name": "verified_order_no", "value": jacket, "timestamp": None} in [
        {**e, "timestamp": None} for e in events
    ]
