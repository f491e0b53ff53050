"""A basket of several products with a quantity said for each is priced on those quantities,
each product's own deals applied to its own quantity (第二件半价 on 2 bags, 任选3件8折 on 3
packs)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from shop.presale import basket_counts, price_quote, together_quote
from tests.shop.conftest import catalogue_product
from words.render import say

NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)
NUTS, JERKY = "P6001", "P6002"


@pytest.fixture
def snacks(db: Session) -> list:
    return [catalogue_product(db, NUTS), catalogue_product(db, JERKY)]


@pytest.mark.parametrize(
    "question",
    [
        "每日坚果买俩袋 猪肉脯原味要三包 一共多少钱 满199减40能用吗",
        "坚果两袋 肉脯三包 一共多少",
        "两袋每日坚果三包猪肉脯多少钱",
        "要2袋坚果和3包肉脯，总共多少",
        "三只松鼠坚果拿两袋，良品铺子猪肉脯拿三盒",
    ],
)
def test_each_product_of_a_basket_gets_the_quantity_said_beside_it(snacks, question):
    assert basket_counts(snacks, question) == [2, 3]


@pytest.mark.parametrize(
    "question",
    ["三只松鼠每日坚果和猪肉脯一起买多少钱", "坚果跟肉脯一起多少钱"],
)
def test_a_basket_with_no_quantity_said_is_one_of_each(snacks, question):
    assert basket_counts(snacks, question) == [1, 1]


def test_two_bags_and_three_packs_are_priced_with_each_ones_deal(snacks):
    quote = together_quote(snacks, NOW, "坚果两袋 肉脯三包 一共多少")
    assert quote.counts == (2, 3)
    assert quote.subtotal == Decimal("269.50")  # 2 × 89.90 + 3 × 29.90
    assert quote.total == Decimal("206.61")  # 89.90 + 44.95 (第二件半价) + 3 × 29.90 × 0.8
    assert set(quote.applied) == {"第二件半价", "任选3件8折"}


def test_the_reply_shows_the_quantities_and_which_products_a_full_off_counts(snacks):
    words = say(together_quote(snacks, NOW, "每日坚果买俩袋 猪肉脯原味要三包 一共多少钱"))
    assert "× 2" in words
    assert "× 3" in words
    assert "¥206.61" in words
    assert "¥119.80" not in words
    # 满199减40 is on the nuts' page only: the jerky does not count towards it
    assert "只算「" in words
    assert "¥134.85" in words


def test_a_brand_with_a_number_in_it_is_no_quantity(db):
    nuts = catalogue_product(db, NUTS)
    assert price_quote(nuts, NOW, "三只松鼠每日坚果多少钱").basket is None
    assert price_quote(nuts, NOW, "三只松鼠每日坚果买三袋多少钱").basket.quantity.count == 3


def test_a_quantity_no_name_owns_is_the_basket_product_the_words_did_not_name(db):
    """Trial 24, T822 (harmful): 米两袋 牛奶两箱 of the rice and milk just priced gave the milk
    two bags and the rice none, and 15元 postage for a basket that ships free."""
    rice, milk = catalogue_product(db, "P6004"), catalogue_product(db, "P6006")
    assert basket_counts([rice, milk], "米两袋 牛奶两箱 寄内蒙古运费多少") == [2, 2]
    assert basket_counts([rice, milk], "牛奶两箱") == [1, 2]  # the rice: one, as before
