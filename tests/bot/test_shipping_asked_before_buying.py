"""Postage, dispatch and delivery days asked before buying are answered from the shop's rules,
applied to the product and the place named, never with the order lookup; each question of a
message asking several gets its answer (a battery of pre-sale questions, 2026-12-07: 寄到成都要
几天 asked for an order number, 九阳空气炸锅包邮吗 got the air fryer's manual, 包邮吗 寄新疆几天到
lost the days, 保修多久 beside 防水吗 got a repair button)."""

import pytest

from bot.actions.faq import ActionAnswerFaq
from bot.actions.order_lookup import ActionHandleOrderRequest
from bot.actions.presale import ActionAnswerProductInfo, ActionAnswerStock
from tests.bot.conftest import (
    DOMAIN,
    after_products_talked_of,
    bot_said,
    first_message,
    make_tracker,
    responses,
    user_event,
)

OFFER = "订单号和收货手机号后4位发给我"


@pytest.mark.parametrize(
    "text", ["寄到成都要几天", "成都几天能到", "现在下单的话 什么时候能到成都"]
)
async def test_the_days_to_a_city_are_the_transit_rules_for_it(db, dispatcher, text):
    await ActionHandleOrderRequest().run(dispatcher, first_message(text, "track_order"), DOMAIN)
    said = bot_said(dispatcher)
    assert "成都" in said
    assert "2-4 天" in said
    assert "16:00" in said  # when it leaves
    assert "utter_ask_order_id" not in responses(dispatcher)


async def test_a_remote_place_gets_the_remote_days(db, dispatcher):
    await ActionAnswerFaq().run(dispatcher, first_message("寄西藏拉萨要几天", "faq"), DOMAIN)
    said = bot_said(dispatcher)
    assert "偏远" in said
    assert "5-7 天" in said
    assert "满99元包邮" not in said  # the postage was not asked


async def test_when_an_order_made_now_ships_is_answered_with_the_lookup_only_offered(
    db, dispatcher
):
    await ActionHandleOrderRequest().run(
        dispatcher, first_message("今天下单什么时候发货", "track_order"), DOMAIN
    )
    said = bot_said(dispatcher)
    assert "16:00" in said
    assert OFFER in said  # offered, never demanded


async def test_an_order_said_made_is_still_looked_up(db, dispatcher):
    tracker = first_message("我昨天下单什么时候发货", "track_order")
    await ActionHandleOrderRequest().run(dispatcher, tracker, DOMAIN)
    assert "16:00前付款的话" not in bot_said(dispatcher)


async def test_a_product_named_beside_the_postage_is_the_postage_asked(db, dispatcher):
    """Its words (空气炸锅) found the air fryer's manual."""
    await ActionAnswerFaq().run(dispatcher, first_message("九阳空气炸锅包邮吗", "faq"), DOMAIN)
    said = bot_said(dispatcher)
    assert "¥299" in said
    assert "包邮" in said
    assert "说明书" not in said


async def test_a_kind_of_goods_named_keeps_its_own_topic(db, dispatcher):
    await ActionAnswerFaq().run(dispatcher, first_message("买橙子要是有坏的怎么弄", "faq"), DOMAIN)
    assert "坏果" in bot_said(dispatcher)


async def test_the_postage_and_the_days_asked_together_are_both_answered(db, dispatcher):
    tracker = after_products_talked_of(
        [("三体多少钱", "ask_price_promotion", "P7001")], "包邮吗 寄新疆几天到", "faq"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "运费 ¥15" in said  # 新疆, named in the other clause
    assert "5-7 天" in said


async def test_three_questions_about_sending_a_gift_box_each_get_their_answer(db, dispatcher):
    tracker = first_message("龙井礼盒能寄西藏吗 运费多少 几天到", "faq")
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "配送中国大陆所有省份" in said
    assert "¥698" in said
    assert "包邮" in said
    assert "5-7 天" in said


async def test_a_warranty_asked_beside_a_spec_is_answered_not_offered(db, dispatcher):
    tracker = first_message("小米手环9 防水吗 保修多久", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "5ATM" in said
    assert "保修：1年" in said
    assert not any(m.get("buttons") for m in dispatcher.messages)  # no repair offered


async def test_a_warranty_the_page_answered_is_not_said_twice(db, dispatcher):
    tracker = first_message("绿联65w充电头 保修多久", "ask_product_info")
    await ActionAnswerProductInfo().run(dispatcher, tracker, DOMAIN)
    assert bot_said(dispatcher).count("18个月") == 1


async def test_the_dispatch_asked_beside_a_price_is_answered_not_offered(db, dispatcher):
    tracker = first_message("三体现在多少钱 今天下单什么时候发货", "ask_price_promotion")
    tracker.events.insert(0, user_event("你好", "greet"))
    from bot.actions.presale import ActionAnswerPrice

    await ActionAnswerPrice().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "¥93" in said
    assert "16:00" in said
    assert "查物流" not in str(dispatcher.messages)


async def test_the_hour_the_shopper_will_pay_at_decides_the_dispatch(db, dispatcher):
    tracker = first_message(
        "我一般晚上八点多才有空下单那这样明天能发出来吗我在广州大概几天收到", "faq"
    )
    await ActionAnswerFaq().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "20点付款的话，已经过了当天16:00的发货" in said
    assert "48小时内发出" in said
    assert "广州" in said


async def test_another_place_after_the_postage_gets_the_postage_there(db, dispatcher):
    earlier = [user_event("绿联充电器寄上海包邮吗", "faq")]
    tracker = make_tracker(
        {"current_product": "P3004"}, "那寄呼和浩特呢", "ask_stock", earlier=earlier
    )

    await ActionAnswerStock().run(dispatcher, tracker, DOMAIN)
    said = bot_said(dispatcher)
    assert "内蒙古" in said
    assert "运费 ¥15" in said


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("你们家发什么快递啊", "中通"),
        ("周末发货不 礼拜天拍的", "周末也正常发货"),
        ("能寄香港吗", "港澳台地区及海外暂不支持配送"),
    ],
)
async def test_how_the_shop_sends_goods_is_answered_at_once(db, dispatcher, text, said):
    await ActionAnswerFaq().run(dispatcher, first_message(text, "faq"), DOMAIN)
    assert said in bot_said(dispatcher)
    assert "utter_faq_clarify" not in responses(dispatcher)


async def test_the_price_of_two_bags_is_answered_beside_the_days(db, dispatcher):
    await ActionAnswerFaq().run(
        dispatcher, first_message("五常大米买两袋多少 寄兰州几天到", "faq"), DOMAIN
    )
    said = bot_said(dispatcher)
    assert "买2袋" in said
    assert "5-7 天" in said
