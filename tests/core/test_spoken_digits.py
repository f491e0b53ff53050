"""Numbers said digit by digit in words (voice input) are read as digits."""

import pytest

from core.spoken import spoken_digits


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("单号。三一四一五九二六五三五八九七九三。", "单号。3141592653589793。"),
        ("尾号是幺三五七", "尾号是1357"),
        ("二〇二六年", "2026年"),
        ("订单号 八八零零 幺二三四 五六七八 九零九零", "订单号 8800 1234 5678 9090"),
    ],
)
def test_a_number_said_in_words_is_written_in_digits(text, read):
    assert spoken_digits(text) == read


@pytest.mark.parametrize("text", ["一一回复", "三三两两", "十二月一号", "第一二三名", "一件二手"])
def test_words_with_a_few_numerals_stay_words(text):
    assert spoken_digits(text) == text
