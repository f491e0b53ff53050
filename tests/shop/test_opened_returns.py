"""Goods unpacked but unused (盒子拆了 东西没用过) are a question about the 7-day no-reason rule,
answered from the order's categories: most take them back intact and complete, a category whose
rule asks for unopened goods (美妆, 食品, 图书) does not (trial 10, T262)."""

import pytest

from shop.opened_returns import asks_about_opened_goods, opened_return
from tests.shop.conftest import demo_order
from words.render import say


@pytest.mark.parametrize(
    "text",
    [
        "盒子拆了 东西没用过",
        "包装拆开了 还没用",
        "拆封了但是没用过 还能退吗",
        "开箱看了一眼 没插电",
        "就是外包装打开了 东西全新的",
        "拆了包装还能七天无理由吗",
    ],
)
def test_unpacked_goods_asked_about_are_read(text):
    assert asks_about_opened_goods(text)


@pytest.mark.parametrize(
    "text",
    [
        "快递箱被拆过 东西少了",  # tampered with: a missing item
        "盒子拆了 里面是坏的",  # a fault
        "拆开发现有瑕疵",
        "我要退货",
        "东西没用过",  # nothing opened said
        "盒子拆了",  # opened, asks nothing
    ],
)
def test_a_problem_or_a_plain_request_is_not_this_question(text):
    assert not asks_about_opened_goods(text)


def test_an_unpacked_speaker_can_still_go_back_inside_the_window(db, seeded_at):
    order = demo_order(db, "returnable", which=2)  # JBL speaker, electronics
    opened = opened_return(order, seeded_at)
    assert opened.returnable
    text = say(opened)
    assert "不影响七天无理由退货" in text
    assert "数码配件类的规则是" in text
    assert "入耳式" in text  # the category's own exception said as written


def test_an_unpacked_lipstick_cannot_go_back_without_a_reason(db, seeded_at):
    order = demo_order(db, "returnable", which=1)  # lipstick, beauty
    opened = opened_return(order, seeded_at)
    assert not opened.returnable
    text = say(opened)
    assert "美妆个护类的规则是：未拆封" in text
    assert "包装已经拆了，这单没法走七天无理由退货了" in text
    assert "质量问题" in text


def test_unpacked_goods_past_the_window_get_the_window(db, seeded_at):
    order = demo_order(db, "not_returnable")
    opened = opened_return(order, seeded_at)
    assert not opened.returnable
    assert "期限已经过了" in say(opened)


def test_a_category_without_a_written_rule_says_no_empty_rule(db, seeded_at):
    order = demo_order(db, "returnable", which=2)  # JBL speaker, electronics
    category = order.items[0].variant.product.category
    category.note = None  # no rule written for the category
    opened = opened_return(order, seeded_at)
    assert opened.returnable
    assert opened.rules == ()
    assert "规则是：。" not in say(opened)
    assert f"{category.name}类的规则是" not in say(opened)
