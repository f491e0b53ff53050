"""A shipping question is answered for what the shopper is buying: the product in focus at its
price after its deals (包邮不 about the running shoes: yes), the quantity asked, an amount named
(99块刚好包邮吧), a remote province named; fresh food keeps its own rule."""

import pytest
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.fallback import ActionClarify
from bot.actions.faq import ActionAnswerFaq
from tests.bot.conftest import make_tracker

RUNNING_SHOES = "P2001"  # ¥399, 跑鞋专区满399减40
T_SHIRT = "P1001"  # ¥79, 任选2件再享95折
ORANGES = "P6101"  # fresh food: cold chain, never to remote provinces


async def _said(text: str, product: str | None, intent: str = "faq") -> str:
    dispatcher = CollectingDispatcher()
    slots = {"current_product": product} if product else {}
    action = ActionAnswerFaq() if intent == "faq" else ActionClarify()
    await action.run(dispatcher, make_tracker(slots, text, intent), {})
    return "\n".join(m["text"] or "" for m in dispatcher.messages)


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback"])
async def test_shipping_asked_about_the_shoes_in_focus_says_they_ship_free(db, intent):
    said = await _said("包邮不", RUNNING_SHOES, intent)
    assert "到手 ¥359" in said
    assert "下单就是包邮的" in said


async def test_one_cheap_item_is_told_the_fee_and_what_is_missing(db):
    said = await _said("包邮吗", T_SHIRT)
    assert "运费 ¥8" in said
    assert "再凑 ¥20" in said


async def test_two_of_them_are_worked_out_together(db):
    said = await _said("买两件包邮吗", T_SHIRT)
    assert "2件到手" in said
    assert "下单就是包邮的" in said


async def test_an_amount_named_is_answered_without_a_product(db):
    said = await _said("99块刚好包邮吧", None)
    assert "刚好够上" in said


async def test_a_remote_province_named_gets_its_threshold(db):
    said = await _said("寄新疆包邮吗", T_SHIRT)
    assert "偏远地区，满199元包邮" in said
    assert "运费 ¥15" in said


async def test_fresh_food_keeps_its_own_rule(db):
    said = await _said("包邮吗", ORANGES)
    assert "冷链" in said
    assert "到手" not in said


async def test_without_a_product_or_amount_the_general_rule_is_given(db):
    said = await _said("运费怎么算", None)
    assert "满99元" in said
    assert "偏远地区" in said
