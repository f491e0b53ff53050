"""A price difference asked back is a 价保 claim; a return that mentions prices is a return."""

import pytest

from shop.price_claims import claims_price_difference, pieces_said


@pytest.mark.parametrize(
    "text",
    [
        "这个现在26 我32买的 退我6块",
        "现在才26了 我买的时候32",
        "我32买的 现在卖26 能退差价不",
        "今天看只要89 我前天99买的",
        "便宜了6块 退我6块吧",
        "安热沙降到198了 我买的228 退我30",  # trial 24, T839: read as a product question
        "降价到89了 我99买的",
    ],
)
def test_a_shopper_who_compares_the_price_now_with_what_they_paid_claims_the_difference(text):
    assert claims_price_difference(text)


@pytest.mark.parametrize(
    "text",
    [
        "我要退货 现在26 我32买的",  # the goods go back
        "衣服破了 退我20块",  # a partial refund for a defect, not for the price
        "现在多少钱",
        "现在39 我32买的 赚了",  # dearer now: nothing to claim
        "我买了两件 现在能退吗",
        "降到198了吗",  # the price asked, nothing paid said
    ],
)
def test_a_shopper_who_returns_goods_or_only_names_a_price_claims_no_difference(text):
    assert not claims_price_difference(text)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("我买的两瓶哦", 2),
        ("一共买了2件", 2),
        ("是两支", 2),
        ("两瓶都算吗", 2),
        ("我拍了十二盒", 12),
        ("差了两块钱", None),  # money, not pieces
        ("等了两天了", None),  # time, not pieces
    ],
)
def test_the_pieces_bought_are_read_in_digits_or_words(text, pieces):
    assert pieces_said(text) == pieces
