"""Finding a shopper's order: numbers and phone tails read from what they type or paste,
and a pair that proves the order is theirs."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.clock import utcnow
from shop.models import Order
from shop.orders import (
    CLIENT_VERIFY_MISSES,
    VERIFY_MISSES,
    VERIFY_WINDOW,
    Verification,
    check_phone,
    find_verified_order,
    mistyped_phone_digits,
    normalise_order_no,
    normalise_phone_tail,
    read_order_no,
    read_phone_tail,
    verify_order,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("订单号 2611150001234567", "2611150001234567"),
        ("我的单号是2611-1500-0123-4567 帮我看下", "2611150001234567"),
        ("312654879012", "312654879012"),
        ("88", None),
        ("尾号5678", None),
        ("", None),
    ],
)
def test_order_numbers_are_found_in_what_shoppers_paste(text, expected):
    assert normalise_order_no(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5678", "5678"),
        ("尾号 0921", "0921"),
        ("13812345678", "5678"),
        ("123", None),
        ("12345", None),
    ],
)
def test_phone_tail_is_four_digits_or_a_whole_mobile_number(text, expected):
    assert normalise_phone_tail(text) == expected


def test_a_wrong_phone_tail_reveals_nothing(db):
    order = db.scalars(select(Order).limit(1)).one()
    wrong = f"{(int(order.phone_tail) + 1) % 10000:04d}"
    assert find_verified_order(db, order.order_no, wrong) is None
    assert find_verified_order(db, "9999999999999999", order.phone_tail) is None
    assert find_verified_order(db, order.order_no, order.phone_tail) is order


def test_a_full_width_mobile_gives_its_tail_like_a_new_phone_is_read():
    assert normalise_phone_tail("手机 １３８－１２３４－５６７８") == "5678"
    assert check_phone("手机 １３８－１２３４－５６７８") == "13812345678"


PASTED = "订单编号：3120001234567 创建时间：2026-11-30 10:12:33 付款时间：2026-11-30 10:13:02"


@pytest.mark.parametrize(
    ("text", "order_no"),
    [
        (PASTED, "3120001234567"),
        (f"我要退货 {PASTED}", "3120001234567"),
        ("创建时间：2026-11-30 10:12:33 订单编号：3120001234567", "3120001234567"),
        ("下单时间 2026-11-30 10:12:33 运单号 JDV983690060267 单号 2611150001234567",
         "2611150001234567"),
        ("订单号 2611-1500-0123-4567", "2611150001234567"),
        ("支付宝交易号 2026113022001456781234 订单编号 4200316578901234", "4200316578901234"),
        ("6559797114710497", "6559797114710497"),
        ("6559797114710497 2751", "6559797114710497"),
        ("订单编号：6559797114710497 2751", "6559797114710497"),
        ("单号 2611 1500 0123 4567", "2611150001234567"),
        ("创建时间：2026-11-30 10:12:33", None),
        ("尾号2751", None),
    ],
)  # fmt: skip
def test_the_order_number_is_read_not_a_date_time_or_other_number(text, order_no):
    assert read_order_no(text) == order_no


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("不对 是1234", "1234"),
        ("尾号2751", "2751"),
        ("6559797114710497 2751", "2751"),
        ("13912345678", "5678"),
        (PASTED, None),  # 2026, 1012… are not tails
        ("6559797114710497", None),
    ],
)  # fmt: skip
def test_the_phone_tail_is_read_not_a_piece_of_another_number(text, tail):
    assert read_phone_tail(text) == tail


@pytest.mark.parametrize(
    ("text", "tail"),
    [
        ("订单号：6559797114710497\n商品：戴尔 S2725DS 显示器\n手机：186****9061", "9061"),
        ("收货人：王**，联系电话 139xxxx2751", "2751"),
        ("手机号 138＊＊＊＊0419 订单6559797114710497", "0419"),
        ("我买的是RTX4060的那个 尾号0483", "0483"),
        ("戴尔S2725DS还没到", None),  # a model name, no tail
        # a quantity with its unit (trial 25, T853: 3200瓦 was read as a tail, the lookup began)
        ("3200瓦的那个插座要求是啥", None),
        ("5000毫安的充电宝 尾号1237", "1237"),
        ("热水器1099元买的", None),
    ],
)  # fmt: skip
def test_a_masked_mobile_gives_its_visible_tail_and_a_model_name_gives_none(text, tail):
    assert read_phone_tail(text) == tail


@pytest.mark.parametrize(
    ("text", "digits"),
    [("1391234567", 10), ("139 1234 56789", 12), ("13912345678", None), ("2751", None)],
)
def test_a_mobile_number_a_digit_short_or_long_is_counted(text, digits):
    assert mistyped_phone_digits(text) == digits


def _wrong_tail(order) -> str:
    return f"{(int(order.phone_tail) + 1) % 10000:04d}"


def test_misses_older_than_the_window_no_longer_count(db):
    order = db.scalars(select(Order).limit(1)).one()
    long_ago = utcnow() - VERIFY_WINDOW - timedelta(minutes=1)
    for _ in range(VERIFY_MISSES - 1):
        verify_order(db, order.order_no, _wrong_tail(order), "c-old", now=long_ago)
    for _ in range(VERIFY_MISSES - 1):
        assert verify_order(db, order.order_no, _wrong_tail(order), "c-new").outcome is (
            Verification.MISMATCH
        )
    assert verify_order(db, order.order_no, order.phone_tail).outcome is Verification.VERIFIED


def test_a_tail_carried_over_from_another_order_is_not_counted_as_a_guess(db):
    order = db.scalars(select(Order).limit(1)).one()
    for _ in range(VERIFY_MISSES + 2):
        checked = verify_order(db, order.order_no, _wrong_tail(order), guess=False)
        assert checked.outcome is Verification.MISMATCH
    assert verify_order(db, order.order_no, order.phone_tail).outcome is Verification.VERIFIED


def test_an_unknown_order_number_locks_like_a_known_one(db):
    outcomes = [verify_order(db, "999988887777666", "1234").outcome for _ in range(VERIFY_MISSES)]
    assert outcomes == [Verification.MISMATCH] * (VERIFY_MISSES - 1) + [Verification.LOCKED]


def test_tails_carried_over_to_other_orders_count_against_the_client_and_lock_it(db):
    orders = db.scalars(select(Order).order_by(Order.id)).all()
    probes = [
        verify_order(db, o.order_no, _wrong_tail(o), guess=False, client="prober").outcome
        for o in orders[: CLIENT_VERIFY_MISSES.amount]
    ]
    assert probes == [Verification.MISMATCH] * (len(probes) - 1) + [Verification.LOCKED]
    last = orders[-1]
    locked = verify_order(db, last.order_no, last.phone_tail, guess=False, client="prober")
    assert locked.outcome is Verification.LOCKED  # even its own tail, for this client
    assert verify_order(db, last.order_no, last.phone_tail).outcome is Verification.VERIFIED


@pytest.mark.parametrize(
    "text", ["我朋友说退货的时候有个0571-86886688 打那个行不行", "010 12345678"]
)
def test_a_landline_is_no_order_number_and_no_tail(text):
    """Trial 25, T868: 0571-86886688 was read as an order number and its tail asked for."""
    assert read_order_no(text) is None
    assert read_phone_tail(text) is None
