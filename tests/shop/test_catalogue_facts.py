"""What the catalogue's page says is found in the shopper's words: a deal that needs another
product, a shade by its code or its name, a spec by its own word, and the facts asked in other
words than the attribute's (batteries, the devices it works with, ingredients, trade-in)."""

from decimal import Decimal

import pytest

from shop import product_names
from shop.presale import named_variant_terms, together_quote
from shop.product_questions import AskedAbout, PresaleTopic, product_answer
from shop.promotions import bought_with_deals, products_total
from tests.shop.conftest import catalogue_product


def test_a_deal_that_needs_another_product_applies_when_both_are_bought_together(db, seeded_at):
    keyboard, mouse = catalogue_product(db, "P4003"), catalogue_product(db, "P4004")
    quote = together_quote([keyboard, mouse], seeded_at)
    assert quote.subtotal == keyboard.price + mouse.price
    assert quote.applied == ("与K380s键盘同购立减50元",)  # said in the shop's own words
    assert quote.total == quote.subtotal - 50


def test_a_deal_that_needs_another_product_does_not_apply_without_it(db, seeded_at):
    mouse, kettle = catalogue_product(db, "P4004"), catalogue_product(db, "P5004")
    quote = together_quote([mouse, kettle], seeded_at)
    assert quote.applied == ()
    assert quote.total == quote.subtotal


def test_the_product_a_deal_needs_is_looked_up_once_whatever_the_basket(db, seeded_at, monkeypatch):
    keyboard, mouse, kettle = (
        catalogue_product(db, "P4003"),
        catalogue_product(db, "P4004"),
        catalogue_product(db, "P5004"),
    )
    looked_up = []
    find = product_names.find_product
    monkeypatch.setattr(
        product_names, "find_product", lambda s, words: looked_up.append(words) or find(s, words)
    )
    quote = together_quote([mouse, kettle, keyboard], seeded_at)
    assert quote.applied == ("与K380s键盘同购立减50元",)
    assert looked_up == ["K380s键盘"]


def test_a_deal_that_needs_another_product_is_read_from_the_promotion_text():
    (deal,) = bought_with_deals("和智能手表同买立减30元，满199减20")
    assert (deal.partner, deal.off) == ("智能手表", Decimal("30"))
    items = [("手环", Decimal("199"), "和智能手表同买立减30元"), ("手表", Decimal("499"), None)]
    assert products_total(items, [deal.deal]).total == Decimal("668.00")
    assert products_total(items).total == Decimal("698.00")


@pytest.mark.parametrize(
    ("code", "text", "color", "size"),
    [
        ("P8003", "N05还有吗", "N05 奶茶豆沙", None),  # the shade's code
        ("P8003", "奶茶豆沙那个色怎么样", "N05 奶茶豆沙", None),  # its name
        ("P8003", "有没有豆沙色", "N05 奶茶豆沙", None),  # a colour word only one shade holds
        ("P8003", "蜜桃珊瑚来一支", "C08 蜜桃珊瑚", None),
        ("P6001", "要儿童款的", None, "儿童款 750g/30袋"),  # a spec by its own word
        ("P6001", "750g的", None, None),  # a word every spec has names none
    ],
)
def test_a_variant_is_named_by_a_word_of_its_own(db, code, text, color, size):
    assert named_variant_terms(catalogue_product(db, code), text) == (color, size)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("P8003", "这款有豆沙色的吗"),
        ("P4003", "我想要粉的"),
        ("P6001", "有儿童款吗"),
    ],
)
def test_a_variant_asked_for_is_a_question_about_its_stock(db, code, text):
    answer = product_answer(catalogue_product(db, code), text)
    assert answer == AskedAbout(answer.product_name, PresaleTopic.STOCK)


@pytest.mark.parametrize(
    ("code", "text", "attributes"),
    [
        ("P4003", "用的是干电池还是要充电", {"供电"}),
        ("P4003", "苹果平板能连吗", {"兼容性"}),
        ("P4004", "可以同时连两台电脑吗", {"多设备连接"}),
        ("P6001", "里面有没有加花生", {"配料"}),
        ("P6001", "孩子过敏体质能吃吗", {"致敏信息"}),
        ("P5005", "家里的旧的能抵钱吗", {"优惠活动"}),
    ],
)
def test_a_fact_on_the_page_answers_a_question_in_other_words(db, code, text, attributes):
    answer = product_answer(catalogue_product(db, code), text)
    facts = getattr(answer, "facts", None) or ((answer.attribute, answer.value),)
    assert {name for name, _ in facts} == attributes
