"""A product discussed before, called by the last character of its kind (刚才那个壶 after the
rice cooker), is the one asked about, not the product in focus."""

import pytest

from bot.actions.common import conversation_product
from tests.bot.conftest import make_tracker

KETTLE = "P5004"  # 小熊 电热水壶
RICE_COOKER = "P5001"  # 美的 IH电饭煲


def _discussed(*codes: str) -> list[dict]:
    return [{"event": "slot", "name": "current_product", "value": code} for code in codes]


@pytest.mark.parametrize("text", ["刚才那个壶 有蓝色的没有", "那个壶多少钱来着"])
def test_the_kettle_called_back_after_the_rice_cooker_is_the_kettle(db, text):
    tracker = make_tracker({"current_product": RICE_COOKER}, text, "ask_stock")
    tracker.events = _discussed(KETTLE, RICE_COOKER)
    assert conversation_product(db, tracker).code == KETTLE


@pytest.mark.parametrize("text", ["那个 我想问下有蓝色的吗", "那个锅有蓝色的吗"])
def test_a_filler_or_the_product_in_focus_keeps_the_focus(db, text):
    tracker = make_tracker({"current_product": RICE_COOKER}, text, "ask_stock")
    tracker.events = _discussed(KETTLE, RICE_COOKER)
    assert conversation_product(db, tracker).code == RICE_COOKER


def test_a_kind_never_discussed_keeps_the_focus(db):
    tracker = make_tracker({"current_product": RICE_COOKER}, "那个壶有货吗", "ask_stock")
    tracker.events = _discussed(RICE_COOKER)
    assert conversation_product(db, tracker).code == RICE_COOKER
