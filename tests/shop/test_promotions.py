"""A quantity's total is worked out from the deals the promotion text states, and no others."""

from decimal import Decimal

import pytest

from shop.promotions import FullOffShort, Quantity, asked_quantity, basket_total


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("一起买两件有优惠吗", Quantity(2, "件")),
        ("顺便买2箱", Quantity(2, "箱")),
        ("买十二支多少钱", Quantity(12, "支")),
        ("多少钱", None),
        ("买一件", None),  # one is the price itself
        ("250ml×12盒的多少钱", None),  # a pack size in the title, not a quantity
        # trial 22, T756: 满99包邮 priced 99 bags of rice at ¥6910.10, "下单就是包邮的"
        ("不是满99包邮吗", None),
        ("99包邮的话要买两包", Quantity(2, "包")),
    ],
)
def test_the_quantity_asked_is_read_with_its_unit(text, quantity):
    assert asked_quantity(text) == quantity


@pytest.mark.parametrize(
    ("price", "promotion", "count", "applied", "total"),
    [
        ("79.00", "满199减30，任选2件再享95折", 2, ("任选2件再享95折",), "150.10"),
        ("79.00", "满199减30，任选2件再享95折", 3, ("任选2件再享95折", "满199减30"), "195.15"),
        ("59.90", "2箱起购每箱再减5元", 2, ("2箱起购每箱再减5元",), "109.80"),
        ("69.90", "任选2支立减20元，赠口红礼盒", 2, ("任选2支立减20元",), "119.80"),
        ("100.00", "第二件半价；满199减40", 2, ("第二件半价",), "150.00"),
        ("50.00", "每满100减10", 5, ("每满100减10",), "230.00"),
        ("30.00", "满99包邮，任选3件8折", 2, (), "60.00"),
        ("30.00", "赠原厂礼品袋", 2, (), "60.00"),
    ],
)
def test_only_the_deals_the_text_states_and_the_basket_reaches_apply(
    price, promotion, count, applied, total
):
    basket = basket_total(Decimal(price), promotion, Quantity(count, "件"))
    assert (basket.applied, basket.total) == (applied, Decimal(total))


def test_a_full_off_the_basket_misses_says_how_much_is_short():
    basket = basket_total(Decimal("79.00"), "满199减30，任选2件再享95折", Quantity(2, "件"))
    assert basket.not_reached == FullOffShort("满199减30", Decimal("48.90"))
