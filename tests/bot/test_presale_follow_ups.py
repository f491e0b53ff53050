"""Follow-ups about the product in focus, turn by turn as Rasa runs them (trial T37-T40): a
colour or size alone, a size up, the body or foot given before, a second question beside the
first, a charger in the box, the price of several."""

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_context import ActionTakeOrderNumber
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.presale import (
    ActionAdviseSize,
    ActionAnswerPrice,
    ActionAnswerProductInfo,
    ActionAnswerStock,
)
from shop.models import CaseKind
from tests.bot.conftest import DOMAIN, demo_order, in_open_case, make_tracker, order_in, user_event

ACTIONS: dict[str, Any] = {
    "ask_product_info": ActionAnswerProductInfo(),
    "ask_stock": ActionAnswerStock(),
    "ask_price_promotion": ActionAnswerPrice(),
    "ask_size_advice": ActionAdviseSize(),
    "nlu_fallback": ActionClarify(),
    "faq": ActionAnswerFaq(),
    "track_order": ActionHandleOrderRequest(),  # a question before buying: no order asked
}
Turn = tuple[str, str] | tuple[str, str, dict[str, str]]


async def _conversation(turns: list[Turn]) -> list[dict[str, Any]]:
    """Run each (message, intent, entities) through the intent's action as Rasa would: the
    entities fill their slots, the actions' slot events and the messages stay in the history.
    Returns the bot's messages of the last turn."""
    slots: dict[str, Any] = {}
    history: list[dict[str, Any]] = []
    dispatcher = CollectingDispatcher()
    for text, intent, *rest in turns:
        entities = rest[0] if rest else {}
        filled = [{"event": "slot", "name": k, "value": v} for k, v in entities.items()]
        slots.update(entities)
        tracker = make_tracker(dict(slots), text=text, intent=intent, earlier=list(history))
        tracker.latest_message["entities"] = [
            {"entity": k, "value": v} for k, v in entities.items()
        ]
        tracker.events.extend(filled)
        dispatcher = CollectingDispatcher()
        events = await ACTIONS[intent].run(dispatcher, tracker, DOMAIN)
        set_now = [e for e in events if e.get("event") == "slot"]
        slots.update({e["name"]: e["value"] for e in set_now})
        history += [user_event(text, intent), *filled, *set_now]
    return dispatcher.messages


def _text(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def _buttons(messages: list[dict[str, Any]]) -> list[str]:
    return [b["payload"] for m in messages for b in m.get("buttons") or []]


async def _on_the_verified_order(
    situation: str, text: str, intent: str, action: Any, sku: str | None = None, **slots: str
) -> str:
    """What `action` says to `text` (read as `intent`) on the verified demo order in
    `situation` (holding `sku`), with `slots` set besides."""
    order_no, tail = demo_order(situation, sku=sku)
    tracker = make_tracker(
        {"verified_order_no": order_no, "order_id": order_no, "phone_tail": tail, **slots},
        text=text,
        intent=intent,
        earlier=[  # the order verified, then the `slots` set (a product put in focus after it)
            {"event": "slot", "name": "verified_order_no", "value": order_no},
            *({"event": "slot", "name": k, "value": v} for k, v in slots.items()),
        ],
    )
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    return _text(dispatcher.messages)


async def test_a_shopper_who_names_only_another_colour_gets_that_colours_stock_in_the_same_size(
    db,
):
    said = await _conversation(
        [
            ("T恤白色L有货吗", "ask_stock", {"color": "白色", "size": "L"}),
            ("那黑色呢", "ask_product_info", {"color": "黑色"}),
        ]
    )
    assert "黑色 / L：有货" in _text(said)
    assert "没有写明" not in _text(said)


async def test_a_colour_and_size_named_for_someone_else_is_that_variants_stock_with_alternatives(
    db,
):
    said = await _conversation(
        [
            ("纯棉T恤白色L有货吗", "ask_stock", {"color": "白色", "size": "L"}),
            ("那雾霾蓝XXL呢 给我爸买", "nlu_fallback", {"size": "XXL"}),
        ]
    )
    text = _text(said)
    assert "雾霾蓝 / XXL：暂时售罄，补货时间还没确定" in text  # its restock date has passed
    assert "黑色 / XXL" in text
    assert "/request_human" in _buttons(said)


async def test_a_shopper_who_asks_for_a_size_up_after_the_size_advice_gets_the_next_sizes_stock(
    db,
):
    said = await _conversation(
        [
            ("卫衣 我173 140斤穿什么码", "ask_size_advice", {"product": "卫衣"}),
            ("有大一码的吗", "ask_stock"),
        ]
    )
    text = _text(said)
    assert "黑色 / XL：有货" in text
    assert "/ L：" not in text


async def test_a_size_up_after_a_sold_out_variant_keeps_its_colour(db):
    said = await _conversation(
        [
            ("碎花连衣裙 她162 51kg穿什么码", "ask_size_advice", {"product": "连衣裙"}),
            ("黑底碎花M有吗", "ask_stock", {"size": "M"}),
            ("有大一码的吗", "ask_product_info"),
        ]
    )
    assert "黑底碎花 / L：有货" in _text(said)


async def test_a_shopper_who_switches_product_is_sized_by_the_height_and_weight_given_before(db):
    said = await _conversation(
        [
            ("那个纯棉T恤 我173 140斤穿什么码", "ask_size_advice", {"weight": "140斤"}),
            ("白色L有货吗", "ask_stock", {"color": "白色", "size": "L"}),
            ("那个李宁卫衣呢 我这个身高体重穿啥", "nlu_fallback", {"product": "卫衣"}),
        ]
    )
    text = _text(said)
    assert "男装上衣尺码表" in text
    assert "身高173cm、体重70kg" in text
    assert "建议您选 L 码" in text


async def test_a_colour_said_about_the_product_before_does_not_follow_into_the_next_one(db):
    said = await _conversation(
        [
            ("T恤白色L有货吗", "ask_stock", {"color": "白色", "size": "L"}),
            ("那卫衣呢 我173 140斤穿啥", "ask_size_advice", {"product": "卫衣"}),
            ("有货吗", "ask_stock"),
        ]
    )
    text = _text(said)
    assert "没有这个规格" not in text  # the hoodie has no 白色
    assert "黑色 / L：有货" in text  # the size just advised, every colour


async def test_a_shopper_who_says_the_foot_is_wide_gets_the_products_own_note_not_the_same_reply(
    db,
):
    said = await _conversation(
        [
            ("回力小白鞋 脚长23.3穿多大", "ask_size_advice", {"product": "小白鞋"}),
            ("她脚有点宽", "ask_size_advice"),
        ]
    )
    text = _text(said)
    assert "脚偏宽的话" in text
    assert "脚宽脚背高按正常码" in text
    assert "建议选 37 码" in text
    assert "量一下脚长" not in text


async def test_a_shopper_who_asks_whether_to_buy_boots_a_size_up_hears_the_note_and_its_stock(db):
    said = await _conversation(
        [
            ("回力小白鞋 脚长23.3穿多大", "ask_size_advice", {"product": "小白鞋"}),
            ("那雪地靴呢", "ask_product_info"),
            ("她平时穿37 雪地靴要买38吗", "ask_size_advice"),
        ]
    )
    text = _text(said)
    assert "38码也可以" in text
    assert "栗色 / 38：暂时售罄" in text
    assert "黑色 / 38：有货" in text


async def test_a_shopper_who_asks_whether_the_charger_costs_extra_hears_it_is_in_the_box(db):
    said = await _conversation(
        [
            ("红米note14pro充电多少瓦", "ask_product_info"),
            ("充电器要另外收钱不", "ask_product_info", {"product": "充电器"}),
        ]
    )
    text = _text(said)
    assert text.startswith("不用另外花钱，45W充电器是包含在内的")
    assert "Redmi" in text


async def test_two_questions_of_which_the_page_answers_one_get_the_fact_and_a_human_for_the_other(
    db,
):
    said = await _conversation(
        [
            ("李宁卫衣多少钱", "ask_price_promotion", {"product": "卫衣"}),
            ("加绒的厚不厚 冬天能单穿吗", "ask_product_info"),
        ]
    )
    text = _text(said)
    assert "厚度：加绒加厚" in text
    assert "「冬天能单穿吗」，商品详情里没有写明" in text
    assert _buttons(said) == ["/request_human"]


async def test_asking_the_colours_and_one_colours_stock_gets_every_colours_stock(db):
    said = await _conversation(
        [
            ("红米note14pro充电多少瓦", "ask_product_info"),
            ("有几种颜色 白色还有吗", "ask_stock", {"color": "白色"}),
        ]
    )
    text = _text(said)
    assert "3种颜色：子夜黑、镜瓷白、暮光紫" in text
    assert "子夜黑 / 12GB+256GB：有货" in text
    assert "镜瓷白 / 12GB+256GB：仅剩3件" in text
    assert "暮光紫 / 12GB+256GB：暂时售罄，预计" in text


async def test_an_ordinary_socket_question_gets_the_setting_it_can_use(db):
    said = await _conversation(
        [
            ("热水器安装要另外收钱不", "ask_product_info"),
            ("我家插座是普通的 能用吗", "ask_product_info"),
        ]
    )
    assert "2200W档用普通10A插座即可" in _text(said)


async def test_buying_several_after_a_price_question_gets_the_total_under_the_promotion(db):
    said = await _conversation(
        [
            ("T恤多少钱", "ask_price_promotion", {"product": "T恤"}),
            ("那买三件呢", "ask_product_info"),
        ]
    )
    # 3 × 79 = 237, 95折 → 225.15, then 满199减30 → 195.15
    assert "合计 ¥195.15" in _text(said)


async def test_a_variant_follow_up_read_as_data_is_still_answered_about_the_product_in_focus(db):
    from bot.actions.common import Turn
    from bot.actions.presale import product_follow_up
    from core.clock import utcnow

    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"current_product": "P1001"}, text="那雾霾蓝XXL呢 给我爸买")
    events = product_follow_up(Turn(db, tracker, dispatcher, utcnow()))
    assert events is not None
    assert "雾霾蓝 / XXL" in _text(dispatcher.messages)
    # an order number or a plain yes is no product question
    for text in ("6559797114710497", "好的"):
        tracker = make_tracker({"current_product": "P1001"}, text=text)
        assert product_follow_up(Turn(db, tracker, CollectingDispatcher(), utcnow())) is None


async def test_a_delivery_question_inside_a_case_is_not_taken_for_the_stock_of_the_product_in_focus(
    db,
):
    import uuid

    from sqlalchemy import select

    from core.clock import utcnow
    from shop.logistics import CaseOpened, open_case
    from shop.models import CaseKind, Order
    from tests.bot.conftest import demo_order

    conversation = uuid.uuid4().hex
    order_no, _ = demo_order("stalled")
    order = db.scalars(select(Order).where(Order.order_no == order_no)).one()
    opened = open_case(db, order, CaseKind.DELAYED, utcnow(), conversation_id=conversation)
    assert isinstance(opened, CaseOpened)
    tracker = make_tracker(
        {"verified_order_no": order_no, "current_product": "P1001"},
        text="那我的货什么时候到货",
        intent="ask_product_info",
    )
    tracker.sender_id = conversation
    dispatcher = CollectingDispatcher()
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    assert "T恤" not in _text(dispatcher.messages)


async def test_a_colour_and_size_of_the_product_in_focus_read_as_data_gets_its_stock(dispatcher):
    tracker = make_tracker({"current_product": "P1001"}, text="那雾霾蓝XXL呢 给我爸买")
    await ActionTakeOrderNumber().run(dispatcher, tracker, {})
    assert "雾霾蓝 / XXL" in _text(dispatcher.messages)


async def test_two_pairs_together_after_talking_about_two_shoes_is_one_of_each_not_two_of_the_last(
    dispatcher,
):
    earlier = [
        user_event("赤兔7 我脚长258 拿多大", "ask_size_advice"),
        {"event": "slot", "name": "current_product", "value": "P2001"},
        user_event("我老婆穿37 那个回力小白鞋呢", "ask_size_advice"),
        {"event": "slot", "name": "current_product", "value": "P2002"},
    ]
    tracker = make_tracker(
        {"current_product": "P2002"}, "两双一起买多少钱", "ask_price_promotion", earlier=earlier
    )
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    text = _text(dispatcher.messages)
    assert "赤兔7" in text
    assert "回力" in text
    assert "×2" not in text


async def test_two_of_the_one_shoe_talked_about_is_still_two_of_it(dispatcher):
    earlier = [{"event": "slot", "name": "current_product", "value": "P2002"}]
    tracker = make_tracker(
        {"current_product": "P2002"}, "两双一起买多少钱", "ask_price_promotion", earlier=earlier
    )
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    assert "×2" in _text(dispatcher.messages)


async def test_a_sizes_measure_asked_is_the_charts_not_the_price(db):
    dispatcher = CollectingDispatcher()
    tracker = make_tracker({"current_product": "P1004"}, "31腰围多少", "ask_price_promotion")
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "31码腰围：79cm" in said
    assert "¥" not in said


async def test_what_a_repair_costs_on_an_order_past_its_warranty_is_a_quote_not_the_price(db):
    order = order_in(db, "out_of_warranty")
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        {"verified_order_no": order.order_no}, "修的话多少钱", "ask_price_promotion"
    )
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "先给您报价" in said
    assert "现在的价格" not in said


async def test_a_colour_said_after_the_size_was_advised_asks_its_stock_in_that_size(db):
    # trial 27, T922 t2 and T931 t2: the size advice again, with no word on the colour
    said = await _conversation(
        [
            ("红蜻蜓德比鞋 我脚长252 脚比较宽 拿几码", "ask_size_advice", {"product": "德比鞋"}),
            ("要棕色的", "ask_size_advice"),  # read as data (inform): the size's action runs
        ]
    )
    assert "棕色 / 42：暂时售罄，预计" in _text(said)
    assert "建议您选" not in _text(said)


async def test_when_a_sold_out_size_comes_back_is_its_restock_date_again(db):
    # trial 27, T921 t4: 要多久才有 got the refund questions as buttons
    said = await _conversation(
        [
            ("碎花连衣裙 160 100斤穿什么码", "ask_size_advice", {"product": "连衣裙"}),
            ("黑底的M有吗", "ask_stock", {"size": "M"}),
            ("要多久才有", "nlu_fallback"),
        ]
    )
    assert "黑底碎花 / M：暂时售罄，预计" in _text(said)
    assert not _buttons(said)


async def test_when_a_sold_out_variant_comes_asked_before_buying_is_its_restock_date(db):
    # trial 28, T961 t4: 那白L啥时候到 到了能通知我不 (read as tracking) asked for an order
    said = await _conversation(
        [
            ("重磅t恤我175 68kg穿啥码", "ask_size_advice", {"product": "T恤"}),
            ("要白色的 L有吗", "ask_stock", {"color": "白色", "size": "L"}),
            ("那白L啥时候到 到了能通知我不", "track_order"),
        ]
    )
    assert "白色 / L：暂时售罄，预计" in _text(said)
    assert "到货通知" in _text(said)  # the other clause, from the knowledge base
    assert "订单号" not in _text(said)


async def test_when_the_flash_sale_ends_asked_after_its_price_is_its_end_not_an_order(db):
    # trial 28, T966 t2: 秒杀到什么时候结束 (read as tracking) asked for an order number
    said = await _conversation(
        [
            ("美的60升电热水器现在什么价", "ask_price_promotion", {"product": "电热水器"}),
            ("秒杀到什么时候结束", "track_order"),
        ]
    )
    assert "秒杀到" in _text(said)
    assert "订单号" not in _text(said)


async def test_when_the_flash_sale_ends_asked_on_a_verified_order_is_its_end_not_the_parcel(db):
    # trial 28, T1000 t8: 秒杀到什么时候 after the heater's 价保 got its signing status
    said = await _on_the_verified_order(
        "flash_sale_now", "秒杀到什么时候", "track_order", ActionHandleOrderRequest()
    )
    assert "秒杀到" in said
    assert "签收" not in said


async def test_how_to_keep_goods_asked_on_an_order_read_as_a_problem_is_their_storage(db):
    # trial 28, T967 t8: 茶叶收到了要放冰箱吗 (read as damage) got the order's refund again
    said = await _on_the_verified_order(
        "cancelled", "茶叶收到了要放冰箱吗", "report_damaged_item", ActionHandleOrderRequest(),
        sku="P6005-250G",
    )  # fmt: skip
    assert "冷藏" in said
    assert "退回" not in said


async def test_a_promotion_asked_with_a_product_in_focus_gets_the_products_own(db):
    # trial 28, T962 t4: 我第一次在你们家买 有什么优惠 满299减40能用吗 got only the new
    # customers' coupon rules, never the dress's 新客立减20元
    said = await _conversation(
        [
            ("碎花连衣裙 我160 51公斤 穿什么码呀", "ask_size_advice", {"product": "连衣裙"}),
            ("那蓝底的M吧 我第一次在你们家买 有什么优惠 满299减40能用吗", "faq"),
        ]
    )
    assert "店铺新客立减20元" in _text(said)


async def test_whether_a_colour_can_be_sent_now_is_its_stock(db):
    # trial 27, T932 t2: 冰川蓝现在能发吗 got "which do you mean" with order buttons
    said = await _conversation(
        [
            ("安克充电宝能带上飞机吗", "ask_product_info", {"product": "充电宝"}),
            ("冰川蓝现在能发吗 我下周三飞", "nlu_fallback"),
        ]
    )
    assert "冰川蓝" in _text(said)
    assert "售罄" in _text(said)


async def test_a_colour_with_its_size_asked_gets_the_size_advice(db):
    # the review of session 28: 黑色的我穿什么码 got only a stock line
    said = await _conversation(
        [
            ("红蜻蜓德比鞋 我脚长252 脚比较宽 拿几码", "ask_size_advice", {"product": "德比鞋"}),
            ("黑色的我穿什么码", "ask_size_advice"),
        ]
    )
    assert "建议您选" in _text(said)


async def test_the_cases_coupon_asked_as_a_price_question_is_the_cases_answer(db):
    # trial 28, T983 t6: 优惠券两单都有吗 (read as a price question) got the charger's price
    tracker, order = in_open_case(
        db, "late", CaseKind.DELAYED, "优惠券两单都有吗", "ask_price_promotion"
    )
    tracker.slots["current_product"] = "P3004"  # the charger of the other order, talked of
    dispatcher = CollectingDispatcher()
    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    said = _text(dispatcher.messages)
    assert "5元优惠券" in said
    assert order.order_no in said
    assert "现在的价格是" not in said


async def test_a_question_the_page_cannot_answer_while_a_request_waits_says_it_again(db):
    # trial 28, T983 t3: 能直接给我寄个新的吗 while the charger's 换新 waited got "商品详情里暂时
    # 没有写明" and a person
    said = await _on_the_verified_order(
        "in_warranty", "手环没问题 就充电头 能直接给我寄个新的吗", "ask_product_info",
        ActionAnswerProductInfo(), sku="P3004-WH", current_product="P3004",
        pending_request="request_repair",
    )  # fmt: skip
    assert "没有写明" not in said
    assert "还没有提交" in said


async def test_a_return_asked_about_the_product_weighed_is_its_rule_not_the_orders(db):
    # trial 28, T971 t7: 拆开洗了觉得不好能退吗 after the bedding set's questions got "this order
    # is still on its way", about the quilt's order verified before
    said = await _on_the_verified_order(
        "stalled", "拆开洗了觉得不好能退吗", "request_return_exchange", ActionHandleOrderRequest(),
        sku="P9001-GY", current_product="P9002",
    )  # fmt: skip
    assert "不支持无理由退货" in said
    assert "还在路上" not in said
