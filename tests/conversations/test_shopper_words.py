"""English and pinyin shopper words are read as the Chinese they stand for, numbers said in
words as digits; something said not to have come is the problem told, never a no."""

import pytest

from conversations.shopper_words import as_read, load_shopper_words
from conversations.short_messages import says_more_than_goodbye, says_not_arrived
from shop.orders import read_order_no, read_phone_tail


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("my ORDER 5566778899001122 still not shipped", "my 订单 5566778899001122 还没发货"),
        ("where is my package", "我的快递到哪了"),
        ("想tuihuo", "想退货"),
        ("refund 多久到", "退款 多久到"),
        ("ok thx", "好的 谢谢"),
        ("kuaidi 到哪了", "快递 到哪了"),
    ],
)
def test_common_english_and_pinyin_words_are_read_in_chinese(text, read):
    assert as_read(text) == read


def test_a_word_inside_another_word_is_left_alone():
    assert as_read("orderly shipment") == "orderly shipment"
    assert as_read("HUAWEI Mate") == "HUAWEI Mate"


def test_a_payload_is_left_as_it_is():
    assert as_read("/affirm") == "/affirm"


def test_a_tail_given_in_english_is_read_as_the_tail():
    assert read_phone_tail(as_read("phone last 4 is 1086")) == "1086"


def test_numbers_said_in_words_are_read_as_digits_too():
    read = as_read("订单号是。五五六六七七八八九九零零一一二二。手机尾号。幺零八六。")
    assert read_order_no(read) == "5566778899001122"
    assert read_phone_tail(read) == "1086"


def test_the_table_loads_as_lower_case_latin_words_with_chinese_meanings():
    assert load_shopper_words()  # validated as it loads


@pytest.mark.parametrize("text", ["没到", "钱还没到账", "退款一直没收到", "快递到现在也没动静"])
def test_something_not_come_is_the_problem_told(text):
    assert says_not_arrived(text)
    assert says_more_than_goodbye(text)


@pytest.mark.parametrize("text", ["没有了", "没事", "没问题", "不用了", "我没取消啊"])
def test_a_no_or_a_thanks_is_no_problem_told(text):
    assert not says_not_arrived(text)
