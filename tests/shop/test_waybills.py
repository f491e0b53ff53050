"""A carrier's waybill in a shopper's words is read as one and never as an order number (trial 7
T146: a pasted 中通 waybill was checked as an order number against the phone tail)."""

import pytest

from bot.actions.order_lookup import read_number, read_tail
from shop.orders import read_order_no
from shop.waybills import read_waybill


@pytest.mark.parametrize(
    ("text", "number", "carrier"),
    [
        ("圆通快递 运单号：YT 7712 0093 4456 1", "YT7712009344561", "圆通"),
        ("韵达 4318 8777 6512 0 已揽收", "4318877765120", "韵达"),
        ("退货寄出去了 顺丰速运SF1188223344556", "SF1188223344556", "顺丰"),
        ("快递单号是 JT5566778899001", "JT5566778899001", None),
        ("物流单号：4300 1122 3344", "430011223344", None),
        ("中通 单号是7531234567890", "7531234567890", "中通"),  # 单号 with a carrier named
        ("单号 SF1423567890123", "SF1423567890123", None),  # 单号 with letters in it
    ],
)
def test_a_labelled_waybill_or_one_beside_its_carrier_is_read_with_the_carrier(
    text, number, carrier
):
    waybill = read_waybill(text)
    assert waybill is not None
    assert (waybill.number, waybill.carrier) == (number, carrier)
    assert read_number(text) is None
    assert read_tail(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "订单号 3120001234567890 中通到哪了",
        "3120001234567890 1234",
        "订单编号：3120001234567890",
        "单号3120001234567890 尾号7205",  # 单号 alone, digits alone: the order's (trial 12 T336)
    ],
)
def test_an_order_number_is_no_waybill_even_beside_a_carrier(text):
    assert read_waybill(text) is None
    assert read_number(text) == "3120001234567890"


def test_an_order_number_and_a_waybill_in_one_message_each_stay_what_they_are():
    text = "订单号 3120001234567890 运单号 YT7712009344561"
    assert read_order_no(text) == "3120001234567890"
    waybill = read_waybill(text)
    assert waybill is not None
    assert waybill.number == "YT7712009344561"
