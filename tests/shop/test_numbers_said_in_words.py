"""An order number and a phone tail said in words (voice input) are read like typed ones."""

from shop.orders import check_phone, read_order_no, read_phone_tail


def test_an_order_number_said_digit_by_digit_is_read():
    assert read_order_no("我的订单号是。五五六六七七八八九九零零一一二二。") == "5566778899001122"


def test_a_tail_said_with_yao_for_one_is_read():
    assert read_phone_tail("手机尾号。幺零八六。") == "1086"


def test_a_mobile_said_in_words_is_a_phone():
    assert check_phone("幺三八幺二三四五六七八") == "13812345678"
