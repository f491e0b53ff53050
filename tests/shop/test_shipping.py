"""The shipping rule of the logistics policy, applied to an amount of goods and a province."""

from decimal import Decimal

import pytest

from shop.policy import load_policy
from shop.regions import province_named
from shop.shipping import amount_said, shipping_fee


@pytest.mark.parametrize(
    ("goods", "province", "fee"),
    [
        ("99", None, "0"),
        ("98.9", None, "8"),
        ("59.9", "浙江", "8"),
        ("169", "新疆", "15"),
        ("199", "内蒙古", "0"),
        ("150", "上海", "0"),
    ],
)
def test_the_fee_is_the_policys_for_the_amount_and_the_province(goods, province, fee):
    assert load_policy().shipping.fee(Decimal(goods), province) == Decimal(fee)


def test_what_is_missing_to_free_shipping_is_worked_out():
    postage = shipping_fee(Decimal("59.9"))
    assert postage.fee == Decimal(8)
    assert postage.short_by == Decimal("39.1")
    assert shipping_fee(Decimal(120)).short_by == 0


def test_a_remote_province_has_its_own_threshold():
    postage = shipping_fee(Decimal(169), "新疆")
    assert postage.remote
    assert postage.free_from == Decimal(199)
    assert postage.short_by == Decimal(30)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("99块刚好包邮吧", "99"), ("两件一共308元 包邮吗", "308"), ("¥59.9的包邮不", "59.9")],
)
def test_an_amount_said_is_read(text, amount):
    assert amount_said(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["包邮不", "买2件包邮吗", "寄新疆包邮吗"])
def test_no_amount_is_read_where_none_is_said(text):
    assert amount_said(text) is None


@pytest.mark.parametrize(
    ("text", "province"),
    [("寄新疆包邮吗", "新疆"), ("发乌鲁木齐多少运费", "新疆"), ("包邮不", None)],
)
def test_a_province_named_anywhere_is_read(text, province):
    assert province_named(text) == province
