import pytest
from sqlalchemy import select

from shop.models import Order
from shop.orders import check_phone, find_verified_order, normalise_order_no, normalise_phone_tail


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
