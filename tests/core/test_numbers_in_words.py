"""Numbers shoppers write in words (二十六公斤, 一百一, 一米六五, 两袋, 二十来个) are read as
numbers by one reader, the same for every number a reader looks for."""

import pytest

from core.spoken import SaidNumber, number_value, said_number, written_numbers


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("十二", 12),
        ("二十六", 26),
        ("一百二十", 120),
        ("一百二十八", 128),
        ("一百零五", 105),
        ("一百一", 110),  # said short: 一百一十
        ("两千五", 2500),
        ("40", 40),
        ("三四", None),  # 3 or 4: no single number
        ("百", None),
    ],
)
def test_a_number_with_its_places_is_read_as_its_value(word, value):
    assert number_value(word) == value


@pytest.mark.parametrize(
    ("word", "said"),
    [
        ("二十来", SaidNumber(20, approximate=True)),
        ("30多", SaidNumber(30, approximate=True)),
        ("十几", SaidNumber(15, approximate=True)),
        ("五六", SaidNumber(6, approximate=True)),
        ("二十", SaidNumber(20)),
    ],
)
def test_an_approximate_number_is_read_as_its_number_said_as_approximate(word, said):
    assert said_number(word) == said


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("身高一米二八体重五十多斤", "身高1米28体重50多斤"),
        ("孙子一百二十八公分 二十六公斤", "孙子128公分 26公斤"),
        ("一米六五 一百一", "1米65 110"),
        ("每日坚果买俩袋 猪肉脯原味要三包", "每日坚果买2袋 猪肉脯原味要3包"),
        ("一箱大概二十来个", "一箱大概20来个"),
        ("尾号幺二三七", "尾号1237"),
        ("闺女脚长二十四点三", "闺女脚长24.3"),  # trial 19, T625
        ("平时穿二十五点五码", "平时穿25.5码"),
        ("十点半到", "10点半到"),  # a time keeps its 点
        ("晚上十点三十", "晚上10点30"),
    ],
)
def test_numbers_in_words_are_written_in_digits(text, written):
    assert written_numbers(text) == written


@pytest.mark.parametrize(
    "text",
    ["十分满意", "两三个坏的", "几十个", "买一箱", "第二件半价", "一起买", "三星手机"],
)
def test_words_that_are_no_number_or_only_a_range_stay_as_said(text):
    assert written_numbers(text) == text
