"""Numbers a shopper says in words are read where they matter: a child's height and weight for
a size (一米二八, 五十多斤), the quantity of each product of a basket (坚果两袋 肉脯三包), and the
tail of a masked phone in a pasted order (186****9061)."""

import pytest

from bot.actions.presale import ActionAdviseSize, ActionAnswerPrice
from tests.bot.conftest import responses

KIDS_DOWN_JACKET = "P1009"


@pytest.mark.parametrize(
    "text",
    [
        "给我孙子买 他今年七岁身高一米二八体重五十多斤穿多大的",
        "孙子身高一百二十八公分 二十六公斤",
        "孙女一米三 五十斤 穿哪个码",
        "儿子一米二五 体重二十五公斤",
    ],
)
async def test_a_childs_height_and_weight_said_in_words_get_a_size(
    db, dispatcher, tracker_with, text
):
    tracker = tracker_with(text=text, intent="ask_size_advice")
    tracker.slots["current_product"] = KIDS_DOWN_JACKET
    await ActionAdviseSize().run(dispatcher, tracker, {})
    assert responses(dispatcher) != ["utter_ask_height_weight"]
    said = dispatcher.messages[0]["text"]
    assert "童装尺码表" in said
    assert "建议您选 130 码" in said


async def test_a_size_question_without_measures_still_asks_for_them(db, dispatcher, tracker_with):
    tracker = tracker_with(text="孙子七岁穿多大的", intent="ask_size_advice")
    tracker.slots["current_product"] = KIDS_DOWN_JACKET
    await ActionAdviseSize().run(dispatcher, tracker, {})
    assert responses(dispatcher) == ["utter_ask_height_weight"]


@pytest.mark.parametrize(
    "text",
    [
        "每日坚果买俩袋 猪肉脯原味要三包 一共多少钱 满199减40能用吗",
        "不是 坚果两袋 肉脯三包 一共多少",
        "两袋每日坚果 三包猪肉脯 总共多少钱",
    ],
)
async def test_a_basket_is_priced_on_the_quantity_said_for_each_product(
    db, dispatcher, tracker_with, text
):
    tracker = tracker_with(text=text, intent="ask_price_promotion")
    await ActionAnswerPrice().run(dispatcher, tracker, {})
    said = dispatcher.messages[0]["text"]
    assert "¥206.61" in said
    assert "¥119.80" not in said


def test_a_pasted_order_with_a_masked_phone_gives_its_visible_tail_not_a_model_number():
    from bot.actions.order_lookup import read_number, read_tail

    pasted = (
        "订单号：2313735379907511\n商品：戴尔 DELL S2725DS 27英寸 2K显示器\n"
        "收货人：郭**  手机：186****9061\n承诺送达时间早就过了，怎么还在路上？"
    )
    assert read_number(pasted) == "2313735379907511"
    assert read_tail(pasted) == "9061"
