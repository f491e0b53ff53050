"""A power limit said after the product's power was asked (宿舍限800w 能用不) gets the comparison:
over the limit, likely to trip it; never the wattage said again (trial 10, T242)."""

import pytest

from tests.bot.test_presale_follow_ups import _conversation, _text


@pytest.mark.parametrize(
    ("limit_said", "intent"),
    [
        ("我们宿舍限800w 能用不 会不会跳闸", "ask_product_info"),
        ("寝室限电800瓦 插上会跳吗", "ask_product_info"),
        ("宿舍最多1000w 这个带得动吗", "nlu_fallback"),
        ("学校规定不能超过500W 能用吗", "ask_product_info"),
    ],
)
async def test_a_limit_under_the_kettles_power_is_said_to_be_exceeded(db, limit_said, intent):
    said = await _conversation(
        [
            ("小熊电水壶功率多少w", "ask_product_info", {"product": "电水壶"}),
            (limit_said, intent),
        ]
    )
    text = _text(said)
    assert "1800W" in text
    assert "超过了您说的" in text
    assert "跳闸" in text
    assert "和刚才说的一样" not in text


async def test_a_limit_over_the_fryers_power_is_said_to_be_within_it(db):
    said = await _conversation(
        [
            ("九阳空气炸锅几瓦", "ask_product_info", {"product": "空气炸锅"}),
            ("我家那路限2000w 能用不", "ask_product_info"),
        ]
    )
    text = _text(said)
    assert "1500W" in text
    assert "以内" in text
    assert "超过" not in text


async def test_asking_the_power_again_without_a_limit_still_gets_the_power(db):
    said = await _conversation([("小熊电水壶功率多少w", "ask_product_info", {"product": "电水壶"})])
    assert "功率：1800W" in _text(said)
