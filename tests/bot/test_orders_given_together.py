"""Two orders given in one message, each need on its own order (trial 16, T519 t2, harmful:
"我两单 一个跑鞋到哪了 一个孩子羽绒服退货寄哪", then "跑鞋7507… 羽绒服5431…" was answered for the
shoe order, "还没有签收", so the coat's approved return read as refused)."""

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.order_lookup import ActionHandleOrderRequest
from shop.orders_together import GivenOrder, orders_given_together
from tests.bot.conftest import DOMAIN, bot_said, demo_order, make_tracker, user_event

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
    # the tracking asked in the same message: the shoes', in the same turn, never a button
    assert shoes in said.split("寄回", 1)[1]
    assert "运输中" in said
    verified = [e["value"] for e in events if e.get("name") == "verified_order_no"]
    assert verified == [coat, shoes]  # the shoes, answered last, in focus for what follows


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
    assert next(e["value"] for e in events if e.get("name") == "verified_order_no") == cream
    assert "目前没有退款申请" not in bot_said(out)
    assert "已于" in bot_said(out)  # the cream's refund, with when it was sent back


JACKET_LATE_ORANGES_ROTTEN = "两个事 羽绒服拍了好几天还没发 还有昨晚到的橙子烂了好几个"


def _jacket_and_oranges_given(
    first: str = JACKET_LATE_ORANGES_ROTTEN, intent: str = "report_delivery_delay"
) -> tuple:
    """Trial 24, T805: the jacket's need and the rotten oranges told in one message, then both
    orders given in one."""
    jacket, oranges, tail = "6749118625276018", "5704558530435205", "0483"
    tracker = make_tracker(
        {"verified_order_no": jacket, "order_id": jacket, "phone_tail": tail},
        text=f"羽绒服{jacket} 橙子{oranges} 尾号都是{tail}",
        earlier=[user_event(first, intent)],
    )
    return tracker, jacket, oranges


async def test_a_need_told_of_the_other_order_given_together_is_served_after_the_first(db):
    """T805 t2 (trial 24): the jacket's dispatch was chased and the oranges, inside their 24 h
    window, were dropped; the next message (烂了6个) went to the jacket."""
    tracker, jacket, oranges = _jacket_and_oranges_given()
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert "催发货" in said
    assert jacket in said
    assert "坏果" in said or "坏的" in said  # the oranges' claim, under the fresh-food rule
    assert oranges in said
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"][-1] == oranges
    # the claim is said back for a yes, never filed before it
    assert [e["value"] for e in events if e.get("name") == "pending_request"][-1]


async def test_the_other_need_waits_while_the_first_is_said_back_for_a_yes(db):
    """When the first request waits for a yes (a return said back), the second is not said
    back on top of it: one question to answer at a time."""
    tracker, _, oranges = _jacket_and_oranges_given(
        "两个事 羽绒服不想要了 取消吧 还有昨晚到的橙子烂了好几个", "cancel_order"
    )
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    assert oranges not in bot_said(out)
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"][-1:] != [oranges]


async def test_a_price_claim_and_a_dent_told_together_are_each_served_on_their_order(db):
    """Trial 25, T879: 保温杯到了杯身凹了一块 还有热水器现在秒杀999 我3天前1099买的 能退100吗, then
    both numbers: the 价保 was looked for on the cup ("没有降价") and the dent was dropped."""
    cup, heater, tail = "2805888718033401", "8047362915584031", "1896"
    first = "两件事 保温杯到了杯身凹了一块 还有热水器现在秒杀999 我3天前1099买的 能退100吗"
    noted = {"event": "slot", "name": "order_need", "value": "price_protection"}
    tracker = make_tracker(
        {"verified_order_no": cup, "order_id": cup, "phone_tail": tail},
        text=f"杯子{cup} 热水器{heater} 尾号{tail}",
        earlier=[user_event(first, "faq"), noted],
    )
    out = CollectingDispatcher()
    events = await ActionHandleOrderRequest().run(out, tracker, DOMAIN)
    said = bot_said(out)
    assert heater in said.split(cup)[0]  # the 价保 answered on the heater first
    assert "秒杀" in said
    assert "破损" in said  # the cup's dent, said back for a yes
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"][-1] == cup


async def test_a_price_claim_with_another_orders_number_read_as_a_size_looks_that_order_up(db):
    """Trial 25, T870 t4: 还有防晒 5920… 我买的228现在198 退30, read as a size question while
    the power bank's order was verified, got "没有身高体重对照的尺码表"."""
    from bot.actions.presale import ActionAdviseSize

    power_bank, tail = "9414852538885393", "8845"
    tracker = make_tracker(
        {"verified_order_no": power_bank, "order_id": power_bank, "phone_tail": tail},
        text="还有防晒 5920418736625104 我买的228现在198 退30",
        intent="ask_size_advice",
    )
    out = CollectingDispatcher()
    events = await ActionAdviseSize().run(out, tracker, DOMAIN)
    assert "尺码" not in bot_said(out)
    assert {"event": "followup", "timestamp": None, "name": "order_lookup_form"} in events
    assert [e["value"] for e in events if e.get("name") == "order_need"] == ["price_protection"]


async def test_a_parcel_question_naming_goods_of_an_order_verified_before_is_about_it(db):
    """T870 t6: 那充电宝今天能动吗, read as a product question with the sunscreen's order in
    focus, got "商品详情里暂时没有写明"."""
    from bot.actions.presale import ActionAnswerProductInfo

    power_bank, sunscreen, tail = "9414852538885393", "5920418736625104", "8845"
    verified = [
        {"event": "slot", "name": "verified_order_no", "value": n} for n in (power_bank, sunscreen)
    ]
    tracker = make_tracker(
        {"verified_order_no": sunscreen, "order_id": sunscreen, "phone_tail": tail},
        text="行吧 那充电宝今天能动吗",
        intent="ask_product_info",
        earlier=verified,
    )
    out = CollectingDispatcher()
    events = await ActionAnswerProductInfo().run(out, tracker, DOMAIN)
    assert "没有写明" not in bot_said(out)
    assert "没有更新" in bot_said(out)
    assert [e["value"] for e in events if e.get("name") == "verified_order_no"] == [power_bank]
