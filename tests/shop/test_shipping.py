"""The logistics policy's shipping and transit rules, applied to an amount of goods, a place and the
hour a purchase is paid at."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from shop.policy import load_policy
from shop.regions import province_named
from shop.shipping import (
    amount_said,
    asks_postage,
    delivery_estimate,
    shipping_asked,
    shipping_fee,
)
from words.render import say


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


def _shop_time(hour: int) -> datetime:
    """A moment at `hour` shop time (Asia/Shanghai, UTC+8), as a UTC datetime."""
    return datetime(2026, 12, 7, hour, 30, tzinfo=UTC) - timedelta(hours=8)


@pytest.mark.parametrize(
    ("text", "province", "place", "days"),
    [
        ("寄到成都要几天", "四川", "成都", (2, 4)),
        ("发到杭州几天能到", "浙江", "杭州", (1, 2)),
        ("寄兰州几天到", "甘肃", "兰州", (5, 7)),
        ("今天下单什么时候发货", None, None, (2, 4)),
    ],
)
def test_the_days_on_the_road_are_the_transit_rules_for_the_place(text, province, place, days):
    estimate = delivery_estimate(text, _shop_time(10))
    assert (estimate.province, estimate.place, estimate.days) == (province, place, days)
    assert estimate.remote == (province == "甘肃")


def test_paid_before_the_cut_off_it_leaves_today_and_after_it_within_the_hours_set():
    assert delivery_estimate("今天下单什么时候发货", _shop_time(15)).today
    late = delivery_estimate("今天下单什么时候发货", _shop_time(16))
    assert not late.today
    assert late.warehouse.ships_within_hours == 48


def test_a_place_named_earlier_is_still_where_it_goes():
    assert delivery_estimate("那几天能到", _shop_time(10), ["寄乌鲁木齐运费多少"]).days == (5, 7)


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("寄哈尔滨运费多少", True),
        ("包邮不", True),
        ("退货运费谁出", False),
        ("运费险怎么赔", False),
    ],
)
def test_the_postage_asked_is_never_a_returns(text, asked):
    assert asks_postage(text) is asked


def test_a_brand_named_by_a_number_is_no_quantity(db):
    """The held-out battery, PB062: 三只松鼠坚果买两件 包邮不 priced three bags."""
    from sqlalchemy import select

    from shop.models import Product

    nuts = db.scalars(select(Product).where(Product.code == "P6001")).one()
    postage = shipping_asked("三只松鼠坚果买两件多少钱 包邮不", nuts, _shop_time(10))
    assert postage is not None
    assert postage.quantity is not None
    assert postage.quantity.count == 2


def test_before_the_cut_off_the_rule_after_it_is_said_too():
    said = say(delivery_estimate("今天下单今天能发货吗", _shop_time(10)))
    assert "当天就能发出" in said
    assert "16:00以后付款的48小时内发出" in said
