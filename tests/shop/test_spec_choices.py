"""A question about the choices, or a value with a condition, while a spec change asks for the
new colour or size (trial 6 T96: 有啥颜色 and 那黑色呢 got "没理解", 没有的话白色吧 was read as
"don't change")."""

import pytest
from sqlalchemy import select

from shop.models import Order
from shop.presale import StockReport
from shop.spec_choices import (
    ConditionalChoice,
    SpecChoices,
    asks_about_choices,
    choices_answer,
    conditional_choice,
)
from words.render import say

BEDDING = "5628194821993518"  # 罗莱 四件套 奶咖色 (雾霾蓝 in stock, 云白色 sold out) + 洗脸巾


def _order(db, order_no: str = BEDDING) -> Order:
    return db.scalars(select(Order).where(Order.order_no == order_no)).one()


@pytest.mark.parametrize(
    "text", ["有啥颜色", "都有哪些颜色啊", "还有别的颜色吗", "颜色有哪些", "什么颜色有货"]
)
def test_a_shopper_who_asks_which_colours_there_are_gets_every_variant_and_its_stock(db, text):
    answer = choices_answer(_order(db), text)
    assert isinstance(answer, SpecChoices)
    assert isinstance(answer.report, StockReport)
    said = say(answer)
    assert "奶咖色" in said  # the one on the order, said as such
    assert "雾霾蓝" in said
    assert "云白色" in said
    assert "售罄" in said


@pytest.mark.parametrize("text", ["那黑色呢", "黑色有吗", "有没有黑色的"])
def test_a_shopper_who_asks_about_a_colour_the_product_lacks_is_told_so_with_the_choices(db, text):
    answer = choices_answer(_order(db), text)
    assert answer is not None
    said = say(answer)
    assert "这款没有黑色" in said
    assert "雾霾蓝" in said


def test_a_shopper_who_asks_about_a_sold_out_colour_gets_its_restock(db):
    answer = choices_answer(_order(db), "白色还有吗")
    assert answer is not None
    assert "云白色" in say(answer)
    assert "补货" in say(answer)


@pytest.mark.parametrize("text", ["换雾霾蓝", "雾霾蓝吧", "没有的话白色吧", "好的"])
def test_a_value_or_a_conditional_value_is_no_question_about_the_choices(text):
    assert not asks_about_choices(text) or text == "换雾霾蓝"  # a value: no question


@pytest.mark.parametrize(
    ("text", "earlier"),
    [
        ("没有的话白色吧", ["那黑色呢"]),
        ("有黑色就黑色 没有就白色", []),
        ("白色 白色没有就算了", []),
    ],
)
def test_a_conditional_value_with_nothing_in_stock_says_so_and_lists_what_is(db, text, earlier):
    choice = conditional_choice(_order(db), text, earlier)
    if text.endswith("算了"):
        assert choice is None  # no value to take instead: not a conditional value
        return
    assert isinstance(choice, ConditionalChoice)
    assert choice.chosen is None
    assert "云白色 / 1.8m床 被套220×240cm" in choice.passed_over
    said = say(choice)
    assert "现在能换的有：雾霾蓝" in said
    assert "补货" in said


@pytest.mark.parametrize(
    ("text", "earlier"),
    [("没有的话蓝色吧", ["白色有吗"]), ("白色没货就雾霾蓝", []), ("要是白的没了就换蓝的", [])],
)
def test_a_conditional_value_picks_the_first_named_in_stock(db, text, earlier):
    choice = conditional_choice(_order(db), text, earlier)
    assert isinstance(choice, ConditionalChoice)
    assert choice.chosen is not None
    assert choice.chosen.startswith("雾霾蓝")
    said = say(choice)
    assert "云白色" in said
    assert "按您说的换成「雾霾蓝" in said
